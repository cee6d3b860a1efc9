/**
 * The conformance verdict per feature, for the terminal, Markdown and JSON. Pure.
 */
import pc from 'picocolors';
import type { CaseOutcome, CaseVerdict, DeviatingCell, FeatureVerdict, ProfileMatch } from '../conformance/feature-verdicts.js';
import { escapeMarkdown as escapeMarkdownCell, escapeTerminal } from './escape.js';

/** What `conformance run` found, as reporters take it. */
export interface ConformanceSummary {
  /** The profile predictions were made with, when one was given. */
  readonly profile?: string;
  readonly backend: string;
  readonly features: readonly FeatureVerdict[];
  readonly cases: readonly CaseOutcome[];
  /** Known profiles ordered by how well they explain the deviations (only when no profile was given and something deviated). */
  readonly behavesLike: readonly ProfileMatch[];
  readonly wallMs: number;
  /** Set when the run stopped early: why. The verdicts then cover only the cases that finished. */
  readonly incomplete?: string;
}

/** A verdict in words, for every report of a conformance run. */
export const WORDS: Record<CaseVerdict, string> = {
  pass: 'pass',
  'known-deviation': 'known deviation',
  deviates: 'DEVIATES',
  inconclusive: 'inconclusive',
  unsupported: 'unsupported',
  'suite-error': 'SUITE ERROR',
};

/** Widest verdict (`≈ known deviation`) and a gap. */
const VERDICT_WIDTH = 20;

/** A verdict's symbol, so no report tells it by colour alone. */
export const SYMBOLS: Record<CaseVerdict, string> = { pass: '✓', 'known-deviation': '≈', deviates: '✗', inconclusive: '?', unsupported: '–', 'suite-error': '!' };

/** `x/b -> x/a:80/TCP expected allow, observed deny (ipblock-ingress-pod-ip, step 1)`. */
export function describeCell(c: DeviatingCell): string {
  const observed = c.observed === null ? 'inconclusive' : c.observed;
  return `${c.from} -> ${c.to}:${c.port}/${c.protocol} expected ${c.expected ?? '-'}, observed ${observed}${c.flapped ? ' (flapping)' : ''} (${c.case}, step ${c.step + 1})`;
}

/** A feature's detail lines: unsupported reasons, known deviations, at most `cellsShown` deviating cells. */
export function detail(f: FeatureVerdict, cellsShown: number): string[] {
  const out: string[] = [];
  if (f.verdict === 'unsupported') out.push(...f.unsupported.map((u) => `unsupported: ${u}`));
  for (const d of f.known) out.push(`known deviation ${d.id}: ${d.source}`);
  const cells = f.cells.slice(0, cellsShown).map(describeCell);
  if (f.cells.length > cellsShown) cells.push(`... and ${f.cells.length - cellsShown} more cell(s)`);
  out.push(...cells);
  return out;
}

/** `5/6 pass, 1 deviates`. */
export function countText(f: FeatureVerdict): string {
  const parts = [`${f.counts.pass}/${f.cases} pass`];
  for (const v of ['known-deviation', 'deviates', 'inconclusive', 'unsupported', 'suite-error'] as const) if (f.counts[v] > 0) parts.push(`${f.counts[v]} ${WORDS[v].toLowerCase()}`);
  return parts.join(', ');
}

/**
 * The verdict of the whole run: the worst feature verdict; inconclusive when the run stopped
 * before any case had a verdict (a dataplane that does not enforce passes nothing).
 */
export function overallVerdict(summary: Pick<ConformanceSummary, 'features' | 'incomplete'>): CaseVerdict {
  const order: readonly CaseVerdict[] = ['suite-error', 'deviates', 'inconclusive', 'known-deviation', 'unsupported', 'pass'];
  return order.find((v) => summary.features.some((f) => f.verdict === v)) ?? (summary.incomplete !== undefined ? 'inconclusive' : 'pass');
}

/** Which known profile the deviations look like, when something deviated and no profile was given. */
export function behavesLikeText(summary: ConformanceSummary): string | undefined {
  const deviating = summary.cases.some((c) => c.verdict === 'deviates');
  const best = summary.behavesLike[0];
  if (!deviating || best === undefined) return undefined;
  if (best.explained === best.deviations && best.explained > 0) return `behaves like: ${best.profile} (its documented deviations explain all ${best.deviations} deviating cells; rerun with --profile ${best.profile})`;
  if (best.explained > 0) return `behaves partly like: ${best.profile} (explains ${best.explained} of ${best.deviations} deviating cells); the rest are deviations no known profile documents`;
  return 'behaves like: no known profile explains these deviations';
}

/**
 * Which cases the deviations come from, with their tags: a case turns every tag it carries red,
 * so 6 deviating features may be 2 cases (a reader must not take `select-all` for broken when
 * only a union case that carries it deviates). Undefined when nothing deviates.
 */
export function deviatingCasesText(summary: Pick<ConformanceSummary, 'cases'>): string | undefined {
  const deviating = summary.cases.filter((c) => c.verdict === 'deviates');
  if (deviating.length === 0) return undefined;
  const each = deviating.map((c) => `${c.case} (${c.cells.length} cell${c.cells.length === 1 ? '' : 's'}; tags ${c.tags.join(', ')})`);
  return `the deviating feature(s) come from ${deviating.length} case(s): ${each.join('; ')}`;
}

/** The line a finished case gets as it finishes, e.g. `✗ DEVIATES     ipblock-pod-ip-ingress (2 cells)`. */
export function renderCaseLine(outcome: CaseOutcome, options: { readonly color: boolean }): string {
  const c = pc.createColors(options.color);
  const cells = outcome.cells.length > 0 ? ` (${outcome.cells.length} cell${outcome.cells.length === 1 ? '' : 's'})` : '';
  return `${paintVerdict(c, outcome.verdict, `${SYMBOLS[outcome.verdict]} ${WORDS[outcome.verdict]}`.padEnd(VERDICT_WIDTH))}${escapeTerminal(outcome.case)}${cells}\n`;
}

function paintVerdict(c: ReturnType<typeof pc.createColors>, v: CaseVerdict, text: string): string {
  return v === 'pass' ? c.green(text) : v === 'deviates' || v === 'suite-error' ? c.red(text) : v === 'known-deviation' || v === 'inconclusive' ? c.yellow(text) : c.dim(text);
}

/** `INCOMPLETE: interrupted (SIGINT); the verdicts cover the 12 of 165 cases that finished`. */
function incompleteText(summary: ConformanceSummary): string | undefined {
  return summary.incomplete === undefined ? undefined : `INCOMPLETE: ${summary.incomplete}; the verdicts cover the ${summary.cases.length} case(s) that finished`;
}

/** The terminal table: one line per feature, the deviating cells under it. */
export function renderConformanceTable(summary: ConformanceSummary, options: { readonly color: boolean; readonly cellsPerFeature?: number }): string {
  const c = pc.createColors(options.color);
  const paint = (v: CaseVerdict, text: string): string => paintVerdict(c, v, text);
  const width = Math.max(7, ...summary.features.map((f) => f.tag.length));
  const lines = [
    c.bold(`NetworkPolicy conformance on ${summary.backend}${summary.profile ? ` (profile ${summary.profile})` : ''}: ${summary.cases.length} cases, ${summary.features.length} features`),
    `  ${'feature'.padEnd(width)}  ${'verdict'.padEnd(VERDICT_WIDTH)}cases`,
  ];
  for (const f of summary.features) {
    lines.push(`  ${f.tag.padEnd(width)}  ${paint(f.verdict, `${SYMBOLS[f.verdict]} ${WORDS[f.verdict]}`.padEnd(VERDICT_WIDTH))}${countText(f)}`);
    for (const d of detail(f, options.cellsPerFeature ?? 3)) lines.push(`  ${' '.repeat(width)}    ${c.dim(d)}`);
  }
  const overall = overallVerdict(summary);
  lines.push('', `${paint(overall, WORDS[overall].toUpperCase())}: ${Object.entries(countFeatures(summary)).map(([v, n]) => `${n} ${WORDS[v as CaseVerdict].toLowerCase()}`).join(', ')} (features)`);
  const from = deviatingCasesText(summary);
  if (from !== undefined) lines.push(escapeTerminal(from));
  const like = behavesLikeText(summary);
  if (like !== undefined) lines.push(like);
  const incomplete = incompleteText(summary);
  if (incomplete !== undefined) lines.push(c.yellow(incomplete));
  return `${lines.join('\n')}\n`;
}

function countFeatures(summary: Pick<ConformanceSummary, 'features'>): Partial<Record<CaseVerdict, number>> {
  const out: Partial<Record<CaseVerdict, number>> = {};
  for (const f of summary.features) out[f.verdict] = (out[f.verdict] ?? 0) + 1;
  return out;
}

/** The per-feature table in Markdown (a CI summary). */
export function renderConformanceMarkdown(summary: ConformanceSummary): string {
  const overall = overallVerdict(summary);
  const out = [
    `# NetworkPolicy conformance: ${WORDS[overall]}`,
    '',
    `${summary.cases.length} cases${summary.backend !== '' ? ` on ${escapeMarkdownCell(summary.backend)}` : ''}${summary.profile ? `, profile ${escapeMarkdownCell(summary.profile)}` : ''}, ${(summary.wallMs / 1000).toFixed(0)} s.`,
    '',
  ];
  const incomplete = incompleteText(summary);
  if (incomplete !== undefined) out.push(`> **⚠️ ${escapeMarkdownCell(incomplete)}**`, '');
  const like = behavesLikeText(summary);
  if (like !== undefined) out.push(`**${escapeMarkdownCell(like)}**`, '');
  const from = deviatingCasesText(summary);
  if (from !== undefined) out.push(escapeMarkdownCell(from), '');
  out.push('| feature | verdict | cases | detail |', '| --- | --- | --- | --- |');
  for (const f of summary.features) {
    // The link stays a link: its text and the summary are escaped, the address percent-encoded where Markdown would end it.
    const known = f.known.map((d) => `known deviation [${escapeMarkdownCell(d.id)}](${d.source.replace(/[\s()|<>]/g, encodeURIComponent)}): ${escapeMarkdownCell(d.summary)}`);
    const rest = detail(f, 3).filter((l) => !l.startsWith('known deviation')).map(escapeMarkdownCell);
    out.push(`| ${escapeMarkdownCell(f.tag)} | ${SYMBOLS[f.verdict]} ${WORDS[f.verdict]} | ${countText(f)} | ${[...known, ...rest].join('<br>')} |`);
  }
  return `${out.join('\n')}\n`;
}

/** The summary as one JSON object (the last line of `--output json`, under the key `conformance`). */
export function toConformanceJson(summary: ConformanceSummary): object {
  return {
    conformance: {
      backend: summary.backend,
      ...(summary.profile ? { profile: summary.profile } : {}),
      verdict: overallVerdict(summary),
      ...(summary.incomplete !== undefined ? { incomplete: summary.incomplete } : {}),
      wallMs: Math.round(summary.wallMs),
      features: summary.features.map((f) => ({
        tag: f.tag,
        verdict: f.verdict,
        cases: f.cases,
        counts: f.counts,
        cells: f.cells,
        known: f.known.map((d) => ({ id: d.id, source: d.source })),
        unsupported: f.unsupported,
      })),
      behavesLike: summary.behavesLike,
    },
  };
}
