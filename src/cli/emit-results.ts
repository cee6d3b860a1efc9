/**
 * Writes results as a run produces them: each scenario's JSON line (or table) to stdout as soon
 * as the scenario finishes, then the JUnit, Markdown and HTML files at the end, also when the run
 * stops early (a failure, Ctrl-C), marked incomplete.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderHtml, type HtmlReportInput } from '../report/render-html.js';
import { renderJunit } from '../report/render-junit.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { REPORTERS, type OutputFormat } from '../report/reporters.js';
import type { ScenarioResult } from '../report/result.js';
import { ExitCode } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';

export interface ReportOptions {
  readonly output: OutputFormat;
  readonly junit?: string;
  readonly markdown?: string;
  readonly html?: string;
}

/** Sections of the HTML report that only some commands produce. */
export type HtmlSections = Pick<HtmlReportInput, 'conformance' | 'diff'>;

/** Where results go during one command. */
export interface ResultSink {
  /** Prints the scenario's result at once (its JSON line, or its tables) and keeps it for the end. */
  scenarioDone(result: ScenarioResult): void;
  /**
   * Prints the totals and writes the report files (`sections` go into the HTML report);
   * returns the exit code of the results (see exitCodeOf).
   */
  finish(sections?: HtmlSections): ExitCode;
  /**
   * After a failure or an interruption: prints the totals and writes the report files for the
   * scenarios that finished, each marked incomplete with `reason`. Does nothing after `finish`.
   */
  finishIncomplete(reason: string): void;
  /**
   * Runs `body` (which ends with `finish`); when it ends any other way (an exit code without
   * `finish`, an exception), the reports are still written, marked incomplete.
   */
  guard(body: () => Promise<ExitCode>): Promise<ExitCode>;
}

/**
 * 0 when every scenario passed; 1 when a probe failed anywhere; else 3 when some scenario is
 * unsupported on this dataplane (the environment cannot express it) and the rest passed.
 */
export function exitCodeOf(results: readonly ScenarioResult[]): ExitCode {
  if (results.some((r) => !r.pass && r.unsupported === undefined)) return ExitCode.ProbeFailed;
  if (results.some((r) => r.unsupported !== undefined)) return ExitCode.Environment;
  return ExitCode.Pass;
}

/** Why a run that did not reach `finish` stopped, from its exit code (undefined: it threw). */
export function incompleteReason(code: ExitCode | undefined): string {
  switch (code) {
    case ExitCode.Interrupted:
      return 'interrupted (SIGINT)';
    case ExitCode.Terminated:
      return 'terminated (SIGTERM)';
    case ExitCode.Environment:
      return 'stopped by a problem of the environment (see the messages on stderr)';
    case undefined:
      return 'stopped by an internal error (see the messages on stderr)';
    default:
      return `stopped early (exit ${code})`;
  }
}

/**
 * A sink for `options`. `summaryFile` is GitHub's `$GITHUB_STEP_SUMMARY`, which gets the
 * Markdown report appended.
 */
export function openResultSink(options: ReportOptions, io: CliIo, summaryFile?: string): ResultSink {
  const results: ScenarioResult[] = [];
  const reporter = REPORTERS[options.output];
  const color = useColor(io);
  let finished = false;

  const writeFiles = (incomplete: string | undefined, sections: HtmlSections = {}): void => {
    const marked = incomplete === undefined ? {} : { incomplete };
    // Scenarios run in parallel finish in any order; the files list them in a fixed one.
    const ordered = [...results].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : 0));
    if (options.junit) writeReport(options.junit, renderJunit(ordered, marked));
    if (options.markdown) writeReport(options.markdown, renderMarkdown(ordered, marked));
    if (options.html) writeReport(options.html, renderHtml({ results: ordered, ...marked, ...sections, generatedAt: new Date().toISOString() }));
    // GitHub Actions shows this file on the run's page.
    if (summaryFile) appendFileSync(summaryFile, renderMarkdown(ordered, marked));
  };

  const sink: ResultSink = {
    scenarioDone(result) {
      results.push(result);
      io.stdout(reporter.scenario(result, { color }));
    },
    finish(sections) {
      finished = true;
      io.stdout(reporter.footer(results, { color }));
      writeFiles(undefined, sections);
      return exitCodeOf(results);
    },
    finishIncomplete(reason) {
      if (finished) return;
      finished = true;
      if (results.length > 0) io.stdout(reporter.footer(results, { color, incomplete: reason }));
      writeFiles(reason);
    },
    async guard(body) {
      let code: ExitCode | undefined;
      try {
        code = await body();
        return code;
      } finally {
        sink.finishIncomplete(incompleteReason(code));
      }
    },
  };
  return sink;
}

function writeReport(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
