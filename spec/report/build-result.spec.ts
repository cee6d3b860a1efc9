import { expect } from 'chai';
import { planProbes } from '../../src/probe/plan-probes.js';
import type { Outcome, ProbeKey } from '../../src/probe/types.js';
import { OUTCOME_KINDS } from '../../src/probe/types.js';
import { judgeObservation } from '../../src/run/judge-observation.js';
import { buildScenarioResult, buildStepResult, isProbePass } from '../../src/report/build-result.js';
import type { StepResult } from '../../src/report/result.js';
import { EMPTY_TOPOLOGY, prediction, scenario, stateOf, workload } from '../fixtures/build-scenario.js';

const s = scenario({
  workloads: [workload('demo/a', ['80/http']), workload('demo/b', [80])],
  steps: [{ name: 'one', expect: ['deny * -> *', 'allow a -> b'], probe: { dns: false } }],
});
const step = s.steps[0]!;
const probes = planProbes(s, stateOf(s), step.probe, EMPTY_TOPOLOGY);
const AB = 'demo/a -> demo/b:80/TCP' as ProbeKey;
const BA = 'demo/b -> demo/a:80/TCP' as ProbeKey;
const describe_ = (pred: { allowed: boolean }, p: { key: string }) => `${pred.allowed ? 'allowed' : 'denied'} ${p.key}`;

function buildWith(allowed: Record<string, boolean>, observations?: Map<ProbeKey, Outcome>) {
  const predictions = new Map(probes.map((p) => [p.key, prediction(allowed[p.key] ?? false)]));
  const judged = observations && new Map([...observations].map(([key, o]) => [key, judgeObservation(o, predictions.get(key)!, probes.find((p) => p.key === key)!)]));
  return buildStepResult({ scenario: s, step, probes, predictions, observations: judged, describe: describe_ });
}

describe('report/build-result', () => {
  describe('isProbePass', () => {
    const rows: Array<[expected: 'allow' | 'deny' | null, predicted: 'allow' | 'deny', observed: 'allow' | 'deny' | null, observing: boolean, want: boolean]> = [
      [null, 'allow', null, false, true],
      [null, 'deny', null, false, true],
      ['allow', 'allow', null, false, true],
      ['deny', 'allow', null, false, false],
      ['allow', 'allow', 'allow', true, true],
      ['allow', 'allow', 'deny', true, false],
      ['deny', 'deny', null, true, false],
      [null, 'deny', 'allow', true, false],
      [null, 'deny', 'deny', true, true],
      ['deny', 'allow', 'allow', true, false],
    ];
    for (const [expected, predicted, observed, observing, want] of rows) {
      it(`expected ${expected}, predicted ${predicted}, observed ${observed}${observing ? '' : ' (check)'} -> ${want ? 'pass' : 'fail'}`, () =>
        expect(isProbePass(expected, predicted, observed, observing)).to.equal(want));
    }
  });

  it('fills the contract fields in contract order, and the extensions', () => {
    const result = buildWith({ [AB]: true });
    expect(result).to.deep.equal({
      index: 0,
      name: 'one',
      pass: true,
      probes: [
        { from: 'demo/a', to: 'demo/b', port: 80, protocol: 'TCP', expected: 'allow', predicted: 'allow', observed: null, reason: `allowed ${AB}`, pass: true, expectation: 'allow a -> b' },
        { from: 'demo/b', to: 'demo/a', port: 80, protocol: 'TCP', expected: 'deny', predicted: 'deny', observed: null, reason: `denied ${BA}`, pass: true, portName: 'http', expectation: 'deny * -> *' },
      ],
    });
    expect(Object.keys(result.probes[1]!)).to.deep.equal(['from', 'to', 'port', 'protocol', 'expected', 'predicted', 'observed', 'reason', 'pass', 'portName', 'expectation']);
  });

  it('fails a step when the author expects what the policies do not say', () => {
    const result = buildWith({ [AB]: false });
    expect(result.pass).to.equal(false);
    expect(result.probes.map((p) => p.pass)).to.deep.equal([false, true]);
  });

  describe('under run, per outcome kind', () => {
    for (const kind of OUTCOME_KINDS) {
      it(`${kind}: observed as judged against each prediction, the outcome is kept`, () => {
        const outcome: Outcome = kind === 'error' ? { kind, detail: 'exec failed' } : { kind };
        const result = buildWith({ [AB]: true, [BA]: false }, new Map(probes.map((p) => [p.key, outcome])));
        for (const [i, p] of result.probes.entries()) {
          const verdict = judgeObservation(outcome, prediction(p.predicted === 'allow'), probes[i]!).verdict;
          expect(p.outcome).to.equal(kind);
          expect(p.observed).to.equal(verdict);
          expect(p.pass).to.equal(verdict !== null && verdict === p.predicted);
        }
      });
    }
  });

  it('a probe missing from the observations is inconclusive', () => {
    const result = buildWith({ [AB]: true }, new Map([[AB, { kind: 'ok' }]]));
    expect(result.probes[1]).to.include({ observed: null, outcome: 'error', pass: false });
    expect(result.probes[0]).to.include({ observed: 'allow', outcome: 'ok', pass: true });
  });

  it('a missing prediction is a bug', () => {
    expect(() => buildStepResult({ scenario: s, step, probes, predictions: new Map(), describe: describe_ })).to.throw(/no prediction/);
  });

  describe('buildScenarioResult', () => {
    const passing: StepResult = { index: 0, name: 'a', pass: true, probes: [] };
    const failing: StepResult = { index: 1, name: 'b', pass: false, probes: [] };
    const rows: Array<[StepResult[], boolean]> = [
      [[], true],
      [[passing], true],
      [[passing, failing], false],
    ];
    for (const [steps, want] of rows) {
      it(`${steps.length} steps, ${steps.filter((x) => !x.pass).length} failing -> ${want}`, () =>
        expect(buildScenarioResult(s, steps)).to.deep.equal({ scenario: 'fixture', file: 'fixture.yaml', pass: want, steps }));
    }
  });
});
