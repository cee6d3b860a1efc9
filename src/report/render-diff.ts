/**
 * `diff` reports: a terminal list, JSON Lines (one changed flow per line) and Markdown fit
 * for a pull-request comment. Nothing at all when nothing changes. Pure.
 */
import pc from 'picocolors';
import type { FlowChange, ManifestDiff } from './diff-result.js';
import { serviceSuffix } from './display-names.js';
import { escapeMarkdown, escapeTerminal } from './escape.js';

/** The legal values of `diff --output`. */
export type DiffFormat = 'table' | 'json' | 'markdown';

export const DIFF_FORMATS: readonly DiffFormat[] = ['table', 'json', 'markdown'];

function flowLabel(c: FlowChange): string {
  return `${c.from} -> ${c.to}${c.to === 'dns' ? '' : `:${c.port}/${c.protocol}${serviceSuffix(c)}`}`;
}

function summary(diff: ManifestDiff): string {
  return `${diff.opened} flow${diff.opened === 1 ? '' : 's'} opened, ${diff.closed} closed`;
}

function policies(list: readonly string[]): string {
  return list.length === 0 ? '' : ` [${list.join(', ')}]`;
}

/** Per changed flow: `+`/`-`, the flow, the verdicts, then the reason on each side. */
export function renderDiffTable(diff: ManifestDiff, options: { readonly color: boolean }): string {
  if (diff.changes.length === 0) return '';
  const c = pc.createColors(options.color);
  const lines = [c.bold(`${summary(diff)}: ${escapeTerminal(diff.base)} -> ${escapeTerminal(diff.head)}`)];
  for (const change of diff.changes) {
    const opened = change.after === 'allow';
    lines.push(`${opened ? c.green('+ opened') : c.red('- closed')} ${flowLabel(change)}`);
    lines.push(`    before: ${change.beforeReason}${policies(change.beforePolicies)}`);
    lines.push(`    after:  ${change.afterReason}${policies(change.afterPolicies)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One JSON object per changed flow, fields in `FlowChange` order. */
export function renderDiffJsonl(diff: ManifestDiff): string {
  return diff.changes
    .map((ch) =>
      JSON.stringify({
        from: ch.from,
        to: ch.to,
        port: ch.port,
        protocol: ch.protocol,
        before: ch.before,
        after: ch.after,
        beforeReason: ch.beforeReason,
        afterReason: ch.afterReason,
        beforePolicies: ch.beforePolicies,
        afterPolicies: ch.afterPolicies,
        ...(ch.service !== undefined ? { service: ch.service, servicePort: ch.servicePort } : {}),
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** A pull-request comment: the counts, a table of changed flows, and the reasons folded away. */
export function renderDiffMarkdown(diff: ManifestDiff): string {
  if (diff.changes.length === 0) return '';
  const out = [`### netpol-harness diff: ${summary(diff)}`, '', `${escapeMarkdown(diff.base)} → ${escapeMarkdown(diff.head)}`, ''];
  out.push('| | from | to | before | after | responsible after |', '| --- | --- | --- | --- | --- | --- |');
  for (const ch of diff.changes) {
    const to = ch.to === 'dns' ? 'dns' : `${ch.to}:${ch.port}/${ch.protocol}${serviceSuffix(ch)}`;
    const cells = [ch.after === 'allow' ? '🟢 opened' : '🔴 closed', ch.from, to, ch.before, ch.after, ch.afterPolicies.join(', ') || '—'];
    out.push(`| ${cells.map(escapeMarkdown).join(' | ')} |`);
  }
  out.push('', '<details><summary>Reasons</summary>', '');
  for (const ch of diff.changes) {
    out.push(`- **${escapeMarkdown(flowLabel(ch))}**`, `  - before: ${escapeMarkdown(ch.beforeReason)}`, `  - after: ${escapeMarkdown(ch.afterReason)}`);
  }
  out.push('', '</details>', '');
  return `${out.join('\n')}`;
}
