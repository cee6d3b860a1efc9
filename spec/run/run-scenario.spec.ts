import { expect } from 'chai';
import { runScenario, type RunOptions } from '../../src/run/run-scenario.js';
import { FakeClock, SimulatedBackend, type Deviation } from '../fakes/simulated-backend.js';
import { threeTier } from './scenario-fixture.js';

function options(clock = new FakeClock(), signal = new AbortController().signal): RunOptions {
  return {
    settleTimeoutMs: 5000,
    inconclusiveRetries: 2,
    keep: false,
    clock,
    ctx: { signal, progress: () => {} },
    environment: { backend: 'local' },
  };
}

async function run(deviations: Deviation[]) {
  const backend = new SimulatedBackend(deviations);
  const result = await runScenario(threeTier, backend, options());
  return { backend, result };
}

describe('run/runScenario (against a simulated dataplane)', () => {
  it('passes every step when the dataplane follows the spec, and tears down', async () => {
    const { backend, result } = await run([]);
    expect(result.pass).to.equal(true);
    expect(result.steps.map((s) => s.pass)).to.deep.equal([true, true, true]);
    expect(result.steps.every((s) => s.probes.every((p) => p.observed === p.predicted))).to.equal(true);
    expect(backend.calls.at(-1)).to.equal('tearDown');
  });

  it('fails the steps where a dataplane ignoring egress lets traffic through', async () => {
    const { result } = await run([{ kind: 'ignores-egress' }]);
    expect(result.steps.map((s) => s.pass)).to.deep.equal([true, true, false]);
    const bad = result.steps[2]!.probes.filter((p) => !p.pass);
    expect(bad.map((p) => `${p.from} -> ${p.to}`)).to.deep.equal(['demo/frontend -> demo/database']);
    expect(bad[0]).to.include({ expected: 'deny', predicted: 'deny', observed: 'allow' });
  });

  it('fails every isolating step on a dataplane that does not enforce', async () => {
    const { result } = await run([{ kind: 'not-enforcing' }]);
    expect(result.pass).to.equal(false);
    expect(result.steps.map((s) => s.pass)).to.deep.equal([true, false, false]);
  });

  it('re-probes disagreeing cells until the dataplane converges, and reports the time', async () => {
    const { result } = await run([{ kind: 'slow', rounds: 2 }]);
    expect(result.pass).to.equal(true);
    expect(result.steps[1]!.convergedMs).to.equal(2000);
    expect(result.steps[1]!.flapped).to.deep.equal([]);
  });

  it('retries inconclusive probes, and fails a probe that stays inconclusive', async () => {
    const key = 'demo/frontend -> demo/backend:80/TCP';
    expect((await run([{ kind: 'inconclusive', keys: [key], times: 2 }])).result.pass).to.equal(true);
    const { result } = await run([{ kind: 'inconclusive', keys: [key], times: 99 }]);
    const probe = result.steps[0]!.probes.find((p) => p.from === 'demo/frontend' && p.to === 'demo/backend')!;
    expect(probe).to.include({ observed: null, outcome: 'error', pass: false });
  });

  it('tears down when interrupted, and rethrows the abort', async () => {
    const controller = new AbortController();
    const backend = new SimulatedBackend();
    const origApply = backend.apply.bind(backend);
    backend.apply = async (state, ctx) => {
      await origApply(state, ctx);
      controller.abort(new Error('interrupted by SIGINT'));
    };
    let error: unknown;
    try {
      await runScenario(threeTier, backend, options(new FakeClock(), controller.signal));
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain('interrupted by SIGINT');
    expect(backend.calls.at(-1)).to.equal('tearDown');
  });

  it('keeps everything in place with keep', async () => {
    const backend = new SimulatedBackend();
    await runScenario(threeTier, backend, { ...options(), keep: true });
    expect(backend.calls).to.not.include('tearDown');
  });
});
