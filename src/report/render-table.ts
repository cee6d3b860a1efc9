/**
 * `--output table` (the default): per step a truth table, rows = sources, columns = target and
 * port, then the failed probes with their reasons, a summary per scenario and the totals.
 * Pure: colour is an option, never read from the environment.
 */
import pc from 'picocolors';
import { mapStrings } from '../scenario/placeholders.js';
import { countResults, describeMismatch, formatOutcomes, type Tally } from './count-results.js';
import { escapeTerminal } from './escape.js';
import { compareNames, compareTargets, namesIn, probeLabel, serviceSuffix, shortNames, targetLabel } from './display-names.js';
import type { ProbeResult, ScenarioResult, StepResult } from './result.js';

export interface TableOptions {
  /** ANSI colours (picocolors): failing cells red, PASS green, FAIL red. */
  readonly color: boolean;
  /** Terminal columns; tables wider than this number their columns and print a legend. */
  readonly width?: number;
}

/** Used when `width` is not given. */
export const DEFAULT_TABLE_WIDTH = 120;

/** Cell symbols: the predicted verdict, or `·` when the pair was not probed (self, no port). */
export const CELL_SYMBOLS = { allow: '✓', deny: '✗', none: '·' } as const;

/** Appended to a cell's symbol. */
export const CELL_MARKERS = { expectedDiffers: '*', observedDiffers: '!', inconclusive: '?' } as const;

/** What the symbols mean, printed once after the tables (wrapped to the width). */
export const TABLE_LEGEND: readonly string[] = [
  `${CELL_SYMBOLS.allow} allowed`,
  `${CELL_SYMBOLS.deny} denied`,
  `${CELL_SYMBOLS.none} not probed`,
  `${CELL_MARKERS.expectedDiffers} expected differs from predicted`,
  `${CELL_MARKERS.observedDiffers} observed differs from predicted`,
  `${CELL_MARKERS.inconclusive} inconclusive`,
];

const CORNER = 'from \\ to';
const INDENT = '    ';
const GAP = '  ';

type Colors = ReturnType<typeof pc.createColors>;

/**
 * The whole report: every scenario, the legend, then one totals line. Ends with a newline.
 * Every string of the results is shown escaped for the terminal (escapeTerminal).
 */
export function renderTable(unsafeResults: readonly ScenarioResult[], options: TableOptions): string {
  const results = mapStrings(unsafeResults, escapeTerminal);
  const c = pc.createColors(options.color);
  const width = options.width ?? DEFAULT_TABLE_WIDTH;
  const lines: string[] = [];
  for (const result of results) {
    lines.push(c.bold(`${result.scenario} (${result.file})`));
    const env = result.environment;
    if (env) {
      const parts = [`backend ${env.backend}`];
      if (env.cni !== undefined) parts.push(`CNI ${env.cni}`);
      if (env.serverVersion !== undefined) parts.push(`Kubernetes ${env.serverVersion}`);
      if (env.enforcement !== undefined) parts.push(`enforcement ${env.enforcement}`);
      lines.push(`  ${parts.join(' · ')}`);
      for (const fact of env.clusterFacts ?? []) lines.push(`  ${c.yellow('cluster fact')}: ${fact}`);
    }
    if (result.unsupported !== undefined) lines.push(`  ${c.yellow('UNSUPPORTED on this dataplane')} (${result.unsupported.feature}): ${result.unsupported.reason}`);
    for (const step of result.steps) lines.push(...renderStep(step, c, width), '');
    lines.push(scenarioSummary(result, c), '');
  }
  const totals = countResults(results);
  if (results.length > 0) lines.push(...wrapEntries('legend:', TABLE_LEGEND, width, '', '   ').map((l) => c.dim(l)));
  if (results.length === 0) lines.push('no scenarios');
  else {
    const entries = [
      formatTally('scenarios', totals.scenarios, c),
      formatTally('steps', totals.steps, c),
      `${formatTally('probes', totals.probes, c)} (${totals.asserted} asserted)`,
    ];
    lines.push(...wrapEntries('', entries, width, '', ' · '));
  }
  return `${lines.join('\n')}\n`;
}

function passWord(pass: boolean, c: Colors): string {
  return pass ? c.green('PASS') : c.red('FAIL');
}

/** `3 steps: 2 passed, 1 failed`. */
function formatTally(noun: string, t: Tally, c: Colors): string {
  const failed = t.failed > 0 ? c.red(`${t.failed} failed`) : `${t.failed} failed`;
  return `${t.passed + t.failed} ${noun}: ${t.passed} passed, ${failed}`;
}

function scenarioSummary(result: ScenarioResult, c: Colors): string {
  const totals = countResults([result]);
  if (result.unsupported !== undefined) return `${c.yellow('UNSUPPORTED')} ${result.scenario}: ${result.unsupported.feature} · ${formatTally('steps', totals.steps, c)}`;
  return `${passWord(result.pass, c)} ${result.scenario}: ${formatTally('steps', totals.steps, c)} · ${formatTally('probes', totals.probes, c)}`;
}

function stepTitle(step: StepResult, c: Colors): string {
  const failed = step.probes.filter((p) => !p.pass).length;
  const asserted = step.probes.filter((p) => p.expected !== null).length;
  const parts = [`${step.probes.length} probes, ${asserted} asserted${failed > 0 ? `, ${failed} failed` : ''}`];
  if (step.convergedMs !== undefined) parts.push(`settled in ${(step.convergedMs / 1000).toFixed(1)} s${step.rounds !== undefined && step.rounds > 1 ? ` (${step.rounds} rounds)` : ''}`);
  else if (step.rounds !== undefined) parts.push(`did not settle in ${step.rounds} rounds`);
  if (step.flapped !== undefined && step.flapped.length > 0) parts.push(`flapping: ${step.flapped.join(', ')}`);
  return `  step ${step.index}: ${step.name} — ${passWord(step.pass, c)} · ${parts.join(' · ')}`;
}

/** The symbol and markers of one cell, e.g. `✗`, `✓*`, `✗!`, `✓?`. */
export function cellText(probe: ProbeResult | undefined): string {
  if (!probe) return CELL_SYMBOLS.none;
  let text: string = CELL_SYMBOLS[probe.predicted];
  if (probe.expected !== null && probe.expected !== probe.predicted) text += CELL_MARKERS.expectedDiffers;
  if (probe.outcome !== undefined) {
    if (probe.observed === null) text += CELL_MARKERS.inconclusive;
    else if (probe.observed !== probe.predicted) text += CELL_MARKERS.observedDiffers;
  }
  return text;
}

interface Column {
  readonly key: string;
  readonly label: string;
}

function columnKey(p: Pick<ProbeResult, 'to' | 'port' | 'protocol' | 'service' | 'servicePort'>): string {
  return `${p.to} ${p.port}/${p.protocol}${serviceSuffix(p)}`;
}

function renderStep(step: StepResult, c: Colors, width: number): string[] {
  const lines = [stepTitle(step, c)];
  if (step.probes.length === 0) return [...lines, `${INDENT}(no probes)`];
  const names = shortNames(namesIn(step.probes));
  const rows = [...new Set(step.probes.map((p) => p.from))].sort(compareNames);
  const firstOfColumn = new Map<string, ProbeResult>();
  for (const p of step.probes) if (!firstOfColumn.has(columnKey(p))) firstOfColumn.set(columnKey(p), p);
  const columns: Column[] = [...firstOfColumn.values()].sort(compareTargets).map((p) => ({ key: columnKey(p), label: targetLabel(p, names) }));
  const cells = new Map(step.probes.map((p) => [`${p.from}\n${columnKey(p)}`, p]));
  const cell = (row: string, column: Column): ProbeResult | undefined => cells.get(`${row}\n${column.key}`);

  const labelWidth = Math.max(CORNER.length, ...rows.map((r) => (names.get(r) ?? r).length));
  const cellWidths = columns.map((col) => Math.max(...rows.map((r) => cellText(cell(r, col)).length)));
  const fullWidth = INDENT.length + labelWidth + columns.reduce((sum, col, i) => sum + GAP.length + Math.max(col.label.length, cellWidths[i]!), 0);
  // Too wide for the terminal: number the columns and print what each number stands for.
  const numbered = fullWidth > width;
  const headers = columns.map((col, i) => (numbered ? String(i + 1) : col.label));
  const widths = columns.map((_, i) => Math.max(headers[i]!.length, cellWidths[i]!));

  lines.push(`${INDENT}${CORNER.padEnd(labelWidth)}${headers.map((h, i) => GAP + h.padEnd(widths[i]!)).join('')}`.trimEnd());
  for (const row of rows) {
    const rendered = columns.map((col, i) => {
      const probe = cell(row, col);
      const text = cellText(probe);
      const padding = ' '.repeat(widths[i]! - text.length);
      return GAP + colorCell(text, probe, c) + padding;
    });
    lines.push(`${INDENT}${(names.get(row) ?? row).padEnd(labelWidth)}${rendered.join('')}`.trimEnd());
  }
  if (numbered) lines.push(...wrapEntries('columns:', columns.map((col, i) => `${i + 1} ${col.label}`), width, INDENT, ' · '));

  const outcomes = formatOutcomes(step.probes);
  if (outcomes) lines.push(`${INDENT}observed: ${outcomes}`);
  for (const p of step.probes.filter((probe) => !probe.pass)) {
    lines.push(`${INDENT}${c.red('FAIL')} ${probeLabel(p, names)}: ${describeMismatch(p)}`);
    if (p.inconclusive !== undefined) lines.push(`${INDENT}  inconclusive: ${p.inconclusive}`);
    if (p.flapped === true) lines.push(`${INDENT}  flapped: its observed verdict left the predicted one while the step settled`);
    lines.push(`${INDENT}  ${c.dim(p.reason)}`);
  }
  return lines;
}

function colorCell(text: string, probe: ProbeResult | undefined, c: Colors): string {
  if (!probe) return c.dim(text);
  if (!probe.pass) return c.bold(c.red(text));
  // Unasserted cells recede, so the asserted ones stand out.
  return probe.expected === null ? c.dim(text) : text;
}

/** `<indent><title> a · b · c` (with `separator`), wrapped to `width`; continuation lines are indented two more. */
function wrapEntries(title: string, entries: readonly string[], width: number, indent: string, separator: string): string[] {
  const lines: string[] = [];
  let line = `${indent}${title}`;
  let empty = true;
  for (const entry of entries) {
    const sep = empty ? (title ? ' ' : '') : separator;
    if (!empty && visibleLength(line) + sep.length + visibleLength(entry) > width) {
      lines.push(line);
      line = `${indent}  ${entry}`;
    } else line += sep + entry;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** Length without ANSI colour sequences. */
function visibleLength(text: string): number {
  return text.replace(/\u001b\[\d+m/g, '').length;
}
