/**
 * Command-line paths to scenario files (an I/O shell: reads directories).
 *
 * Rule: a file named on the command line always counts. A directory contributes its own
 * `*.yaml`/`*.yml` files (not those of sub-folders, where manifests usually live) whose first
 * document does not declare a `kind` other than `Scenario`: manifests beside scenarios
 * (`kind: NetworkPolicy`) are skipped, and a file that does not parse is kept so its errors
 * are shown.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import { SCENARIO_KIND } from './schema.js';

export interface FoundScenarioFiles {
  /** Sorted, without duplicates; named files and directory entries together. */
  readonly files: readonly string[];
  /** FILE_NOT_FOUND per missing path; NO_SCENARIOS when nothing was found at all. */
  readonly diagnostics: readonly Diagnostic[];
}

const YAML_FILE = /\.ya?ml$/i;

/** True unless the text's first document is a map whose `kind` is a string other than Scenario. */
export function mayBeScenario(text: string): boolean {
  try {
    const doc = parseDocument(text, { logLevel: 'silent' });
    const kind: unknown = doc.errors.length > 0 ? undefined : doc.get('kind');
    return typeof kind !== 'string' || kind === SCENARIO_KIND;
  } catch {
    return true;
  }
}

function isDirectory(path: string): boolean | undefined {
  try {
    return statSync(path).isDirectory();
  } catch {
    return undefined;
  }
}

/** The scenario files under `paths` (files, or directories of them). */
export function findScenarioFiles(paths: readonly string[]): FoundScenarioFiles {
  const files = new Set<string>();
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
        if (!YAML_FILE.test(entry) || isDirectory(file) !== false) continue;
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          continue;
        }
        if (mayBeScenario(text)) files.add(file);
      }
    }
  }
  if (files.size === 0 && diagnostics.length === 0) {
    diagnostics.push({ code: 'NO_SCENARIOS', file: paths.join(' ') || '.', range: [0, 0], message: `no scenario files in ${paths.length === 0 ? 'the arguments' : paths.map((p) => JSON.stringify(p)).join(', ')}` });
  }
  return { files: [...files].sort(), diagnostics };
}
