/**
 * Reading a probe script's output back (see probe-script.ts): one tagged line per probe,
 * classified by the toolset into ok · timeout · refused · dns · error. Pure.
 * A probe whose line is missing or garbled is `error` (inconclusive, DESIGN "Probing": only
 * inconclusive results are retried), never a denial.
 */
import type { ProbeCommand, ProbeToolset } from './probe-script.js';
import type { Outcome, ProbeKey } from './types.js';

/** One result line: `NPH <index> <exit code> <output>`. */
export interface ProbeLine {
  /** 0-based index into the script's commands. */
  readonly index: number;
  readonly exitCode: number;
  /** The probe's output, on one line, trimmed. */
  readonly output: string;
}

/** Longest output kept per probe (characters); longer output is cut. */
export const MAX_OUTPUT_CHARS = 300;

const LINE = /^NPH (\d{1,6}) (\d{1,3}) ?(.*)$/;

/** Exit codes of a probe killed by its bound: `timeout` (124), SIGKILL (137), SIGTERM (143). */
export function isTimeoutExit(exitCode: number): boolean {
  return exitCode === 124 || exitCode === 137 || exitCode === 143;
}

/**
 * True when the output says the peer actively rejected the connection: a TCP RST, or an ICMP
 * port/host unreachable or admin-prohibited, which is how REJECT rules answer (kube-router
 * rejects; "no route to host" is what an icmp-host-prohibited reject reads as).
 */
export function saysRefused(output: string): boolean {
  return /connection refused|\bREFUSED\b|no route to host|host is unreachable|port unreachable/i.test(output);
}

/** True when the source has no route to the network at all (ENETUNREACH): not a policy's doing. */
export function saysNetworkUnreachable(output: string): boolean {
  return /network is unreachable/i.test(output);
}

/**
 * The outcome of a socket error (a Node `errno` code such as `ECONNREFUSED`), as the probe
 * tools read the same errors: a refusal (TCP RST, ICMP port or host unreachable: how REJECT
 * rules answer) is `refused`; no route to the network is `unreachable`; anything else says
 * nothing about policies (`error`, inconclusive).
 */
export function outcomeOfSocketError(code: string | undefined, message: string): Outcome {
  switch (code) {
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
      return { kind: 'refused' };
    case 'ENETUNREACH':
      return { kind: 'unreachable', detail: message.slice(0, MAX_OUTPUT_CHARS) };
    default:
      return { kind: 'error', detail: message.slice(0, MAX_OUTPUT_CHARS) };
  }
}

/**
 * The tagged lines of a script's stdout by index. Other lines are ignored; a repeated index
 * keeps its first line (a job prints once; a second line is noise).
 */
export function parseProbeLines(stdout: string): Map<number, ProbeLine> {
  const lines = new Map<number, ProbeLine>();
  for (const raw of stdout.split('\n')) {
    const m = LINE.exec(raw.replace(/\r$/, ''));
    if (m === null || m[1] === undefined || m[2] === undefined) continue;
    const index = Number(m[1]);
    if (lines.has(index)) continue;
    lines.set(index, { index, exitCode: Number(m[2]), output: (m[3] ?? '').trim().slice(0, MAX_OUTPUT_CHARS) });
  }
  return lines;
}

/**
 * One outcome per command (keyed by its `key`) from the stdout of `renderProbeScript(commands,
 * toolset)`: the toolset classifies each line; a missing line is `error`.
 */
export function parseProbeOutput(stdout: string, commands: readonly ProbeCommand[], toolset: ProbeToolset): Map<ProbeKey, Outcome> {
  const lines = parseProbeLines(stdout);
  const outcomes = new Map<ProbeKey, Outcome>();
  commands.forEach((command, index) => {
    const line = lines.get(index);
    outcomes.set(
      command.key,
      line === undefined
        ? { kind: 'error', detail: 'no result line from the probe script' }
        : toolset.classify(command, line.exitCode, line.output),
    );
  });
  return outcomes;
}
