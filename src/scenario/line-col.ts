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
  return lineIndex(source)(offset);
}

/**
 * `toLineCol` for many offsets of one source: the line starts are found once, then each
 * position takes a binary search (a file with thousands of diagnostics renders in linear time).
 */
export function lineIndex(source: string): (offset: number) => { line: number; col: number } {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    const at = Math.max(0, Math.min(Number.isFinite(offset) ? Math.trunc(offset) : 0, source.length));
    // The last line start <= at; a start equal to `at` begins the line of `at`.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: at - starts[lo]! + 1 };
  };
}
