import { expect } from 'chai';
import { UnsupportedError } from '../../src/backends/backend.js';
import type { Outcome } from '../../src/probe/types.js';
import { PhaseTimings } from '../../src/run/phase-timings.js';
import { flaps, runScenario, type RunOptions } from '../../src/run/run-scenario.js';
import type { Scenario } from '../../src/scenario/types.js';
import { FakeClock } from '../fakes/simulated-backend.js';
import { pairOf, ScriptedBackend, type RoundContext, type ScriptedOptions } from '../fakes/scripted-backend.js';
import { threeTier } from './scenario-fixture.js';

/**
 * What a dataplane that follows the spec does in each step of the fixture, written out by hand
 * from the fixture's policies (step 1: only the frontend may reach the backend; step 2: the
 * frontend may reach only the backend).
 */
const DENIED_BY_STEP: ReadonlyArray<ReadonlySet<string>> = [
  new Set(),
  new Set(['demo/database -> demo/backend']),
  new Set(['demo/database -> demo/backend', 'demo/frontend -> demo/database']),
  // A step that only re-probes keeps step 2's policies.
  new Set(['demo/database -> demo/backend', 'demo/frontend -> demo/database']),
];

const OK: Outcome = { kind: 'ok' };
const TIMEOUT: Outcome = { kind: 'timeout' };

/** The hand-written table: allowed unless the step denies the pair. */
function byTheTable({ step, probe }: RoundContext): Outcome {
  return DENIED_BY_STEP[step]!.has(pairOf(probe)) ? TIMEOUT : OK;
}

function options(clock = new FakeClock(), overrides: Partial<RunOptions> = {}): RunOptions {
  return {
    observe: true,
    settleTimeoutMs: 5000,
    inconclusiveRetries: 2,
    enforceDelayMs: 0,
    keep: false,
    clock,
    ctx: { signal: new AbortController().signal, progress: () => {} },
    environment: { backend: 'local' },
    ...overrides,
  };
}

async function run(script: ScriptedOptions, overrides: Partial<RunOptions> = {}, scenario: Scenario = threeTier) {
  const clock = new FakeClock();
  const backend = new ScriptedBackend(script);
  const result = await runScenario(scenario, backend, options(clock, overrides));
  return { backend, result, clock };
}

function failing(result: Awaited<ReturnType<typeof run>>['result'], step: number): string[] {
  return result.steps[step]!.probes.filter((p) => !p.pass).map((p) => `${p.from} -> ${p.to}`);
}

describe('run/runScenario (against a scripted dataplane)', () => {
  it('passes every step when the dataplane does what the policies say, in one round each, and tears down', async () => {
    const { backend, result } = await run({ answer: byTheTable });
    expect(result.pass).to.equal(true);
    expect(result.steps.map((s) => s.rounds)).to.deep.equal([1, 1, 1]);
    expect(result.steps.every((s) => s.probes.every((p) => p.observed === p.predicted))).to.equal(true);
    expect(backend.calls.at(-1)).to.equal('tearDown');
  });

  it('fails exactly the cells where a dataplane ignoring ingress lets traffic through', async () => {
    const ignoresIngress = (at: RoundContext): Outcome => (pairOf(at.probe) === 'demo/database -> demo/backend' ? OK : byTheTable(at));
    const { result } = await run({ answer: ignoresIngress });
    expect(result.steps.map((s) => s.pass)).to.deep.equal([true, false, false]);
    expect(failing(result, 1)).to.deep.equal(['demo/database -> demo/backend']);
    expect(result.steps[1]!.probes.find((p) => !p.pass)).to.include({ expected: 'deny', predicted: 'deny', observed: 'allow' });
  });

  it('fails every isolating step on a dataplane that does not enforce', async () => {
    const { result } = await run({ answer: () => OK });
    expect(result.steps.map((s) => s.pass)).to.deep.equal([true, false, false]);
  });

  it('re-probes EVERY cell each round until one full round agrees, and reports the time to converge', async () => {
    // Step 1's deny takes effect only from round 2 on.
    const slow = (at: RoundContext): Outcome => (at.step === 1 && at.round < 2 ? OK : byTheTable(at));
    const { result, backend } = await run({ answer: slow });
    expect(result.pass).to.equal(true);
    expect(result.steps[1]).to.include({ rounds: 3, convergedMs: 2000 });
    // Three full rounds of all 6 cells in step 1, never only the cell that disagreed.
    expect(backend.calls.filter((c) => c.startsWith('probe'))).to.deep.equal(['probe 6', 'probe 6', 'probe 6', 'probe 6', 'probe 6']);
  });

  it('times the wait after a change, the first round and the rounds after it apart', async () => {
    const clock = new FakeClock();
    const timings = new PhaseTimings(clock);
    // Step 1's deny takes effect only from round 2 on; every round takes 1 s.
    const backend = new ScriptedBackend({ answer: (at) => (at.step === 1 && at.round < 2 ? OK : byTheTable(at)), onRound: () => void clock.sleep(1000) });
    await runScenario(threeTier, backend, options(clock, { enforceDelayMs: 300, timings }));
    // Three steps, each changing something: 3 waits and 3 first rounds; step 1's two more rounds after their 1 s pauses.
    expect((['wait', 'probe', 'settle'] as const).map((p) => timings.total(p))).to.deep.equal([900, 3000, 4000]);
  });

  it('starts the settle budget after the first round: a slow first round still leaves time to re-probe', async () => {
    const clock = new FakeClock();
    const backend = new ScriptedBackend({
      answer: (at) => (at.step === 1 && at.round === 0 ? OK : byTheTable(at)),
      // The first round of step 1 takes longer than the whole budget.
      onRound: (step, round) => void (step === 1 && round === 0 ? clock.sleep(30_000) : undefined),
    });
    const result = await runScenario(threeTier, backend, options(clock));
    expect(result.steps[1]).to.include({ pass: true, rounds: 2 });
  });

  it('never passes a step on cells that agreed by chance in a transient state: a cell that leaves the prediction flaps and fails', async () => {
    const flapping = (at: RoundContext): Outcome => {
      // Round 0 of step 2: database -> backend is still open, so another round is needed...
      if (at.step === 2 && at.round === 0 && pairOf(at.probe) === 'demo/database -> demo/backend') return OK;
      // ... in which frontend -> database, denied as predicted in round 0, is open again.
      if (at.step === 2 && at.round === 1 && pairOf(at.probe) === 'demo/frontend -> demo/database') return OK;
      return byTheTable(at);
    };
    const { result } = await run({ answer: flapping });
    const step = result.steps[2]!;
    expect(step.pass).to.equal(false);
    expect(step.flapped).to.deep.equal(['demo/frontend -> demo/database:80/TCP']);
    expect(step.probes.find((p) => p.flapped)).to.include({ from: 'demo/frontend', to: 'demo/database', observed: 'deny', pass: false });
  });

  it('waits what the canary measured after a step that changes something, and not after one that only re-probes', async () => {
    const times: number[] = [];
    const clock = new FakeClock();
    const backend = new ScriptedBackend({ answer: byTheTable, onRound: () => times.push(clock.now()) });
    const reprobe: Scenario = { ...threeTier, steps: [...threeTier.steps, { ...threeTier.steps[2]!, index: 3, name: 'again', apply: [] }] };
    await runScenario(reprobe, backend, options(clock, { enforceDelayMs: 1500 }));
    // Step 0 follows the set-up (or a shared topology's previous case), steps 1-2 apply a policy, step 3 re-probes.
    expect(times).to.deep.equal([1500, 3000, 4500, 4500]);
  });

  describe('a denial only counts when the packet met a policy', () => {
    const byName: Scenario = { ...threeTier, steps: threeTier.steps.map((s) => ({ ...s, probe: { ...s.probe, target: 'service-name' as const } })) };
    const DB_BACKEND = 'demo/database -> demo/backend';

    it('a predicted connect-deny observed as a DNS failure is inconclusive, says why, and fails', async () => {
      const { result } = await run({ answer: (at) => (pairOf(at.probe) === DB_BACKEND && at.step === 1 ? { kind: 'dns', detail: 'NXDOMAIN' } : byTheTable(at)) }, {}, byName);
      const probe = result.steps[1]!.probes.find((p) => `${p.from} -> ${p.to}` === DB_BACKEND)!;
      expect(probe).to.include({ predicted: 'deny', observed: null, outcome: 'dns', pass: false });
      expect(probe.inconclusive).to.match(/never tried/);
    });

    it('a predicted deny over an unreachable network is inconclusive; a predicted allow over one fails as a deny', async () => {
      const unreachable: Outcome = { kind: 'unreachable', detail: 'connect: network is unreachable' };
      const { result } = await run({ answer: (at) => (at.step === 1 && at.probe.from === 'demo/database' ? unreachable : byTheTable(at)) });
      const probes = result.steps[1]!.probes.filter((p) => p.from === 'demo/database');
      expect(probes.map((p) => [p.to, p.predicted, p.observed])).to.deep.equal([
        ['demo/backend', 'deny', null],
        ['demo/frontend', 'allow', 'deny'],
      ]);
      expect(probes[0]!.inconclusive).to.match(/routing failure/);
    });
  });

  it('retries inconclusive rounds a few times, and fails a probe that stays inconclusive', async () => {
    const key = 'demo/frontend -> demo/backend';
    const error: Outcome = { kind: 'error', detail: 'exec failed' };
    const twice = await run({ answer: (at) => (pairOf(at.probe) === key && at.round < 2 ? error : byTheTable(at)) });
    expect(twice.result.pass).to.equal(true);
    const always = await run({ answer: (at) => (pairOf(at.probe) === key ? error : byTheTable(at)) });
    const probe = always.result.steps[0]!.probes.find((p) => `${p.from} -> ${p.to}` === key)!;
    expect(probe).to.include({ observed: null, outcome: 'error', pass: false });
    expect(always.result.steps[0]!.rounds).to.equal(3);
  });

  describe('a scenario the dataplane cannot express', () => {
    it('known before set-up: reported unsupported with the reason, nothing created', async () => {
      const { result, backend } = await run({ answer: byTheTable, unsupported: new UnsupportedError('endPort', 'endPort needs Kubernetes >= 1.22 and this cluster runs v1.20.2') });
      expect(result).to.deep.include({ pass: false, steps: [], unsupported: { feature: 'endPort', reason: 'endPort needs Kubernetes >= 1.22 and this cluster runs v1.20.2' } });
      expect(backend.calls).to.deep.equal([]);
    });

    it('found at apply: the steps before are kept, the run tears down', async () => {
      const { result, backend } = await run({ answer: byTheTable, unsupportedAtStep: 2 });
      expect(result.unsupported?.feature).to.equal('endPort');
      expect(result.steps.map((s) => s.pass)).to.deep.equal([true, true]);
      expect(backend.calls.at(-1)).to.equal('tearDown');
    });
  });

  it('predicts without probing under check (observe: false): observed stays null', async () => {
    const { result, backend } = await run({ answer: () => OK }, { observe: false });
    expect(backend.calls.some((c) => c.startsWith('probe'))).to.equal(false);
    expect(result.steps.flatMap((s) => s.probes).every((p) => p.observed === null && p.outcome === undefined)).to.equal(true);
  });

  it('tears down when interrupted, and rethrows the abort', async () => {
    const controller = new AbortController();
    const backend = new ScriptedBackend({ answer: byTheTable });
    const origApply = backend.apply.bind(backend);
    backend.apply = async (state, ctx) => {
      await origApply(state, ctx);
      controller.abort(new Error('interrupted by SIGINT'));
    };
    let error: unknown;
    try {
      await runScenario(threeTier, backend, { ...options(), ctx: { signal: controller.signal, progress: () => {} } });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain('interrupted by SIGINT');
    expect(backend.calls.at(-1)).to.equal('tearDown');
  });

  it('keeps everything in place with keep', async () => {
    const backend = new ScriptedBackend({ answer: byTheTable });
    await runScenario(threeTier, backend, { ...options(), keep: true });
    expect(backend.calls).to.not.include('tearDown');
  });

  describe('flaps', () => {
    const rows: Array<[string[], string, boolean]> = [
      [['allow'], 'allow', false],
      [['allow', 'deny'], 'deny', false],
      [['allow', 'allow', 'deny'], 'deny', false],
      [['deny', 'allow'], 'deny', true],
      [['allow', 'deny', 'allow'], 'deny', true],
      [['allow', 'deny', 'allow'], 'allow', true],
      [['deny', 'deny'], 'allow', false],
    ];
    for (const [verdicts, predicted, want] of rows) {
      it(`${verdicts.join(' -> ')} against ${predicted}: ${want ? 'flaps' : 'does not flap'}`, () =>
        expect(flaps(verdicts as ('allow' | 'deny')[], predicted as 'allow' | 'deny')).to.equal(want));
    }
  });
});
