/**
 * The local dataplane: real packets in network namespaces, no cluster. One "node" namespace per
 * run holds all plumbing (routes, Service NAT, the policy table), so the host's own network,
 * routes and firewall are never touched. Each workload is a namespace wired by the reference
 * CNI plugins, where a pod agent serves its ports and runs its probes (pod-agent.ts); a
 * dnsmasq pod is the cluster DNS; externals are namespaces at their declared IPs, with an agent
 * too (an external client's probes run there). NetworkPolicies compile to one nftables table (compile-nft-policy.ts);
 * `enforce: false` is the same dataplane without it ("a CNI that accepts policies but never
 * enforces").
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { UnsupportedError, type Backend, type BackendContext, type DnsEndpoint, type Topology } from '../backend.js';
import { usesSctp } from '../../scenario/scenario-features.js';
import type { ContainerPort } from '../../policy/match-port.js';
import type { Labels } from '../../policy/types.js';
import { timeoutSeconds } from '../../probe/probe-script.js';
import { externalSourceName, type Outcome, type Probe, type ProbeKey, type SourceName } from '../../probe/types.js';
import { workloadServices } from '../../scenario/services.js';
import { NAMESPACE_NAME_LABEL, type ClusterState, type Scenario, type ServedPort, type ServiceRef, type WorkloadRef } from '../../scenario/types.js';
import { openAgentChannel, type AgentChannel } from './agent-channel.js';
import { removeRun } from './cleanup-leftovers.js';
import { renderDnsHosts, renderResolvConf, startDnsmasq } from './cluster-dns.js';
import { cniAdd, cniConfig } from './cni.js';
import { compileStatePolicy, type LocalAddresses } from './compile-nft-policy.js';
import { addNetns, writeNetnsResolvConf } from './netns.js';
import { podAgentCommand, startDaemon, stopDaemon, type Daemon } from './processes.js';
import { toProbeCommand } from './probe-commands.js';
import { renderNatTable } from './render-nat-table.js';
import { mustRunInNetns } from './run-command.js';
import { AGENT_THREADS } from './run-probe.js';
import { mapLimit } from '../../util/map-limit.js';
import { CLUSTER_DOMAIN, DNS_SERVICE_IP, makeRunId, runLayout, serviceIpOf, type RunLayout } from './run-layout.js';
import { makeRouter, wireExternal } from './wire-external.js';

export interface LocalBackendOptions {
  /** false: policies are accepted and never enforced (no policy table). */
  readonly enforce: boolean;
  /** 1-12 characters of [a-z0-9]; random when absent. Names every resource of the run. */
  readonly runId?: string;
  /** How many namespaces are set up at a time (default 8). */
  readonly concurrency?: number;
  /** Deadline for a server or dnsmasq to start listening, ms (default 30 s). */
  readonly startTimeoutMs?: number;
}

/** The ports of the DNS pod, as CoreDNS declares them (so named ports `dns`, `dns-tcp` resolve). */
export const LOCAL_DNS_POD_PORTS: readonly ContainerPort[] = [
  { port: 53, protocol: 'UDP', name: 'dns' },
  { port: 53, protocol: 'TCP', name: 'dns-tcp' },
  { port: 9153, protocol: 'TCP', name: 'metrics' },
];

/** The ClusterIP every cluster has for `kubernetes.default` (first address of the range). */
const API_SERVICE_IP = '10.251.0.1';

/** `<port>/<tcp|udp>` server arguments; SCTP is not served (no SCTP in Node). */
function serveArgs(ports: readonly ServedPort[]): string[] {
  return ports.filter((p) => p.protocol !== 'SCTP').map((p) => `${p.port}/${p.protocol.toLowerCase()}`);
}

function namespaceLabelsOf(scenario: Scenario, namespace: string): Labels {
  return scenario.namespaces.find((ns) => ns.name === namespace)?.labels ?? { [NAMESPACE_NAME_LABEL]: namespace };
}

/** Creates the local backend; nothing happens on the host until `setUp`. */
export function createLocalBackend(options: LocalBackendOptions): Backend & { readonly runId: string; readonly layout: RunLayout } {
  const runId = makeRunId(options.runId);
  const layout = runLayout(runId);
  const concurrency = options.concurrency ?? 8;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const daemons: Daemon[] = [];
  /** The agent of each probe source: workloads by ref, external clients by name. */
  const agents = new Map<SourceName, AgentChannel>();
  let topology: Topology | undefined;
  let addresses: LocalAddresses | undefined;

  async function startAgent(netns: string, label: string, ports: readonly ServedPort[]): Promise<AgentChannel> {
    const { file, args: base } = podAgentCommand();
    const description = `pod agent ${label} in ${netns}`;
    const daemon = await startDaemon(netns, file, [...base, label, ...serveArgs(ports)], {
      ready: /^listening$/m,
      timeoutMs: startTimeoutMs,
      description,
      stdin: 'pipe',
      env: { UV_THREADPOOL_SIZE: String(AGENT_THREADS) },
    });
    daemons.push(daemon);
    return openAgentChannel(daemon.child, description);
  }

  async function loadTable(netns: string, text: string): Promise<void> {
    await mustRunInNetns(netns, 'nft', ['-f', '-'], { input: text, timeoutMs: 30_000 });
  }

  return {
    kind: 'local',
    unsupported: (scenario) =>
      usesSctp(scenario)
        ? new UnsupportedError('SCTP', 'the local dataplane cannot serve or probe SCTP (its pods are Node processes, and Node has no SCTP sockets)')
        : undefined,
    runId,
    layout,

    async setUp(scenario: Scenario, ctx: BackendContext): Promise<Topology> {
      await mkdir(layout.ipamDir, { recursive: true });
      await writeFile(`${layout.stateDir}/owner`, `${process.pid}\n`);
      const config = cniConfig(`nph-${runId}`, layout.ipamDir);
      await writeFile(`${layout.stateDir}/cni.json`, config);

      ctx.progress(`local: node namespace ${layout.nodeNetns}`);
      await addNetns(layout.nodeNetns);
      await makeRouter(layout.nodeNetns);

      ctx.progress(`local: wiring ${scenario.workloads.length} workloads and the DNS pod (CNI ptp + host-local)`);
      const podNetns = [layout.dnsNetns, ...scenario.workloads.map((_, i) => layout.workloadNetns(i))];
      const podIpList = await mapLimit(podNetns, concurrency, async (netns) => {
        ctx.signal.throwIfAborted();
        await addNetns(netns);
        return cniAdd(layout.nodeNetns, netns, netns, config);
      });
      const dnsIp = podIpList[0]!;
      const podIps = new Map<WorkloadRef, string>();
      scenario.workloads.forEach((w, i) => podIps.set(w.ref, podIpList[i + 1]!));
      const services = scenario.workloads.flatMap((w) => workloadServices(w).map((service) => ({ service, podIp: podIps.get(w.ref)! })));
      const serviceIps = new Map<ServiceRef, string>(services.map(({ service }, i) => [service.ref, serviceIpOf(i)]));

      ctx.progress('local: Services (nftables DNAT) and cluster DNS (dnsmasq)');
      const dnsPorts = (['UDP', 'TCP'] as const).map((protocol) => ({ serviceIp: DNS_SERVICE_IP, protocol, port: 53, podIp: dnsIp, targetPort: 53 }));
      const servicePorts = services.flatMap(({ service, podIp }) =>
        service.ports.map((p) => ({ serviceIp: serviceIps.get(service.ref)!, protocol: p.protocol, port: p.port, podIp, targetPort: p.targetPort })),
      );
      await loadTable(layout.nodeNetns, renderNatTable([...dnsPorts, ...servicePorts]));
      const hosts = renderDnsHosts(
        services.map(({ service }) => ({ namespace: service.namespace, name: service.name, ip: serviceIps.get(service.ref)! })),
        CLUSTER_DOMAIN,
        API_SERVICE_IP,
      );
      daemons.push(await startDnsmasq(layout.dnsNetns, dnsIp, layout.stateDir, `${layout.stateDir}/dns-hosts`, hosts, CLUSTER_DOMAIN));
      await Promise.all(scenario.workloads.map((w, i) => writeNetnsResolvConf(layout.workloadNetns(i), renderResolvConf(w.namespace, DNS_SERVICE_IP, CLUSTER_DOMAIN))));

      if (scenario.externals.length > 0) ctx.progress(`local: ${scenario.externals.length} externals`);
      for (const [i, external] of scenario.externals.entries()) await wireExternal(layout.nodeNetns, layout.externalNetns(i), i, external.ip);

      ctx.progress('local: starting the pod agents');
      // An external client runs its probes in its own namespace, from its declared address.
      const pods: { source: SourceName; netns: string; label: string; ports: readonly ServedPort[] }[] = [
        ...scenario.workloads.map((w, i) => ({ source: w.ref as SourceName, netns: layout.workloadNetns(i), label: w.ref as string, ports: w.ports })),
        ...scenario.externals.map((x, i) => ({ source: externalSourceName(x.name), netns: layout.externalNetns(i), label: x.name, ports: x.ports })),
      ];
      await mapLimit(pods, concurrency, async (pod) => {
        ctx.signal.throwIfAborted();
        agents.set(pod.source, await startAgent(pod.netns, pod.label, pod.ports));
      });

      const dnsPod: DnsEndpoint = { namespace: scenario.dns.namespace, namespaceLabels: namespaceLabelsOf(scenario, scenario.dns.namespace), labels: scenario.dns.labels, ip: dnsIp };
      addresses = { podIps, dnsPods: [{ namespace: dnsPod.namespace, labels: dnsPod.labels, ip: dnsIp, ports: LOCAL_DNS_POD_PORTS }] };
      topology = { podIps, serviceIps, dnsPods: [dnsPod], dnsServiceIp: DNS_SERVICE_IP, clusterDomain: CLUSTER_DOMAIN };
      return topology;
    },

    async apply(state: ClusterState, ctx: BackendContext): Promise<void> {
      if (addresses === undefined) throw new Error('apply before setUp');
      if (!options.enforce) return;
      const table = compileStatePolicy(state, addresses);
      await writeFile(`${layout.stateDir}/policy.nft`, table);
      ctx.progress(`local: loading the policy table (${state.policies.length} policies)`);
      // The node namespace judges every forwarded flow. A pod's traffic to itself never leaves its
      // namespace, and no policy blocks it (a pod cannot block access to itself): nothing to load there.
      await loadTable(layout.nodeNetns, table);
    },

    async probe(probes: readonly Probe[], ctx: BackendContext): Promise<ReadonlyMap<ProbeKey, Outcome>> {
      if (topology === undefined) throw new Error('probe before setUp');
      const current = topology;
      const bySource = new Map<SourceName, Probe[]>();
      for (const probe of probes) bySource.set(probe.from, [...(bySource.get(probe.from) ?? []), probe]);
      const outcomes = new Map<ProbeKey, Outcome>();
      await Promise.all(
        [...bySource].map(async ([from, list]) => {
          const agent = agents.get(from);
          if (agent === undefined) throw new Error(`probe from unknown source ${from}`);
          const commands = list.map((p) => toProbeCommand(p, current));
          // A by-name probe is a lookup then a connect, each bounded: 2 x timeout, plus slack.
          const longest = Math.max(...commands.map((c) => timeoutSeconds(c.timeoutMs)));
          for (const [key, outcome] of await agent.probe(commands, 2 * longest * 1000 + 5000)) outcomes.set(key, outcome);
          ctx.signal.throwIfAborted();
        }),
      );
      return outcomes;
    },

    async tearDown(): Promise<void> {
      await Promise.all(daemons.splice(0).map((d) => stopDaemon(d, 1000)));
      await removeRun(runId);
      topology = undefined;
      addresses = undefined;
      agents.clear();
    },
  };
}
