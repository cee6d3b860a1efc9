/** Finds and loads scenario files for a command; renders every diagnostic when any is invalid. */
import { statSync } from 'node:fs';
import { findScenarioFiles, type SkippedPath } from '../scenario/find-scenario-files.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import type { Diagnostic } from '../scenario/diagnostic.js';
import type { Scenario } from '../scenario/types.js';
import { escapeTerminal } from '../report/escape.js';
import { renderDiagnostics, renderDiagnosticsJson } from '../report/render-diagnostic.js';
import { UsageError, useColor, type CliIo } from './io.js';
import type { OptionSpec } from './option-table.js';

/** How a command loads its scenarios. */
export interface LoadOptions {
  readonly output: 'table' | 'json';
  /** The folder `file:` references may read from; default: each scenario's own folder. */
  readonly root?: string | undefined;
}

/** `--root DIR`, for every command that loads scenarios. */
export const ROOT_OPTION: OptionSpec = {
  flags: '--root <dir>',
  description: "folder that `file:` references may read from (default: each scenario's own folder); also where symlinks in scanned folders may lead",
};

/** Help of the `<paths...>` argument of `check` and `run`: what a folder contributes. */
export const SCENARIO_PATHS_HELP =
  'scenario files, or folders: a folder gives its own *.yaml and *.yml files except those of another kind than Scenario (manifests); its sub-folders are not searched (name them to include them); what is skipped is noted on stderr';

/**
 * Loads every scenario under `paths`. Returns undefined after printing the diagnostics (to
 * stderr, or as JSON Lines to stdout under `--output json`) when any file is invalid: nothing
 * runs unless every file validated. A code frame quotes only a file the user named as a
 * scenario (directly or by its folder), never a manifest it refers to.
 */
export function loadScenarios(paths: readonly string[], io: CliIo, options: LoadOptions): Scenario[] | undefined {
  if (options.root !== undefined) checkRoot(options.root);
  const found = findScenarioFiles(paths, { root: options.root });
  for (const line of describeSkipped(found.skipped)) io.stderr(`${line}\n`);
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const sources = new Map<string, string>();
  const scenarios: Scenario[] = [];
  for (const file of found.files) {
    const result = loadScenarioFile(file, { root: options.root });
    if (result.ok) scenarios.push(result.scenario);
    else {
      for (const d of result.diagnostics) diagnostics.push(d);
      for (const [name, text] of result.sources) sources.set(name, text);
    }
  }
  if (diagnostics.length === 0) return scenarios;
  const scenarioFiles = new Set(found.files);
  if (options.output === 'json') io.stdout(renderDiagnosticsJson(diagnostics, sources));
  else io.stderr(renderDiagnostics(diagnostics, sources, { color: useColor(io), frame: (file) => scenarioFiles.has(file) }));
  return undefined;
}

function checkRoot(root: string): void {
  let directory = false;
  try {
    directory = statSync(root).isDirectory();
  } catch {
    directory = false;
  }
  if (!directory) throw new UsageError(`--root ${JSON.stringify(root)} is not a folder`);
}

/**
 * One `note:` line per kind of skip: `note: skipped sub-folder scenarios/manifests (sub-folders
 * are not searched; name one to check its scenarios)`, `note: skipped a.yaml (kind NetworkPolicy)`.
 */
export function describeSkipped(skipped: readonly SkippedPath[]): string[] {
  const folders = skipped.filter((s) => s.kind === 'folder').map((s) => escapeTerminal(s.path));
  const others = skipped.flatMap((s) => (s.kind === 'not-a-scenario' ? [escapeTerminal(`${s.path} (kind ${s.documentKind})`)] : []));
  const lines: string[] = [];
  if (folders.length > 0) {
    lines.push(`note: skipped sub-folder${folders.length > 1 ? 's' : ''} ${folders.join(', ')} (sub-folders are not searched; name one to check its scenarios)`);
  }
  if (others.length > 0) lines.push(`note: skipped YAML that is not a scenario: ${others.join(', ')}`);
  return lines;
}
