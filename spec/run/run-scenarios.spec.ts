import { expect } from 'chai';
import type { Backend, BackendContext, Topology } from '../../src/backends/backend.js';
import { runScenarios } from '../../src/run/run-scenarios.js';
import type { Scenario } from '../../src/scenario/types.js';
import { systemClock } from '../../src/util/clock.js';
import { ScriptedBackend } from '../fakes/scripted-backend.js';
import { threeTier } from './scenario-fixture.js';

const named = (name: string): Scenario => ({ ...threeTier, name });
const OK = () => ({ kind: 'ok' as const });

function options(createBackend: () => Promise<Backend>, parallel = 2) {
  return {
    parallel,
    createBackend,
    observe: true,
    settleTimeoutMs: 0,
    inconclusiveRetries: 0,
    enforceDelayMs: 0,
    keep: false,
    clock: systemClock,
    ctx: { signal: new AbortController().signal, progress: () => {} },
  };
}

describe('run/runScenarios (many scenarios, parallel)', () => {
  it('runs them N at a time, each on a backend of its own, results in input order and handed over as they finish', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const finished: string[] = [];
    const scenarios = ['a', 'b', 'c', 'd', 'e'].map(named);
    const backends: ScriptedBackend[] = [];
    const outcome = await runScenarios(scenarios, {
      ...options(async () => {
        const b = new ScriptedBackend({ answer: OK });
        const setUp = b.setUp.bind(b);
        b.setUp = async (s, ctx) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((r) => setTimeout(r, 20));
          return setUp(s, ctx);
        };
        const tearDown = b.tearDown.bind(b);
        b.tearDown = async () => {
          inFlight -= 1;
          return tearDown();
        };
        backends.push(b);
        return b;
      }),
      onResult: (r) => finished.push(r.scenario),
    });
    expect(outcome.results.map((r) => r.scenario)).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(finished.sort()).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(backends).to.have.length(5);
    expect(maxInFlight).to.equal(2);
    expect(outcome.timings.probesSent).to.equal(5 * 3 * 6);
  });

  it('a failure of the environment stops the others (they tear down) and rejects with it', async () => {
    const torn: string[] = [];
    const failing: Backend = {
      kind: 'kube',
      setUp: async () => {
        await new Promise((r) => setTimeout(r, 10));
        throw new Error('the cluster refused pod x/a: admission webhook denied the request');
      },
      apply: async () => {},
      probe: async () => new Map(),
      tearDown: async () => void torn.push('failing'),
    };
    let calls = 0;
    const slow = (): Backend => {
      const b = new ScriptedBackend({ answer: OK });
      const probe = b.probe.bind(b);
      b.probe = async (p, ctx: BackendContext) => {
        await new Promise((r) => setTimeout(r, 50));
        return probe(p, ctx);
      };
      const tearDown = b.tearDown.bind(b);
      b.tearDown = async () => {
        torn.push('slow');
        return tearDown();
      };
      return b;
    };
    let error: unknown;
    await runScenarios(['a', 'b', 'c'].map(named), options(async () => (calls++ === 1 ? failing : slow()), 3)).catch((e: unknown) => (error = e));
    expect(String(error)).to.contain('admission webhook denied the request');
    expect(torn.sort()).to.deep.equal(['failing', 'slow', 'slow']);
  });

  it('with shared topologies, cases of one topology reuse one set-up and tear it down once', async () => {
    const backend = new ScriptedBackend({ answer: OK });
    await runScenarios(['a', 'b', 'c'].map(named), { ...options(async () => backend, 1), shareTopologies: true });
    expect(backend.calls.filter((c) => c.startsWith('setUp'))).to.have.length(1);
    expect(backend.calls.filter((c) => c === 'tearDown')).to.have.length(1);
    expect(backend.calls.at(-1)).to.equal('tearDown');
  });
});
