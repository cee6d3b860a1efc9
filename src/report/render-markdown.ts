/**
 * `--markdown FILE` (and GITHUB_STEP_SUMMARY): counts at the top, then per scenario and step
 * the failed probes as a table and a Mermaid `graph LR` of the allowed flows. Pure and
 * deterministic.
 */
import { countResults, formatObserved, formatOutcomes, formatProbeTally, isObserved, tallyProbes, type Tally } from './count-results.js';
import { escapeMarkdown, escapeMermaidLabel } from './escape.js';
import { compareTargetsShown, displayNames, namesIn, scenarioNames, serviceSuffix, stepTitle, targetKind, type TargetKind } from './display-names.js';
import { flowEdges } from './render-flow-graph.js';
import type { ProbeResult, ScenarioResult, StepResult } from './result.js';

export interface MarkdownOptions {
  /** Set when the run stopped early: why. The report then says it is incomplete. */
  readonly incomplete?: string;
}

/**
 * A Mermaid node id for a reference: a kind prefix (`w` workload, `x` external, `dns`), then
 * the name with every character outside [A-Za-z0-9] written as `_<hex code point>_`. Injective
 * (the `_` itself is escaped), never a Mermaid keyword (`end`, `graph`) thanks to the prefix.
 */
export function toMermaidId(kind: TargetKind, name: string): string {
  if (kind === 'dns') return 'dns';
  const escaped = [...name].map((ch) => (/[A-Za-z0-9]/.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}_`)).join('');
  return `${kind === 'workload' ? 'w' : 'x'}_${escaped}`;
}

function passMark(pass: boolean): string {
  return pass ? '✅' : '❌';
}

function formatTally(noun: string, t: Tally): string {
  return `${noun}: ${t.passed} passed, ${t.failed} failed`;
}

/** The whole report; ends with a newline. */
export function renderMarkdown(results: readonly ScenarioResult[], options: MarkdownOptions = {}): string {
  const totals = countResults(results);
  const allPass = results.every((r) => r.pass) && options.incomplete === undefined;
  const observed = results.some((r) => r.steps.some((s) => isObserved(s.probes)));
  const out: string[] = ['# netpol-harness', ''];
  if (options.incomplete !== undefined) {
    out.push(`> **⚠️ INCOMPLETE:** ${escapeMarkdown(options.incomplete)}. This report covers the ${results.length} scenario(s) that finished.`, '');
  }
  out.push(
    `**${allPass ? '✅ PASS' : '❌ FAIL'}** · ${formatTally('scenarios', totals.scenarios)} · ${formatTally('steps', totals.steps)} · ${formatProbeTally(totals.probes, observed)}`,
    '',
  );
  if (results.length > 0) {
    out.push('| | scenario | file | steps passed | probes passed | failed | unasserted | inconclusive |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) {
      const t = countResults([r]);
      out.push(
        `| ${passMark(r.pass)} | ${escapeMarkdown(r.scenario)} | ${escapeMarkdown(r.file)} | ${t.steps.passed}/${r.steps.length} | ${t.probes.passed} | ${t.probes.failed} | ${t.probes.unasserted} | ${t.probes.inconclusive} |`,
      );
    }
    out.push('');
  }
  for (const result of results) out.push(...renderScenario(result));
  return `${out.join('\n')}\n`;
}

function renderScenario(result: ScenarioResult): string[] {
  const out = [`## ${passMark(result.pass)} ${escapeMarkdown(result.scenario)}`, ''];
  const facts = [escapeMarkdown(result.file)];
  const env = result.environment;
  if (env) {
    facts.push(`backend ${env.backend}`);
    if (env.cni !== undefined) facts.push(`CNI ${escapeMarkdown(env.cni)}`);
    if (env.serverVersion !== undefined) facts.push(`Kubernetes ${escapeMarkdown(env.serverVersion)}`);
    if (env.enforcement !== undefined) facts.push(`enforcement ${env.enforcement}`);
  }
  out.push(facts.join(' · '), '');
  for (const fact of env?.clusterFacts ?? []) out.push(`> **Cluster fact:** ${escapeMarkdown(fact)}`, '');
  if (result.unsupported !== undefined) out.push(`> **Unsupported on this dataplane** (${escapeMarkdown(result.unsupported.feature)}): ${escapeMarkdown(result.unsupported.reason)}`, '');
  const names = scenarioNames(result);
  for (const step of result.steps) out.push(...renderStep(step, result.steps.length, names));
  return out;
}

function renderStep(step: StepResult, steps: number, names: ReadonlyMap<string, string>): string[] {
  const out = [`### ${passMark(step.pass)} ${stepTitle({ index: step.index, name: escapeMarkdown(step.name) }, steps)}`, ''];
  const failed = step.probes.filter((p) => !p.pass);
  const observing = isObserved(step.probes);
  const facts = [formatProbeTally(tallyProbes(step.probes), observing)];
  const outcomes = formatOutcomes(step.probes);
  if (outcomes) facts.push(`observed: ${outcomes}`);
  if (step.convergedMs !== undefined) facts.push(`settled in ${(step.convergedMs / 1000).toFixed(1)} s`);
  if (step.flapped !== undefined && step.flapped.length > 0) facts.push(`flapping: ${step.flapped.map(escapeMarkdown).join(', ')}`);
  out.push(facts.join(' · '), '');
  if (failed.length > 0) {
    out.push(
      observing ? '| from | to | expected | predicted | observed | reason |' : '| from | to | expected | predicted | reason |',
      observing ? '| --- | --- | --- | --- | --- | --- |' : '| --- | --- | --- | --- | --- |',
    );
    for (const p of failed) {
      const cells = [
        names.get(p.from) ?? p.from,
        `${names.get(p.to) ?? p.to}:${p.port}/${p.protocol}${serviceSuffix(p)}`,
        p.expected ?? '— (not asserted)',
        p.predicted,
        ...(observing ? [formatObserved(p) || '—'] : []),
        p.reason,
      ];
      out.push(`| ${cells.map(escapeMarkdown).join(' | ')} |`);
    }
    out.push('');
  }
  out.push(...renderGraph(step.probes, names), '');
  return out;
}

const NODE_SHAPES: Readonly<Record<TargetKind, readonly [string, string]>> = {
  workload: ['[', ']'],
  external: ['[/', '/]'],
  dns: ['((', '))'],
};

/**
 * `graph LR` of the allowed flows: every workload, external and `dns` probed is a node (an
 * isolated one has no edges); one edge per source and target, labelled with its ports (a DNS
 * edge has no label). A flow observed allowed although predicted denied is a thick edge marked
 * `unexpected`.
 */
export function renderGraph(probes: readonly ProbeResult[], names: ReadonlyMap<string, string> = displayNames(namesIn(probes))): string[] {
  const byTarget = compareTargetsShown(names);
  const nodes = [...new Set(namesIn(probes))].sort((a, b) => byTarget({ to: a, port: 0, protocol: 'TCP' }, { to: b, port: 0, protocol: 'TCP' }));
  const out = ['```mermaid', 'graph LR'];
  for (const node of nodes) {
    const kind = targetKind(node);
    const [open, close] = NODE_SHAPES[kind];
    out.push(`  ${toMermaidId(kind, node)}${open}"${escapeMermaidLabel(names.get(node) ?? node)}"${close}`);
  }
  for (const e of flowEdges(probes, names)) {
    const label = [...e.ports, ...(e.unexpected ? ['unexpected'] : [])].join(', ');
    const arrow = e.unexpected ? '==>' : '-->';
    out.push(`  ${toMermaidId(targetKind(e.from), e.from)} ${arrow}${label ? `|"${escapeMermaidLabel(label)}"|` : ''} ${toMermaidId(targetKind(e.to), e.to)}`);
  }
  out.push('```');
  return out;
}
