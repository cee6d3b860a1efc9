/**
 * Command-line paths to scenario files (an I/O shell: reads directories).
 *
 * Rule: a file named on the command line always counts. A directory contributes its own
 * `*.yaml`/`*.yml` files (not those of sub-folders, where manifests usually live, like
 * `kubectl apply -f DIR` without `-R`) whose first document does not declare a `kind` other
 * than `Scenario`: manifests beside scenarios (`kind: NetworkPolicy`) are skipped, and a file
 * that does not parse is kept so its errors are shown. What a directory skips (sub-folders,
 * YAML of another kind) is returned, so the command can say so.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import { SCENARIO_KIND } from './schema.js';

/** Something a directory holds that is not read as a scenario. */
export type SkippedPath =
  | { readonly kind: 'folder'; readonly path: string }
  | { readonly kind: 'not-a-scenario'; readonly path: string; readonly documentKind: string };

export interface FoundScenarioFiles {
  /** Sorted, without duplicates; named files and directory entries together. */
  readonly files: readonly string[];
  /** Sub-folders and YAML files of another kind found in the directories, sorted by path. */
  readonly skipped: readonly SkippedPath[];
  /** FILE_NOT_FOUND per missing path; NO_SCENARIOS when nothing was found at all. */
  readonly diagnostics: readonly Diagnostic[];
}

const YAML_FILE = /\.ya?ml$/i;

/** The `kind` of the text's first document when it is a string other than Scenario; else undefined. */
export function otherKind(text: string): string | undefined {
  try {
    const doc = parseDocument(text, { logLevel: 'silent' });
    const kind: unknown = doc.errors.length > 0 ? undefined : doc.get('kind');
    return typeof kind === 'string' && kind !== SCENARIO_KIND ? kind : undefined;
  } catch {
    return undefined;
  }
}

/** True unless the text's first document is a map whose `kind` is a string other than Scenario. */
export function mayBeScenario(text: string): boolean {
  return otherKind(text) === undefined;
}

function isDirectory(path: string): boolean | undefined {
  try {
    return statSync(path).isDirectory();
  } catch {
    return undefined;
  }
}

/**
 * What `paths` (files, or directories of them) name: the scenario files, and what the
 * directories hold that is not read (see the module comment).
 */
export function findScenarioFiles(paths: readonly string[]): FoundScenarioFiles {
  const files = new Set<string>();
  const skipped: SkippedPath[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const directory = isDirectory(path);
    if (directory === undefined) {
      diagnostics.push({ code: 'FILE_NOT_FOUND', file: path, range: [0, 0], message: `no such file or directory: ${JSON.stringify(path)}` });
    } else if (!directory) {
      files.add(path);
    } else {
      for (const entry of readdirSync(path).sort()) {
        const file = join(path, entry);
        const isDir = isDirectory(file);
        if (isDir) skipped.push({ kind: 'folder', path: file });
        if (!YAML_FILE.test(entry) || isDir !== false) continue;
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          continue;
        }
        const kind = otherKind(text);
        if (kind === undefined) files.add(file);
        else skipped.push({ kind: 'not-a-scenario', path: file, documentKind: kind });
      }
    }
  }
  if (files.size === 0 && diagnostics.length === 0) {
    diagnostics.push({ code: 'NO_SCENARIOS', file: paths.join(' ') || '.', range: [0, 0], message: `no scenario files in ${paths.length === 0 ? 'the arguments' : paths.map((p) => JSON.stringify(p)).join(', ')}` });
  }
  const unique = [...new Map(skipped.map((s) => [s.path, s])).values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: [...files].sort(), skipped: unique.filter((s) => !files.has(s.path)), diagnostics };
}
