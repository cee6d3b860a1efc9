/** Finds and loads scenario files for a command; renders every diagnostic when any is invalid. */
import { findScenarioFiles, type SkippedPath } from '../scenario/find-scenario-files.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import type { Diagnostic } from '../scenario/diagnostic.js';
import type { Scenario } from '../scenario/types.js';
import { renderDiagnostics, renderDiagnosticsJson } from '../report/render-diagnostic.js';
import { useColor, type CliIo } from './io.js';

/** Help of the `<paths...>` argument of `check` and `run`: what a folder contributes. */
export const SCENARIO_PATHS_HELP =
  'scenario files, or folders: a folder gives its own *.yaml and *.yml files except those of another kind than Scenario (manifests); its sub-folders are not searched (name them to include them); what is skipped is noted on stderr';

/**
 * Loads every scenario under `paths`. Returns undefined after printing the diagnostics (to
 * stderr, or as JSON Lines to stdout under `--output json`) when any file is invalid: nothing
 * runs unless every file validated.
 */
export function loadScenarios(paths: readonly string[], io: CliIo, output: 'table' | 'json'): Scenario[] | undefined {
  const found = findScenarioFiles(paths);
  for (const line of describeSkipped(found.skipped)) io.stderr(`${line}\n`);
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const sources = new Map<string, string>();
  const scenarios: Scenario[] = [];
  for (const file of found.files) {
    const result = loadScenarioFile(file);
    if (result.ok) scenarios.push(result.scenario);
    else {
      diagnostics.push(...result.diagnostics);
      for (const [name, text] of result.sources) sources.set(name, text);
    }
  }
  if (diagnostics.length === 0) return scenarios;
  if (output === 'json') io.stdout(renderDiagnosticsJson(diagnostics, sources));
  else io.stderr(renderDiagnostics(diagnostics, sources, { color: useColor(io) }));
  return undefined;
}

/**
 * One `note:` line per kind of skip: `note: skipped sub-folder scenarios/manifests (sub-folders
 * are not searched; name one to check its scenarios)`, `note: skipped a.yaml (kind NetworkPolicy)`.
 */
export function describeSkipped(skipped: readonly SkippedPath[]): string[] {
  const folders = skipped.filter((s) => s.kind === 'folder').map((s) => s.path);
  const others = skipped.flatMap((s) => (s.kind === 'not-a-scenario' ? [`${s.path} (kind ${s.documentKind})`] : []));
  const lines: string[] = [];
  if (folders.length > 0) {
    lines.push(`note: skipped sub-folder${folders.length > 1 ? 's' : ''} ${folders.join(', ')} (sub-folders are not searched; name one to check its scenarios)`);
  }
  if (others.length > 0) lines.push(`note: skipped YAML that is not a scenario: ${others.join(', ')}`);
  return lines;
}
