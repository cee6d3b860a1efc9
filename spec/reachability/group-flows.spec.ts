/**
 * The grouped view counts every cell once and says only true things: checked cell by cell
 * against the per-probe predictions on synthetic clusters (random labels, selectors,
 * namespaces, ipBlocks, named ports; Service-name probes with DNS).
 */
import { expect } from 'chai';
import { syntheticCluster } from '../../bench/synthetic-cluster.js';
import { groupFlows } from '../../src/reachability/group-flows.js';
import { predictStep } from '../../src/reachability/predict-step.js';
import type { Scenario } from '../../src/scenario/types.js';
import { toMillis } from '../../src/scenario/types.js';

function scenarioOf(seed: number): Scenario {
  const { scenario } = syntheticCluster({ pods: 60, policies: 30, namespaces: 4 }, seed);
  const step = scenario.steps[0]!;
  return { ...scenario, steps: [{ ...step, probe: { target: 'service-name', timeoutMs: toMillis(1000), self: false, dns: true } }] };
}

describe('reachability/group-flows', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`agrees with every single prediction (synthetic cluster, seed ${seed})`, () => {
      const step = predictStep(scenarioOf(seed), 0);
      const groups = groupFlows(step);
      const verdicts = new Map<string, boolean>();
      for (const source of step.planner.sources) {
        for (const { probe, prediction } of step.predictFrom(source)) {
          const to = probe.to.kind === 'workload' ? probe.to.ref : probe.to.kind;
          verdicts.set(`${probe.from} ${to} ${probe.port}/${probe.protocol} ${probe.key}`, prediction.allowed);
        }
      }
      expect(groups.flows).to.equal(verdicts.size);
      expect(groups.allowed).to.equal([...verdicts.values()].filter(Boolean).length);

      // Every allowed cell is in exactly one reach entry, and every cell of an entry is allowed.
      const groupOf = new Map(groups.sourceGroups.flatMap((g) => g.members.map((m) => [m as string, g.id])));
      const targets = new Map(groups.targetGroups.map((t) => [t.id, t]));
      let covered = 0;
      for (const r of groups.reach) {
        const members = groups.sourceGroups.find((g) => g.id === r.sources)!.members;
        const reached = new Set(r.targets.flatMap((id) => targets.get(id)!.members));
        // A lone source is in its target groups, but a flow to itself is not probed.
        const self = members.length === 1 && reached.has(members[0]!) ? 1 : 0;
        expect(reached.size - self).to.equal(r.workloads);
        for (const [cell, allowed] of verdicts) {
          const [from, to, port] = cell.split(' ');
          if (!members.includes(from as never) || port !== `${r.port}/${r.protocol}` || to === 'dns') continue;
          expect(allowed, cell).to.equal(reached.has(to as never));
          if (allowed) covered += 1;
        }
        expect(r.reasons.top.reduce((n, x) => n + x.flows, 0) + r.reasons.otherFlows).to.equal(r.flows);
      }
      const dnsAllowed = groups.dns.filter((d) => d.allowed).reduce((n, d) => n + groups.sourceGroups.find((g) => g.id === d.sources)!.members.length, 0);
      expect(covered + dnsAllowed).to.equal(groups.allowed);
      // DNS verdicts hold for every member of their group.
      for (const [cell, allowed] of verdicts) {
        const [from, to] = cell.split(' ');
        if (to === 'dns') expect(groups.dns.find((d) => d.sources === groupOf.get(from!))!.allowed, cell).to.equal(allowed);
      }
    });
  }
});
