/** Writes results: the chosen format to stdout, plus the JUnit and Markdown files asked for. */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { REPORTERS, type OutputFormat } from '../report/reporters.js';
import { renderJunit } from '../report/render-junit.js';
import { renderMarkdown } from '../report/render-markdown.js';
import type { ScenarioResult } from '../report/result.js';
import { ExitCode } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';

export interface ReportOptions {
  readonly output: OutputFormat;
  readonly junit?: string;
  readonly markdown?: string;
}

/** Prints and writes the reports; returns 0 when every scenario passed, else 1. */
export function emitResults(results: readonly ScenarioResult[], options: ReportOptions, io: CliIo, summaryEnv?: string): ExitCode {
  io.stdout(REPORTERS[options.output](results, { color: useColor(io) }));
  if (options.junit) writeReport(options.junit, renderJunit(results));
  if (options.markdown) writeReport(options.markdown, renderMarkdown(results));
  // GitHub Actions shows this file on the run's page.
  if (summaryEnv) appendFileSync(summaryEnv, renderMarkdown(results));
  return exitCodeOf(results);
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

function writeReport(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
