/**
 * Command-line paths to scenario files (an I/O shell: reads directories).
 *
 * Rule: a file named on the command line always counts. A directory contributes its own
 * `*.yaml`/`*.yml` files (not those of sub-folders, where manifests usually live, like
 * `kubectl apply -f DIR` without `-R`) whose first
 * document does not declare a `kind` other than `Scenario`: manifests beside scenarios
 * (`kind: NetworkPolicy`) are skipped, and a file that does not parse is kept so its errors
 * are shown. Nothing blocks or leaves its folder: an entry that is not a regular file (a FIFO,
 * a device) or a symlink leading out of the folder (or the given root) is a diagnostic, never
 * read; a folder that cannot be listed is a diagnostic too. What a directory skips
 * (sub-folders, YAML of another kind) is returned, so the command can say so.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from './diagnostic.js';
import { composeDocuments } from './parse-yaml.js';
import { describeFileType, failureOf, isInside, readRegularFile, realPath, type ReadFailure } from './read-input.js';
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
  /** One per path or entry that cannot be used; NO_SCENARIOS when nothing was found at all. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface FindOptions {
  /** A folder that symlinks in scanned folders may also lead into (the `--root` option). */
  readonly root?: string | undefined;
}

const YAML_FILE = /\.ya?ml$/i;

/** The `kind` of the text's first document when it is a string other than Scenario; else undefined. */
export function otherKind(text: string): string | undefined {
  let kind: unknown;
  composeDocuments(text, '', (doc) => {
    kind = doc.errors.length > 0 ? undefined : doc.get('kind');
    return false;
  });
  return typeof kind === 'string' && kind !== SCENARIO_KIND ? kind : undefined;
}

/** True unless the text's first document is a map whose `kind` is a string other than Scenario. */
export function mayBeScenario(text: string): boolean {
  return otherKind(text) === undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function problem(file: string, failure: ReadFailure, what: string): Diagnostic {
  return { code: failure.code, file, range: [0, 0], message: `cannot read ${what} ${JSON.stringify(file)}: ${failure.reason}` };
}

/** The scenario files in the folder `dir`, and the problems of its entries. */
function scanFolder(dir: string, options: FindOptions, files: Set<string>, skipped: SkippedPath[], diagnostics: Diagnostic[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (error) {
    diagnostics.push(problem(dir, failureOf(error), 'folder'));
    return;
  }
  const realDir = realPath(dir);
  const realRoot = options.root === undefined ? undefined : realPath(options.root);
  for (const entry of entries) {
    const file = join(dir, entry);
    if (!YAML_FILE.test(entry)) {
      if (isDirectory(file)) skipped.push({ kind: 'folder', path: file });
      continue;
    }
    const real = realPath(file);
    if (!real.ok) {
      diagnostics.push(problem(file, real, 'file'));
      continue;
    }
    // A symlink may not lead a scan out of the folder (or the root): the user named the folder.
    const inside = (realDir.ok && isInside(realDir.path, real.path)) || (realRoot?.ok === true && isInside(realRoot.path, real.path));
    if (!inside) {
      diagnostics.push(problem(file, { code: 'FILE_OUTSIDE_ROOT', reason: `it is a symlink to a file outside ${dir}` }, 'file'));
      continue;
    }
    let stats;
    try {
      stats = statSync(real.path);
    } catch (error) {
      diagnostics.push(problem(file, failureOf(error), 'file'));
      continue;
    }
    if (stats.isDirectory()) {
      skipped.push({ kind: 'folder', path: file });
      continue;
    }
    if (!stats.isFile()) {
      diagnostics.push(problem(file, { code: 'FILE_UNREADABLE', reason: `${describeFileType(stats)}, not a regular file` }, 'file'));
      continue;
    }
    const read = readRegularFile(real.path);
    // A file that cannot be read is kept: loading it reports why.
    const kind = read.ok ? otherKind(read.text) : undefined;
    if (kind === undefined) files.add(file);
    else skipped.push({ kind: 'not-a-scenario', path: file, documentKind: kind });
  }
}

/**
 * What `paths` (files, or directories of them) name: the scenario files, and what the
 * directories hold that is not read (see the module comment).
 */
export function findScenarioFiles(paths: readonly string[], options: FindOptions = {}): FoundScenarioFiles {
  const files = new Set<string>();
  const skipped: SkippedPath[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    let directory: boolean;
    try {
      directory = statSync(path).isDirectory();
    } catch (error) {
      const failure = failureOf(error);
      diagnostics.push(failure.code === 'FILE_NOT_FOUND' ? { code: 'FILE_NOT_FOUND', file: path, range: [0, 0], message: `no such file or directory: ${JSON.stringify(path)}` } : problem(path, failure, 'path'));
      continue;
    }
    if (directory) scanFolder(path, options, files, skipped, diagnostics);
    else files.add(path);
  }
  if (files.size === 0 && diagnostics.length === 0) {
    diagnostics.push({ code: 'NO_SCENARIOS', file: paths.join(' ') || '.', range: [0, 0], message: `no scenario files in ${paths.length === 0 ? 'the arguments' : paths.map((p) => JSON.stringify(p)).join(', ')}` });
  }
  const unique = [...new Map(skipped.map((s) => [s.path, s])).values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: [...files].sort(), skipped: unique.filter((s) => !files.has(s.path)), diagnostics };
}
