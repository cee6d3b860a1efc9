/**
 * YAML text to documents that keep their positions (STYLE 3 [Y]): yaml's own errors and
 * warnings (bad indentation, unresolved tags) become YAML_SYNTAX diagnostics of the file they
 * are in. Bounded for untrusted input: nesting deeper than MAX_NESTING_DEPTH stops the parser
 * as soon as it is reached, and a document whose aliases would expand it beyond
 * MAX_EXPANDED_SIZE is refused before it is turned into data. Keys that JavaScript would
 * collapse (`1` and `"1"`, a repeated key) are reported, never merged silently.
 */
import { CST, Composer, Lexer, Parser, isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import { clip, quote } from '../quote-value.js';
import { MAX_EXPANDED_SIZE, MAX_NESTING_DEPTH } from './limits.js';

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

/**
 * yaml's parser stack holds the document and the scalar being read besides one entry per open
 * map or list; block collections count exactly, flow ones one level short.
 */
const STACK_OVERHEAD = 2;

/**
 * Duplicate keys are found here in linear time (yaml's own check compares every pair of keys
 * of a map), so a map of many keys cannot stall the parser.
 */
const COMPOSE_OPTIONS = { logLevel: 'silent', prettyErrors: false, uniqueKeys: false } as const;

class NestingTooDeep extends Error {
  constructor(readonly offset: number) {
    super('nesting too deep');
  }
}

/**
 * yaml's tokens, stopped (by throwing NestingTooDeep) as soon as the nesting gets too deep.
 * Block indicators (`- `, `? `) count too: each opens a level, and yaml's parser slows down
 * quadratically on a long run of them on one line (valid or not).
 */
function* boundedTokens(source: string): Generator<CST.Token> {
  const parser = new Parser();
  let indicatorsOnLine = 0;
  for (const lexeme of new Lexer().lex(source)) {
    const type = CST.tokenType(lexeme);
    if (type === 'newline') indicatorsOnLine = 0;
    else if (type === 'seq-item-ind' || type === 'explicit-key-ind') indicatorsOnLine += 1;
    if (indicatorsOnLine > MAX_NESTING_DEPTH) throw new NestingTooDeep(parser.offset);
    yield* parser.next(lexeme);
    if (parser.stack.length > MAX_NESTING_DEPTH + STACK_OVERHEAD) throw new NestingTooDeep(parser.offset);
  }
  yield* parser.end();
}

function clampRange(range: readonly [number, number], length: number): [number, number] {
  // yaml may place an "unexpected end" error one past the last character.
  const start = Math.min(Math.max(range[0], 0), length);
  return [start, Math.min(Math.max(range[1], start), length)];
}

function syntax(file: string, source: string, range: readonly [number, number], message: string): Diagnostic {
  return { code: 'YAML_SYNTAX', file, range: clampRange(range, source.length), message };
}

/** yaml's messages end with a code frame of their own; we render ours, so keep line one. */
function firstLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * The documents of `source`, composed by yaml, or the one diagnostic that stopped it (nesting
 * too deep). `onDocument` may stop early by returning false. Never throws.
 */
export function composeDocuments(source: string, file: string, onDocument: (doc: Document) => boolean = () => true): Diagnostic | undefined {
  try {
    for (const doc of new Composer(COMPOSE_OPTIONS).compose(boundedTokens(source))) if (!onDocument(doc as Document)) break;
    return undefined;
  } catch (error) {
    if (error instanceof NestingTooDeep) {
      return { code: 'LIMIT_EXCEEDED', file, range: clampRange([error.offset, error.offset + 1], source.length), message: `maps and lists are nested more than ${MAX_NESTING_DEPTH} levels deep` };
    }
    return syntax(file, source, [0, 0], `cannot parse YAML: ${firstLine(error instanceof Error ? error.message : String(error))}`);
  }
}

function nodeRange(node: { range?: readonly number[] | null | undefined } | null | undefined): [number, number] {
  const range = node?.range;
  return range && range.length >= 2 ? [range[0]!, range[1]!] : [0, 0];
}

/**
 * Checks what yaml does not check for us, in one pass in document order: aliases that point
 * to no anchor before them or into their own anchored node; keys of a map that read the same
 * to JavaScript (or are not plain scalars); and the size of the document with every alias
 * expanded (MAX_EXPANDED_SIZE). Returns the problems found (empty when fine).
 */
function inspectDocument(doc: Document, file: string, source: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  /** Expanded size per anchor name; undefined while the anchored node is still being read. */
  const anchors = new Map<string, number | undefined>();
  let expanded = 0;
  let stopped = false;
  const grow = (size: number, node: Node): void => {
    expanded += size;
    if (!stopped && expanded > MAX_EXPANDED_SIZE) {
      stopped = true;
      out.push({ code: 'LIMIT_EXCEEDED', file, range: clampRange(nodeRange(node), source.length), message: `with its aliases expanded, the document would hold more than ${MAX_EXPANDED_SIZE} characters` });
    }
  };
  const visit = (node: unknown): number => {
    if (stopped || node === null || node === undefined) return 0;
    if (isAlias(node)) {
      const name = node.source;
      if (!anchors.has(name)) {
        out.push(syntax(file, source, nodeRange(node), `alias *${clip(name)} has no anchor &${clip(name)} before it`));
        return 0;
      }
      const size = anchors.get(name);
      if (size === undefined) {
        out.push(syntax(file, source, nodeRange(node), `alias *${clip(name)} refers to a node that contains it`));
        return 0;
      }
      grow(size, node);
      return size;
    }
    const anchor = (node as Node).anchor;
    if (anchor !== undefined) anchors.set(anchor, undefined);
    const before = expanded;
    if (isScalar(node)) {
      const value = node.value;
      grow(1 + (typeof value === 'string' ? value.length : nodeRange(node)[1] - nodeRange(node)[0]), node);
    } else if (isMap(node)) {
      grow(1, node);
      const keys = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key)) {
          if (key !== null) out.push(syntax(file, source, nodeRange(key as Node), 'a map key must be plain text, not a map, a list or an alias'));
        } else {
          const text = key.value === null || key.value === undefined ? '' : String(key.value);
          if (keys.has(text)) out.push(syntax(file, source, nodeRange(key), `duplicate key ${quote(text)}: a map holds each key once`));
          keys.add(text);
        }
        visit(key);
        visit(pair.value);
      }
    } else if (isSeq(node)) {
      grow(1, node);
      for (const item of node.items) visit(isPair(item) ? item.value : item);
    }
    const size = expanded - before;
    if (anchor !== undefined) anchors.set(anchor, size);
    return size;
  };
  visit(doc.contents);
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
  const stop = composeDocuments(source, file, (doc) => {
    const problems: Diagnostic[] = [];
    // The parser may report one error twice at one position (seen on `&a {` before a list item): once is enough.
    const seen = new Set<string>();
    for (const e of [...doc.errors, ...doc.warnings]) {
      const message = firstLine(e.message);
      const key = `${e.pos[0]} ${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(syntax(file, source, [e.pos[0], e.pos[1]], message));
    }
    if (problems.length === 0) for (const d of inspectDocument(doc, file, source)) problems.push(d);
    if (problems.length > 0) {
      for (const d of problems) diagnostics.push(d);
      return true;
    }
    // An empty document (comments only, or a trailing `---`) holds nothing to check.
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null && contents.source === '' && (contents.range?.[0] ?? 0) === (contents.range?.[1] ?? 0))) return true;
    let data: unknown;
    try {
      // Aliases were measured above; toJS shares the anchored value, it does not copy it.
      data = doc.toJS({ maxAliasCount: -1 });
    } catch (error) {
      diagnostics.push(syntax(file, source, nodeRange(contents), firstLine((error as Error).message)));
      return true;
    }
    docs.push({ file, source, doc, data });
    return true;
  });
  if (stop) diagnostics.push(stop);
  return { docs, diagnostics };
}
