/**
 * Differential test (root): random topologies and random valid policies run through the
 * simulator (compileState + predict, on the local backend's real addresses) and the local
 * dataplane (real packets). Any disagreement fails with the shrunk counterexample printed as a
 * scenario file. NPH_DIFF_RUNS=<n> runs more cases (default 12).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { createLocalBackend } from '../../../src/backends/local/local-backend.js';
import { validatePolicy } from '../../../src/policy/validate-policy.js';
import { planProbes } from '../../../src/probe/plan-probes.js';
import { observedVerdict } from '../../../src/probe/types.js';
import { resolvePlaceholders } from '../../../src/scenario/placeholders.js';
import { compileState } from '../../../src/simulator/compile-state.js';
import { predict } from '../../../src/simulator/predict.js';
import { toPolicyKey } from '../../../src/policy/types.js';
import type { ClusterState } from '../../../src/scenario/types.js';
import { requireRoot } from '../../support/require-root.js';
import { CTX, probeSettings } from './local-fixtures.js';
import { toScenario, toScenarioYaml, worldArbitrary, type World } from './random-world.js';

const RUNS = Number(process.env.NPH_DIFF_RUNS ?? '12');

/** Disagreements of one world, as expectation lines (the simulator's verdicts), or [] when all agree. */
async function disagreements(world: World): Promise<string[]> {
  const scenario = toScenario(world, 'differential');
  const backend = createLocalBackend({ enforce: true, concurrency: 6 });
  try {
    const topology = await backend.setUp(scenario, CTX);
    const manifests = world.policies.map((p) => ({
      key: toPolicyKey(p.metadata.namespace, p.metadata.name),
      policy: resolvePlaceholders(p, topology.podIps),
      origin: { file: 'differential.yaml', range: [0, 0] as const },
    }));
    const issues = manifests.flatMap((m) => validatePolicy(m.policy).map((i) => `${m.key}: ${i.code} ${i.message}`));
    if (issues.length > 0) throw new Error(`the generator made an invalid policy (a bug in the generator): ${issues.join('; ')}`);
    const state: ClusterState = { namespaces: scenario.namespaces, workloads: scenario.workloads, policies: manifests };
    await backend.apply(state, CTX);
    const probes = planProbes(scenario, state, probeSettings({ target: 'pod-ip', self: true, timeoutMs: 1000 as never }), topology);
    const outcomes = await backend.probe(probes, CTX);
    const compiled = compileState(state, topology);
    const out: string[] = [];
    for (const probe of probes) {
      const predicted = predict(compiled, probe).allowed ? 'allow' : 'deny';
      const outcome = outcomes.get(probe.key);
      const observed = outcome === undefined ? null : observedVerdict(outcome);
      if (observed !== predicted) {
        const to = probe.to.kind === 'workload' ? probe.to.ref : probe.to.kind;
        out.push(`${predicted} ${probe.from} -> ${to}:${probe.port}/${probe.protocol.toLowerCase()}  # observed ${outcome?.kind ?? 'nothing'}`);
      }
    }
    return out;
  } finally {
    await backend.tearDown();
  }
}

describe('backends/local: differential, simulator vs dataplane (root)', function () {
  this.timeout(RUNS * 60_000 + 60_000);

  before(function () {
    requireRoot(this);
  });

  it(`agrees with the simulator on ${RUNS} random topologies and policies`, async () => {
    let counterexample = '';
    await fc.assert(
      fc.asyncProperty(worldArbitrary, async (world) => {
        const found = await disagreements(world);
        if (found.length > 0) counterexample = toScenarioYaml(world, 'differential-counterexample', found);
        return found.length === 0;
      }),
      { numRuns: RUNS, endOnFailure: false, interruptAfterTimeLimit: RUNS * 55_000 },
    ).catch((error: unknown) => {
      // The last counterexample recorded is the shrunk one (fast-check shrinks in order).
      throw new Error(`simulator and local dataplane disagree; minimal scenario:\n---\n${counterexample}\n${error instanceof Error ? error.message.slice(0, 4000) : String(error)}`);
    });
    expect(counterexample).to.equal('');
  });
});
