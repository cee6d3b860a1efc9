/**
 * The simulator as a dataplane: a Backend whose topology is the simulator's deterministic plan
 * and whose probes are answered by NetworkPolicy semantics under a CNI's reading of the spec
 * (CompileOptions). `check` runs the same step loop as `run` on it without probing; `run
 * --backend simulated` shows what a CNI with the given reading would do.
 */
import type { Backend, BackendContext, Topology } from '../backend.js';
import type { Outcome, Probe, ProbeKey } from '../../probe/types.js';
import type { ClusterState, Scenario } from '../../scenario/types.js';
import { planTopology } from '../../simulator/plan-topology.js';
import { compileState, predict, type CompileOptions, type CompiledState } from '../../simulator/simulate.js';

export interface SimulatedBackendOptions {
  /** How the simulated CNI reads the spec (default: the standard semantics). */
  readonly compile?: CompileOptions;
  /** false: policies are accepted and never enforced. Default true. */
  readonly enforce?: boolean;
}

/** The outcome a simulated probe has: a lookup blocked reads as `dns`, anything else denied as `timeout`. */
export function simulatedOutcome(compiled: CompiledState, probe: Probe): Outcome {
  const prediction = predict(compiled, probe);
  if (prediction.allowed) return { kind: 'ok' };
  return prediction.blocker === 'dns' || probe.to.kind === 'dns' ? { kind: 'dns', detail: 'simulated lookup blocked' } : { kind: 'timeout' };
}

export function createSimulatedBackend(options: SimulatedBackendOptions = {}): Backend & { readonly kind: 'simulated' } {
  let topology: Topology | undefined;
  let state: ClusterState | undefined;
  // Compiled on the first probe of a state only: `check` applies and predicts, never probes.
  let compiled: CompiledState | undefined;
  return {
    kind: 'simulated',
    async setUp(scenario: Scenario, _ctx: BackendContext): Promise<Topology> {
      topology = planTopology(scenario);
      return topology;
    },
    async apply(next: ClusterState, _ctx: BackendContext): Promise<void> {
      if (topology === undefined) throw new Error('simulated backend: apply() before setUp()');
      state = options.enforce === false ? { ...next, policies: [] } : next;
      compiled = undefined;
    },
    async probe(probes: readonly Probe[], _ctx: BackendContext): Promise<ReadonlyMap<ProbeKey, Outcome>> {
      if (topology === undefined || state === undefined) throw new Error('simulated backend: probe() before apply()');
      const current = (compiled ??= compileState(state, topology, options.compile));
      return new Map(probes.map((p) => [p.key, simulatedOutcome(current, p)]));
    },
    async tearDown(): Promise<void> {
      topology = undefined;
      state = undefined;
      compiled = undefined;
    },
  };
}
