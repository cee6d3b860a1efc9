/**
 * Many scenarios on one dataplane, `parallel` at a time, each on a backend of its own (its own
 * run id, namespaces and cleanup). Results are handed over as each scenario finishes, so they
 * can be written at once. A failure of the environment stops the scenarios still running
 * (they tear down) and rejects once they have.
 */
import { setMaxListeners } from 'node:events';
import type { Backend } from '../backends/backend.js';
import { planSharedJobs, shareTopology } from '../conformance/shared-topology.js';
import type { ScenarioResult } from '../report/result.js';
import type { Scenario } from '../scenario/types.js';
import { mapLimit } from '../util/map-limit.js';
import { PhaseTimings } from './phase-timings.js';
import { runScenario, type RunOptions } from './run-scenario.js';

export interface RunScenariosOptions extends Omit<RunOptions, 'timings'> {
  /** Scenarios at once (>= 1). */
  readonly parallel: number;
  /** A fresh backend for each scenario. */
  readonly createBackend: () => Promise<Backend>;
  /** Called as each scenario finishes, in finishing order. */
  readonly onResult?: (result: ScenarioResult) => void;
  /**
   * Scenarios of the same topology share one set-up (the conformance suite): each backend runs
   * a job of such scenarios one after the other; `apply` resets policies and labels between them.
   */
  readonly shareTopologies?: boolean;
}

export interface RunScenariosOutcome {
  /** In the order of `scenarios`. */
  readonly results: readonly ScenarioResult[];
  readonly timings: PhaseTimings;
  readonly wallMs: number;
}

/** Runs every scenario; rejects with the first failure after every scenario in flight has torn down. */
export async function runScenarios(scenarios: readonly Scenario[], options: RunScenariosOptions): Promise<RunScenariosOutcome> {
  const { clock } = options;
  const timings = new PhaseTimings(clock);
  const start = clock.now();
  // One scenario's failure stops the others: they see an aborted signal and tear down.
  const stop = new AbortController();
  const signal = AbortSignal.any([options.ctx.signal, stop.signal]);
  // Every exec and wait in flight listens to it: many at once is expected, not a leak.
  setMaxListeners(0, signal);
  const ctx = { ...options.ctx, signal };
  const results: ScenarioResult[] = new Array<ScenarioResult>(scenarios.length);
  const jobs = options.shareTopologies === true ? planSharedJobs(scenarios, options.parallel) : scenarios.map((_, i) => [i]);
  await mapLimit(jobs, options.parallel, async (job) => {
    try {
      const backend = await options.createBackend();
      const shared = options.shareTopologies === true ? shareTopology(backend) : undefined;
      try {
        for (const index of job) {
          const result = await runScenario(scenarios[index]!, shared ?? backend, { ...options, ctx, timings });
          results[index] = result;
          options.onResult?.(result);
        }
      } finally {
        if (shared !== undefined && !options.keep) await timings.time('teardown', () => shared.close());
      }
    } catch (error) {
      if (!stop.signal.aborted) stop.abort(error);
      throw error;
    }
  }).catch((error: unknown) => {
    // The first failure, not the aborts it caused in the other scenarios.
    throw stop.signal.aborted && !options.ctx.signal.aborted ? stop.signal.reason : error;
  });
  return { results, timings, wallMs: clock.now() - start };
}
