/** `netpol-harness run FILES|DIRS --backend local|kube`: expected vs predicted vs observed. */
import type { Command } from 'commander';
import { describeVerdict, runCanary, type EnforcementVerdict } from '../run/canary.js';
import { systemClock } from '../run/clock.js';
import { runScenario } from '../run/run-scenario.js';
import type { RunEnvironment, ScenarioResult } from '../report/result.js';
import { BACKEND_OPTIONS, openBackend, type BackendOptions } from './backend-provider.js';
import { REPORT_OPTIONS, type CheckOptions } from './check.js';
import { emitResults } from './emit-results.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { runInterruptible } from './interruptible.js';
import { loadScenarios } from './load-scenarios.js';
import { addOptions, parseSeconds, type OptionTable } from './option-table.js';

export interface RunCommandOptions extends CheckOptions, BackendOptions {
  readonly settleTimeout: number;
  readonly canaryTimeout: number;
  readonly allowNonEnforcing: boolean;
  readonly keep: boolean;
}

const RUN_OPTIONS: OptionTable<Omit<RunCommandOptions, keyof CheckOptions | keyof BackendOptions>> = {
  settleTimeout: { flags: '--settle-timeout <seconds>', description: 'after each step, re-probe cells that disagree with the prediction for this long', default: 20_000, parse: parseSeconds },
  canaryTimeout: { flags: '--canary-timeout <seconds>', description: 'how long the enforcement canary waits for a deny-all to take effect', default: 15_000, parse: parseSeconds },
  allowNonEnforcing: { flags: '--allow-non-enforcing', description: 'run even when the canary finds that policies are not enforced (reproduce the surprise on purpose)', default: false },
  keep: { flags: '--keep', description: 'leave namespaces, pods and processes in place for inspection (clean up later with `cleanup`)', default: false },
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const command = program
    .command('run')
    .description('run scenarios on a dataplane and compare expected, predicted and observed reachability')
    .argument('<paths...>', 'scenario files, or folders holding them');
  addOptions(addOptions(addOptions(command, REPORT_OPTIONS), BACKEND_OPTIONS), RUN_OPTIONS).action(
    async (paths: string[], options: RunCommandOptions) => done(await runRun(paths, options, io)),
  );
}

export async function runRun(paths: readonly string[], options: RunCommandOptions, io: CliIo): Promise<ExitCode> {
  const scenarios = loadScenarios(paths, io, options.output);
  if (!scenarios) return ExitCode.InvalidInput;
  return runInterruptible(io, async (ctx) => {
    const provider = await openBackend(options, io, ctx);
    const verdict = await runCanary(await provider.create(), { deadlineMs: options.canaryTimeout, clock: systemClock, ctx });
    io.stderr(`enforcement canary on ${provider.describe()}: ${describeVerdict(verdict)}\n`);
    if ((verdict.kind === 'not-enforcing' || verdict.kind === 'broken') && !options.allowNonEnforcing) {
      io.stderr(`${provider.diagnose(verdict)}\n`);
      return ExitCode.Environment;
    }
    const environment: RunEnvironment = { backend: provider.kind, enforcement: toEnforcement(verdict), ...(provider.cni ? { cni: provider.cni } : {}) };
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      const backend = await provider.create();
      results.push(
        await runScenario(scenario, backend, {
          settleTimeoutMs: options.settleTimeout,
          inconclusiveRetries: 2,
          keep: options.keep,
          clock: systemClock,
          ctx,
          environment,
        }),
      );
    }
    return emitResults(results, options, io, io.env.GITHUB_STEP_SUMMARY);
  });
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
