/**
 * The kube-router-1.2 profile against what a real kube-router 1.2.1 did: the rig's observations
 * of the two cases it deviates in (spec/fixtures/kube-router-rig.ts). Predicted with the
 * profile, every cell is what the rig observed; judged under the profile, the rig's results
 * are known deviations, each told by its own deviation; judged without one, they behave like
 * kube-router-1.2 first.
 */
import { expect } from 'chai';
import { judgeCase, matchProfiles } from '../../src/conformance/feature-verdicts.js';
import { compileOptionsOf, loadProfiles } from '../../src/conformance/profiles.js';
import { loadSuite, SUITE_CASES } from '../../src/conformance/suite.js';
import { profilePredictor } from '../../src/cli/conformance.js';
import type { ScenarioResult } from '../../src/report/result.js';
import { checkScenario } from '../../src/run/check-scenario.js';
import type { CompileOptions } from '../../src/simulator/compile-state.js';
import { KUBE_ROUTER_RIG, type RigCell } from '../fixtures/kube-router-rig.js';

const cellKey = (from: string, to: string, port: number, protocol: string): string => `${from} -> ${to}:${port}/${protocol}`;

describe('conformance: the kube-router-1.2 profile against the rig (Kubernetes 1.20.2, kube-router 1.2.1)', () => {
  const profiles = loadProfiles();
  const profile = profiles.get('kube-router-1.2')!;
  const { scenarios, diagnostics } = loadSuite(SUITE_CASES.filter((c) => c.name in KUBE_ROUTER_RIG));

  /** The suite's results of the two cases predicted with `compile`, with what the rig observed. */
  async function rigResults(compile: CompileOptions): Promise<ScenarioResult[]> {
    return Promise.all(
      scenarios.map(async (scenario) => {
        const rig = KUBE_ROUTER_RIG[scenario.name]!;
        const observed = new Map<string, RigCell>(rig.cells.map((c) => [cellKey(c[0], c[1], c[2], c[3]), c]));
        const result = await checkScenario(scenario, compile);
        const steps = result.steps.map((step) => {
          if (step.index !== rig.step) return step;
          const probes = step.probes.map((p) => {
            const cell = observed.get(cellKey(p.from, p.to, p.port, p.protocol));
            if (!cell) throw new Error(`${scenario.name}: the rig has no cell ${cellKey(p.from, p.to, p.port, p.protocol)}`);
            return { ...p, observed: cell[4], outcome: cell[5], pass: p.expected === cell[4] };
          });
          return { ...step, probes, pass: probes.every((p) => p.pass) };
        });
        return { ...result, steps, pass: steps.every((s) => s.pass) };
      }),
    );
  }

  it('loads both cases, and the rig observed every probe of their step', async () => {
    expect(diagnostics).to.deep.equal([]);
    expect(scenarios.map((s) => s.name).sort()).to.deep.equal(Object.keys(KUBE_ROUTER_RIG).sort());
    for (const result of await rigResults({})) {
      const step = result.steps[KUBE_ROUTER_RIG[result.scenario]!.step]!;
      expect(step.probes.length, result.scenario).to.equal(KUBE_ROUTER_RIG[result.scenario]!.cells.length);
    }
  });

  it('the profile predicts every cell exactly as the rig observed it; the standard semantics miss 10', async () => {
    const miss = (results: ScenarioResult[]): string[] =>
      results.flatMap((r) => r.steps.flatMap((s) => s.probes.filter((p) => p.predicted !== p.observed).map((p) => `${r.scenario}: ${cellKey(p.from, p.to, p.port, p.protocol)} predicted ${p.predicted}, observed ${p.observed}`)));
    expect(miss(await rigResults(compileOptionsOf(profile)))).to.deep.equal([]);
    const standard = miss(await rigResults({}));
    expect(standard).to.have.length(10);
    expect(standard.filter((m) => m.startsWith('union-ingress-and-egress-policies'))).to.deep.equal([
      'union-ingress-and-egress-policies: x/b -> x/a:80/TCP predicted deny, observed allow',
      'union-ingress-and-egress-policies: x/b -> x/a:81/TCP predicted deny, observed allow',
    ]);
  });

  it('its reasons say which reading of the profile decided the deviating cells', async () => {
    const reasons = new Map((await rigResults(compileOptionsOf(profile))).flatMap((r) => r.steps.flatMap((s) => s.probes.map((p) => [`${r.scenario}: ${cellKey(p.from, p.to, p.port, p.protocol)}`, p.reason] as const))));
    expect(reasons.get('union-ingress-and-egress-policies: x/b -> x/a:80/TCP')).to.match(/^allowed: egress by ingress rule 1 of x\/in \(.*\): this CNI profile runs every policy selecting a pod in both directions, and x\/in selects both x\/b and x\/a; ingress by x\/in rule 1/);
    expect(reasons.get('named-port-egress-tcp: x/a -> z/b:80/TCP')).to.match(/^allowed: egress by x\/named rule 1 \(.*\), port web\/TCP \(= 80\/TCP or 81\/TCP in namespace x: this CNI profile resolves a named port of an egress rule without `to` in the policy's namespace/);
  });

  it('under --profile kube-router-1.2 the rig\'s deviations are known, each told by its own deviation', async () => {
    const outcomes = (await rigResults(compileOptionsOf(profile))).map((r) => judgeCase(r, profile));
    expect(outcomes.map((o) => [o.case, o.verdict, o.knownCells.length, o.known.map((d) => d.id)])).to.deep.equal([
      ['named-port-egress-tcp', 'known-deviation', 8, ['egress-named-port-by-namespace']],
      ['union-ingress-and-egress-policies', 'known-deviation', 2, ['policies-run-both-ways']],
    ]);
  });

  it('without a profile the rig\'s results deviate and behave like kube-router-1.2 first, which explains every deviation', async () => {
    const results = await rigResults({});
    expect(results.map((r) => judgeCase(r).verdict)).to.deep.equal(['deviates', 'deviates']);
    const all = [...profiles.values()];
    const matches = matchProfiles(results, all, await profilePredictor(scenarios, all));
    expect(matches[0]).to.deep.equal({ profile: 'kube-router-1.2', explained: 10, deviations: 10, unmet: 0 });
    for (const other of matches.slice(1)) expect(other.explained, other.profile).to.equal(0);
  });
});
