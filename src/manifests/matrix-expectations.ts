/**
 * A reachability matrix as `expect` entries (SCENARIO-FORMAT: the last matching entry wins),
 * compactly: the most common verdict of workload flows as `* -> *` and of DNS lookups as
 * `* -> dns`; then, per source and target, one entry when the pair differs from that as a
 * whole, and one per port where a port differs from the pair. Pure.
 */
import { sourceWorkload, type Probe } from '../probe/types.js';
import type { Verdict, WorkloadRef } from '../scenario/types.js';

/** A probe and its verdict. */
export interface ProbeVerdict {
  readonly probe: Probe;
  readonly verdict: Verdict;
}

/** The more common verdict; `tie` when there are as many of each. */
function majority(verdicts: readonly Verdict[], tie: Verdict): Verdict {
  const allowed = verdicts.filter((v) => v === 'allow').length;
  return allowed * 2 === verdicts.length ? tie : allowed * 2 > verdicts.length ? 'allow' : 'deny';
}

/**
 * How a workload is named in an expectation: its bare name when no other workload has it,
 * else `<namespace>/<name>`.
 */
export function expectationNames(refs: readonly WorkloadRef[]): ReadonlyMap<WorkloadRef, string> {
  const count = new Map<string, number>();
  const bare = (ref: WorkloadRef): string => ref.slice(ref.indexOf('/') + 1);
  for (const ref of refs) count.set(bare(ref), (count.get(bare(ref)) ?? 0) + 1);
  return new Map(refs.map((ref) => [ref, count.get(bare(ref)) === 1 ? bare(ref) : ref]));
}

/** Calls `visit` with the probes of each source in turn; may be called more than once. */
export type EachSource = (visit: (chunk: readonly ProbeVerdict[]) => void) => void;

/**
 * Entries that, read in order, give every probe its verdict; `eachSource` walks the matrix
 * twice (the defaults first), so a large matrix need not be held. A port is written as the
 * pod port, or the Service port when the probe dials one (the entry names what the client
 * dials); a protocol other than TCP is written out. Workload and DNS probes only.
 */
export function matrixExpectations(eachSource: EachSource, names: ReadonlyMap<WorkloadRef, string>): string[] {
  const tally = { workload: [0, 0], dns: [0, 0] };
  eachSource((chunk) => {
    for (const v of chunk) {
      const t = v.probe.to.kind === 'workload' ? tally.workload : v.probe.to.kind === 'dns' ? tally.dns : undefined;
      if (t) t[v.verdict === 'allow' ? 0 : 1]! += 1;
    }
  });
  const byMajority = ([allow, deny]: number[]): Verdict => (allow! > deny! ? 'allow' : 'deny');
  const workloadDefault = byMajority(tally.workload);
  const dnsDefault = byMajority(tally.dns);
  const out: string[] = [];
  if (tally.workload[0]! + tally.workload[1]! > 0) out.push(`${workloadDefault} * -> *`);
  if (tally.dns[0]! + tally.dns[1]! > 0) out.push(`${dnsDefault} * -> dns`);
  const name = (ref: WorkloadRef): string => names.get(ref) ?? ref;
  const dnsLines: string[] = [];
  eachSource((chunk) => {
    const pairs = new Map<WorkloadRef, ProbeVerdict[]>();
    for (const v of chunk) {
      if (v.probe.to.kind === 'dns' && v.verdict !== dnsDefault) dnsLines.push(`${v.verdict} ${name(sourceWorkload(v.probe))} -> dns`);
      if (v.probe.to.kind !== 'workload') continue;
      const list = pairs.get(v.probe.to.ref);
      if (list) list.push(v);
      else pairs.set(v.probe.to.ref, [v]);
    }
    for (const [target, list] of pairs) {
      const from = name(sourceWorkload(list[0]!.probe));
      const to = name(target);
      const pairVerdict = majority(list.map((v) => v.verdict), workloadDefault);
      if (pairVerdict !== workloadDefault) out.push(`${pairVerdict} ${from} -> ${to}`);
      for (const v of list) {
        if (v.verdict === pairVerdict) continue;
        const port = v.probe.service?.port ?? v.probe.port;
        out.push(`${v.verdict} ${from} -> ${to}:${port}${v.probe.protocol === 'TCP' ? '' : `/${v.probe.protocol.toLowerCase()}`}`);
      }
    }
  });
  return [...out, ...dnsLines];
}
