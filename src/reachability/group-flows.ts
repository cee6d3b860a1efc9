/**
 * A large reachability matrix in groups (`scan`'s default view at scale): workloads whose
 * rows are identical (they may reach exactly the same targets) form one source group; per
 * port, targets whose columns are identical over those groups form one target group. Every
 * allowed cell then falls in a block "these sources may reach those targets on this port",
 * with the reasons of its cells counted; denied cells are counted by reason. Nothing is lost:
 * every cell is in exactly one block or denial count. Pure.
 */
import type { Protocol } from '../policy/types.js';
import type { PlanColumn } from '../probe/plan-probes.js';
import type { Probe } from '../probe/types.js';
import type { WorkloadRef } from '../scenario/types.js';
import { describePrediction } from '../simulator/explain.js';
import { predict } from '../simulator/simulate.js';
import type { Prediction } from '../simulator/types.js';
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

/** Every source of `sources` may reach every target of `targets` (self flows excepted). */
export interface FlowBlock {
  readonly sources: string;
  readonly targets: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly flows: number;
  /** Most common first. */
  readonly reasons: readonly ReasonCount[];
}

/** Whether the sources of a group may resolve Service names (the `-> dns` probe). */
export interface DnsVerdict {
  readonly sources: string;
  readonly allowed: boolean;
  readonly reasons: readonly ReasonCount[];
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
  /** Allowed blocks, largest first. */
  readonly blocks: readonly FlowBlock[];
  readonly dns: readonly DnsVerdict[];
  /** Denied workload flows by reason, most common first. */
  readonly denied: readonly ReasonCount[];
}

type WorkloadColumn = Extract<PlanColumn, { kind: 'workload' }>;
type DnsColumn = Extract<PlanColumn, { kind: 'dns' }>;

/** Dense ids of reason tuples (the shared verdict objects of a prediction). */
class ReasonIds {
  private readonly objectIds = new Map<object, number>();
  private readonly tuples = new Map<string, number>();
  readonly examples: { prediction: Prediction; probe: Probe }[] = [];

  private idOf(o: object | undefined): number {
    if (o === undefined) return 0;
    let id = this.objectIds.get(o);
    if (id === undefined) {
      id = this.objectIds.size + 1;
      this.objectIds.set(o, id);
    }
    return id;
  }

  of(prediction: Prediction, probe: Probe): number {
    const f = prediction.flow;
    const key = `${this.idOf(f.egress)},${this.idOf(f.ingress)},${this.idOf(prediction.dns?.egress)},${this.idOf(prediction.dns?.ingress)}`;
    let id = this.tuples.get(key);
    if (id === undefined) {
      id = this.examples.length;
      this.tuples.set(key, id);
      this.examples.push({ prediction, probe });
    }
    return id;
  }
}

/** Counts per reason id as `ReasonCount`s, most common first (ties by text). */
function reasonCounts(counts: ReadonlyMap<number, number>, ids: ReasonIds): ReasonCount[] {
  return [...counts]
    .map(([id, flows]) => {
      const { prediction, probe } = ids.examples[id]!;
      return { text: describePrediction(prediction, probe), example: probe.key, flows };
    })
    .sort((a, b) => b.flows - a.flows || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

function bump(map: Map<number, number>, key: number, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Groups the step's workload flows and DNS lookups (externals are left out). */
export function groupFlows(step: PredictedStep): FlowGroups {
  const { compiled, planner } = step;
  const settings = step.step.probe;
  const sources = planner.sources;
  const columns = planner.columns.filter((col): col is WorkloadColumn | DnsColumn => col.kind !== 'external');
  const n = sources.length;
  const c = columns.length;
  const ids = new ReasonIds();
  const allowed = new Uint8Array(n * c);
  const reason = new Int32Array(n * c);

  // Every cell, self cells included: they keep rows of alike workloads comparable.
  const rowKeys = new Map<string, number[]>();
  for (let s = 0; s < n; s++) {
    let key = '';
    for (let j = 0; j < c; j++) {
      const probe = planner.probeAt(sources[s]!, columns[j]!);
      const prediction = predict(compiled, probe);
      allowed[s * c + j] = prediction.allowed ? 1 : 0;
      reason[s * c + j] = ids.of(prediction, probe);
      key += prediction.allowed ? '1' : '0';
    }
    const list = rowKeys.get(key);
    if (list) list.push(s);
    else rowKeys.set(key, [s]);
  }
  const groups = [...rowKeys.values()].sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  const sourceGroups: SourceGroup[] = groups.map((members, i) => ({ id: `S${i + 1}`, members: members.map((s) => sources[s]!.ref) }));
  const isSelf = (s: number, column: WorkloadColumn | DnsColumn): boolean => column.kind === 'workload' && column.target.ref === sources[s]!.ref && !settings.self;

  // Columns alike over the source groups (per port and protocol) form the target groups.
  const columnKeys = new Map<string, number[]>();
  for (let j = 0; j < c; j++) {
    const column = columns[j]!;
    if (column.kind !== 'workload') continue;
    const key = `${column.way.port}/${column.way.protocol}:${groups.map((g) => allowed[g[0]! * c + j]).join('')}`;
    const list = columnKeys.get(key);
    if (list) list.push(j);
    else columnKeys.set(key, [j]);
  }
  const targetColumns = [...columnKeys.values()].sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  const targetGroups: TargetGroup[] = targetColumns.map((cols, i) => {
    const first = columns[cols[0]!] as WorkloadColumn;
    const members = cols.map((j) => (columns[j] as WorkloadColumn).target.ref);
    return { id: `T${i + 1}`, port: first.way.port, protocol: first.way.protocol, members: [...new Set(members)] };
  });

  let flows = 0;
  let allowedFlows = 0;
  const blocks: FlowBlock[] = [];
  const denied = new Map<number, number>();
  groups.forEach((members, g) => {
    targetColumns.forEach((cols, t) => {
      const counts = new Map<number, number>();
      let cells = 0;
      for (const s of members) {
        for (const j of cols) {
          if (isSelf(s, columns[j]!)) continue;
          cells += 1;
          if (allowed[s * c + j]) bump(counts, reason[s * c + j]!);
          else bump(denied, reason[s * c + j]!);
        }
      }
      flows += cells;
      if (allowed[members[0]! * c + cols[0]!] !== 1 || cells === 0) return;
      allowedFlows += cells;
      const group = targetGroups[t]!;
      blocks.push({ sources: sourceGroups[g]!.id, targets: group.id, port: group.port, protocol: group.protocol, flows: cells, reasons: reasonCounts(counts, ids) });
    });
  });
  const dns: DnsVerdict[] = [];
  if (settings.dns) {
    const j = c - 1;
    groups.forEach((members, g) => {
      const counts = new Map<number, number>();
      for (const s of members) bump(counts, reason[s * c + j]!);
      const ok = allowed[members[0]! * c + j] === 1;
      flows += members.length;
      if (ok) allowedFlows += members.length;
      dns.push({ sources: sourceGroups[g]!.id, allowed: ok, reasons: reasonCounts(counts, ids) });
    });
  }
  blocks.sort((a, b) => b.flows - a.flows || (a.sources < b.sources ? -1 : a.sources > b.sources ? 1 : 0));
  return {
    workloads: n,
    namespaces: new Set(sources.map((w) => w.namespace)).size,
    policies: compiled.policies.length,
    flows,
    allowed: allowedFlows,
    sourceGroups,
    targetGroups,
    blocks,
    dns,
    denied: reasonCounts(denied, ids),
  };
}
