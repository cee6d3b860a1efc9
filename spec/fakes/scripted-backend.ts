/**
 * A dataplane that answers from a script the spec writes out, knowing nothing of policies: the
 * step loop's verdicts are then checked against tables written by hand, never against the
 * simulator that made the predictions.
 */
import { UnsupportedError, type Backend, type BackendContext, type Topology } from '../../src/backends/backend.js';
import type { Outcome, Probe, ProbeKey } from '../../src/probe/types.js';
import type { ClusterState, Scenario } from '../../src/scenario/types.js';
import { planTopology } from '../../src/simulator/plan-topology.js';

/** Where a probe round happens: 0-based step (counted by applies) and round within the step. */
export interface RoundContext {
  readonly step: number;
  readonly round: number;
  readonly probe: Probe;
}

export interface ScriptedOptions {
  /** The outcome of each probe of each round. */
  readonly answer: (at: RoundContext) => Outcome;
  /** Known-unsupported before set-up. */
  readonly unsupported?: UnsupportedError;
  /** `apply` of this 0-based step throws UnsupportedError. */
  readonly unsupportedAtStep?: number;
  /** Called at each probe round (e.g. to advance a fake clock). */
  readonly onRound?: (step: number, round: number) => void;
}

export class ScriptedBackend implements Backend {
  readonly kind = 'local' as const;
  readonly calls: string[] = [];
  private step = -1;
  private round = 0;

  constructor(private readonly options: ScriptedOptions) {}

  unsupported(_scenario: Scenario): UnsupportedError | undefined {
    return this.options.unsupported;
  }

  async setUp(scenario: Scenario, _ctx: BackendContext): Promise<Topology> {
    this.calls.push(`setUp ${scenario.name}`);
    return planTopology(scenario);
  }

  async apply(state: ClusterState, _ctx: BackendContext): Promise<void> {
    this.step += 1;
    this.round = 0;
    this.calls.push(`apply ${state.policies.length}`);
    if (this.step === this.options.unsupportedAtStep) throw new UnsupportedError('endPort', 'scripted: endPort dropped by the API server');
  }

  async probe(probes: readonly Probe[], _ctx: BackendContext): Promise<ReadonlyMap<ProbeKey, Outcome>> {
    this.calls.push(`probe ${probes.length}`);
    this.options.onRound?.(this.step, this.round);
    const out = new Map(probes.map((probe) => [probe.key, this.options.answer({ step: this.step, round: this.round, probe })]));
    this.round += 1;
    return out;
  }

  async tearDown(): Promise<void> {
    this.calls.push('tearDown');
  }
}

/** `demo/a -> demo/b` of a probe (port left out). */
export function pairOf(probe: Probe): string {
  return `${probe.from} -> ${probe.to.kind === 'workload' ? probe.to.ref : probe.to.kind}`;
}
