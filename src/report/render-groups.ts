/**
 * The grouped view of a large reachability matrix (`scan`'s default above a few dozen
 * workloads): source and target groups, then "these N may reach those M on port because ...",
 * DNS per group, and the denied flows counted by reason. Pure.
 */
import pc from 'picocolors';
import type { FlowGroups, Reasons, SourceGroup, TargetGroup } from '../reachability/group-flows.js';

export interface GroupsOptions {
  readonly color: boolean;
  /** Members named per group before `(+N more)` (default 6). */
  readonly membersShown?: number;
}

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, word: string, words = `${word}s`): string => `${count(n)} ${n === 1 ? word : words}`;

function memberList(members: readonly string[], shown: number): string {
  const head = members.slice(0, shown).join(', ');
  return members.length > shown ? `${head}, ... (+${count(members.length - shown)} more)` : head;
}

function reasonLines(reasons: Reasons, indent: string, withExample: boolean): string[] {
  const lines = reasons.top.map((r) => `${indent}${plural(r.flows, 'flow')}${withExample ? `, e.g. ${r.example}` : ''}: ${r.text}`);
  if (reasons.others > 0) lines.push(`${indent}${plural(reasons.otherFlows, 'flow')} for ${plural(reasons.others, 'other reason')}`);
  return lines;
}

/** The grouped report; ends with a newline. */
export function renderGroups(groups: FlowGroups, options: GroupsOptions): string {
  const c = pc.createColors(options.color);
  const shown = options.membersShown ?? 6;
  const sizes = new Map<string, number>([...groups.sourceGroups.map((g): [string, number] => [g.id, g.members.length]), ...groups.targetGroups.map((g): [string, number] => [g.id, g.members.length])]);
  const size = (id: string): string => `${id} (${count(sizes.get(id) ?? 0)})`;
  const lines = [
    c.bold(`Reachability of ${plural(groups.workloads, 'workload')} in ${plural(groups.namespaces, 'namespace')} under ${plural(groups.policies, 'policy', 'policies')}`),
    `${plural(groups.flows, 'flow')} (every way into every other workload, and each DNS lookup): ${count(groups.allowed)} allowed, ${count(groups.flows - groups.allowed)} denied.`,
    '',
    `Source groups: workloads that may reach exactly the same targets (${groups.sourceGroups.length})`,
    ...groups.sourceGroups.map((g: SourceGroup) => `  ${g.id.padEnd(5)} ${plural(g.members.length, 'workload')}: ${memberList(g.members, shown)}`),
    '',
    `Target groups: per port, workloads reachable from exactly the same source groups (${groups.targetGroups.length})`,
    ...groups.targetGroups.map((g: TargetGroup) => `  ${g.id.padEnd(5)} ${`${g.port}/${g.protocol}`.padEnd(9)} ${plural(g.members.length, 'workload')}: ${memberList(g.members, shown)}`),
    '',
    c.green('Allowed: what each source group may reach, per port'),
  ];
  for (const r of groups.reach) {
    const targets = r.targets.length <= 4 ? r.targets.map(size).join(', ') : `${r.targets.slice(0, 4).map(size).join(', ')} and ${r.targets.length - 4} more groups`;
    lines.push(`  ${size(r.sources)} may reach ${plural(r.workloads, 'workload')} on ${r.port}/${r.protocol} (${targets}): ${plural(r.flows, 'flow')}, because`);
    lines.push(...reasonLines(r.reasons, '      ', r.reasons.top.length + r.reasons.others > 1));
  }
  if (groups.reach.length === 0) lines.push('  nothing');
  if (groups.dns.length > 0) {
    lines.push('', 'DNS lookups (a Service name needs one)');
    for (const d of groups.dns) {
      lines.push(`  ${size(d.sources)} ${d.allowed ? c.green('may resolve names') : c.red('may NOT resolve names')}, because`);
      lines.push(...reasonLines(d.reasons, '      ', false));
    }
  }
  lines.push('', c.red(`Denied: ${plural(groups.flows - groups.allowed - groups.dns.filter((d) => !d.allowed).reduce((n, d) => n + (sizes.get(d.sources) ?? 0), 0), 'flow')} to workloads, by reason`));
  lines.push(...reasonLines(groups.denied, '  ', true));
  lines.push('', c.dim('Every flow with its own reason: --output json (one line, streamed).'));
  return `${lines.join('\n')}\n`;
}
