/**
 * One POSIX sh script per source workload runs every probe of that source concurrently
 * (DESIGN "Probing that is fast and honest": a step costs about one probe timeout, not N^2
 * execs). Each probe is a background job that prints exactly one tagged line:
 * `NPH <index> <exit code> <output on one line>`. One watchdog per script bounds them all
 * (a `timeout` process per probe cost ~2.5 s of CPU per step at 2,352 probes): see
 * `renderProbeScript`. Pure: builds text only.
 *
 * The shell commands of a probe come from a `ProbeToolset` (one per environment: the local
 * dataplane's netns, a cluster pod's image); reading the lines back is `parseProbeOutput`
 * in classify-outcome.ts.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Outcome, ProbeKey } from './types.js';

/**
 * What one probe does: connect over a protocol, or look a name up through the cluster DNS
 * (`lookup` over UDP as resolvers do first, `lookup-tcp` over TCP only).
 */
export type ProbeKind = 'tcp' | 'udp' | 'sctp' | 'lookup' | 'lookup-tcp';

/** One probe as the script runs it, addresses already resolved by the backend. */
export interface ProbeCommand {
  readonly key: ProbeKey;
  readonly kind: ProbeKind;
  /**
   * IPv4/IPv6 literal or DNS-1123 name (a name is resolved through the pod's resolv.conf);
   * for `lookup` the name to resolve. Validated before it reaches the shell.
   */
  readonly host: string;
  /** 1-65535 (for `lookup` the DNS port, 53, informative only). */
  readonly port: number;
  /** The probe's own bound; tools take whole seconds (see `timeoutSeconds`). */
  readonly timeoutMs: number;
}

/**
 * How to probe with the tools of one environment, and how to read a finished probe.
 * Implementations live in `toolset-<name>.ts`.
 */
export interface ProbeToolset {
  readonly name: string;
  /**
   * A shell fragment (POSIX sh) for one probe. It may print anything on stdout/stderr: the
   * script captures both. The script's watchdog kills it after `budgetSeconds` (read as exit
   * 124), but only where the script leads its own process group (the local dataplane starts
   * it so; a pod exec may not): a toolset that cannot rely on that bounds its tools with
   * `timeout <seconds>` (never a tool's own timeout flag: busybox `wget -T` segfaults on
   * Debian's static busybox). `command.host` has been validated by `isSafeHost`; `seconds`
   * is `timeoutSeconds(command.timeoutMs)`.
   */
  render(command: ProbeCommand, seconds: number): string;
  /** Whole seconds the probe may run before the watchdog kills it; default `seconds`. */
  budgetSeconds?(command: ProbeCommand, seconds: number): number;
  /** The outcome of a finished probe from its exit code and captured output (one line). */
  classify(command: ProbeCommand, exitCode: number, output: string): Outcome;
}

/** First word of every result line. */
export const PROBE_TAG = 'NPH';

const DNS_1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

/** True for an IPv4 or IPv6 literal (no zone, no brackets). */
export function isIpLiteral(host: string): boolean {
  return isIPv4(host) || (isIPv6(host) && /^[0-9a-fA-F:.]+$/.test(host));
}

/**
 * A host that may reach a shell: an IP literal or a DNS-1123 subdomain (DESIGN "Reliability":
 * names are validated, never interpolated raw).
 */
export function isSafeHost(host: string): boolean {
  return isIpLiteral(host) || DNS_1123_SUBDOMAIN.test(host);
}

/** `host:port`, with brackets around an IPv6 literal. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Whole seconds for a tool's timeout: the ms rounded up, at least 1. */
export function timeoutSeconds(timeoutMs: number): number {
  return Math.max(1, Math.ceil(timeoutMs / 1000));
}

function checkCommand(command: ProbeCommand): void {
  if (!isSafeHost(command.host)) throw new Error(`probe ${command.key}: unsafe host ${JSON.stringify(command.host)}`);
  if (!Number.isInteger(command.port) || command.port < 1 || command.port > 65535) {
    throw new Error(`probe ${command.key}: bad port ${command.port}`);
  }
  if (!Number.isFinite(command.timeoutMs) || command.timeoutMs <= 0) {
    throw new Error(`probe ${command.key}: bad timeout ${command.timeoutMs}`);
  }
}

/**
 * The script for one source: every command as a background job, then one watchdog, then
 * `wait`. Line i of the result is tagged with i (0-based index into `commands`). Output is
 * joined onto one line by the shell's own word splitting (`set -f` stops globbing), so no
 * extra process per probe.
 *
 * The watchdog starts once every job is launched (so each probe gets at least its budget),
 * sleeps the longest budget, then sends SIGTERM to the script's whole process group: every
 * tool still running dies (a killed subshell alone would leave its tool holding the output
 * pipe open, e.g. busybox wget hangs without -T), while the jobs and the script trap TERM,
 * so each job still prints its line, with exit 124 (timeout). `kill -TERM -$$` is a no-op
 * unless the script leads its own group (no group can have the id of a non-leader's pid),
 * so it never reaches a caller's processes. An early finish stops the watchdog.
 * Throws on an invalid host, port or timeout (a bug in the caller, never user input).
 */
export function renderProbeScript(commands: readonly ProbeCommand[], toolset: ProbeToolset): string {
  let budget = 1;
  const jobs = commands.map((command, index) => {
    checkCommand(command);
    const seconds = timeoutSeconds(command.timeoutMs);
    budget = Math.max(budget, toolset.budgetSeconds?.(command, seconds) ?? seconds);
    const fragment = toolset.render(command, seconds);
    // The job's own stderr only carries the shell's "Terminated" for a killed probe.
    return `( exec 2>/dev/null; trap 'k=124' TERM; r=$( { ${fragment}\n} 2>&1 ); c=$?; set -- $r; printf '${PROBE_TAG} %s %s %s\\n' ${index} "\${k:-$c}" "$*" ) &\np="$p $!"`;
  });
  return [
    'set -f',
    // The watchdog's TERM reaches this shell too: trap it (an ignored TERM would be inherited by the tools).
    'trap : TERM',
    ...jobs,
    `( trap 'kill $s; exit' TERM; sleep ${budget} & s=$!; wait $s; kill -TERM -$$ ) >/dev/null 2>&1 & w=$!`,
    // The watchdog's TERM interrupts the first wait.
    'wait $p; wait $p',
    'kill $w 2>/dev/null',
    'exit 0',
    '',
  ].join('\n');
}

export { parseProbeOutput } from './classify-outcome.js';
