/**
 * Renders diagnostics at the edge (STYLE 3): `file:line:col: message`, the source line cut to
 * 80 columns with carets under the range, then `hint: ...`. Line and column are computed here,
 * from the offsets, and only here. Messages are cut at MAX_MESSAGE_CHARS; file names,
 * messages and source lines are escaped for the terminal. Pure; a JSON Lines form serves
 * `--output json`.
 */
import pc from 'picocolors';
import { HINTS, type Diagnostic, type DiagnosticCode } from '../scenario/diagnostic.js';
import { MAX_DIAGNOSTICS_SHOWN, MAX_MESSAGE_CHARS } from '../scenario/limits.js';
import { lineIndex } from '../scenario/line-col.js';
import { escapeTerminal } from './escape.js';

export interface DiagnosticRenderOptions {
  readonly color: boolean;
  /**
   * Whether a code frame may quote a line of `file` (default: every file with its text in
   * `sources`). The CLI frames only the files the user named as scenarios.
   */
  readonly frame?: (file: string) => boolean;
}

/** A message at most MAX_MESSAGE_CHARS long (cut with `…`). */
export function capMessage(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
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

type Positions = (d: Diagnostic) => { line: number; col: number } | undefined;

/** The 1-based position of a diagnostic's start, when its file's text is in `sources` (one line index per file). */
function positionsIn(sources: ReadonlyMap<string, string>): Positions {
  const indexes = new Map<string, ReturnType<typeof lineIndex>>();
  return (d) => {
    const source = sources.get(d.file);
    if (source === undefined) return undefined;
    let index = indexes.get(d.file);
    if (!index) indexes.set(d.file, (index = lineIndex(source)));
    return index(d.range[0]);
  };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(n, min), max);
}

/** One diagnostic as JSON data. */
export function toDiagnosticJson(d: Diagnostic, sources: ReadonlyMap<string, string>, positions: Positions = positionsIn(sources)): DiagnosticJson {
  const pos = positions(d);
  return { file: d.file, line: pos?.line ?? null, col: pos?.col ?? null, code: d.code, message: capMessage(d.message), hint: HINTS[d.code] };
}

/** The diagnostics shown (at most MAX_DIAGNOSTICS_SHOWN) and one saying how many were left out, if any. */
function shownDiagnostics(diagnostics: readonly Diagnostic[]): readonly Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS_SHOWN) return diagnostics;
  const rest = diagnostics.length - MAX_DIAGNOSTICS_SHOWN;
  const first = diagnostics[MAX_DIAGNOSTICS_SHOWN]!;
  return [
    ...diagnostics.slice(0, MAX_DIAGNOSTICS_SHOWN),
    { code: 'LIMIT_EXCEEDED', file: first.file, range: first.range, message: `${rest} more problem${rest === 1 ? '' : 's'} not shown (at most ${MAX_DIAGNOSTICS_SHOWN} are)` },
  ];
}

/** JSON Lines: one `DiagnosticJson` per line, in the given order (see `shownDiagnostics`); '' for none. */
export function renderDiagnosticsJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  const positions = positionsIn(sources);
  return shownDiagnostics(diagnostics)
    .map((d) => `${JSON.stringify(toDiagnosticJson(d, sources, positions))}\n`)
    .join('');
}

/**
 * The source line holding `range[0]` and a caret line under `[range[0], range[1])`, both
 * relative to the line and at most `FRAME_WIDTH` wide. A line longer than that is cut around
 * the range and marked with `…`. A range running past the line's end is underlined to the end;
 * an empty range gets one caret. Tabs show as one space and control or directional characters
 * are written out (escapeTerminal), with the carets still under the characters they mark.
 */
export function codeFrame(source: string, range: readonly [number, number]): { line: string; carets: string } {
  const start = clamp(range[0], 0, source.length);
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const newline = source.indexOf('\n', start);
  const lineEnd = newline < 0 ? source.length : newline;
  // Only a window around the range can be shown: a huge line is not escaped whole.
  const windowStart = Math.max(lineStart, start - 2 * FRAME_WIDTH);
  const windowEnd = Math.min(lineEnd, start + 2 * FRAME_WIDTH);
  const raw = source.slice(windowStart, windowEnd).replace(/\r$/, '').replace(/\t/g, ' ');
  // Display column of every code unit of the window (and of its end).
  const columns: number[] = [];
  let text = '';
  for (let i = 0; i < raw.length; i += 1) {
    columns.push(text.length);
    text += escapeTerminal(raw[i]!);
  }
  columns.push(text.length);
  const rawCol = Math.min(start - windowStart, raw.length);
  const col = columns[rawCol]!;
  const endCol = columns[clamp(range[1] - windowStart, rawCol, raw.length)]!;
  let from = 0;
  let shown = text;
  let prefix = '';
  if (text.length > FRAME_WIDTH || windowStart > lineStart) {
    from = col < FRAME_WIDTH - CONTEXT_BEFORE && windowStart === lineStart ? 0 : Math.min(col - CONTEXT_BEFORE, text.length - (FRAME_WIDTH - 1));
    prefix = from > 0 || windowStart > lineStart ? '…' : '';
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
 * file's text is not in `sources`, e.g. a missing file), the code frame (when `options.frame`
 * allows it), `hint: <HINTS[code]>`. Blocks are separated by a blank line; the text ends with
 * a newline ('' for none). At most MAX_DIAGNOSTICS_SHOWN, then one block counting the rest.
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, options: DiagnosticRenderOptions): string {
  const c = pc.createColors(options.color);
  const positions = positionsIn(sources);
  const blocks = shownDiagnostics(diagnostics).map((d) => {
    const source = sources.get(d.file);
    const pos = positions(d);
    const file = escapeTerminal(d.file);
    const lines = [`${c.bold(pos ? `${file}:${pos.line}:${pos.col}:` : `${file}:`)} ${escapeTerminal(capMessage(d.message))}`];
    if (source !== undefined && (options.frame?.(d.file) ?? true)) {
      const frame = codeFrame(source, d.range);
      const pad = frame.carets.length - frame.carets.trimStart().length;
      lines.push(`  ${frame.line}`.trimEnd(), `  ${frame.carets.slice(0, pad)}${c.red(frame.carets.slice(pad))}`);
    }
    lines.push(`${c.cyan('hint:')} ${HINTS[d.code]}`);
    return lines.join('\n');
  });
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}
