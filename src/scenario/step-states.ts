/**
 * What is in force after each step (SCENARIO-FORMAT.md: steps are cumulative; within a step
 * delete, then apply, then label).
 */
import { assertNever } from '../assert-never.js';
import type { Labels, PolicyKey } from '../policy/types.js';
import type { ClusterState, LabelChange, NamespaceSpec, PolicyManifest, Scenario, WorkloadSpec } from './types.js';

/** `labels` merged with `change`; a null value removes the key. */
export function mergeLabels(labels: Labels, change: Readonly<Record<string, string | null>>): Labels {
  const out: Record<string, string> = { ...labels };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

function applyLabelChange(state: { namespaces: NamespaceSpec[]; workloads: WorkloadSpec[] }, change: LabelChange): void {
  switch (change.kind) {
    case 'namespace':
      state.namespaces = state.namespaces.map((n) => (n.name === change.namespace ? { ...n, labels: mergeLabels(n.labels, change.labels) } : n));
      return;
    case 'workload':
      state.workloads = state.workloads.map((w) => (w.ref === change.workload ? { ...w, labels: mergeLabels(w.labels, change.labels) } : w));
      return;
    default:
      assertNever(change, 'label change');
  }
}

/**
 * One state per step: index i is what is in force after step i. Each step deletes its
 * `delete` keys, applies its policies (the same key replaces, as `kubectl apply`), then merges
 * its label changes. Policies are sorted by key; namespaces and workloads keep file order.
 * Placeholders stay unresolved (see placeholders.ts).
 */
export function stepStates(scenario: Scenario): ClusterState[] {
  const policies = new Map<PolicyKey, PolicyManifest>();
  const labels = { namespaces: [...scenario.namespaces], workloads: [...scenario.workloads] };
  return scenario.steps.map((step) => {
    for (const key of step.delete) policies.delete(key);
    for (const manifest of step.apply) policies.set(manifest.key, manifest);
    for (const change of step.label) applyLabelChange(labels, change);
    const sorted = [...policies.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { namespaces: labels.namespaces, workloads: labels.workloads, policies: sorted };
  });
}
