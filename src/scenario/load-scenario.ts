/**
 * Entry points of the scenario loader: text -> `Scenario` or positioned diagnostics
 * (STYLE 2: expected failure is a value). `loadScenarioSource` is pure; `loadScenarioFile`
 * is the thin file-system shell around it, which reads the scenario and its manifests with
 * bounded reads, manifests only inside the scenario's folder (or a given root).
 */
import { dirname } from 'node:path';
import { countProbes } from './count-probes.js';
import type { Diagnostic } from './diagnostic.js';
import { DiagnosticSink } from './diagnostic-sink.js';
import { MAX_FILE_BYTES, MAX_PROBES, MAX_WORKLOADS } from './limits.js';
import { parseYamlFile } from './parse-yaml.js';
import { confinedReader, readRegularFile, type ReadInput } from './read-input.js';
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
 * Loads the scenario in `source`, named `file`. `readFile` reads a manifest named by a
 * `file:` entry (the scenario's directory joined with the entry, posix style). Diagnostics
 * are sorted by file, then offset; every problem of a file is reported in one pass where
 * possible (YAML errors stop the checks of their file; structural errors of the scenario stop
 * its reference checks; a limit stops what it protects). Never throws.
 */
export function loadScenarioSource(source: string, file: string, readFile: ReadInput): LoadResult {
  const sources = new Map<string, string>([[file, source]]);
  const sink = new DiagnosticSink();
  const fail = (): LoadResult => ({ ok: false, diagnostics: sink.sorted(), sources });
  if (source.length > MAX_FILE_BYTES) {
    sink.atRange('LIMIT_EXCEEDED', file, [0, 0], `the scenario holds ${source.length} characters, more than the limit of ${MAX_FILE_BYTES}`);
    return fail();
  }
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
  // Checked before resolving: some checks compare workloads pairwise.
  if (raw.spec.workloads.length > MAX_WORKLOADS) {
    sink.at('LIMIT_EXCEEDED', parsed, ['spec', 'workloads', MAX_WORKLOADS], `the scenario declares ${raw.spec.workloads.length} workloads, more than the limit of ${MAX_WORKLOADS}`);
    return fail();
  }
  const scenario = resolveScenario({ raw, parsed, sink, readFile, sources });
  if (sink.size > 0) return fail();
  const probes = countProbes(scenario);
  if (probes > MAX_PROBES) {
    sink.at('LIMIT_EXCEEDED', parsed, ['spec', 'workloads'], `the steps plan ${probes} probes in all (workloads x ports they serve x steps), more than the limit of ${MAX_PROBES}`);
    return fail();
  }
  return { ok: true, scenario };
}

/** Where `loadScenarioFile` reads from. */
export interface LoadFileOptions {
  /** The folder `file:` references must stay inside; default: the scenario file's folder. */
  readonly root?: string | undefined;
  /** Reads the scenario file itself; default: a bounded read of a regular file. */
  readonly readScenario?: ReadInput;
  /** Reads manifests; default: a bounded read confined to `root`. */
  readonly readManifest?: ReadInput;
}

/**
 * Reads and loads the scenario file `file` (as given: diagnostics and `Scenario.file` keep it
 * relative). A file that cannot be read is one diagnostic naming it and why (missing, not a
 * regular file, too large), never its content.
 */
export function loadScenarioFile(file: string, options: LoadFileOptions = {}): LoadResult {
  const read = (options.readScenario ?? readRegularFile)(file);
  if (!read.ok) {
    return { ok: false, diagnostics: [{ code: read.code, file, range: [0, 0], message: `cannot read scenario file ${JSON.stringify(file)}: ${read.reason}` }], sources: new Map() };
  }
  return loadScenarioSource(read.text, file, options.readManifest ?? confinedReader(options.root ?? dirname(file)));
}
