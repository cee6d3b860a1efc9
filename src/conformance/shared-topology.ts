/**
 * Cases that share a topology share pods (as upstream e2e does with its x/y/z x a/b/c pods):
 * the wrapped backend is set up once per topology and only torn down at the end or when the
 * next case needs another topology. Between cases nothing is reset explicitly: `apply` is
 * declarative, so a case's first step removes the previous case's policies and restores the
 * labels, and the step loop's full round of that step verifies the reset with the case's own
 * first probes.
 */
import type { Backend, BackendContext, Topology } from '../backends/backend.js';
import type { Scenario } from '../scenario/types.js';

/**
 * What makes two scenarios runnable on the same pods: namespaces (base labels), workloads,
 * externals, DNS, and whether any probe dials a Service (a cluster creates Services only for
 * scenarios that do: one probing only by pod IP would leave the next without names to dial).
 */
export function topologyKey(scenario: Scenario): string {
  const dialsServices = scenario.steps.some((s) => s.probe.target !== 'pod-ip');
  return JSON.stringify([scenario.namespaces, scenario.workloads, scenario.externals, scenario.dns, scenario.dnsDeclared === true, dialsServices]);
}

export interface SharedBackend extends Backend {
  /** Tears the shared topology down (the wrapped backend's tearDown). */
  close(): Promise<void>;
}

/** `inner`, set up once per topology; its own `tearDown` becomes a no-op until `close`. */
export function shareTopology(inner: Backend): SharedBackend {
  let key: string | undefined;
  let topology: Topology | undefined;
  return {
    kind: inner.kind,
    ...(inner.unsupported ? { unsupported: (s: Scenario) => inner.unsupported!(s) } : {}),
    async setUp(scenario: Scenario, ctx: BackendContext): Promise<Topology> {
      const wanted = topologyKey(scenario);
      if (topology !== undefined && key === wanted) return topology;
      if (topology !== undefined) await inner.tearDown();
      topology = undefined;
      key = undefined;
      let ready: Topology;
      try {
        ready = await inner.setUp(scenario, ctx);
      } catch (error) {
        // A partial set-up must not linger under the next case's.
        await inner.tearDown().catch(() => undefined);
        throw error;
      }
      topology = ready;
      key = wanted;
      return ready;
    },
    apply: (state, ctx) => inner.apply(state, ctx),
    probe: (probes, ctx) => inner.probe(probes, ctx),
    async tearDown(): Promise<void> {},
    async close(): Promise<void> {
      topology = undefined;
      key = undefined;
      await inner.tearDown();
    },
  };
}

/**
 * Splits `scenarios` into jobs of one topology each, for `parallel` backends at once: every
 * topology gets at least one job, larger groups get more (in proportion to their size), and a
 * group's cases are dealt round-robin so jobs take about as long. Indexes refer to `scenarios`.
 */
export function planSharedJobs(scenarios: readonly Scenario[], parallel: number): number[][] {
  const groups = new Map<string, number[]>();
  scenarios.forEach((s, i) => {
    const key = topologyKey(s);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const jobs: number[][] = [];
  for (const members of groups.values()) {
    const replicas = Math.max(1, Math.min(members.length, Math.round((parallel * members.length) / scenarios.length)));
    const split: number[][] = Array.from({ length: replicas }, () => []);
    members.forEach((index, n) => split[n % replicas]!.push(index));
    jobs.push(...split);
  }
  // Longest jobs first, so the last to start is a short one.
  return jobs.sort((a, b) => b.length - a.length);
}
