/**
 * From case results to the answer platform engineers want: per feature tag, does this CNI
 * conform, deviate (with the cells), deviate in a way a known profile documents, or not
 * support it at all? Every case's expectations are the standard semantics written out, so a
 * cell deviates when its observation differs from its expectation; under `--profile` a
 * deviation the profile predicts is known, anything else is new. Pure.
 */
import type { ProbeResult, ScenarioResult } from '../report/result.js';
import type { Verdict } from '../scenario/types.js';
import { deviationsFor, type Deviation, type Profile } from './profiles.js';

/** Worst first: the order a feature's verdict is chosen in. */
export const CASE_VERDICTS = ['suite-error', 'deviates', 'inconclusive', 'known-deviation', 'unsupported', 'pass'] as const;
export type CaseVerdict = (typeof CASE_VERDICTS)[number];

/** One cell that did not behave as the spec says. */
export interface DeviatingCell {
  readonly case: string;
  /** 0-based step index. */
  readonly step: number;
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: string;
  /** The standard semantics (the case's expectation). */
  readonly expected: Verdict | null;
  readonly observed: Verdict | null;
  readonly flapped?: true;
}

export interface CaseOutcome {
  readonly case: string;
  readonly tags: readonly string[];
  readonly verdict: CaseVerdict;
  /** Cells that deviate from the spec and from the profile (new deviations), or stayed inconclusive. */
  readonly cells: readonly DeviatingCell[];
  /** Cells that deviate from the spec the way the profile documents. */
  readonly knownCells: readonly DeviatingCell[];
  /** The profile's deviations that explain `knownCells`. */
  readonly known: readonly Deviation[];
  /** Why the dataplane cannot run the case. */
  readonly unsupported?: string;
}

export interface FeatureVerdict {
  readonly tag: string;
  readonly verdict: CaseVerdict;
  /** Cases per verdict. */
  readonly counts: Readonly<Record<CaseVerdict, number>>;
  readonly cases: number;
  readonly cells: readonly DeviatingCell[];
  readonly known: readonly Deviation[];
  /** Distinct reasons of unsupported cases. */
  readonly unsupported: readonly string[];
}

function cellOf(name: string, step: number, p: ProbeResult): DeviatingCell {
  return { case: name, step, from: p.from, to: p.to, port: p.port, protocol: p.protocol, expected: p.expected, observed: p.observed, ...(p.flapped ? { flapped: true as const } : {}) };
}

/**
 * The deviations of `profile` that explain the failures of a case with `tags`: `byTag`, those
 * the simulator cannot predict (no `semantics`), make every failing cell of such a case known;
 * `bySemantics`, those it predicts, are the ones a cell observed as predicted is told as (the
 * ones whose tags the case carries, else every one with semantics). A deviation with semantics
 * never excuses a cell it does not predict, whatever its tags.
 */
function profileDeviations(profile: Profile | undefined, tags: readonly string[]): { byTag: Deviation[]; bySemantics: Deviation[] } {
  if (profile === undefined) return { byTag: [], bySemantics: [] };
  const tagged = deviationsFor(profile, tags);
  const predicted = tagged.filter((d) => d.semantics !== undefined);
  return { byTag: tagged.filter((d) => d.semantics === undefined), bySemantics: predicted.length > 0 ? predicted : profile.deviations.filter((d) => d.semantics !== undefined) };
}

/**
 * The verdict of one case. `profile` is what the run predicted with (undefined: the standard
 * semantics); a cell observed as the profile predicts, or failing in a case whose tags a
 * profile deviation without semantics names, is a known deviation.
 */
export function judgeCase(result: ScenarioResult, profile?: Profile): CaseOutcome {
  const tags = result.tags ?? [];
  const base = { case: result.scenario, tags };
  if (result.unsupported !== undefined) return { ...base, verdict: 'unsupported', cells: [], knownCells: [], known: [], unsupported: result.unsupported.reason };
  const { byTag, bySemantics } = profileDeviations(profile, tags);
  const cells: DeviatingCell[] = [];
  const knownCells: DeviatingCell[] = [];
  let suiteError = false;
  let inconclusive = false;
  let predictedSeen = false;
  for (const step of result.steps) {
    for (const p of step.probes) {
      // Without a profile the prediction IS the standard: an expectation that differs is a bug of the case.
      if (profile === undefined && p.expected !== null && p.expected !== p.predicted) suiteError = true;
      if (p.outcome === undefined) continue;
      const expected = p.expected ?? p.predicted;
      if (p.observed === null) {
        inconclusive = true;
        cells.push(cellOf(result.scenario, step.index, p));
      } else if (p.observed !== expected || p.flapped === true) {
        const predictedByProfile = p.observed === p.predicted && p.predicted !== expected && p.flapped !== true;
        if (predictedByProfile) predictedSeen = true;
        if (predictedByProfile || byTag.length > 0) knownCells.push(cellOf(result.scenario, step.index, p));
        else cells.push(cellOf(result.scenario, step.index, p));
      }
    }
  }
  const known = knownCells.length === 0 ? [] : [...byTag, ...(predictedSeen ? bySemantics : [])];
  const deviating = cells.some((c) => c.observed !== null);
  const verdict: CaseVerdict = suiteError ? 'suite-error' : deviating ? 'deviates' : inconclusive ? 'inconclusive' : knownCells.length > 0 ? 'known-deviation' : 'pass';
  return { ...base, verdict, cells, knownCells, known };
}

/**
 * Per tag (sorted): the worst verdict among its supported cases; `unsupported` only when every
 * case of the tag is.
 */
export function featureVerdicts(outcomes: readonly CaseOutcome[]): FeatureVerdict[] {
  const tags = [...new Set(outcomes.flatMap((o) => o.tags))].sort();
  return tags.map((tag) => {
    const mine = outcomes.filter((o) => o.tags.includes(tag));
    const counts = Object.fromEntries(CASE_VERDICTS.map((v) => [v, mine.filter((o) => o.verdict === v).length])) as Record<CaseVerdict, number>;
    const supported = mine.filter((o) => o.verdict !== 'unsupported');
    const verdict = supported.length === 0 ? 'unsupported' : CASE_VERDICTS.find((v) => supported.some((o) => o.verdict === v))!;
    const known = [...new Map(mine.flatMap((o) => o.known).map((d) => [d.id, d])).values()];
    return {
      tag,
      verdict,
      counts,
      cases: mine.length,
      cells: mine.flatMap((o) => o.cells),
      known,
      unsupported: [...new Set(mine.flatMap((o) => (o.unsupported !== undefined ? [o.unsupported] : [])))],
    };
  });
}

/** How well a profile explains what was observed. */
export interface ProfileMatch {
  readonly profile: string;
  /** Deviating cells (observed != spec) the profile predicts. */
  readonly explained: number;
  /** All deviating cells. */
  readonly deviations: number;
  /** Cells the profile predicts to deviate that conformed. */
  readonly unmet: number;
}

/**
 * "Behaves like": for each profile, how many of the observed deviations its predictions
 * (`predictedBy(profile, case, key)` = the profile's verdict of a cell, or undefined when it
 * agrees with the spec) and its tag deviations without semantics explain. Sorted best first:
 * most explained, then fewest unmet.
 */
export function matchProfiles(
  results: readonly ScenarioResult[],
  profiles: readonly Profile[],
  predictedBy: (profile: Profile, result: ScenarioResult, step: number, probe: ProbeResult) => Verdict,
): ProfileMatch[] {
  return profiles
    .map((profile) => {
      let explained = 0;
      let deviations = 0;
      let unmet = 0;
      for (const result of results) {
        if (result.unsupported !== undefined) continue;
        const byTag = profileDeviations(profile, result.tags ?? []).byTag.length > 0;
        for (const step of result.steps) {
          for (const p of step.probes) {
            if (p.observed === null || p.expected === null) continue;
            const predicted = predictedBy(profile, result, step.index, p);
            if (p.observed !== p.expected) {
              deviations += 1;
              if (byTag || predicted === p.observed) explained += 1;
            } else if (predicted !== p.expected && !byTag) unmet += 1;
          }
        }
      }
      return { profile: profile.name, explained, deviations, unmet };
    })
    .sort((a, b) => b.explained - a.explained || a.unmet - b.unmet || a.profile.localeCompare(b.profile));
}
