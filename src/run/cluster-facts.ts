/**
 * Predicting the cluster as it is, and saying so. A backend reports where the real cluster
 * differs from what a scenario author assumes (Topology.facts: kube-system without
 * `kubernetes.io/metadata.name` on Kubernetes 1.20, DNS pods without the scenario's labels).
 * Predictions use the real cluster; a fact is named on every probe whose verdict it decides,
 * i.e. whose prediction would differ with that fact undone. Pure.
 */
import type { ClusterFact, Topology } from '../backends/backend.js';
import type { Probe, ProbeKey } from '../probe/types.js';
import { NAMESPACE_NAME_LABEL, type ClusterState } from '../scenario/types.js';
import { compileState, predict, type CompileOptions } from '../simulator/simulate.js';
import type { Prediction } from '../simulator/types.js';

/** Facts that change what the simulator sees (a `dns-path` fact is a warning only). */
function isDecidable(fact: ClusterFact): fact is Exclude<ClusterFact, { kind: 'dns-path' }> {
  return fact.kind !== 'dns-path';
}

/** `topology` as the author assumes it: `fact` undone. */
export function withoutFact(topology: Topology, fact: ClusterFact): Topology {
  switch (fact.kind) {
    case 'namespace-label':
      return {
        ...topology,
        dnsPods: topology.dnsPods.map((d) =>
          d.namespace === fact.namespace ? { ...d, namespaceLabels: { ...d.namespaceLabels, [fact.label]: fact.value } } : d,
        ),
      };
    case 'dns-pod-labels':
      return { ...topology, dnsPods: topology.dnsPods.map((d) => ({ ...d, labels: { ...d.labels, ...fact.labels } })) };
    case 'dns-namespace':
      return {
        ...topology,
        dnsPods: topology.dnsPods.map((d) => ({ ...d, namespace: fact.namespace, namespaceLabels: { [NAMESPACE_NAME_LABEL]: fact.namespace } })),
      };
    case 'dns-path':
      return topology;
  }
}

/**
 * For each probe whose verdict some fact of `topology` decides, the texts of those facts
 * joined by `; `. `predictions` were made on `topology` itself. Compiles the state once more
 * per fact, only when the topology has facts.
 */
export function factsDecidingVerdicts(
  state: ClusterState,
  topology: Topology,
  probes: readonly Probe[],
  predictions: ReadonlyMap<ProbeKey, Prediction>,
  options: CompileOptions = {},
): Map<ProbeKey, string> {
  const decided = new Map<ProbeKey, string[]>();
  for (const fact of (topology.facts ?? []).filter(isDecidable)) {
    const assumed = compileState(state, withoutFact(topology, fact), options);
    for (const probe of probes) {
      if (predict(assumed, probe).allowed === predictions.get(probe.key)?.allowed) continue;
      decided.set(probe.key, [...(decided.get(probe.key) ?? []), fact.text]);
    }
  }
  return new Map([...decided].map(([key, texts]) => [key, texts.join('; ')]));
}
