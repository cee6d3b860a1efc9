/**
 * A deterministic fake dataplane: it answers probes from the simulator itself, bent by named
 * deviations ("ignores egress", "slow to converge", "does not enforce"). Never random.
 */
import type { Backend, BackendContext, Topology } from '../../src/backends/backend.js';
import type { Outcome, Probe, ProbeKey } from '../../src/probe/types.js';
import type { ClusterState, Scenario } from '../../src/scenario/types.js';
import { planTopology } from '../../src/simulator/plan-topology.js';
import { compileState, predict } from '../../src/simulator/simulate.js';

export type Deviation =
  /** Every flow connects, whatever the policies. */
  | { readonly kind: 'not-enforcing' }
  /** Nothing connects, whatever the policies (a broken pod network). */
  | { readonly kind: 'drops-everything' }
  /** Egress policies are ignored: only the ingress side is judged. */
  | { readonly kind: 'ignores-egress' }
  /** The first `rounds` probe calls after each apply still see the previous state. */
  | { readonly kind: 'slow'; readonly rounds: number }
  /** These probe keys come back inconclusive `times` times, then honestly. */
  | { readonly kind: 'inconclusive'; readonly keys: readonly string[]; readonly times: number };

export class SimulatedBackend implements Backend {
  readonly kind = 'local' as const;
  readonly calls: string[] = [];
  private topology: Topology | undefined;
  private current: ClusterState | undefined;
  private previous: ClusterState | undefined;
  private roundsSinceApply = 0;
  private readonly inconclusiveLeft = new Map<string, number>();

  constructor(private readonly deviations: readonly Deviation[] = []) {
    for (const d of deviations) if (d.kind === 'inconclusive') for (const k of d.keys) this.inconclusiveLeft.set(k, d.times);
  }

  async setUp(scenario: Scenario, _ctx: BackendContext): Promise<Topology> {
    this.calls.push(`setUp ${scenario.name}`);
    this.topology = planTopology(scenario);
    return this.topology;
  }

  async apply(state: ClusterState, _ctx: BackendContext): Promise<void> {
    this.calls.push(`apply ${state.policies.length}`);
    this.previous = this.current;
    this.current = state;
    this.roundsSinceApply = 0;
  }

  async probe(probes: readonly Probe[], _ctx: BackendContext): Promise<ReadonlyMap<ProbeKey, Outcome>> {
    this.calls.push(`probe ${probes.length}`);
    const slow = this.deviations.find((d) => d.kind === 'slow');
    const state = slow && this.roundsSinceApply < slow.rounds && this.previous ? this.previous : this.current;
    this.roundsSinceApply += 1;
    if (!state || !this.topology) throw new Error('probe before setUp/apply');
    const compiled = compileState(state, this.topology);
    const out = new Map<ProbeKey, Outcome>();
    for (const probe of probes) {
      const left = this.inconclusiveLeft.get(probe.key) ?? 0;
      if (left > 0) {
        this.inconclusiveLeft.set(probe.key, left - 1);
        out.set(probe.key, { kind: 'error', detail: 'scripted inconclusive result' });
        continue;
      }
      out.set(probe.key, this.answer(compiled, probe));
    }
    return out;
  }

  private answer(compiled: ReturnType<typeof compileState>, probe: Probe): Outcome {
    if (this.deviations.some((d) => d.kind === 'not-enforcing')) return { kind: 'ok' };
    if (this.deviations.some((d) => d.kind === 'drops-everything')) return { kind: 'timeout' };
    const prediction = predict(compiled, probe);
    if (this.deviations.some((d) => d.kind === 'ignores-egress')) {
      const ingressOk = prediction.flow.ingress?.allowed ?? true;
      return ingressOk ? { kind: 'ok' } : { kind: 'timeout' };
    }
    if (prediction.allowed) return { kind: 'ok' };
    return prediction.blocker === 'dns' ? { kind: 'dns', detail: 'bad address' } : { kind: 'timeout' };
  }

  async tearDown(): Promise<void> {
    this.calls.push('tearDown');
  }
}

/** A clock that never really waits: sleeping advances time. */
export class FakeClock {
  private t = 0;
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
  }
}
