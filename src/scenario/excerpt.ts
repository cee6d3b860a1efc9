/**
 * Quotes a range of a file as the author wrote it, for explanations that point at a rule
 * (`manifests/allow.yaml:9`) and show it. Pure.
 */
import { toLineCol } from './line-col.js';
import type { Excerpt } from './types.js';

/** Longest excerpt, in lines; a longer range is cut and ends with a `…` line. */
export const MAX_EXCERPT_LINES = 12;

/** Only a list marker and indentation before the range: the range starts its line in block style. */
const BLOCK_PREFIX = /^[\s-]*$/;

/**
 * The text of `[start, end)` in `source`. A block-style node (nothing but indentation and `- `
 * before it on its first line) is quoted as whole lines, with the indentation they share
 * removed and trailing blank and comment-only lines dropped; a flow-style node inside a line
 * (`{ports: [{port: 53}]}`) is quoted as its exact slice. At most MAX_EXCERPT_LINES lines.
 */
export function excerptOf(file: string, source: string, range: readonly [number, number]): Excerpt {
  const start = Math.max(0, Math.min(range[0], source.length));
  let end = Math.max(start, Math.min(range[1], source.length));
  while (end > start && /\s/.test(source[end - 1]!)) end -= 1;
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const { line } = toLineCol(source, start);
  let lines: string[];
  if (BLOCK_PREFIX.test(source.slice(lineStart, start))) {
    const lineEnd = source.indexOf('\n', end);
    lines = source.slice(lineStart, lineEnd < 0 ? source.length : lineEnd).replace(/\r/g, '').split('\n');
    while (lines.length > 1 && /^\s*(#.*)?$/.test(lines[lines.length - 1]!)) lines.pop();
    // The first line keeps its list marker as indentation's equal, so `- from:` stays aligned.
    const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
    lines = lines.map((l) => l.slice(Math.min(indent, /^ */.exec(l)![0].length)));
  } else {
    lines = source.slice(start, end).replace(/\r/g, '').split('\n');
  }
  if (lines.length > MAX_EXCERPT_LINES) lines = [...lines.slice(0, MAX_EXCERPT_LINES - 1), '…'];
  return { file, line, text: lines.join('\n') };
}
