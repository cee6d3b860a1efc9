/**
 * The cluster DNS of the local dataplane: a dnsmasq in a DNS pod namespace answering the
 * Services' names, and every pod's resolv.conf as the kubelet writes it.
 */
import { writeFile } from 'node:fs/promises';
import type { Daemon } from './processes.js';
import { startDaemon } from './processes.js';

/** One Service's records. */
export interface ServiceRecord {
  readonly namespace: string;
  readonly name: string;
  readonly ip: string;
}

/**
 * The dnsmasq hosts file: `<svc>.<ns>.svc.<domain>` and `<svc>.<ns>` per Service, plus
 * `kubernetes.default` (the name every cluster has; the dns probe looks it up).
 */
export function renderDnsHosts(services: readonly ServiceRecord[], clusterDomain: string, apiServiceIp: string): string {
  const lines = [`${apiServiceIp} kubernetes.default.svc.${clusterDomain} kubernetes.default`];
  for (const s of services) lines.push(`${s.ip} ${s.name}.${s.namespace}.svc.${clusterDomain} ${s.name}.${s.namespace}`);
  return `${lines.join('\n')}\n`;
}

/**
 * A pod's resolv.conf as the kubelet writes it (ClusterFirst): search list and ndots:5. One
 * attempt of 1 s: a lookup the policies block fails within a probe's timeout, and frees the
 * pod agent's resolver thread then (run-probe.ts); a local DNS that is allowed answers in ms.
 */
export function renderResolvConf(namespace: string, dnsServiceIp: string, clusterDomain: string): string {
  return [
    `nameserver ${dnsServiceIp}`,
    `search ${namespace}.svc.${clusterDomain} svc.${clusterDomain} ${clusterDomain}`,
    'options ndots:5 timeout:1 attempts:1',
    '',
  ].join('\n');
}

/**
 * The name the dns probe looks up: a Service every cluster has, as an absolute name (the
 * trailing dot), so the lookup is one query, not one per search-list entry first.
 */
export function dnsProbeName(clusterDomain: string): string {
  return `kubernetes.default.svc.${clusterDomain}.`;
}

/**
 * Starts dnsmasq in the DNS pod's namespace: no upstream, no /etc/hosts, only `hostsFile`,
 * authoritative NXDOMAIN for the cluster domain (so search-list misses fail fast), bound to the
 * pod IP. Its arguments carry the run's state dir (with the `nph-` prefix) so leftovers are
 * recognisable in `ps`.
 */
export async function startDnsmasq(netns: string, podIp: string, stateDir: string, hostsFile: string, hostsContent: string, clusterDomain: string): Promise<Daemon> {
  await writeFile(hostsFile, hostsContent, { mode: 0o644 });
  return startDaemon(
    netns,
    'dnsmasq',
    [
      '--keep-in-foreground',
      '--no-resolv',
      '--no-hosts',
      `--addn-hosts=${hostsFile}`,
      `--local=/${clusterDomain}/`,
      `--listen-address=${podIp}`,
      '--bind-interfaces',
      '--port=53',
      '--user=root',
      '--group=root',
      `--pid-file=${stateDir}/dnsmasq.pid`,
      '--log-facility=-',
      '--cache-size=0',
    ],
    { ready: /started, version/, timeoutMs: 10_000, description: `dnsmasq in ${netns}` },
  );
}
