/**
 * What `conformance run` writes, as a ReportSet for the result sink: each case as it finishes
 * (a verdict line, or its JSON line under `--output json`), then the verdict per feature of the
 * cases that finished, on stdout and in the JUnit, Markdown and HTML files. A run that stops
 * early (Ctrl-C, SIGTERM, a failure) still gets all of them, marked incomplete.
 */
import { judgeCase, featureVerdicts, type CaseVerdict, type DeviatingCell, type ProfileMatch } from '../conformance/feature-verdicts.js';
import type { Profile } from '../conformance/profiles.js';
import { renderCaseLine, renderConformanceMarkdown, renderConformanceTable, toConformanceJson, type ConformanceSummary } from '../report/render-conformance.js';
import { renderHtml } from '../report/render-html.js';
import { renderJsonl } from '../report/render-jsonl.js';
import { renderJunit, type JunitOptions } from '../report/render-junit.js';
import { renderMarkdown } from '../report/render-markdown.js';
import type { OutputFormat } from '../report/reporters.js';
import type { ScenarioResult } from '../report/result.js';
import type { ReportSet } from './emit-results.js';

/** What the summary needs besides the results; read when a report is written. */
export interface ConformanceRun {
  readonly profile?: Profile;
  /** The dataplane in words (empty until it is opened). */
  readonly backend: string;
  /** ms since the cases started. */
  readonly wallMs: number;
  /** Which known profiles explain the deviations; worked out only for a complete run. */
  readonly behavesLike: readonly ProfileMatch[];
}

/** The per-feature summary of `results` (the cases that finished). */
export function summarizeConformance(results: readonly ScenarioResult[], run: ConformanceRun, incomplete?: string): ConformanceSummary {
  const cases = results.map((r) => judgeCase(r, run.profile));
  return {
    ...(run.profile ? { profile: run.profile.name } : {}),
    backend: run.backend,
    features: featureVerdicts(cases),
    cases,
    behavesLike: incomplete === undefined ? run.behavesLike : [],
    wallMs: run.wallMs,
    ...(incomplete !== undefined ? { incomplete } : {}),
  };
}

const FAILING: readonly CaseVerdict[] = ['deviates', 'inconclusive', 'suite-error'];

/**
 * For JUnit: a cell the profile documents is a known deviation (skipped, naming the profile's
 * deviations), not a failure. Each case is judged once, whatever number of cells it has.
 */
function knownDeviations(profile: Profile | undefined, results: readonly ScenarioResult[]): JunitOptions['known'] {
  if (profile === undefined) return undefined;
  const cell = (step: number, p: Pick<DeviatingCell, 'from' | 'to' | 'port' | 'protocol'>): string => `${step}|${p.from}|${p.to}|${p.port}|${p.protocol}`;
  const known = new Map(
    results.map((r) => {
      const outcome = judgeCase(r, profile);
      const message = `known deviation of profile ${profile.name}: ${outcome.known.map((d) => `${d.id} (${d.source})`).join(', ')}`;
      return [r, { cells: new Set(outcome.knownCells.map((c) => cell(c.step, c))), message }] as const;
    }),
  );
  return (result, step, probe) => {
    const mine = known.get(result);
    return mine?.cells.has(cell(step.index, probe)) === true ? mine.message : undefined;
  };
}

/** The reports of a conformance run; `run()` is read each time a report is written. */
export function conformanceReports(output: OutputFormat, color: boolean, run: () => ConformanceRun): ReportSet {
  const marked = (incomplete: string | undefined): { incomplete?: string } => (incomplete === undefined ? {} : { incomplete });
  const summary = (results: readonly ScenarioResult[], incomplete: string | undefined): ConformanceSummary => summarizeConformance(results, run(), incomplete);
  return {
    scenario: (result) => (output === 'json' ? renderJsonl([result]) : renderCaseLine(judgeCase(result, run().profile), { color })),
    footer: (results, incomplete) =>
      output === 'json' ? `${JSON.stringify(toConformanceJson(summary(results, incomplete)))}\n` : `\n${renderConformanceTable(summary(results, incomplete), { color })}`,
    junit: (results, incomplete) => {
      const known = knownDeviations(run().profile, results);
      return renderJunit(results, { ...marked(incomplete), ...(known ? { known } : {}) });
    },
    markdown: (results, incomplete) => {
      const judged = summary(results, incomplete);
      // Unsupported cases and known deviations are in the verdict per feature, with their reasons: they did not fail.
      const failed = results.filter((_r, i) => FAILING.includes(judged.cases[i]!.verdict)); // cases[i] judges results[i]
      const verdicts = renderConformanceMarkdown(judged);
      return failed.length === 0 ? verdicts : `${verdicts}\n${renderMarkdown(failed, marked(incomplete))}`;
    },
    html: (results, incomplete) => renderHtml({ results, conformance: summary(results, incomplete), ...marked(incomplete), generatedAt: new Date().toISOString() }),
  };
}
