/** Human-readable paths and values for diagnostic messages. */
import { quote } from '../quote-value.js';
import { MAX_QUOTED_CHARS } from './limits.js';
import type { DocPath } from './locate-node.js';

/**
 * `['spec', 'steps', 2, 'apply', 0]` -> `spec.steps[2].apply[0]`; the empty path reads
 * `the top level`. Keys that are not plain identifiers are quoted: `labels["app.io/x"]`.
 */
export function describePath(path: DocPath): string {
  if (path.length === 0) return 'the top level';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) && key.length <= MAX_QUOTED_CHARS) out += out === '' ? key : `.${key}`;
      else out += `[${quote(key)}]`;
    }
  }
  return out;
}

/** A short description of a YAML value: `"text"`, `42`, `true`, `null`, `a list`, `a map`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value;
}

/** The value at `path` inside a plain JS value (own properties only). */
export function valueAt(root: unknown, path: DocPath): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    const key = typeof segment === 'symbol' ? segment : String(segment);
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
