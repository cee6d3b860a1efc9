/**
 * How reports name workloads, targets and probes: short names where they are unambiguous, so
 * tables stay narrow; full `<ns>/<name>` references where they are not. Pure.
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
 * Display name per reference: a workload `<ns>/<name>` becomes `<name>` when no other
 * workload, external or `dns` in `names` would read the same; externals and `dns` stay as they
 * are. Every name in `names` gets an entry.
 */
export function shortNames(names: Iterable<string>): ReadonlyMap<string, string> {
  const all = [...new Set(names)];
  const counts = new Map<string, number>();
  for (const name of all) {
    const short = shortOf(name);
    counts.set(short, (counts.get(short) ?? 0) + 1);
  }
  return new Map(all.map((name) => [name, counts.get(shortOf(name)) === 1 ? shortOf(name) : name]));
}

function shortOf(name: string): string {
  return targetKind(name) === 'workload' ? name.slice(name.indexOf('/') + 1) : name;
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

/** `backend:80`, `coredns:53/UDP`, `web:8080 via web-svc:80`, or `dns` for the DNS probe (TCP is implied). */
export function targetLabel(probe: TargetFields, names: ReadonlyMap<string, string>): string {
  if (targetKind(probe.to) === 'dns') return 'dns';
  const name = names.get(probe.to) ?? probe.to;
  return `${probe.protocol === 'TCP' ? `${name}:${probe.port}` : `${name}:${probe.port}/${probe.protocol}`}${serviceSuffix(probe)}`;
}

/** `frontend -> backend:80/TCP` (the protocol always shown, as in probe keys). */
export function probeLabel(probe: Pick<ProbeResult, 'from' | 'to' | 'port' | 'protocol' | 'service' | 'servicePort'>, names: ReadonlyMap<string, string>): string {
  return `${names.get(probe.from) ?? probe.from} -> ${names.get(probe.to) ?? probe.to}:${probe.port}/${probe.protocol}${serviceSuffix(probe)}`;
}

const KIND_ORDER: Readonly<Record<TargetKind, number>> = { workload: 0, external: 1, dns: 2 };
const PROTOCOL_ORDER: Readonly<Record<string, number>> = { TCP: 0, UDP: 1, SCTP: 2 };

/** `<ns>/<name>` by namespace, then name; plain names by code unit. Locale-independent. */
export function compareNames(a: string, b: string): number {
  const [an, aw] = splitRef(a);
  const [bn, bw] = splitRef(b);
  return compare(an, bn) || compare(aw, bw);
}

function splitRef(name: string): [string, string] {
  const slash = name.indexOf('/');
  return slash < 0 ? ['', name] : [name.slice(0, slash), name.slice(slash + 1)];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
