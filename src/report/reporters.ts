/**
 * The reporters `--output` chooses between, keyed by the option's legal values (STYLE 4: a
 * typed map, like vitest's `BuiltinReporters`). Each writes one part per scenario, printed as
 * soon as that scenario finishes, and a footer after the last. JUnit, Markdown and HTML are
 * written to files at the end (`--junit`, `--markdown`, `--html`).
 */
import { renderJsonl } from './render-jsonl.js';
import { renderTableFooter, renderTableScenario, type TableOptions } from './render-table.js';
import type { ScenarioResult } from './result.js';

/** The legal values of `--output`. */
export type OutputFormat = 'table' | 'json';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json'];

/** Options every stdout reporter accepts; a reporter ignores what it has no use for. */
export type ReporterOptions = TableOptions & {
  /** Set when the run stopped early: why. */
  readonly incomplete?: string;
};

/** Pure functions of results to text; each text ends with a newline, or is empty. */
export interface Reporter {
  /** One scenario's part. */
  readonly scenario: (result: ScenarioResult, options: ReporterOptions) => string;
  /** What follows the last scenario (totals, legend); `results` are all the scenarios printed. */
  readonly footer: (results: readonly ScenarioResult[], options: ReporterOptions) => string;
}

export const REPORTERS: Readonly<Record<OutputFormat, Reporter>> = {
  table: { scenario: renderTableScenario, footer: renderTableFooter },
  // JSON Lines: one line per scenario and nothing else, so every line parses alone.
  json: { scenario: (result) => renderJsonl([result]), footer: () => '' },
};

/** The whole report of `results` at once: every scenario's part, then the footer. */
export function renderReport(format: OutputFormat, results: readonly ScenarioResult[], options: ReporterOptions): string {
  const reporter = REPORTERS[format];
  return results.map((r) => reporter.scenario(r, options)).join('') + reporter.footer(results, options);
}
