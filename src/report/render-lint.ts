/** `lint` reports: `file:line:col: severity rule-id: message` and the fix, or JSON Lines. Pure. */
import pc from 'picocolors';
import type { LintFinding } from '../lint/types.js';
import { toLineCol } from '../scenario/line-col.js';

/** A finding with its 1-based position (null when the file's text is unknown). */
export interface LintFindingJson {
  readonly file: string;
  readonly line: number | null;
  readonly col: number | null;
  readonly rule: LintFinding['rule'];
  readonly severity: LintFinding['severity'];
  readonly message: string;
  readonly fix: string;
}

export function toLintJson(f: LintFinding, sources: ReadonlyMap<string, string>): LintFindingJson {
  const source = sources.get(f.file);
  const pos = source === undefined ? undefined : toLineCol(source, f.range[0]);
  return { file: f.file, line: pos?.line ?? null, col: pos?.col ?? null, rule: f.rule, severity: f.severity, message: f.message, fix: f.fix };
}

/** Two lines per finding, then the counts; '' when there is none. */
export function renderLint(findings: readonly LintFinding[], sources: ReadonlyMap<string, string>, options: { readonly color: boolean }): string {
  if (findings.length === 0) return '';
  const c = pc.createColors(options.color);
  const lines: string[] = [];
  for (const f of findings) {
    const j = toLintJson(f, sources);
    const where = j.line === null ? f.file : `${f.file}:${j.line}:${j.col}`;
    lines.push(`${where}: ${f.severity === 'error' ? c.red('error') : c.yellow('warning')} ${c.bold(f.rule)}: ${f.message}`, `  ${c.dim('fix:')} ${f.fix}`);
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  lines.push('', `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

/** One `LintFindingJson` per line. */
export function renderLintJsonl(findings: readonly LintFinding[], sources: ReadonlyMap<string, string>): string {
  return findings.map((f) => `${JSON.stringify(toLintJson(f, sources))}\n`).join('');
}
