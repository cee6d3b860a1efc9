/**
 * Probe tools of a kube workload pod: its `probe` container runs the agnhost image
 * (`/agnhost`, a shell and busybox-style `timeout`, `wget`, `nslookup`; alpine upstream,
 * Debian's static busybox 1.35 on the netpol rig) and `agnhost netexec` on a loopback-reachable
 * HTTP port chosen per pod. Pure: builds and reads text. Facts (agnhost 2.25, busybox 1.35):
 *
 * - TCP, SCTP, and UDP on agnhost >= 2.28: `agnhost connect [--protocol=P] --timeout=Ns
 *   host:port` (exit 0 = connected, for UDP: a datagram answered; on failure it prints
 *   TIMEOUT, REFUSED, `DNS: ...`, `OTHER: ...` or `UNKNOWN: ...`), under `timeout N+1`.
 * - TCP where the image's busybox `nc` can do it (checked once per run in a real pod, see
 *   check-probe-tools.ts): `nc -w N host port </dev/null` connects and, stdin at its end,
 *   exits at once (exit 0 = connected); its alarm bounds the connect, so no `timeout` around
 *   it. A handshake, as with agnhost, at a fraction of the CPU: starting agnhost costs ~40-90 ms
 *   of CPU a probe on a busy 2-core node, busybox nc ~3 ms (`-e true` instead of the empty
 *   stdin added a fork and exec of `true`: ~6 ms a probe on the rig). Busybox has two nc: the small one (Debian's) prints `nc: timed out`
 *   or `nc: can't connect to remote host (ip): <strerror>`; the netcat-1.10 one (alpine's)
 *   prints nothing on failure unless asked with `-vv` (`ip (ip): <strerror>`), and the small
 *   one refuses `-v`. The netcat-1.10 one waits for the peer after stdin ends, so it is
 *   ended by `-e true` (last on the line: the rest of the line is the program).
 * - UDP on older agnhost (2.25 on the rig), whose `connect` has no UDP: the local netexec's
 *   `/dial?protocol=udp&host=..&port=..&request=hostname&tries=1` sends one datagram and
 *   answers `{"responses":[...]}` or `{"errors":[...]}`; asked with busybox `wget` under
 *   `timeout` (busybox `wget -T` segfaults on Debian's static busybox).
 * - By name: first a bounded `nslookup` of the FQDN (busybox nslookup ignores the search
 *   list: the backend passes FQDNs), so a blocked DNS reads as `dns`, not as a connect timeout.
 * - lookup (the `dns` probe): `nslookup <fqdn>`: 0 = ok; killed by its bound = timeout;
 *   any other failure = dns.
 * - lookup-tcp: not offered (busybox nslookup has no TCP mode); the kube backend reports a
 *   scenario that asks for it as unsupported before probing, so this reads as `error`.
 */
import { assertNever } from '../assert-never.js';
import { isTimeoutExit, saysNetworkUnreachable, saysRefused } from './classify-outcome.js';
import { isIpLiteral, joinHostPort, type ProbeCommand, type ProbeToolset } from './probe-script.js';
import type { Outcome } from './types.js';

/** Where the pod's own netexec listens (build-manifests.ts chooses a port the workload does not serve). */
export interface AgentPorts {
  readonly http: number;
  /** The image's `connect` speaks UDP (agnhost >= 2.28): UDP probes use it instead of netexec. */
  readonly udpConnect?: boolean;
  /**
   * The image's busybox `nc` tests a TCP connect (`-w`, `-e`): TCP probes use it instead of
   * agnhost. `verbose`: it says why a connect failed only with `-vv` (netcat-1.10 build).
   */
  readonly ncConnect?: 'plain' | 'verbose';
}

/** Printed by a probe whose name lookup failed before connecting. */
const DNS_FAILED = 'nph-dns-failed';
const TCP_LOOKUP_UNSUPPORTED = 'nph-tcp-lookup-unsupported';

function lookupFirst(command: ProbeCommand, seconds: number): string {
  if (isIpLiteral(command.host)) return '';
  return `timeout ${seconds} nslookup ${command.host} >/dev/null 2>&1 || { echo ${DNS_FAILED}; exit 1; }; `;
}

function classifyConnect(command: ProbeCommand, exitCode: number, output: string, udpConnect: boolean, ncConnect: boolean): Outcome {
  if (output.includes(DNS_FAILED)) return { kind: 'dns', detail: `lookup of ${command.host} failed` };
  if (/^DNS: /.test(output) || /no such host/i.test(output)) return { kind: 'dns', detail: output.slice(0, 200) };
  if (command.kind === 'udp' && !udpConnect) {
    // wget exits 0 whatever the dial's result; the JSON says what happened.
    if (isTimeoutExit(exitCode)) return { kind: 'timeout' };
    // The pod's own netexec did not answer: nothing was sent, so nothing was observed.
    if (exitCode !== 0 && /can't connect to remote host \(127\.0\.0\.1\)/.test(output)) {
      return { kind: 'error', detail: `the probe agent (netexec) did not answer: ${output.slice(0, 160)}` };
    }
    if (exitCode === 0 && /"responses":\["[^"]+/.test(output)) return { kind: 'ok' };
    if (saysNetworkUnreachable(output)) return { kind: 'unreachable', detail: output.slice(0, 200) };
    if (saysRefused(output)) return { kind: 'refused' };
    if (/i\/o timeout|deadline exceeded/i.test(output)) return { kind: 'timeout' };
    return { kind: 'error', detail: `udp dial: exit ${exitCode}: ${output.slice(0, 200)}` };
  }
  if (exitCode === 0) return { kind: 'ok' };
  if (/\bTIMEOUT\b/.test(output) || (ncConnect && /timed out/i.test(output))) return { kind: 'timeout' };
  if (ncConnect && /^nc: bad address/.test(output)) return { kind: 'dns', detail: output.slice(0, 200) };
  // agnhost (or nc) ends its own dial after N s; killed at N+1 s, it never got to dial in time (a node
  // too busy to start it): that says nothing about the network.
  if (isTimeoutExit(exitCode)) return { kind: 'error', detail: 'the probe tool was killed before its own timeout ended (the pod or node is too busy to probe reliably)' };
  if (saysNetworkUnreachable(output)) return { kind: 'unreachable', detail: output.slice(0, 200) };
  if (saysRefused(output)) return { kind: 'refused' };
  return { kind: 'error', detail: `exit ${exitCode}: ${output.slice(0, 200)}` };
}

/**
 * What a probe costs the node, in units of a probe by busybox `nc` (its subshells, nc and
 * `true`): one by agnhost costs ~4 (128 probes in one pod of the rig: agnhost 6.5 s, nc 2.4 s,
 * and 1.8 s of it the shell's own forks). The run-wide limit of probing is counted in these:
 * 45 scenarios let 128 nc probes start at once on the 2-core rig, and nc's own 1-s alarm went
 * off before some had been scheduled to connect (17 of 45 scenarios failed).
 */
export const AGNHOST_START_UNITS = 4;

/**
 * Probes by agnhost in one slot of the run-wide limit: the default limit (a slot per CPU) was
 * measured with source pods starting 8 agnhost probes each.
 */
export const AGNHOST_PROBES_PER_SLOT = 8;

/** Start cost of `command` in this pod (see AGNHOST_START_UNITS). */
export function startUnits(command: ProbeCommand, agent: AgentPorts): number {
  const agnhost = (command.kind === 'tcp' && agent.ncConnect === undefined) || command.kind === 'sctp' || (command.kind === 'udp' && agent.udpConnect === true);
  return agnhost ? AGNHOST_START_UNITS : 1;
}

/** The toolset of one pod (its netexec port is part of the UDP command). */
export function agnhostPodToolset(agent: AgentPorts): ProbeToolset {
  return {
    name: 'agnhost-pod',
    render(command, seconds) {
      const target = joinHostPort(command.host, command.port);
      switch (command.kind) {
        case 'tcp':
          if (agent.ncConnect !== undefined) {
            // nc bounds itself: its alarm covers the connect; an empty stdin (small nc) or `-e true` ends it right after.
            const [flags, end] = agent.ncConnect === 'verbose' ? ['-vv ', '-e true'] : ['', '</dev/null'];
            return `${lookupFirst(command, seconds)}nc ${flags}-w ${seconds} ${command.host} ${command.port} ${end}`;
          }
          return `${lookupFirst(command, seconds)}timeout ${seconds + 1} /agnhost connect --timeout=${seconds}s ${target}`;
        case 'sctp':
          return `${lookupFirst(command, seconds)}timeout ${seconds + 1} /agnhost connect --protocol=sctp --timeout=${seconds}s ${target}`;
        case 'udp':
          if (agent.udpConnect === true) return `${lookupFirst(command, seconds)}timeout ${seconds + 1} /agnhost connect --protocol=udp --timeout=${seconds}s ${target}`;
          return (
            `${lookupFirst(command, seconds)}timeout ${seconds} wget -qO- ` +
            `'http://127.0.0.1:${agent.http}/dial?request=hostname&protocol=udp&host=${command.host}&port=${command.port}&tries=1'`
          );
        case 'lookup':
          return `timeout ${seconds} nslookup ${command.host}`;
        case 'lookup-tcp':
          return `echo ${TCP_LOOKUP_UNSUPPORTED}; exit 3`;
        default:
          return assertNever(command.kind, 'probe kind');
      }
    },
    classify(command, exitCode, output) {
      switch (command.kind) {
        case 'tcp':
        case 'sctp':
        case 'udp':
          return classifyConnect(command, exitCode, output, agent.udpConnect === true, command.kind === 'tcp' && agent.ncConnect !== undefined);
        case 'lookup':
          if (exitCode === 0) return { kind: 'ok' };
          if (isTimeoutExit(exitCode)) return { kind: 'timeout' };
          return { kind: 'dns', detail: `${command.host} did not resolve: ${output.slice(0, 160)}` };
        case 'lookup-tcp':
          return { kind: 'error', detail: 'a DNS lookup over TCP is not offered by the probe pods (busybox nslookup has no TCP mode)' };
        default:
          return assertNever(command.kind, 'probe kind');
      }
    },
  };
}
