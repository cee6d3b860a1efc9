/**
 * How reports name workloads, targets, probes and steps, the same way in every report: short
 * names in a scenario of one namespace, `<ns>/<name>` in one of several; lists sorted as the
 * names read; step titles as written. Pure.
 */
import type { ProbeResult } from './result.js';

/** What a probe result's `to` denotes (SCENARIO-FORMAT: `<ns>/<name>`, an external's name, or `dns`). */
export type TargetKind = 'workload' | 'external' | 'dns';

/** `dns` is the DNS probe; a name with `/` is a workload; anything else an external. */
export function targetKind(to: string): TargetKind {
  if (to === 'dns') return 'dns';
  return to.includes('/') ? 'workload' : 'external';
}

/**
 * Display name per reference of one scenario, the same in every step and report: a workload
 * `<ns>/<name>` is shown as `<name>` when the scenario's workloads all live in one namespace,
 * and as `<ns>/<name>` everywhere otherwise; externals and `dns` stay as they are. Every name
 * in `names` gets an entry.
 */
export function displayNames(names: Iterable<string>): ReadonlyMap<string, string> {
  const all = [...new Set(names)];
  const namespaces = new Set(all.filter((n) => targetKind(n) === 'workload').map((n) => n.slice(0, n.indexOf('/'))));
  return new Map(all.map((name) => [name, namespaces.size > 1 ? name : shortOf(name)]));
}

function shortOf(name: string): string {
  return targetKind(name) === 'workload' ? name.slice(name.indexOf('/') + 1) : name;
}

/** The display names of a scenario's result (see `displayNames`): every workload probed in any step. */
export function scenarioNames(result: { readonly steps: readonly { readonly probes: Iterable<Pick<ProbeResult, 'from' | 'to'>> }[] }): ReadonlyMap<string, string> {
  return displayNames(result.steps.flatMap((s) => namesIn(s.probes)));
}

/** Every source and target named by these probes. */
export function namesIn(probes: Iterable<Pick<ProbeResult, 'from' | 'to'>>): string[] {
  const names: string[] = [];
  for (const p of probes) names.push(p.from, p.to);
  return names;
}

type TargetFields = Pick<ProbeResult, 'to' | 'port' | 'protocol' | 'service' | 'servicePort'>;

/**
 * How a probe through a Service other than the target's default reads after the target and
 * pod port: ` via web:80` (the Service and the port dialled), or `` for the default.
 */
export function serviceSuffix(probe: Pick<ProbeResult, 'service' | 'servicePort'>): string {
  return probe.service === undefined ? '' : ` via ${probe.service}:${probe.servicePort ?? ''}`;
}

/**
 * `backend:80`, `coredns:53/UDP`, `web:8080 via web-svc:80` (TCP is implied), or `dns` for the
 * DNS probe (`dns/TCP` for a lookup over TCP).
 */
export function targetLabel(probe: TargetFields, names: ReadonlyMap<string, string>): string {
  if (targetKind(probe.to) === 'dns') return probe.protocol === 'TCP' ? 'dns/TCP' : 'dns';
  const name = names.get(probe.to) ?? probe.to;
  return `${probe.protocol === 'TCP' ? `${name}:${probe.port}` : `${name}:${probe.port}/${probe.protocol}`}${serviceSuffix(probe)}`;
}

/** `frontend -> backend:80/TCP` (the protocol always shown, as in probe keys). */
export function probeLabel(probe: Pick<ProbeResult, 'from' | 'to' | 'port' | 'protocol' | 'service' | 'servicePort'>, names: ReadonlyMap<string, string>): string {
  return `${names.get(probe.from) ?? probe.from} -> ${names.get(probe.to) ?? probe.to}:${probe.port}/${probe.protocol}${serviceSuffix(probe)}`;
}

const KIND_ORDER: Readonly<Record<TargetKind, number>> = { workload: 0, external: 1, dns: 2 };
const PROTOCOL_ORDER: Readonly<Record<string, number>> = { TCP: 0, UDP: 1, SCTP: 2 };

/** Code-unit order: the same on every machine, whatever the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const compare = compareText;

/** References `<namespace>/<name>` by namespace, then name (plan order). */
export function compareNames(a: string, b: string): number {
  const [an, aw] = splitRef(a);
  const [bn, bw] = splitRef(b);
  return compare(an, bn) || compare(aw, bw);
}

function splitRef(name: string): [string, string] {
  const slash = name.indexOf('/');
  return slash < 0 ? ['', name] : [name.slice(0, slash), name.slice(slash + 1)];
}

/** Targets in plan order: workloads (namespace, name), externals, `dns`; then port, protocol, Service. */
export function compareTargets(a: Pick<ProbeResult, 'to' | 'port' | 'protocol'> & Partial<TargetFields>, b: Pick<ProbeResult, 'to' | 'port' | 'protocol'> & Partial<TargetFields>): number {
  return (
    KIND_ORDER[targetKind(a.to)] - KIND_ORDER[targetKind(b.to)] ||
    compareNames(a.to, b.to) ||
    a.port - b.port ||
    (PROTOCOL_ORDER[a.protocol] ?? 9) - (PROTOCOL_ORDER[b.protocol] ?? 9) ||
    compare(a.service ?? '', b.service ?? '') ||
    (a.servicePort ?? 0) - (b.servicePort ?? 0)
  );
}

/** References in the order their display names read (`names` from `displayNames`). */
export function compareShown(names: ReadonlyMap<string, string>): (a: string, b: string) => number {
  return (a, b) => compareText(names.get(a) ?? a, names.get(b) ?? b);
}

/** Sources as shown: workloads, then external clients; within a kind by display name. */
export function compareSourcesShown(names: ReadonlyMap<string, string>): (a: string, b: string) => number {
  const byName = compareShown(names);
  return (a, b) => KIND_ORDER[targetKind(a)] - KIND_ORDER[targetKind(b)] || byName(a, b);
}

/**
 * Targets as shown: workloads, then externals, then `dns`; within a kind by display name;
 * then port and protocol.
 */
export function compareTargetsShown(names: ReadonlyMap<string, string>): (a: Pick<ProbeResult, 'to' | 'port' | 'protocol'> & Partial<TargetFields>, b: Pick<ProbeResult, 'to' | 'port' | 'protocol'> & Partial<TargetFields>) => number {
  const byName = compareShown(names);
  return (a, b) =>
    KIND_ORDER[targetKind(a.to)] - KIND_ORDER[targetKind(b.to)] ||
    byName(a.to, b.to) ||
    a.port - b.port ||
    (PROTOCOL_ORDER[a.protocol] ?? 9) - (PROTOCOL_ORDER[b.protocol] ?? 9) ||
    compare(a.service ?? '', b.service ?? '') ||
    (a.servicePort ?? 0) - (b.servicePort ?? 0);
}

/** `[2/6] step 2: deny-all`: the step's position (1-based) and its name as written. */
export function stepTitle(step: { readonly index: number; readonly name: string }, steps: number): string {
  return `[${step.index + 1}/${steps}] ${step.name}`;
}
