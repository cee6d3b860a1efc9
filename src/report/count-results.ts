/** Pass/fail tallies shared by the reporters. Pure. */
import { OUTCOME_KINDS, type OutcomeKind } from '../probe/types.js';
import type { ProbeResult, ScenarioResult } from './result.js';

export interface Tally {
  readonly passed: number;
  readonly failed: number;
}

/**
 * What one probe counts as; each probe is exactly one of these:
 * - `passed`: an expectation matched and holds (and under `run` the observation agrees);
 * - `failed`: the expectation differs from the prediction, or the observation does;
 * - `unasserted`: no expectation matched, and nothing failed;
 * - `inconclusive`: under `run`, the observation stayed inconclusive (outcome `error`); it
 *   fails the run, but says nothing about the policies.
 */
export type ProbeStatus = 'passed' | 'failed' | 'unasserted' | 'inconclusive';

export const PROBE_STATUSES: readonly ProbeStatus[] = ['passed', 'failed', 'unasserted', 'inconclusive'];

export type ProbeTally = Readonly<Record<ProbeStatus, number>>;

export interface Totals {
  readonly scenarios: Tally;
  readonly steps: Tally;
  readonly probes: ProbeTally;
}

/** The one status of a probe (see ProbeStatus). */
export function probeStatus(p: Pick<ProbeResult, 'pass' | 'expected' | 'observed' | 'outcome'>): ProbeStatus {
  if (p.outcome !== undefined && p.observed === null) return 'inconclusive';
  if (!p.pass) return 'failed';
  return p.expected === null ? 'unasserted' : 'passed';
}

function tally<T extends { readonly pass: boolean }>(items: readonly T[]): Tally {
  const passed = items.filter((i) => i.pass).length;
  return { passed, failed: items.length - passed };
}

/** Probes per status. */
export function tallyProbes(probes: readonly ProbeResult[]): ProbeTally {
  const out: Record<ProbeStatus, number> = { passed: 0, failed: 0, unasserted: 0, inconclusive: 0 };
  for (const p of probes) out[probeStatus(p)] += 1;
  return out;
}

/** Counts scenarios and steps that passed and failed, and probes per status. */
export function countResults(results: readonly ScenarioResult[]): Totals {
  const steps = results.flatMap((r) => r.steps);
  return { scenarios: tally(results), steps: tally(steps), probes: tallyProbes(steps.flatMap((s) => s.probes)) };
}

/** Whether any probe was observed (a `run`): then `inconclusive` is always shown. */
export function isObserved(probes: readonly ProbeResult[]): boolean {
  return probes.some((p) => p.outcome !== undefined);
}

/**
 * `186 probes: 84 passed, 1 failed, 101 unasserted` (`, 0 inconclusive` added when
 * `observed`, or when some are). `decorate` may colour a part by its status.
 */
export function formatProbeTally(t: ProbeTally, observed: boolean, decorate: (status: ProbeStatus, text: string) => string = (_, text) => text): string {
  const total = PROBE_STATUSES.reduce((sum, s) => sum + t[s], 0);
  const shown = PROBE_STATUSES.filter((s) => s !== 'inconclusive' || observed || t.inconclusive > 0);
  return `${total} probes: ${shown.map((s) => decorate(s, `${t[s]} ${s}`)).join(', ')}`;
}

/**
 * How many probes ended in each outcome kind, in `OUTCOME_KINDS` order, zero counts left out;
 * empty under `check` (no outcomes).
 */
export function countOutcomes(probes: readonly ProbeResult[]): Array<readonly [OutcomeKind, number]> {
  return OUTCOME_KINDS.map((kind) => [kind, probes.filter((p) => p.outcome === kind).length] as const).filter(([, n]) => n > 0);
}

/** `ok 6 · timeout 3 · error 1`, or '' when nothing was observed. */
export function formatOutcomes(probes: readonly ProbeResult[]): string {
  return countOutcomes(probes)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(' · ');
}

/** `observed deny (timeout)`, `inconclusive (error)`, or '' under `check`. */
export function formatObserved(probe: Pick<ProbeResult, 'observed' | 'outcome'>): string {
  if (probe.outcome === undefined) return '';
  return probe.observed === null ? `inconclusive (${probe.outcome})` : `${probe.observed} (${probe.outcome})`;
}

/** What went wrong with a failed probe, e.g. `expected allow, predicted deny, observed deny (timeout)`. */
export function describeMismatch(probe: ProbeResult): string {
  const parts = [`expected ${probe.expected ?? 'nothing'}`, `predicted ${probe.predicted}`];
  const observed = formatObserved(probe);
  if (observed) parts.push(`observed ${observed}`);
  return parts.join(', ');
}
