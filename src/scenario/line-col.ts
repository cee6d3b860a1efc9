/**
 * Offsets to line and column, for rendering diagnostics (STYLE 3: positions are kept as
 * offsets and turned into line:col only at the edge).
 */

/**
 * The 1-based line and 1-based column of `offset` in `source`. Lines end at `\n` (a `\r`
 * before it counts as a column of the line). An offset below 0 is taken as 0 and one past the
 * end as the end of the source, so the result is always a real position.
 */
export function toLineCol(source: string, offset: number): { line: number; col: number } {
  const at = Math.max(0, Math.min(Number.isFinite(offset) ? Math.trunc(offset) : 0, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < at; i = source.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, col: at - lineStart + 1 };
}
