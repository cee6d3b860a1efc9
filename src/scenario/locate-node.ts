/**
 * From a path inside a YAML document to a character range (STYLE 3: "From zod path to
 * position"). Paths are those of zod issues and policy issues: map keys and list indexes.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';

/** A path into a document: map keys (strings) and list indexes (numbers). */
export type DocPath = readonly PropertyKey[];

/** A [start, end) character range. */
export type Range = readonly [number, number];

const NO_RANGE: Range = [0, 0];

function nodeRange(node: unknown): Range | undefined {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  if (!range || range.length < 2) return undefined;
  return [range[0]!, range[1]!];
}

/** The text a map key stands for, as zod and the JS value see it. */
function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return '';
  return String(key);
}

/** The pairs of each map by key text, built on the first lookup (documents are not changed after parsing). */
const pairIndexes = new WeakMap<object, Map<string, Pair>>();

/**
 * The pair of `map` whose key reads `key`; the last one, as `toJS` keeps the last value.
 * Constant time after the first lookup in a map, so thousands of diagnostics in a big map
 * are located in linear time.
 */
export function findPair(map: unknown, key: PropertyKey): Pair | undefined {
  if (!isMap(map)) return undefined;
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items) if (isPair(item)) index.set(keyText(item.key), item);
    pairIndexes.set(map, index);
  }
  return index.get(String(key));
}

interface Walk {
  /** The deepest node reached (the document's contents at depth 0). */
  readonly node: unknown;
  /** The key node of the deepest map entry passed on the way, if any. */
  readonly key: unknown;
  /** True when the whole path was found. */
  readonly exact: boolean;
}

function walk(doc: Document, path: DocPath): Walk {
  let node: unknown = doc.contents;
  let key: unknown;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = findPair(node, segment);
      if (!pair) return { node, key, exact: false };
      key = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment >= 0 && segment < node.items.length) {
      node = node.items[segment];
      key = undefined;
    } else {
      return { node, key, exact: false };
    }
  }
  return { node, key, exact: true };
}

/**
 * The range of the value at `path`: [start, value-end) of its node. A missing or empty value
 * (`key:` with nothing after it) is located at its key. When the path does not exist, the
 * nearest ancestor that does stands in (its key when it has one). [0, 0] for an empty document.
 */
export function rangeAt(doc: Document, path: DocPath): Range {
  const found = walk(doc, path);
  const value = nodeRange(found.node);
  const key = nodeRange(found.key);
  if (found.exact && value && value[1] > value[0]) return value;
  if (!found.exact && key) return key;
  return value && value[1] > value[0] ? value : key ?? value ?? NO_RANGE;
}

/**
 * The range of the key `key` of the map at `path` (for unknown keys and bad label keys);
 * falls back to `rangeAt(doc, [...path, key])`.
 */
export function keyRangeAt(doc: Document, path: DocPath, key: PropertyKey): Range {
  const map = walk(doc, path);
  const pair = map.exact ? findPair(map.node, key) : undefined;
  return nodeRange(pair?.key) ?? rangeAt(doc, [...path, key]);
}

/**
 * The range of the map at `path` when something is missing in it: the map's key (`spec:`)
 * when it has one, else the map itself.
 */
export function containerRangeAt(doc: Document, path: DocPath): Range {
  const found = walk(doc, path);
  const key = nodeRange(found.key);
  if (found.exact && key) return key;
  return rangeAt(doc, path);
}

/**
 * The node at `path`, or undefined when the path does not exist.
 */
export function nodeAt(doc: Document, path: DocPath): Node | undefined {
  const found = walk(doc, path);
  return found.exact ? (found.node as Node | undefined) : undefined;
}

/**
 * The range of characters [start, end) of the string value of the scalar at `path`, when the
 * scalar is written so that its text maps 1:1 to the source (plain or quoted without escapes
 * on one line); otherwise the whole scalar. Offsets are into the string value.
 */
export function subRangeAt(doc: Document, source: string, path: DocPath, start: number, end: number): Range {
  const whole = rangeAt(doc, path);
  const node = nodeAt(doc, path);
  if (!isScalar(node) || typeof node.value !== 'string') return whole;
  const range = nodeRange(node);
  if (!range) return whole;
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  if (!quoted && node.type !== 'PLAIN') return whole;
  const base = range[0] + (quoted ? 1 : 0);
  if (source.slice(base, base + node.value.length) !== node.value) return whole;
  const from = Math.max(0, Math.min(start, node.value.length));
  const to = Math.max(from, Math.min(end, node.value.length));
  return to > from ? [base + from, base + to] : whole;
}
