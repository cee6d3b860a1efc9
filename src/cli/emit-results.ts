/**
 * Writes results as a run produces them: each scenario's part (its JSON line, or table) to
 * stdout as soon as the scenario finishes, then a footer and the JUnit, Markdown and HTML files
 * at the end, also when the run stops early (a failure, Ctrl-C), marked incomplete. What the
 * parts say is a `ReportSet`: `run`'s by default, `conformance run` has its own.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderHtml } from '../report/render-html.js';
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

/**
 * What a command writes of its results. `incomplete` is set when the run stopped early: why.
 * `results` are the scenarios that finished, in a fixed order (by file, then name).
 */
export interface ReportSet {
  /** stdout as one scenario finishes ('' for nothing). */
  scenario(result: ScenarioResult): string;
  /** stdout after the last scenario (totals); '' for nothing. */
  footer(results: readonly ScenarioResult[], incomplete?: string): string;
  junit(results: readonly ScenarioResult[], incomplete?: string): string;
  markdown(results: readonly ScenarioResult[], incomplete?: string): string;
  html(results: readonly ScenarioResult[], incomplete?: string): string;
}

/** `run`'s reports: the `--output` reporter's part per scenario and footer, and the files of every scenario. */
export function scenarioReports(output: OutputFormat, color: boolean): ReportSet {
  const reporter = REPORTERS[output];
  const marked = (incomplete: string | undefined): { incomplete?: string } => (incomplete === undefined ? {} : { incomplete });
  return {
    scenario: (result) => reporter.scenario(result, { color }),
    footer: (results, incomplete) => reporter.footer(results, { color, ...marked(incomplete) }),
    junit: (results, incomplete) => renderJunit(results, marked(incomplete)),
    markdown: (results, incomplete) => renderMarkdown(results, marked(incomplete)),
    html: (results, incomplete) => renderHtml({ results, ...marked(incomplete), generatedAt: new Date().toISOString() }),
  };
}

/** Where results go during one command. */
export interface ResultSink {
  /** Prints the scenario's result at once (its JSON line, or its tables) and keeps it for the end. */
  scenarioDone(result: ScenarioResult): void;
  /** Prints the totals and writes the report files; returns the exit code of the results (see exitCodeOf). */
  finish(): ExitCode;
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
  /** Why the run is stopping, when the command knows better than its exit code (e.g. the canary's finding). */
  stopping(reason: string): void;
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
 * Markdown report appended; `reports` say what is written (default: `run`'s).
 */
export function openResultSink(options: ReportOptions, io: CliIo, summaryFile?: string, reports: ReportSet = scenarioReports(options.output, useColor(io))): ResultSink {
  const results: ScenarioResult[] = [];
  let finished = false;
  let stopReason: string | undefined;

  // Scenarios run in parallel finish in any order; the reports list them in a fixed one.
  const ordered = (): ScenarioResult[] =>
    [...results].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : 0));

  const writeAll = (incomplete: string | undefined): void => {
    const all = ordered();
    if (incomplete === undefined || all.length > 0) io.stdout(reports.footer(all, incomplete));
    if (options.junit) writeReport(options.junit, reports.junit(all, incomplete));
    if (options.markdown) writeReport(options.markdown, reports.markdown(all, incomplete));
    if (options.html) writeReport(options.html, reports.html(all, incomplete));
    // GitHub Actions shows this file on the run's page.
    if (summaryFile) appendFileSync(summaryFile, reports.markdown(all, incomplete));
  };

  const sink: ResultSink = {
    scenarioDone(result) {
      results.push(result);
      io.stdout(reports.scenario(result));
    },
    finish() {
      finished = true;
      writeAll(undefined);
      return exitCodeOf(results);
    },
    finishIncomplete(reason) {
      if (finished) return;
      finished = true;
      writeAll(reason);
    },
    async guard(body) {
      let code: ExitCode | undefined;
      try {
        code = await body();
        return code;
      } finally {
        sink.finishIncomplete(stopReason ?? incompleteReason(code));
      }
    },
    stopping(reason) {
      stopReason = reason;
    },
  };
  return sink;
}

function writeReport(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
