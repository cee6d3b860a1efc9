/**
 * `--output table` (the default): per step a truth table, rows = sources, columns = target and
 * port, then the failed probes with their reasons, a summary per scenario and the totals.
 * Pure: colour is an option, never read from the environment.
 */
import pc from 'picocolors';
import { mapStrings } from '../scenario/placeholders.js';
import { countResults, describeMismatch, formatOutcomes, formatProbeTally, isObserved, tallyProbes, type ProbeStatus, type Tally } from './count-results.js';
import { escapeTerminal } from './escape.js';
import { compareShown, compareSourcesShown, compareTargetsShown, probeLabel, scenarioNames, serviceSuffix, stepTitle, targetLabel } from './display-names.js';
import type { ProbeResult, ScenarioResult, StepResult } from './result.js';

export interface TableOptions {
  /** ANSI colours (picocolors): failing cells red, PASS green, FAIL red. */
  readonly color: boolean;
  /** Terminal columns; tables wider than this number their columns and print a legend. */
  readonly width?: number;
}

/** Used when `width` is not given. */
export const DEFAULT_TABLE_WIDTH = 120;

/** Cell symbols of asserted probes: the predicted verdict, or `·` when the pair was not probed (self, no port). */
export const CELL_SYMBOLS = { allow: '✓', deny: '✗', none: '·' } as const;

/** Cell symbols of probes no expectation asserts: the predicted verdict, lighter. */
export const UNASSERTED_SYMBOLS = { allow: '+', deny: '-' } as const;

/** Appended to a cell's symbol. */
export const CELL_MARKERS = { expectedDiffers: '*', observedDiffers: '!', inconclusive: '?' } as const;

/** What the symbols mean, printed once after the tables (wrapped to the width). */
export const TABLE_LEGEND: readonly string[] = [
  `${CELL_SYMBOLS.allow}/${CELL_SYMBOLS.deny} allowed/denied (asserted)`,
  `${UNASSERTED_SYMBOLS.allow}/${UNASSERTED_SYMBOLS.deny} allowed/denied (not asserted)`,
  `${CELL_SYMBOLS.none} not probed`,
  `${CELL_MARKERS.expectedDiffers} expected differs from predicted`,
  `${CELL_MARKERS.observedDiffers} observed differs from predicted`,
  `${CELL_MARKERS.inconclusive} inconclusive`,
];

const CORNER = 'from \\ to';
const INDENT = '    ';
const GAP = '  ';

type Colors = ReturnType<typeof pc.createColors>;

/** The whole report: every scenario, the legend, then one totals line. Ends with a newline. */
export function renderTable(results: readonly ScenarioResult[], options: TableOptions): string {
  if (results.length === 0) return 'no scenarios\n';
  return `${results.map((r) => renderTableScenario(r, options)).join('')}${renderTableFooter(results, options)}`;
}

/**
 * One scenario's part of the table report (printed as soon as the scenario finishes). Every
 * string of the result is shown escaped for the terminal (escapeTerminal).
 */
export function renderTableScenario(unsafeResult: ScenarioResult, options: TableOptions): string {
  const result = mapStrings(unsafeResult, escapeTerminal);
  const c = pc.createColors(options.color);
  const width = options.width ?? DEFAULT_TABLE_WIDTH;
  const lines: string[] = [c.bold(`${result.scenario} (${result.file})`)];
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
  const names = scenarioNames(result);
  for (const step of result.steps) lines.push(...renderStep(step, result.steps.length, names, c, width), '');
  lines.push(...scenarioSummary(result, c, width), '');
  return `${lines.join('\n')}\n`;
}

/**
 * The end of the table report: the legend and the totals of `results`; with `incomplete`, a
 * line saying the run stopped early and why.
 */
export function renderTableFooter(results: readonly ScenarioResult[], options: TableOptions & { readonly incomplete?: string }): string {
  const c = pc.createColors(options.color);
  const width = options.width ?? DEFAULT_TABLE_WIDTH;
  const lines: string[] = [];
  if (results.length > 0) lines.push(...wrapEntries('legend:', TABLE_LEGEND, width, '', '   ').map((l) => c.dim(l)));
  if (options.incomplete !== undefined) lines.push(c.yellow(`INCOMPLETE: ${options.incomplete}; the counts cover the ${results.length} scenario(s) that finished`));
  if (results.length === 0) lines.push('no scenarios');
  else {
    const totals = countResults(results);
    const observed = results.some((r) => r.steps.some((s) => isObserved(s.probes)));
    const entries = [formatTally('scenarios', totals.scenarios, c), formatTally('steps', totals.steps, c), formatProbeTally(totals.probes, observed, decorator(c))];
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

/** Failed and inconclusive counts in red when not zero. */
function decorator(c: Colors): (status: ProbeStatus, text: string) => string {
  return (status, text) => ((status === 'failed' || status === 'inconclusive') && !text.startsWith('0 ') ? c.red(text) : text);
}

function scenarioSummary(result: ScenarioResult, c: Colors, width: number): string[] {
  const totals = countResults([result]);
  const observed = result.steps.some((s) => isObserved(s.probes));
  if (result.unsupported !== undefined) return [`${c.yellow('UNSUPPORTED')} ${result.scenario}: ${result.unsupported.feature} · ${formatTally('steps', totals.steps, c)}`];
  return wrapEntries(`${passWord(result.pass, c)} ${result.scenario}:`, [formatTally('steps', totals.steps, c), formatProbeTally(totals.probes, observed, decorator(c))], width, '', ' · ');
}

function stepHeading(step: StepResult, steps: number, c: Colors): string {
  const parts = [formatProbeTally(tallyProbes(step.probes), isObserved(step.probes), decorator(c))];
  if (step.convergedMs !== undefined) parts.push(`settled in ${(step.convergedMs / 1000).toFixed(1)} s${step.rounds !== undefined && step.rounds > 1 ? ` (${step.rounds} rounds)` : ''}`);
  else if (step.rounds !== undefined) parts.push(`did not settle in ${step.rounds} rounds`);
  if (step.flapped !== undefined && step.flapped.length > 0) parts.push(`flapping: ${step.flapped.join(', ')}`);
  return `  ${stepTitle(step, steps)} — ${passWord(step.pass, c)} · ${parts.join(' · ')}`;
}

/** The symbol and markers of one cell, e.g. `✗`, `✓*`, `✗!`, `+?` (`+`/`-`: not asserted). */
export function cellText(probe: ProbeResult | undefined): string {
  if (!probe) return CELL_SYMBOLS.none;
  let text: string = (probe.expected === null ? UNASSERTED_SYMBOLS : CELL_SYMBOLS)[probe.predicted];
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

function renderStep(step: StepResult, steps: number, names: ReadonlyMap<string, string>, c: Colors, width: number): string[] {
  const lines = [stepHeading(step, steps, c)];
  if (step.probes.length === 0) return [...lines, `${INDENT}(no probes)`];
  const rows = [...new Set(step.probes.map((p) => p.from))].sort(compareSourcesShown(names));
  const firstOfColumn = new Map<string, ProbeResult>();
  for (const p of step.probes) if (!firstOfColumn.has(columnKey(p))) firstOfColumn.set(columnKey(p), p);
  const columns: Column[] = [...firstOfColumn.values()].sort(compareTargetsShown(names)).map((p) => ({ key: columnKey(p), label: targetLabel(p, names) }));
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
