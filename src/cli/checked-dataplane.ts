/**
 * The start every command that probes shares: open the dataplane, prove with the canary that
 * it enforces policies (on every node), stop with exit 3 and a diagnosis when it does not
 * (unless asked to go on), and always close the dataplane at the end.
 */
import type { BackendContext } from '../backends/backend.js';
import { describeVerdict, runCanary, type EnforcementVerdict } from '../run/canary.js';
import type { CompileOptions } from '../simulator/simulate.js';
import { systemClock } from '../util/clock.js';
import { openBackend, type BackendOptions, type BackendProvider } from './backend-provider.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

export interface CanaryGate {
  /** ms a deny-all gets to take effect. */
  readonly canaryTimeout: number;
  /** Go on even when not every direction and node enforces. */
  readonly allowNonEnforcing: boolean;
}

/**
 * Runs `body` on a dataplane whose enforcement the canary checked; `compile` is how a simulated
 * dataplane reads the spec. Returns 3 without calling `body` when the dataplane does not enforce,
 * after telling `stopped` the dataplane and why (for the reports, which outlive stderr in CI).
 */
export async function withCheckedDataplane(
  options: BackendOptions & CanaryGate,
  io: CliIo,
  ctx: BackendContext,
  compile: CompileOptions | undefined,
  body: (provider: BackendProvider, verdict: EnforcementVerdict) => Promise<ExitCode>,
  stopped?: (provider: BackendProvider, why: string) => void,
): Promise<ExitCode> {
  const provider = await openBackend(options, io, ctx, compile);
  try {
    const nodes = (await provider.nodes?.(ctx)) ?? [];
    const verdict = await runCanary(await provider.create(), { deadlineMs: options.canaryTimeout, clock: systemClock, ctx, nodes });
    const canary = `enforcement canary on ${provider.describe()}: ${describeVerdict(verdict)}`;
    io.stderr(`${canary}\n`);
    if (verdict.kind !== 'enforcing' && !options.allowNonEnforcing) {
      // One finding, said once: not a failure of every probe that follows.
      io.stderr(`${provider.diagnose(verdict)}\n`);
      stopped?.(provider, `stopped before any case: ${canary} (--allow-non-enforcing runs anyway)`);
      return ExitCode.Environment;
    }
    return await body(provider, verdict);
  } finally {
    await provider.close?.(ctx);
  }
}

/** What the canary measured: how long a change takes to be in force here, ms. */
export function timeToEnforce(verdict: EnforcementVerdict): number {
  return 'timeToEnforceMs' in verdict ? verdict.timeToEnforceMs : 0;
}
