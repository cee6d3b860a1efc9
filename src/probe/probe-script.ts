/**
 * One POSIX sh script per source workload runs every probe of that source concurrently
 * (DESIGN "Probing that is fast and honest": a step costs about one probe timeout, not N^2
 * execs). Each probe is a background job bounded by its own `timeout`, and prints exactly one
 * tagged line: `NPH <index> <exit code> <output on one line>`. Pure: builds text only.
 *
 * The shell commands of a probe come from a `ProbeToolset` (one per environment: the local
 * dataplane's netns, a cluster pod's image); reading the lines back is `parseProbeOutput`
 * in classify-outcome.ts.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Outcome, ProbeKey } from './types.js';

/** What one probe does: connect over a protocol, or look a name up through the cluster DNS. */
export type ProbeKind = 'tcp' | 'udp' | 'sctp' | 'lookup';

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
   * A shell fragment (POSIX sh) for one probe. It must bound itself with `timeout <seconds>`
   * (never a tool's own timeout flag: busybox `wget -T` segfaults on Debian's static busybox),
   * and may print anything on stdout/stderr: the script captures both. `command.host` has
   * been validated by `isSafeHost`; `seconds` is `timeoutSeconds(command.timeoutMs)`.
   */
  render(command: ProbeCommand, seconds: number): string;
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
 * The script for one source: every command as a background job, then `wait`. Line i of the
 * result is tagged with i (0-based index into `commands`). Output is joined onto one line by
 * the shell's own word splitting (`set -f` stops globbing), so no extra process per probe.
 * Throws on an invalid host, port or timeout (a bug in the caller, never user input).
 */
export function renderProbeScript(commands: readonly ProbeCommand[], toolset: ProbeToolset): string {
  const jobs = commands.map((command, index) => {
    checkCommand(command);
    const fragment = toolset.render(command, timeoutSeconds(command.timeoutMs));
    return `( r=$( { ${fragment}\n} 2>&1 ); c=$?; set -- $r; printf '${PROBE_TAG} %s %s %s\\n' ${index} "$c" "$*" ) &`;
  });
  return ['set -f', ...jobs, 'wait', ''].join('\n');
}

export { parseProbeOutput } from './classify-outcome.js';
