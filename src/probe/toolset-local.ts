/**
 * Probe tools of the local dataplane: host programs run inside a workload's network namespace
 * (`ip netns exec`, which bind-mounts /etc/netns/<ns>/resolv.conf over /etc/resolv.conf).
 * Pure: builds and reads text. Facts measured on Debian 12 (busybox-static 1.35,
 * netcat-openbsd 1.219, glibc 2.36):
 *
 * The script runs as its own process group (local-backend.ts), so the script's watchdog bounds
 * every probe and no tool needs a `timeout` process of its own (measured: ~2.5 s of a 49-workload
 * step on 2 cores went to those processes).
 *
 * - TCP: `busybox wget -q -O - http://host:port/` (the workload server answers HTTP with
 *   `LOCAL_SERVER_TOKEN`); exit 0 = ok; "Connection refused" = refused; killed by the
 *   watchdog (124) = dropped.
 * - UDP: `nc -u -W 1` (openbsd) sends one datagram and exits after one reply; a reply holding
 *   the token = ok; killed (124) = dropped; exit without a reply = refused (ICMP port
 *   unreachable makes the read fail).
 * - By name: first a `getent ahosts <name>` bounded by its own `timeout` (glibc, honours the
 *   search list and ndots), so a blocked DNS reads as `dns`, not as a connect timeout; the
 *   probe's budget is then 2 x timeout.
 * - lookup: `getent ahosts <name>`: 0 = ok; 2 = not found or no server answered = dns;
 *   killed = timeout (the DNS server was unreachable).
 * - lookup-tcp: the same with `RES_OPTIONS=use-vc`, which makes glibc's resolver query over
 *   TCP only (measured: a TCP listener on 53 gets the query, a UDP one nothing).
 * - SCTP: not offered by the local dataplane (no SCTP tools or server): always `error`.
 */
import { isTimeoutExit, saysNetworkUnreachable, saysRefused } from './classify-outcome.js';
import { isIpLiteral, joinHostPort, type ProbeCommand, type ProbeToolset } from './probe-script.js';
import type { Outcome } from './types.js';
import { assertNever } from '../assert-never.js';

/** What every local workload server answers (HTTP body and UDP reply start with it). */
export const LOCAL_SERVER_TOKEN = 'nph-ok';

/** Printed by a probe whose name lookup failed before connecting. */
const DNS_FAILED = 'nph-dns-failed';
const SCTP_UNSUPPORTED = 'nph-sctp-unsupported';

/** Kept under `timeout`: a lookup killed by the watchdog would read as timeout, not dns. */
function lookupFirst(command: ProbeCommand, seconds: number): string {
  if (isIpLiteral(command.host)) return '';
  return `timeout ${seconds} getent ahosts ${command.host} >/dev/null 2>&1 || { echo ${DNS_FAILED}; exit 1; }; `;
}

function classifyConnect(command: ProbeCommand, exitCode: number, output: string): Outcome {
  if (output.includes(DNS_FAILED)) return { kind: 'dns', detail: `lookup of ${command.host} failed` };
  if (output.includes(LOCAL_SERVER_TOKEN)) return { kind: 'ok' };
  if (isTimeoutExit(exitCode)) return { kind: 'timeout' };
  if (saysNetworkUnreachable(output)) return { kind: 'unreachable', detail: output.slice(0, 200) };
  if (saysRefused(output)) return { kind: 'refused' };
  if (/bad address/i.test(output)) return { kind: 'dns', detail: output.slice(0, 200) };
  // nc -u exits quietly when the ICMP port unreachable fails its read (measured).
  if (command.kind === 'udp' && output === '' && (exitCode === 0 || exitCode === 1)) return { kind: 'refused' };
  return { kind: 'error', detail: `exit ${exitCode}: ${output.slice(0, 200)}` };
}

/** The toolset the local dataplane uses (see the file comment for each tool's behaviour). */
export const LOCAL_TOOLSET: ProbeToolset = {
  name: 'local',
  render(command, seconds) {
    switch (command.kind) {
      case 'tcp':
        return `${lookupFirst(command, seconds)}busybox wget -q -O - http://${joinHostPort(command.host, command.port)}/`;
      case 'udp':
        return `${lookupFirst(command, seconds)}printf ping | nc -u -W 1 ${command.host} ${command.port}`;
      case 'sctp':
        return `echo ${SCTP_UNSUPPORTED}; exit 3`;
      case 'lookup':
        return `getent ahosts ${command.host}`;
      case 'lookup-tcp':
        return `RES_OPTIONS=use-vc getent ahosts ${command.host}`;
      default:
        return assertNever(command.kind, 'probe kind');
    }
  },
  budgetSeconds(command, seconds) {
    // A by-name connect is a bounded lookup, then the connect.
    return (command.kind === 'tcp' || command.kind === 'udp') && !isIpLiteral(command.host) ? 2 * seconds : seconds;
  },
  classify(command, exitCode, output) {
    switch (command.kind) {
      case 'tcp':
      case 'udp':
        return classifyConnect(command, exitCode, output);
      case 'sctp':
        return { kind: 'error', detail: 'SCTP is not supported by the local dataplane' };
      case 'lookup':
      case 'lookup-tcp':
        if (exitCode === 0) return { kind: 'ok' };
        if (isTimeoutExit(exitCode)) return { kind: 'timeout' };
        if (exitCode === 2) return { kind: 'dns', detail: `${command.host} did not resolve` };
        return { kind: 'error', detail: `getent exit ${exitCode}: ${output.slice(0, 200)}` };
      default:
        return assertNever(command.kind, 'probe kind');
    }
  },
};
