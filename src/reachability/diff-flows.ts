/**
 * The flows whose verdict changes between two predicted steps (BASE and HEAD of an
 * application's manifests), source by source so that large matrices are compared in slices.
 * A flow present on one side only (a workload, port or Service added or removed) counts as
 * denied on the other: nothing can connect to what does not exist. Pure.
 */
import type { FlowChange, ManifestDiff } from '../report/diff-result.js';
import { compareNames, compareTargets } from '../report/display-names.js';
import type { WorkloadSpec } from '../scenario/types.js';
import type { DirectionVerdict, Prediction } from '../simulator/types.js';
import type { PredictedProbe, PredictedStep } from './predict-step.js';

function sideRules(v: DirectionVerdict | undefined, lookup = false): string[] {
  if (!v) return [];
  if (v.allowed) return v.allowedBy ? [`${v.allowedBy.policy} ${v.direction} rule ${v.allowedBy.rule}${lookup ? ' (DNS lookup)' : ''}`] : [];
  return v.isolatedBy.map((p) => `${p} (${v.direction}${lookup ? ', DNS lookup' : ''})`);
}

/**
 * The policies responsible for a prediction: the allowing rules of an allowed flow (and of
 * its DNS lookup), or the policies isolating each side that denies it.
 */
export function responsiblePolicies(prediction: Prediction): string[] {
  const { flow, dns } = prediction;
  if (prediction.allowed) return [...sideRules(flow.egress), ...sideRules(flow.ingress), ...sideRules(dns?.egress, true), ...sideRules(dns?.ingress, true)];
  const denied = (v: DirectionVerdict | undefined, lookup = false): string[] => (v && !v.allowed ? sideRules(v, lookup) : []);
  return [...denied(flow.egress), ...denied(flow.ingress), ...(dns && !dns.allowed ? [...denied(dns.egress, true), ...denied(dns.ingress, true)] : [])];
}

const ABSENT = (side: string): string => `absent: ${side} has no such flow (the workload, port or Service is not there)`;

function change(before: PredictedProbe | undefined, after: PredictedProbe | undefined, steps: { base: PredictedStep; head: PredictedStep }, names: { base: string; head: string }): FlowChange | undefined {
  const was = before?.prediction.allowed ?? false;
  const is = after?.prediction.allowed ?? false;
  if (was === is) return undefined;
  const probe = (after ?? before)!.probe;
  return {
    from: probe.from,
    to: probe.to.kind === 'workload' ? probe.to.ref : probe.to.kind === 'dns' ? 'dns' : probe.to.name,
    port: probe.port,
    protocol: probe.protocol,
    before: was ? 'allow' : 'deny',
    after: is ? 'allow' : 'deny',
    beforeReason: before ? steps.base.describe(before.prediction, before.probe) : ABSENT(names.base),
    afterReason: after ? steps.head.describe(after.prediction, after.probe) : ABSENT(names.head),
    beforePolicies: before ? responsiblePolicies(before.prediction) : [],
    afterPolicies: after ? responsiblePolicies(after.prediction) : [],
    ...(probe.service ? { service: probe.service.name, servicePort: probe.service.port } : {}),
  };
}

/** Every changed flow of HEAD against BASE; `names` label the two sides in reasons. */
export function diffSteps(base: PredictedStep, head: PredictedStep, names: { readonly base: string; readonly head: string }): ManifestDiff {
  const sources = new Map<string, { base?: WorkloadSpec; head?: WorkloadSpec }>();
  for (const w of base.planner.sources) sources.set(w.ref, { base: w });
  for (const w of head.planner.sources) sources.set(w.ref, { ...sources.get(w.ref), head: w });
  const changes: FlowChange[] = [];
  for (const ref of [...sources.keys()].sort(compareNames)) {
    const pair = sources.get(ref)!;
    const before = new Map((pair.base ? base.predictFrom(pair.base) : []).map((p) => [p.probe.key, p]));
    const after = new Map((pair.head ? head.predictFrom(pair.head) : []).map((p) => [p.probe.key, p]));
    const flows: FlowChange[] = [];
    for (const [key, p] of after) {
      const c = change(before.get(key), p, { base, head }, names);
      if (c) flows.push(c);
    }
    for (const [key, p] of before) {
      if (after.has(key)) continue;
      const c = change(p, undefined, { base, head }, names);
      if (c) flows.push(c);
    }
    changes.push(...flows.sort(compareTargets));
  }
  return {
    base: names.base,
    head: names.head,
    changes,
    opened: changes.filter((c) => c.after === 'allow').length,
    closed: changes.filter((c) => c.before === 'allow').length,
  };
}

