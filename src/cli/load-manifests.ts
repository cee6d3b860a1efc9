/** Reads manifests for `scan`, `diff` and `lint`: every problem rendered, what was skipped said once. */
import { buildModel, type ModelResult } from '../manifests/build-model.js';
import { readInputs } from '../manifests/read-inputs.js';
import type { AppModel } from '../manifests/types.js';
import { renderDiagnostics, renderDiagnosticsJson } from '../report/render-diagnostic.js';
import { useColor, type CliIo } from './io.js';

export interface LoadedManifests {
  readonly model: AppModel;
  readonly sources: ReadonlyMap<string, string>;
}

export interface LoadOptions {
  /** `--namespace`: the namespace of objects that name none. */
  readonly namespace: string;
  /** `--output`: diagnostics go to stdout as JSON Lines under `json`. */
  readonly output: string;
  /** Say nothing of skipped kinds and notes. */
  readonly quiet?: boolean;
  /** How a file read is named in diagnostics (a git checkout shows `REF:path`). */
  readonly displayName?: (file: string) => string;
}

/**
 * The model of the manifests under `paths` (`-` is standard input), or undefined after
 * printing every problem (to stderr, or as JSON Lines to stdout under `--output json`).
 * Skipped kinds and the model's notes go to stderr, once each, unless `quiet`.
 */
export function loadManifests(paths: readonly string[], io: CliIo, options: LoadOptions): LoadedManifests | undefined {
  const read = readInputs(paths, (limit) => io.readStdin?.(limit) ?? '');
  const rename = options.displayName ?? ((f: string) => f);
  const files = read.files.map((f) => ({ name: rename(f.name), text: f.text }));
  const result: ModelResult =
    read.diagnostics.length > 0
      ? { ok: false, diagnostics: read.diagnostics.map((d) => ({ ...d, file: rename(d.file) })), sources: new Map(files.map((f) => [f.name, f.text])) }
      : buildModel(files, { defaultNamespace: options.namespace });
  if (!result.ok) {
    if (options.output === 'json') io.stdout(renderDiagnosticsJson(result.diagnostics, result.sources));
    else io.stderr(renderDiagnostics(result.diagnostics, result.sources, { color: useColor(io) }));
    return undefined;
  }
  const { model } = result;
  if (!options.quiet) {
    if (model.skipped.length > 0) io.stderr(`skipped (kinds not modelled): ${model.skipped.map((s) => `${s.count} ${s.kind}`).join(', ')}\n`);
    for (const note of model.notes) io.stderr(`note: ${note}\n`);
  }
  return { model, sources: result.sources };
}
