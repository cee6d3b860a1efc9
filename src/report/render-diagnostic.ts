/**
 * Renders diagnostics at the edge (STYLE 3): `file:line:col: message`, the source line cut to
 * 80 columns with carets under the range, then `hint: ...`. Line and column are computed here,
 * from the offsets, and only here. Pure; a JSON Lines form serves `--output json`.
 */
import pc from 'picocolors';
import { HINTS, type Diagnostic, type DiagnosticCode } from '../scenario/diagnostic.js';
import { toLineCol } from '../scenario/line-col.js';

export interface DiagnosticRenderOptions {
  readonly color: boolean;
}

/** Widest source excerpt, in characters, including the `…` marks of a cut line. */
export const FRAME_WIDTH = 80;

/** Where a cut line starts: this many characters before the range, so the context stays. */
const CONTEXT_BEFORE = 20;

/** The JSON form of one diagnostic; `line`/`col` are 1-based, null when the file's text is unknown. */
export interface DiagnosticJson {
  readonly file: string;
  readonly line: number | null;
  readonly col: number | null;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly hint: string;
}

/** The 1-based position of a diagnostic's start, when its file's text is in `sources`. */
function positionOf(d: Diagnostic, sources: ReadonlyMap<string, string>): { line: number; col: number } | undefined {
  const source = sources.get(d.file);
  if (source === undefined) return undefined;
  return toLineCol(source, clamp(d.range[0], 0, source.length));
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(n, min), max);
}

/** One diagnostic as JSON data. */
export function toDiagnosticJson(d: Diagnostic, sources: ReadonlyMap<string, string>): DiagnosticJson {
  const pos = positionOf(d, sources);
  return { file: d.file, line: pos?.line ?? null, col: pos?.col ?? null, code: d.code, message: d.message, hint: HINTS[d.code] };
}

/** JSON Lines: one `DiagnosticJson` per line, in the given order; '' for none. */
export function renderDiagnosticsJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  return diagnostics.map((d) => `${JSON.stringify(toDiagnosticJson(d, sources))}\n`).join('');
}

/**
 * The source line holding `range[0]` and a caret line under `[range[0], range[1])`, both
 * relative to the line and at most `FRAME_WIDTH` wide. A line longer than that is cut around
 * the range and marked with `…`. A range running past the line's end is underlined to the end;
 * an empty range gets one caret. Tabs show as one space, so carets stay aligned.
 */
export function codeFrame(source: string, range: readonly [number, number]): { line: string; carets: string } {
  const start = clamp(range[0], 0, source.length);
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const newline = source.indexOf('\n', start);
  const text = source.slice(lineStart, newline < 0 ? source.length : newline).replace(/\r$/, '').replace(/\t/g, ' ');
  const col = Math.min(start - lineStart, text.length);
  const endCol = clamp(range[1] - lineStart, col, text.length);
  let from = 0;
  let shown = text;
  let prefix = '';
  if (text.length > FRAME_WIDTH) {
    from = col < FRAME_WIDTH - CONTEXT_BEFORE ? 0 : Math.min(col - CONTEXT_BEFORE, text.length - (FRAME_WIDTH - 1));
    prefix = from > 0 ? '…' : '';
    const room = FRAME_WIDTH - prefix.length;
    const cutEnd = from + room < text.length;
    shown = prefix + text.slice(from, cutEnd ? from + room - 1 : text.length) + (cutEnd ? '…' : '');
  }
  const caretStart = prefix.length + col - from;
  const caretCount = Math.max(1, Math.min(endCol - col, shown.length - caretStart));
  return { line: shown, carets: `${' '.repeat(caretStart)}${'^'.repeat(caretCount)}` };
}

/**
 * Every diagnostic as a block: `file:line:col: message` (1-based; `file: message` when the
 * file's text is not in `sources`, e.g. a missing file), the code frame, `hint: <HINTS[code]>`.
 * Blocks are separated by a blank line; the text ends with a newline ('' for none).
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, options: DiagnosticRenderOptions): string {
  const c = pc.createColors(options.color);
  const blocks = diagnostics.map((d) => {
    const source = sources.get(d.file);
    const pos = positionOf(d, sources);
    const lines = [`${c.bold(pos ? `${d.file}:${pos.line}:${pos.col}:` : `${d.file}:`)} ${d.message}`];
    if (source !== undefined) {
      const frame = codeFrame(source, d.range);
      const pad = frame.carets.length - frame.carets.trimStart().length;
      lines.push(`  ${frame.line}`.trimEnd(), `  ${frame.carets.slice(0, pad)}${c.red(frame.carets.slice(pad))}`);
    }
    lines.push(`${c.cyan('hint:')} ${HINTS[d.code]}`);
    return lines.join('\n');
  });
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}
