/**
 * Entry points of the scenario loader: text -> `Scenario` or positioned diagnostics
 * (STYLE 2: expected failure is a value). `loadScenarioSource` is pure; `loadScenarioFile`
 * is the thin file-system shell around it.
 */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from './diagnostic.js';
import { DiagnosticSink } from './diagnostic-sink.js';
import { parseYamlFile } from './parse-yaml.js';
import { resolveScenario } from './resolve-scenario.js';
import { scenarioShellSchema, type RawScenario } from './schema.js';
import type { Scenario } from './types.js';
import { zodIssuesToDiagnostics } from './zod-diagnostics.js';

/**
 * A loaded scenario, or every problem found. `sources` holds the text of every file read
 * (the scenario and its manifests, by the names diagnostics use), for `file:line:col` and a
 * code frame.
 */
export type LoadResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly sources: ReadonlyMap<string, string> };

/**
 * Loads the scenario in `source`, named `file`. `readFile` returns the text of a manifest
 * named by a `file:` entry (the scenario's directory joined with the entry, posix style), or
 * undefined when it cannot be read. Diagnostics are sorted by file, then offset; every
 * problem of a file is reported in one pass where possible (YAML errors stop the checks of
 * their file; structural errors of the scenario stop its reference checks). Never throws.
 */
export function loadScenarioSource(source: string, file: string, readFile: (path: string) => string | undefined): LoadResult {
  const sources = new Map<string, string>([[file, source]]);
  const sink = new DiagnosticSink();
  const fail = (): LoadResult => ({ ok: false, diagnostics: sink.sorted(), sources });
  const parsedFile = parseYamlFile(source, file);
  sink.addAll(parsedFile.diagnostics);
  const [parsed, second] = parsedFile.docs;
  if (second) sink.atRange('YAML_SYNTAX', file, second.doc.range ? [second.doc.range[0], second.doc.range[1]] : [0, 0], 'a scenario file holds one YAML document; found another one here');
  if (sink.size > 0) return fail();
  if (!parsed) {
    sink.atRange('MISSING_KEY', file, [0, 0], 'the file is empty; a scenario needs apiVersion, kind, metadata and spec');
    return fail();
  }
  const shell = scenarioShellSchema.safeParse(parsed.data);
  if (!shell.success) sink.addAll(zodIssuesToDiagnostics(shell.error.issues, { parsed, prefix: [] }));
  // Unknown keys alone leave a well-typed scenario, so its references are still checked and
  // the author sees every problem in one pass; other structural errors stop here.
  if (!shell.success && !shell.error.issues.every((i) => i.code === 'unrecognized_keys')) return fail();
  const raw = (shell.success ? shell.data : parsed.data) as RawScenario;
  const scenario = resolveScenario({ raw, parsed, sink, readFile, sources });
  return sink.size > 0 ? fail() : { ok: true, scenario };
}

/** The text of `path`, or undefined when it cannot be read (missing, a directory, no access). */
export function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Reads and loads the scenario file `file` (as given: diagnostics and `Scenario.file` keep it
 * relative). A file that cannot be read is one FILE_NOT_FOUND diagnostic.
 */
export function loadScenarioFile(file: string, readFile: (path: string) => string | undefined = readTextFile): LoadResult {
  const source = readFile(file);
  if (source === undefined) {
    return { ok: false, diagnostics: [{ code: 'FILE_NOT_FOUND', file, range: [0, 0], message: `cannot read scenario file ${JSON.stringify(file)}` }], sources: new Map() };
  }
  return loadScenarioSource(source, file, readFile);
}
