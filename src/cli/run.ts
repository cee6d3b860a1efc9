/** `netpol-harness run FILES|DIRS --backend local|kube`: expected vs predicted vs observed. */
import type { Command } from 'commander';
import type { EnforcementVerdict } from '../run/canary.js';
import { describeTimings } from '../run/phase-timings.js';
import { runScenarios } from '../run/run-scenarios.js';
import type { RunEnvironment } from '../report/result.js';
import { systemClock } from '../util/clock.js';
import { BACKEND_OPTIONS, type BackendOptions } from './backend-provider.js';
import { timeToEnforce, withCheckedDataplane } from './checked-dataplane.js';
import { REPORT_OPTIONS, type CheckOptions } from './check.js';
import { openResultSink } from './emit-results.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { runInterruptible } from './interruptible.js';
import { loadScenarios, SCENARIO_PATHS_HELP } from './load-scenarios.js';
import { addOptions, parseCount, secondsOption, type OptionTable } from './option-table.js';

export interface RunCommandOptions extends CheckOptions, BackendOptions {
  readonly settleTimeout: number;
  readonly canaryTimeout: number;
  readonly allowNonEnforcing: boolean;
  readonly keep: boolean;
  /** Scenarios (or sets of shared pods) at once; undefined: the backend's default. */
  readonly parallel?: number;
  /** Give every scenario pods of its own, even when another scenario has the same topology. */
  readonly freshPods: boolean;
}

/** Scenarios at once when `--parallel` is not given: a cluster takes more than 2 local cores do. */
export const DEFAULT_PARALLEL = { kube: 4, local: 2, simulated: 8 } as const;

const RUN_OPTIONS: OptionTable<Omit<RunCommandOptions, keyof CheckOptions | keyof BackendOptions>> = {
  settleTimeout: secondsOption('--settle-timeout <seconds>', 'after the first round of a step, repeat rounds of all its probes for up to this long until one agrees with the predictions', 20),
  canaryTimeout: secondsOption('--canary-timeout <seconds>', 'how long the enforcement canary waits for a deny-all to take effect', 15),
  allowNonEnforcing: { flags: '--allow-non-enforcing', description: 'run even when the canary finds that policies are not enforced, or not on every node (reproduce the surprise on purpose)', default: false },
  keep: { flags: '--keep', description: 'leave namespaces, pods and processes in place for inspection (clean up later with `cleanup`)', default: false },
  parallel: {
    flags: '-j, --parallel <n>',
    description: `scenarios (or sets of shared pods) run at once, each in namespaces of its own (default: ${DEFAULT_PARALLEL.kube} on a cluster, ${DEFAULT_PARALLEL.local} on the local dataplane)`,
    parse: (v) => parseCount(v),
  },
  freshPods: {
    flags: '--fresh-pods',
    description: 'set up pods for every scenario, even when scenarios have the same namespaces and workloads (by default such scenarios share one set of pods, one after the other)',
    default: false,
  },
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const command = program
    .command('run')
    .description('run scenarios on a dataplane and compare expected, predicted and observed reachability')
    .argument('<paths...>', SCENARIO_PATHS_HELP);
  addOptions(addOptions(addOptions(command, REPORT_OPTIONS), BACKEND_OPTIONS), RUN_OPTIONS).action(
    async (paths: string[], options: RunCommandOptions) => done(await runRun(paths, options, io)),
  );
}

export async function runRun(paths: readonly string[], options: RunCommandOptions, io: CliIo): Promise<ExitCode> {
  const scenarios = loadScenarios(paths, io, options);
  if (!scenarios) return ExitCode.InvalidInput;
  // Each result is written as its scenario finishes; the reports are written even if the run stops early.
  const sink = openResultSink(options, io, io.env.GITHUB_STEP_SUMMARY);
  return sink.guard(() =>
    runInterruptible(io, async (ctx) =>
      withCheckedDataplane(options, io, ctx, undefined, async (provider, verdict) => {
      const environment: RunEnvironment = {
        backend: provider.kind,
        enforcement: toEnforcement(verdict),
        ...(provider.cni ? { cni: provider.cni } : {}),
        ...(provider.serverVersion ? { serverVersion: provider.serverVersion } : {}),
        ...('timeToEnforceMs' in verdict ? { timeToEnforceMs: Math.round(verdict.timeToEnforceMs) } : {}),
      };
      const parallel = options.parallel ?? DEFAULT_PARALLEL[provider.kind];
      // Observations on a dataplane that enforces nothing never converge to the predictions: one round each.
      const settleTimeoutMs = verdict.kind === 'not-enforcing' ? 0 : options.settleTimeout;
      if (settleTimeoutMs !== options.settleTimeout) io.stderr('the dataplane does not enforce policies: one round of probes per step, no settling\n');
      const outcome = await runScenarios(scenarios, {
        parallel,
        createBackend: () => provider.create(),
        observe: true,
        settleTimeoutMs,
        inconclusiveRetries: 2,
        enforceDelayMs: timeToEnforce(verdict),
        keep: options.keep,
        clock: systemClock,
        ctx,
        environment,
        onResult: (result) => sink.scenarioDone(result),
        // Scenarios of one topology run one after the other on one set of pods: set-up is most of
        // a scenario's time on a cluster, and the first full round of each scenario verifies the reset.
        // Kept scenarios keep their own pods: a later scenario must not reset or remove them.
        shareTopologies: !options.freshPods && !options.keep,
      });
      io.stderr(`${describeTimings(outcome.timings, outcome.wallMs, scenarios.length, parallel)}\n`);
      return sink.finish();
    }, (_provider, why) => sink.stopping(why)),
    ),
  );
}

function toEnforcement(verdict: EnforcementVerdict): NonNullable<RunEnvironment['enforcement']> {
  switch (verdict.kind) {
    case 'enforcing':
      return 'enforcing';
    case 'not-enforcing':
      return 'not-enforcing';
    case 'partial':
      return 'partial';
    case 'broken':
      return 'unknown';
  }
}
