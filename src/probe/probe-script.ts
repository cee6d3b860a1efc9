/**
 * One POSIX sh script per source workload runs every probe of that source concurrently
 * (DESIGN "Probing that is fast and honest": a step costs about one probe timeout, not N^2
 * execs), and prints exactly one tagged line per probe: `NPH <index> <exit code> <output on
 * one line>`. Pure: builds text only.
 *
 * Forks are what a probe costs its pod: on the 2-core rig (a VM) a fork of the pod's shell
 * costs ~5 ms of CPU, as much as the tool itself. So each probe is one background job (one
 * fork, then the tool's exec) writing to a file of its own in a scratch directory, and the
 * script reads the files back with shell builtins. The earlier form (a subshell and a command
 * substitution per probe, a watchdog per script) cost twice the CPU: 100 rounds of 8 `nc`
 * probes in one rig pod, 15.2-15.5 s against 7.1-8.1 s.
 *
 * The shell commands of a probe come from a `ProbeToolset` (one per environment, e.g. a
 * cluster pod's image); reading the lines back is `parseProbeOutput` in classify-outcome.ts.
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
   * script captures both. Every tool in it bounds itself (its own alarm, or `timeout
   * <seconds>`; never busybox `wget -T`, which segfaults on Debian's static busybox): nothing
   * else stops a tool, short of the caller's deadline for the whole script. `command.host`
   * has been validated by `isSafeHost`; `seconds` is `timeoutSeconds(command.timeoutMs)`.
   */
  render(command: ProbeCommand, seconds: number): string;
  /** The outcome of a finished probe from its exit code and captured output (one line). */
  classify(command: ProbeCommand, exitCode: number, output: string): Outcome;
}

/** First word of every result line. */
export const PROBE_TAG = 'NPH';

/**
 * The line a script prints once it has started every probe, before any result: what a probe
 * costs the node (a fork and the tool's start) is spent by then, and the rest of the round is
 * waiting on the network (a dropped connection waits its whole timeout).
 */
export const PROBES_LAUNCHED = 'NPH-LAUNCHED';

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
 * The script for one source: every command as a background job writing stdout and stderr to
 * `<scratchDir>/nph-<shell pid>-<index>`, then, job by job, its exit code from `wait` and its
 * output read back and joined onto one line (`set -f`: the shell's word splitting joins, no
 * globbing). Line i of the result is tagged with i (0-based index into `commands`). Each file
 * is emptied once read, so a job that could not write reads as empty output, never as an
 * earlier round's. Once every job is started it prints `PROBES_LAUNCHED`. `scratchDir` must be writable by the script's user (the kube backend
 * mounts an emptyDir there); the shell's pid keeps two scripts in one pod apart.
 * Throws on an invalid host, port or timeout (a bug in the caller, never user input).
 */
export function renderProbeScript(commands: readonly ProbeCommand[], toolset: ProbeToolset, scratchDir: string): string {
  if (!/^\/[A-Za-z0-9._/-]*$/.test(scratchDir)) throw new Error(`bad scratch directory ${JSON.stringify(scratchDir)}`);
  const jobs = commands.map((command, index) => {
    checkCommand(command);
    // A fragment is a list; braces keep it one job (one fork: the shell execs its last tool in place).
    return `{ ${toolset.render(command, timeoutSeconds(command.timeoutMs))}\n} </dev/null >"$d-${index}" 2>&1 & p${index}=$!`;
  });
  const reads = commands.map((_command, index) => `r $p${index} ${index}`);
  return [
    'set -f',
    `d=${scratchDir}/nph-$$`,
    // r PID INDEX: the job's exit code and its output on one line, then its file emptied (a
    // redirection that fails makes a POSIX shell exit: the file is tested first).
    'r() { wait $1; c=$?; i=$2; o=; if [ -f "$d-$i" ]; then while IFS= read -r l || [ -n "$l" ]; do o="$o $l"; done <"$d-$i"; : >"$d-$i"; fi; set -- $o; printf \'' +
      PROBE_TAG +
      ' %s %s %s\\n\' "$i" "$c" "$*"; }',
    ...jobs,
    `echo ${PROBES_LAUNCHED}`,
    ...reads,
    'exit 0',
    '',
  ].join('\n');
}

export { parseProbeOutput } from './classify-outcome.js';
