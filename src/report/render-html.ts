/**
 * `--html FILE`: one self-contained page (style, script and data inline; a Content Security
 * Policy forbids any network access) to open and look at. It leads with the counts and the
 * disagreements; then per scenario (failed ones first) and step a grid whose every cell shows
 * expected, predicted and observed with a symbol and a colour, the step's settle time, and an
 * inline SVG graph of the allowed flows. A click (or Enter) on a cell shows the probe's full
 * explanation. Optional sections show a conformance table and a manifest diff when the command
 * has one. Pure and deterministic.
 */
import { countResults, formatProbeTally, isObserved, PROBE_STATUSES, probeStatus, tallyProbes, type ProbeStatus, type Tally } from './count-results.js';
import type { FlowChange } from './diff-result.js';
import { compareShown, compareSourcesShown, compareTargetsShown, probeLabel, scenarioNames, serviceSuffix, stepTitle, targetLabel } from './display-names.js';
import type { CaseVerdict } from '../conformance/feature-verdicts.js';
import { behavesLikeText, countText, detail, overallVerdict, SYMBOLS, WORDS, type ConformanceSummary } from './render-conformance.js';
import { escapeHtml, jsonForScript } from './escape-html.js';
import { HTML_SCRIPT } from './html-script.js';
import { HTML_STYLE } from './html-style.js';
import { flowEdges, renderFlowGraph } from './render-flow-graph.js';
import type { ProbeResult, ScenarioResult, StepResult } from './result.js';
import type { Protocol } from '../policy/types.js';
import type { Verdict } from '../scenario/types.js';

/** One line of a unified diff. */
export interface DiffLine {
  readonly op: 'add' | 'remove' | 'context';
  readonly text: string;
}

/** A manifest diff (the `diff` command): the changed files and the flows that change. */
export interface DiffSection {
  /** e.g. `manifests/ against the cluster`. */
  readonly title: string;
  readonly files: readonly { readonly path: string; readonly lines: readonly DiffLine[] }[];
  readonly flows?: readonly FlowChange[];
}

/** What the page shows; `conformance` and `diff` only when the command produced them. */
export interface HtmlReportInput {
  readonly results: readonly ScenarioResult[];
  /** Set when the run stopped early: why. The page then says it is incomplete. */
  readonly incomplete?: string;
  /** The per-feature verdicts of `conformance run`. */
  readonly conformance?: ConformanceSummary;
  readonly diff?: DiffSection;
  /** When the report was made (ISO 8601), for the footer; omitted for deterministic output. */
  readonly generatedAt?: string;
}

const SYMBOL: Readonly<Record<Verdict, string>> = { allow: '✓', deny: '✗' };
const STATUS_TEXT: Readonly<Record<ProbeStatus, string>> = {
  passed: '✓ passed',
  failed: '✗ FAILED',
  unasserted: '– not asserted (no expectation)',
  inconclusive: '? inconclusive',
};
/** The colour of a conformance verdict (its symbol and word say it too). */
const CONFORMANCE_STATUS: Readonly<Record<CaseVerdict, ProbeStatus>> = {
  pass: 'passed',
  'known-deviation': 'inconclusive',
  deviates: 'failed',
  'suite-error': 'failed',
  inconclusive: 'inconclusive',
  unsupported: 'unasserted',
};

/** What the script needs of one probe to show its explanation. */
interface ProbeData {
  readonly title: string;
  readonly expected: Verdict | null;
  readonly predicted: Verdict;
  readonly observed: Verdict | null;
  readonly outcome: string | null;
  readonly status: ProbeStatus;
  readonly statusText: string;
  readonly expectation: string | null;
  readonly reason: string;
  /** Indexes into the shared line table (explanations repeat lines, quoted rules above all). */
  readonly explanation: readonly number[] | null;
}

/** Numbers every probe of the page and keeps the script's data, lines shared. */
class PageData {
  readonly probes: ProbeData[] = [];
  private readonly lines: string[] = [];
  private readonly lineIndex = new Map<string, number>();
  /** Cell id by probe object. */
  readonly ids = new Map<ProbeResult, string>();

  add(p: ProbeResult, names: ReadonlyMap<string, string>): string {
    const status = probeStatus(p);
    this.probes.push({
      title: probeLabel(p, names).replace(' -> ', ' → '),
      expected: p.expected,
      predicted: p.predicted,
      observed: p.observed,
      outcome: p.outcome ?? null,
      status,
      statusText: STATUS_TEXT[status],
      expectation: p.expectation ?? null,
      reason: p.reason,
      explanation: p.explanation ? p.explanation.map((l) => this.line(l)) : null,
    });
    const id = `c${this.probes.length - 1}`;
    this.ids.set(p, id);
    return id;
  }

  private line(text: string): number {
    let i = this.lineIndex.get(text);
    if (i === undefined) {
      i = this.lines.length;
      this.lines.push(text);
      this.lineIndex.set(text, i);
    }
    return i;
  }

  json(): string {
    return jsonForScript({ probes: this.probes, lines: this.lines });
  }
}

function countsBlock(t: Readonly<Record<ProbeStatus, number>>, scope: string, observed: boolean): string {
  const shown = PROBE_STATUSES.filter((s) => s !== 'inconclusive' || observed || t.inconclusive > 0);
  const items = shown.map((s) => `<span class="count s-${s}" data-scope="${scope}" data-status="${s}"><b>${t[s]}</b> ${STATUS_TEXT[s].split(' ')[0]} ${s}</span>`);
  return `<div class="counts" aria-label="probes">${items.join('')}</div>`;
}

function tallyText(noun: string, t: Tally): string {
  return `${t.passed + t.failed} ${noun}: ${t.passed} passed, ${t.failed} failed`;
}

function passBadge(pass: boolean): string {
  return pass ? '<span class="badge s-passed">✓ PASS</span>' : '<span class="badge s-failed">✗ FAIL</span>';
}

function mark(slot: 'E' | 'P' | 'O', verdict: Verdict | null, inconclusive: boolean, label: string): string {
  const cls = inconclusive ? 'v-inconclusive' : verdict === null ? 'v-none' : `v-${verdict}`;
  const symbol = inconclusive ? '?' : verdict === null ? '–' : SYMBOL[verdict];
  return `<span class="mk ${cls}" title="${label}"><i>${slot}</i>${symbol}</span>`;
}

function cellLabel(p: ProbeResult, names: ReadonlyMap<string, string>, observing: boolean, status: ProbeStatus): string {
  const parts = [`expected ${p.expected ?? 'nothing'}`, `predicted ${p.predicted}`];
  if (observing) parts.push(p.observed === null ? `observed inconclusive (${p.outcome ?? 'none'})` : `observed ${p.observed} (${p.outcome ?? ''})`);
  return `${probeLabel(p, names)}: ${parts.join(', ')}: ${STATUS_TEXT[status]}`;
}

function renderCell(p: ProbeResult | undefined, names: ReadonlyMap<string, string>, observing: boolean, page: PageData): string {
  if (!p) return '<td><span class="not-probed" title="not probed">·</span></td>';
  const status = probeStatus(p);
  const id = page.add(p, names);
  const marks = [
    mark('E', p.expected, false, p.expected === null ? 'expected: nothing (not asserted)' : `expected ${p.expected}`),
    mark('P', p.predicted, false, `predicted ${p.predicted}`),
    ...(observing ? [mark('O', p.observed, p.outcome !== undefined && p.observed === null, `observed ${p.observed ?? 'inconclusive'} (${p.outcome ?? 'none'})`)] : []),
  ];
  const flag = status === 'failed' ? '<span class="flag" aria-hidden="true">!</span>' : status === 'inconclusive' ? '<span class="flag" aria-hidden="true">?</span>' : '';
  const data = [
    ['from', p.from],
    ['to', p.to],
    ['port', String(p.port)],
    ['protocol', p.protocol],
    ['expected', p.expected ?? ''],
    ['predicted', p.predicted],
    ['observed', p.observed ?? ''],
    ['status', status],
  ]
    .map(([k, v]) => ` data-${k}="${escapeHtml(v!)}"`)
    .join('');
  return `<td><button type="button" class="cell st-${status}" id="${id}" data-p="${id.slice(1)}"${data} aria-pressed="false" aria-label="${escapeHtml(cellLabel(p, names, observing, status))}">${marks.join('')}${flag}</button></td>`;
}

function columnKey(p: Pick<ProbeResult, 'to' | 'port' | 'protocol'>): string {
  return `${p.to} ${p.port}/${p.protocol}`;
}

function renderGrid(step: StepResult, names: ReadonlyMap<string, string>, page: PageData): string {
  if (step.probes.length === 0) return '<p class="facts">(no probes)</p>';
  const observing = isObserved(step.probes);
  const rows = [...new Set(step.probes.map((p) => p.from))].sort(compareSourcesShown(names));
  const firstOfColumn = new Map<string, ProbeResult>();
  for (const p of step.probes) if (!firstOfColumn.has(columnKey(p))) firstOfColumn.set(columnKey(p), p);
  const columns = [...firstOfColumn.values()].sort(compareTargetsShown(names));
  const cells = new Map(step.probes.map((p) => [`${p.from}\n${columnKey(p)}`, p]));
  // Long `<ns>/<name>:<port>` headers may break after the slash, so grids stay narrow.
  const head = columns.map((c) => `<th scope="col">${escapeHtml(targetLabel(c, names)).replace(/\//g, '/<wbr>')}</th>`).join('');
  const body = rows
    .map((r) => `<tr><th scope="row">${escapeHtml(names.get(r) ?? r)}</th>${columns.map((c) => renderCell(cells.get(`${r}\n${columnKey(c)}`), names, observing, page)).join('')}</tr>`)
    .join('');
  const caption = `Reachability: rows are sources, columns targets; each cell shows E expected, P predicted${observing ? ', O observed' : ''}`;
  return `<div class="grid-wrap"><table class="grid"><caption class="vh">${caption}</caption><thead><tr><th scope="col">from \\ to</th>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

function failureList(items: ReadonlyArray<{ probe: ProbeResult; context: string }>, page: PageData, names: (p: ProbeResult) => ReadonlyMap<string, string>): string {
  const li = items.map(({ probe, context }) => {
    const what = `${context}${probeLabel(probe, names(probe))}: expected ${probe.expected ?? 'nothing'}, predicted ${probe.predicted}${probe.outcome !== undefined ? `, observed ${probe.observed ?? 'inconclusive'} (${probe.outcome})` : ''}`;
    return `<li><button type="button" class="jump" data-jump="${page.ids.get(probe)}">${escapeHtml(what)}</button><span class="reason">${escapeHtml(probe.reason)}</span></li>`;
  });
  return `<ol class="disagreements">${li.join('')}</ol>`;
}

function renderStep(result: ScenarioResult, step: StepResult, si: number, names: ReadonlyMap<string, string>, page: PageData): string {
  const id = `s${si}-t${step.index}`;
  const observing = isObserved(step.probes);
  const facts = [formatProbeTally(tallyProbes(step.probes), observing)];
  if (step.convergedMs !== undefined) facts.push(`settled in ${(step.convergedMs / 1000).toFixed(1)} s`);
  if (step.flapped !== undefined && step.flapped.length > 0) facts.push(`flapping: ${step.flapped.join(', ')}`);
  const grid = renderGrid(step, names, page);
  const failed = step.probes.filter((p) => !p.pass);
  const fails = failed.length > 0 ? `<h4 class="s-failed">✗ ${failed.length} disagreement(s)</h4>${failureList(failed.map((probe) => ({ probe, context: '' })), page, () => names)}` : '';
  const edges = flowEdges(step.probes, names);
  const graph = `<figure class="graph">${renderFlowGraph(step.probes, names, `g${si}-${step.index}`)}<figcaption>${edges.length} allowed flow(s), ${observing ? 'as observed' : 'as predicted'}${edges.some((e) => e.unexpected) ? '; red dashed: observed although the policies deny it' : ''}</figcaption></figure>`;
  return [
    `<article class="step" id="${id}" data-scenario="${escapeHtml(result.scenario)}" data-step="${step.index}" data-pass="${step.pass}">`,
    `<h3>${escapeHtml(stepTitle(step, result.steps.length))} ${passBadge(step.pass)}</h3>`,
    `<p class="facts" data-tally="${escapeHtml(facts[0]!)}">${escapeHtml(facts.join(' · '))}</p>`,
    fails,
    `<div class="step-body">${grid}${graph}</div>`,
    '<section class="detail" hidden aria-live="polite" aria-label="explanation of the selected cell"></section>',
    '</article>',
  ].join('');
}

function renderScenario(result: ScenarioResult, si: number, page: PageData): string {
  const names = scenarioNames(result);
  const facts = [escapeHtml(result.file)];
  const env = result.environment;
  if (env) {
    facts.push(`backend ${escapeHtml(env.backend)}`);
    if (env.cni !== undefined) facts.push(`CNI ${escapeHtml(env.cni)}`);
    if (env.enforcement !== undefined) facts.push(`enforcement ${escapeHtml(env.enforcement)}`);
  }
  const t = countResults([result]);
  facts.push(escapeHtml(tallyText('steps', t.steps)));
  // Steps render first so their cells get ids before the lists that jump to them.
  const steps = result.steps.map((s) => renderStep(result, s, si, names, page)).join('');
  return `<section class="scenario" id="s${si}" data-scenario="${escapeHtml(result.scenario)}" data-pass="${result.pass}"><h2>${escapeHtml(result.scenario)} ${passBadge(result.pass)}</h2><p class="facts">${facts.join(' · ')}</p>${steps}</section>`;
}

function renderToc(ordered: ReadonlyArray<{ result: ScenarioResult; si: number }>): string {
  const items = ordered.map(({ result, si }) => {
    const steps = result.steps
      .map((s) => {
        const title = escapeHtml(stepTitle(s, result.steps.length));
        const settled = s.convergedMs !== undefined ? `<span class="settled"> ${(s.convergedMs / 1000).toFixed(1)} s</span>` : '';
        return `<li><a href="#s${si}-t${s.index}" title="${title}">${s.pass ? '✓' : '✗'} ${title}</a>${settled}</li>`;
      })
      .join('');
    return `<li><a href="#s${si}" class="${result.pass ? 's-passed' : 's-failed'}">${result.pass ? '✓' : '✗'} ${escapeHtml(result.scenario)}</a><ol>${steps}</ol></li>`;
  });
  return `<nav class="toc" aria-label="scenarios and steps"><h2>Scenarios</h2><ol>${items.join('')}</ol></nav>`;
}

function renderConformance(c: ConformanceSummary): string {
  const rows = c.features
    .map((f) => {
      const details = detail(f, 5).map(escapeHtml).join('<br>');
      return `<tr data-feature="${escapeHtml(f.tag)}" data-verdict="${f.verdict}"><td class="mono">${escapeHtml(f.tag)}</td><td class="s-${CONFORMANCE_STATUS[f.verdict]}">${SYMBOLS[f.verdict]} ${WORDS[f.verdict]}</td><td>${escapeHtml(countText(f))}</td><td>${details}</td></tr>`;
    })
    .join('');
  const overall = overallVerdict(c);
  const like = behavesLikeText(c);
  const facts = [`${c.cases.length} cases`, `${c.features.length} features`, ...(c.profile !== undefined ? [`profile ${c.profile}`] : []), `${(c.wallMs / 1000).toFixed(0)} s`];
  return [
    `<section id="conformance"><h2>Conformance on ${escapeHtml(c.backend)}: <span class="s-${CONFORMANCE_STATUS[overall]}">${SYMBOLS[overall]} ${WORDS[overall]}</span></h2>`,
    `<p class="facts">${escapeHtml(facts.join(' · '))}</p>`,
    like !== undefined ? `<p><b>${escapeHtml(like)}</b></p>` : '',
    `<table class="plain"><thead><tr><th scope="col">feature</th><th scope="col">verdict</th><th scope="col">cases</th><th scope="col">detail</th></tr></thead><tbody>${rows}</tbody></table></section>`,
  ].join('');
}

function renderDiff(d: DiffSection): string {
  const prefix: Readonly<Record<DiffLine['op'], string>> = { add: '+', remove: '-', context: ' ' };
  const files = d.files
    .map((f) => `<h3 class="mono">${escapeHtml(f.path)}</h3><pre class="diff">${f.lines.map((l) => `<span class="${l.op}">${prefix[l.op]}${escapeHtml(l.text)}</span>`).join('')}</pre>`)
    .join('');
  const flows =
    d.flows && d.flows.length > 0
      ? `<h3>Flows that change</h3><table class="plain"><thead><tr><th scope="col">flow</th><th scope="col">before</th><th scope="col">after</th><th scope="col">why, after</th></tr></thead><tbody>${d.flows
          .map(
            (f) =>
              `<tr><td class="mono">${escapeHtml(`${f.from} → ${f.to}:${f.port}/${f.protocol}${serviceSuffix(f)}`)}</td><td class="v-${f.before}">${SYMBOL[f.before]} ${f.before}</td><td class="v-${f.after}">${SYMBOL[f.after]} ${f.after}</td><td>${escapeHtml(f.afterReason)}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '';
  return `<section id="diff"><h2>Diff: ${escapeHtml(d.title)}</h2>${files}${flows}</section>`;
}

const LEGEND = [
  '<span><span class="mk v-allow"><i>E</i>✓</span> allow</span>',
  '<span><span class="mk v-deny"><i>E</i>✗</span> deny</span>',
  '<span><span class="mk v-none"><i>E</i>–</span> no expectation (not asserted)</span>',
  '<span><span class="mk v-inconclusive"><i>O</i>?</span> inconclusive observation</span>',
  '<span>E expected · P predicted · O observed (under run)</span>',
  '<span><span class="cell st-passed" aria-hidden="true">✓</span> passed</span>',
  '<span><span class="cell st-failed" aria-hidden="true">✗<span class="flag">!</span></span> failed</span>',
  '<span><span class="cell st-unasserted" aria-hidden="true">–</span> not asserted</span>',
  '<span><span class="cell st-inconclusive" aria-hidden="true">?<span class="flag">?</span></span> inconclusive</span>',
];

/** The whole page; ends with a newline. */
export function renderHtml(input: HtmlReportInput): string {
  const { results } = input;
  const page = new PageData();
  const totals = countResults(results);
  const observed = results.some((r) => r.steps.some((s) => isObserved(s.probes)));
  const conformanceOk = input.conformance === undefined || ['pass', 'known-deviation'].includes(overallVerdict(input.conformance));
  const allPass = results.every((r) => r.pass) && input.incomplete === undefined && conformanceOk;
  // Failed scenarios first: they are what the reader came for.
  const ordered = results.map((result, si) => ({ result, si })).sort((a, b) => Number(a.result.pass) - Number(b.result.pass) || a.si - b.si);
  const scenarios = ordered.map(({ result, si }) => renderScenario(result, si, page)).join('');
  const failures = ordered.flatMap(({ result }) => {
    const names = scenarioNames(result);
    return result.steps.flatMap((s) => s.probes.filter((p) => !p.pass).map((probe) => ({ probe, context: `${result.scenario} · ${stepTitle(s, result.steps.length)} · `, names })));
  });
  const namesOf = new Map(failures.map((f) => [f.probe, f.names]));
  const disagreements =
    failures.length > 0
      ? `<section id="disagreements"><h2 class="s-failed">✗ ${failures.length} disagreement(s)</h2>${failureList(failures, page, (p) => namesOf.get(p)!)}</section>`
      : `<section id="disagreements"><h2>Disagreements</h2><p class="s-passed">✓ none: every probe passed.</p></section>`;
  const title = `netpol-harness: ${allPass ? 'PASS' : 'FAIL'} · ${results.length} scenario(s)`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Everything is inline: the page may load nothing from anywhere.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    '<header class="top">',
    '<h1>netpol-harness report</h1>',
    `<p class="overall ${allPass ? 's-passed' : 's-failed'}" data-pass="${allPass}">${allPass ? '✓ PASS' : '✗ FAIL'}</p>`,
    input.incomplete !== undefined ? `<p class="incomplete" role="alert">⚠ INCOMPLETE: ${escapeHtml(input.incomplete)}. This report covers the ${results.length} scenario(s) that finished.</p>` : '',
    `<p class="facts">${escapeHtml(`${tallyText('scenarios', totals.scenarios)} · ${tallyText('steps', totals.steps)} · ${formatProbeTally(totals.probes, observed)}`)}</p>`,
    countsBlock(totals.probes, 'total', observed),
    `<details class="legend"><summary>How to read a cell</summary><div class="legend-grid">${LEGEND.join('')}</div></details>`,
    '</header>',
    '<div class="layout">',
    results.length > 0 ? renderToc(ordered) : '',
    '<main>',
    disagreements,
    input.conformance ? renderConformance(input.conformance) : '',
    input.diff ? renderDiff(input.diff) : '',
    scenarios,
    '</main>',
    '</div>',
    `<footer>netpol-harness${input.generatedAt !== undefined ? ` · ${escapeHtml(input.generatedAt)}` : ''} · self-contained: nothing is loaded from the network</footer>`,
    `<script type="application/json" id="nph-data">${page.json()}</script>`,
    `<script>${HTML_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
