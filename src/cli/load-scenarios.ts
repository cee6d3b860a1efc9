/** Finds and loads scenario files for a command; renders every diagnostic when any is invalid. */
import { findScenarioFiles } from '../scenario/find-scenario-files.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import type { Diagnostic } from '../scenario/diagnostic.js';
import type { Scenario } from '../scenario/types.js';
import { renderDiagnostics, renderDiagnosticsJson } from '../report/render-diagnostic.js';
import { useColor, type CliIo } from './io.js';

/**
 * Loads every scenario under `paths`. Returns undefined after printing the diagnostics (to
 * stderr, or as JSON Lines to stdout under `--output json`) when any file is invalid: nothing
 * runs unless every file validated.
 */
export function loadScenarios(paths: readonly string[], io: CliIo, output: 'table' | 'json'): Scenario[] | undefined {
  const found = findScenarioFiles(paths);
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
