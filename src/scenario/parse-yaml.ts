/**
 * YAML text to documents that keep their positions (STYLE 3 [Y]): yaml's own errors and
 * warnings (duplicate keys, bad indentation, unresolved aliases or tags) become YAML_SYNTAX
 * diagnostics of the file they are in.
 */
import { isAlias, isScalar, parseAllDocuments, visit, type Document } from 'yaml';
import type { Diagnostic } from './diagnostic.js';

/** One YAML document of a file, with its plain JS value. */
export interface ParsedDoc {
  readonly file: string;
  readonly source: string;
  readonly doc: Document;
  /** `doc.toJS()`; null for an empty document. */
  readonly data: unknown;
}

export interface ParsedFile {
  readonly docs: readonly ParsedDoc[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Aliases may expand at most this many times (yaml's guard against "billion laughs"). */
const MAX_ALIAS_COUNT = 100;

function syntax(file: string, range: readonly [number, number], message: string, length = Number.MAX_SAFE_INTEGER): Diagnostic {
  // yaml may place an "unexpected end" error one past the last character.
  const start = Math.min(Math.max(range[0], 0), length);
  return { code: 'YAML_SYNTAX', file, range: [start, Math.min(Math.max(range[1], start), length)], message };
}

/** yaml's messages end with a code frame of their own; we render ours, so keep line one. */
function firstLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/** Aliases that point to no anchor defined before them. */
function unresolvedAliases(doc: Document, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.resolve(doc) === undefined) {
        const range = node.range ?? [0, 0];
        out.push(syntax(file, [range[0], range[1]], `alias *${node.source} has no anchor &${node.source} before it`));
      }
    },
  });
  return out;
}

/**
 * Every non-empty document of `source` (comment-only and empty documents are dropped), and
 * the YAML problems found. A document with problems is not returned, since its value would
 * not be what the author meant. Never throws.
 */
export function parseYamlFile(source: string, file: string): ParsedFile {
  const diagnostics: Diagnostic[] = [];
  const docs: ParsedDoc[] = [];
  let all: ReturnType<typeof parseAllDocuments>;
  try {
    all = parseAllDocuments(source, { logLevel: 'silent', prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    return { docs, diagnostics: [syntax(file, [0, 0], `cannot parse YAML: ${(error as Error).message}`)] };
  }
  const list: readonly Document[] = Array.isArray(all) ? all : [all as unknown as Document];
  for (const doc of list) {
    const problems: Diagnostic[] = [];
    for (const e of [...doc.errors, ...doc.warnings]) problems.push(syntax(file, [e.pos[0], e.pos[1]], firstLine(e.message), source.length));
    // Aliases are `*name`: a text without `*` has none (walking every node costs on large inputs).
    if (problems.length === 0 && source.includes('*')) problems.push(...unresolvedAliases(doc, file));
    if (problems.length > 0) {
      diagnostics.push(...problems);
      continue;
    }
    // An empty document (comments only, or a trailing `---`) holds nothing to check.
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null && contents.source === '' && (contents.range?.[0] ?? 0) === (contents.range?.[1] ?? 0))) continue;
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const range = contents.range ?? [0, 0];
      diagnostics.push(syntax(file, [range[0], range[1]], firstLine((error as Error).message)));
      continue;
    }
    docs.push({ file, source, doc, data });
  }
  return { docs, diagnostics };
}
