/**
 * How many probes a scenario plans over all its steps, counted without building the plan
 * (SCENARIO-FORMAT.md, "Probes of a step"), so the loader can refuse a scenario whose plan
 * would not fit (MAX_PROBES) before anything builds it.
 */
import type { Scenario } from './types.js';

/**
 * The number of probes of every step together: per step, every workload to every port of
 * every other workload (itself too with `self`), to every port of every external, one DNS
 * lookup per workload and DNS protocol with `dns`, and every external client to every port of
 * every workload. Equals the summed length of probe/plan-probes.ts's plans.
 */
export function countProbes(scenario: Pick<Scenario, 'workloads' | 'externals' | 'steps'>): number {
  const workloads = scenario.workloads.length;
  const servedPorts = scenario.workloads.reduce((n, w) => n + w.ports.length, 0);
  const externalPorts = scenario.externals.reduce((n, e) => n + e.ports.length, 0);
  const clients = scenario.externals.filter((e) => e.client === true).length;
  let total = 0;
  for (const step of scenario.steps) {
    const sources = step.probe.self ? workloads : workloads - 1;
    const lookups = step.probe.dns ? workloads * (step.probe.dnsProtocols?.length ?? 1) : 0;
    total += servedPorts * sources + workloads * externalPorts + lookups + clients * servedPorts;
  }
  return total;
}
