/**
 * A large reachability matrix in groups (`scan`'s default view at scale): workloads whose
 * rows are identical (they may reach exactly the same targets) form one source group; per
 * port, targets whose columns are identical over those groups form one target group. Then,
 * per source group and port, "these N may reach those M because ...", with the reasons of
 * its cells counted; denied cells are counted by reason. Every cell is counted once. Pure.
 *
 * It works on pod classes (flow-memo.ts): pods alike to every policy have the same row and
 * column, so the matrix is judged per pair of classes and only counted per workload.
 */
import type { Protocol } from '../policy/types.js';
import type { PlanColumn } from '../probe/plan-probes.js';
import type { Probe } from '../probe/types.js';
import { compareNames } from '../report/display-names.js';
import type { WorkloadRef, WorkloadSpec } from '../scenario/types.js';
import { dnsFlow, memoOf, predict } from '../simulator/predict.js';
import type { DirectionVerdict, FlowVerdict } from '../simulator/types.js';
import type { PredictedStep } from './predict-step.js';

/** Workloads that may reach exactly the same targets. `id` is `S1`, `S2`, ... by size. */
export interface SourceGroup {
  readonly id: string;
  readonly members: readonly WorkloadRef[];
}

/** Targets (one port each) reachable from exactly the same source groups. `id` is `T1`, ... */
export interface TargetGroup {
  readonly id: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** Distinct target workloads (a workload reached through two Services on one port counts once). */
  readonly members: readonly WorkloadRef[];
}

/** A reason shared by `flows` cells; `text` is the reason of one of them, `example` that cell. */
export interface ReasonCount {
  readonly text: string;
  readonly example: string;
  readonly flows: number;
}

/** The most common reasons of some flows, as text, and how many other reasons and flows there are. */
export interface Reasons {
  readonly top: readonly ReasonCount[];
  readonly others: number;
  readonly otherFlows: number;
}

/** Reasons kept as text per reach, and for the denied flows. */
const REASONS_KEPT = 3;
const DENIED_REASONS_KEPT = 10;

/** Everything one source group may reach on one port. */
export interface Reach {
  readonly sources: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** Target group ids, largest first. */
  readonly targets: readonly string[];
  /** Distinct target workloads over those groups. */
  readonly workloads: number;
  readonly flows: number;
  readonly reasons: Reasons;
}

/** Whether the sources of a group may resolve Service names (the `-> dns` probe). */
export interface DnsVerdict {
  readonly sources: string;
  readonly allowed: boolean;
  readonly reasons: Reasons;
}

export interface FlowGroups {
  readonly workloads: number;
  readonly namespaces: number;
  readonly policies: number;
  /** Cells: probes to workloads plus DNS lookups (no self flows). */
  readonly flows: number;
  readonly allowed: number;
  readonly sourceGroups: readonly SourceGroup[];
  readonly targetGroups: readonly TargetGroup[];
  /** Per source group and port, what it may reach; in source group order, then port. */
  readonly reach: readonly Reach[];
  readonly dns: readonly DnsVerdict[];
  /** Denied flows to workloads by reason, most common first. */
  readonly denied: Reasons;
}

type WorkloadColumn = Extract<PlanColumn, { kind: 'workload' }>;

/** Dense ids for equal keys, with the members of each. */
class Classes<T> {
  private readonly ids = new Map<string, number>();
  readonly members: T[][] = [];

  add(key: string, member: T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.members.length;
      this.ids.set(key, id);
      this.members.push([]);
    }
    this.members[id]!.push(member);
    return id;
  }
}

/** Dense ids of shared objects (the memoised verdicts), in order of first sight. */
class ObjectIds<T extends object> {
  private readonly ids = new Map<T, number>();
  readonly objects: T[] = [];

  of(o: T): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.objects.length;
      this.ids.set(o, id);
      this.objects.push(o);
    }
    return id;
  }
}

/** Groups the step's workload flows and DNS lookups (externals are left out). */
export function groupFlows(step: PredictedStep): FlowGroups {
  const { compiled, planner } = step;
  const settings = step.step.probe;
  const sources = planner.sources;
  const columns = planner.columns.filter((col): col is WorkloadColumn => col.kind === 'workload');
  const pod = (w: WorkloadSpec): number => compiled.podIndex.get(w.ref)!;
  const memo = memoOf(compiled);
  const { classes } = memo;

  // Source classes: equal egress policies and equal standing in ingress rules (hence equal DNS).
  const sourceClasses = new Classes<WorkloadSpec>();
  const classOfSource = new Map(sources.map((w) => [w.ref, sourceClasses.add(`${classes.egressGroup[pod(w)]},${classes.asSource[pod(w)]}`, w)]));
  // Column classes: equal ingress policies and ports, equal standing in egress rules, same port and addressing.
  const columnClasses = new Classes<number>();
  const classOfColumn = columns.map((col, j) => {
    const t = pod(col.target);
    return columnClasses.add(`${classes.ingressGroup[t]},${classes.asDestination[t]},${col.way.port}/${col.way.protocol},${col.way.addressing}`, j);
  });
  const sc = sourceClasses.members.length;
  const cc = columnClasses.members.length;
  const sourcePod = Int32Array.from(sourceClasses.members, (m) => pod(m[0]!));
  const column = columnClasses.members.map((m) => columns[m[0]!]!);
  const targetPod = Int32Array.from(column, (c) => pod(c.target));

  // The DNS lookup of each source class.
  const dnsIds = new ObjectIds<FlowVerdict>();
  const dnsOf = Int32Array.from(sourcePod, (s) => dnsIds.of(dnsFlow(compiled, s)));

  // The matrix of classes: each cell's verdict and (shared) direction verdicts. Its reason is
  // those two verdicts and, for a probe by Service name, its source's DNS lookup.
  const egressIds = new ObjectIds<DirectionVerdict>();
  const ingressIds = new ObjectIds<DirectionVerdict>();
  const allowed = new Uint8Array(sc * cc);
  const egressOf = new Int32Array(sc * cc);
  const ingressOf = new Int32Array(sc * cc);
  const byName = Uint8Array.from(column, (c) => (c.way.addressing === 'service-name' ? 1 : 0));
  // Verdict ids by (egress group, destination class) and (ingress group, source class), per
  // port and protocol: dense tables, filled from the memo on first use (-1 until then).
  const { egressGroups, ingressGroups, destinations, sources: sourceKinds } = classes.counts;
  const tables = new Map<string, { egress: Int32Array; ingress: Int32Array }>();
  const tableOf = (key: string): { egress: Int32Array; ingress: Int32Array } => {
    let t = tables.get(key);
    if (!t) {
      t = { egress: new Int32Array(egressGroups * destinations).fill(-1), ingress: new Int32Array(ingressGroups * sourceKinds).fill(-1) };
      tables.set(key, t);
    }
    return t;
  };
  for (let b = 0; b < cc; b++) {
    const { way } = column[b]!;
    const t = targetPod[b]!;
    const table = tableOf(`${way.port}/${way.protocol}`);
    const ingressRow = classes.ingressGroup[t]! * sourceKinds;
    const destination = classes.asDestination[t]!;
    for (let a = 0; a < sc; a++) {
      const s = sourcePod[a]!;
      const ek = classes.egressGroup[s]! * destinations + destination;
      let e = table.egress[ek]!;
      if (e < 0) e = table.egress[ek] = egressIds.of(memo.egress(s, t, way.port, way.protocol));
      const ik = ingressRow + classes.asSource[s]!;
      let i = table.ingress[ik]!;
      if (i < 0) i = table.ingress[ik] = ingressIds.of(memo.ingress(s, t, way.port, way.protocol));
      const cell = a * cc + b;
      allowed[cell] = egressIds.objects[e]!.allowed && ingressIds.objects[i]!.allowed && (!byName[b] || dnsIds.objects[dnsOf[a]!]!.allowed) ? 1 : 0;
      egressOf[cell] = e;
      ingressOf[cell] = i;
    }
  }
  // Reasons as exact numbers: cells >= 0, DNS lookups < 0; an example cell for each.
  const ni = ingressIds.objects.length;
  const nd = dnsIds.objects.length + 1;
  const cellReason = (a: number, b: number): number => (egressOf[a * cc + b]! * ni + ingressOf[a * cc + b]!) * nd + (byName[b] ? dnsOf[a]! + 1 : 0);
  // A denial is told by the sides that deny it alone: whatever allows the other side does not matter.
  const deniedReason = (a: number, b: number): number => {
    const e = egressOf[a * cc + b]!;
    const i = ingressOf[a * cc + b]!;
    const dns = byName[b] && !dnsIds.objects[dnsOf[a]!]!.allowed ? dnsOf[a]! + 1 : 0;
    return ((egressIds.objects[e]!.allowed ? 0 : e + 1) * (ni + 1) + (ingressIds.objects[i]!.allowed ? 0 : i + 1)) * nd + dns;
  };
  const dnsReason = (a: number): number => -1 - dnsOf[a]!;
  // The first cell seen of each reason, as a * (cc + 1) + b + 1 (b = -1: the DNS lookup).
  const examples = new Map<number, number>();
  const count = (counts: Map<number, number>, reason: number, n: number, a: number, b: number): void => {
    const before = counts.get(reason);
    counts.set(reason, (before ?? 0) + n);
    if (before === undefined && !examples.has(reason)) examples.set(reason, a * (cc + 1) + b + 1);
  };
  /** The `keep` most common reasons as text (each rendered from its example cell), and the rest counted. */
  const reasonCounts = (counts: ReadonlyMap<number, number>, keep: number): Reasons => {
    const sorted = [...counts].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    const top = sorted.slice(0, keep).map(([id, flows]): ReasonCount => {
      const example = examples.get(id)!;
      const a = Math.floor(example / (cc + 1));
      const b = (example % (cc + 1)) - 1;
      const source = sourceClasses.members[a]!.find((w) => b < 0 || w.ref !== column[b]!.target.ref) ?? sourceClasses.members[a]![0]!;
      const probe = planner.probeAt(source, b < 0 ? { kind: 'dns', protocol: 'UDP' } : column[b]!);
      // Told of the whole group: the example's endpoints become "the sources" and "the targets".
      let text = replaceRef(step.describe(predict(compiled, probe), probe), probe.from, 'the sources');
      if (probe.to.kind === 'workload') text = replaceRef(text, probe.to.ref, 'the targets');
      return { text, example: probe.key, flows };
    });
    const rest = sorted.slice(keep);
    return { top, others: rest.length, otherFlows: rest.reduce((n, [, f]) => n + f, 0) };
  };

  // Source groups: classes with equal rows, largest first.
  const rows = new Classes<number>();
  for (let a = 0; a < sc; a++) rows.add(Buffer.from(allowed.subarray(a * cc, (a + 1) * cc)).toString('latin1'), a);
  const groups = rows.members
    .map((members) => ({ members, size: members.reduce((n, a) => n + sourceClasses.members[a]!.length, 0) }))
    .sort((x, y) => y.size - x.size || x.members[0]! - y.members[0]!);
  const sourceGroups: SourceGroup[] = groups.map((x, i) => ({ id: `S${i + 1}`, members: x.members.flatMap((a) => sourceClasses.members[a]!.map((w) => w.ref)).sort(compareNames) }));

  // Target groups: per port, column classes allowed from the same source groups, largest first.
  const cols = new Classes<number>();
  for (let b = 0; b < cc; b++) {
    const way = column[b]!.way;
    cols.add(`${way.port}/${way.protocol}:${groups.map((x) => allowed[x.members[0]! * cc + b]).join('')}`, b);
  }
  const targetsOf = (bs: readonly number[]): WorkloadRef[] => [...new Set(bs.flatMap((b) => columnClasses.members[b]!.map((j) => columns[j]!.target.ref)))];
  const targets = cols.members.map((bs) => ({ bs, refs: targetsOf(bs) })).sort((x, y) => y.refs.length - x.refs.length || x.bs[0]! - y.bs[0]!);
  const targetGroups: TargetGroup[] = targets.map((x, i) => {
    const way = columns[columnClasses.members[x.bs[0]!]![0]!]!.way;
    return { id: `T${i + 1}`, port: way.port, protocol: way.protocol, members: x.refs.sort(compareNames) };
  });
  const targetGroupOfClass = new Int32Array(cc);
  targets.forEach((x, i) => x.bs.forEach((b) => (targetGroupOfClass[b] = i)));

  // Cells per pair of classes, less the self cells the plan skips.
  const selfCells = new Int32Array(sc * cc);
  if (!settings.self) columns.forEach((col, j) => (selfCells[classOfSource.get(col.target.ref)! * cc + classOfColumn[j]!]! += 1));
  const cells = (a: number, b: number): number => sourceClasses.members[a]!.length * columnClasses.members[b]!.length - selfCells[a * cc + b]!;

  let flows = 0;
  let allowedFlows = 0;
  const denied = new Map<number, number>();
  const reach: Reach[] = [];
  const portKey = column.map((c) => `${c.way.port}/${c.way.protocol}`);
  groups.forEach((x, g) => {
    const byPort = new Map<string, { port: number; protocol: Protocol; targets: Set<number>; classes: Set<number>; flows: number; reasons: Map<number, number> }>();
    for (let b = 0; b < cc; b++) {
      const way = column[b]!.way;
      for (const a of x.members) {
        const n = cells(a, b);
        if (n === 0) continue;
        flows += n;
        if (!allowed[a * cc + b]) {
          count(denied, deniedReason(a, b), n, a, b);
          continue;
        }
        allowedFlows += n;
        const key = portKey[b]!;
        let entry = byPort.get(key);
        if (!entry) {
          entry = { port: way.port, protocol: way.protocol, targets: new Set(), classes: new Set(), flows: 0, reasons: new Map() };
          byPort.set(key, entry);
        }
        entry.targets.add(targetGroupOfClass[b]!);
        entry.classes.add(b);
        entry.flows += n;
        count(entry.reasons, cellReason(a, b), n, a, b);
      }
    }
    for (const e of [...byPort.values()].sort((p, q) => p.port - q.port || (p.protocol < q.protocol ? -1 : 1))) {
      reach.push({
        sources: sourceGroups[g]!.id,
        port: e.port,
        protocol: e.protocol,
        targets: [...e.targets].sort((p, q) => p - q).map((t) => targetGroups[t]!.id),
        // A lone source reaches every target of its classes but itself (self flows are not probed).
        workloads: targetsOf([...e.classes]).filter((t) => sourceGroups[g]!.members.length > 1 || t !== sourceGroups[g]!.members[0]).length,
        flows: e.flows,
        reasons: reasonCounts(e.reasons, REASONS_KEPT),
      });
    }
  });
  const dns: DnsVerdict[] = [];
  if (settings.dns) {
    groups.forEach((x, g) => {
      const counts = new Map<number, number>();
      for (const a of x.members) count(counts, dnsReason(a), sourceClasses.members[a]!.length, a, -1);
      const ok = dnsIds.objects[dnsOf[x.members[0]!]!]!.allowed;
      flows += x.size;
      if (ok) allowedFlows += x.size;
      dns.push({ sources: sourceGroups[g]!.id, allowed: ok, reasons: reasonCounts(counts, 1) });
    });
  }
  return {
    workloads: sources.length,
    namespaces: new Set(sources.map((w) => w.namespace)).size,
    policies: compiled.policies.length,
    flows,
    allowed: allowedFlows,
    sourceGroups,
    targetGroups,
    reach,
    dns,
    denied: reasonCounts(denied, DENIED_REASONS_KEPT),
  };
}

/** `text` with the reference `ref` (a whole `<ns>/<name>`, not part of a longer name) replaced by `by`. */
function replaceRef(text: string, ref: string, by: string): string {
  const escaped = ref.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![\\w./-])${escaped}(?![\\w.-])`, 'g'), by);
}
