/**
 * The reporters `--output` chooses between, keyed by the option's legal values (STYLE 4: a
 * typed map, like vitest's `BuiltinReporters`). JUnit and Markdown are written to files
 * (`--junit FILE`, `--markdown FILE`) by `renderJunit` and `renderMarkdown`.
 */
import { renderJsonl } from './render-jsonl.js';
import { renderTable, type TableOptions } from './render-table.js';
import type { ScenarioResult } from './result.js';

/** The legal values of `--output`. */
export type OutputFormat = 'table' | 'json';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json'];

/** Options every stdout reporter accepts; a reporter ignores what it has no use for. */
export type ReporterOptions = TableOptions;

/** A pure `(results, options) => text` function; the text ends with a newline (or is empty). */
export type Reporter = (results: readonly ScenarioResult[], options: ReporterOptions) => string;

export const REPORTERS: Readonly<Record<OutputFormat, Reporter>> = {
  table: renderTable,
  json: renderJsonl,
};
