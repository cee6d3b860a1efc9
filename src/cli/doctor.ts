/** `netpol-harness doctor`: does this dataplane enforce NetworkPolicies at all? */
import type { Command } from 'commander';
import { describeVerdict, runCanary } from '../run/canary.js';
import { systemClock } from '../util/clock.js';
import { BACKEND_OPTIONS, openBackend, type BackendOptions } from './backend-provider.js';
import { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { runInterruptible } from './interruptible.js';
import { addOptions, secondsOption, type OptionTable } from './option-table.js';

export interface DoctorOptions extends BackendOptions {
  readonly canaryTimeout: number;
}

const DOCTOR_OPTIONS: OptionTable<Pick<DoctorOptions, 'canaryTimeout'>> = {
  canaryTimeout: secondsOption('--canary-timeout <seconds>', 'how long a deny-all gets to take effect', 15),
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const command = program
    .command('doctor')
    .description('run the enforcement canary: a server, a client, a deny-all; tells an enforcing CNI from one that ignores policies');
  addOptions(addOptions(command, BACKEND_OPTIONS), DOCTOR_OPTIONS).action(async (options: DoctorOptions) => done(await runDoctor(options, io)));
}

/** Exit 0 when enforcing; 3 when not enforcing, partial or broken. */
export async function runDoctor(options: DoctorOptions, io: CliIo): Promise<ExitCode> {
  return runInterruptible(io, async (ctx) => {
    const provider = await openBackend(options, io, ctx);
    try {
      const nodes = (await provider.nodes?.(ctx)) ?? [];
      const verdict = await runCanary(await provider.create(), { deadlineMs: options.canaryTimeout, clock: systemClock, ctx, nodes });
      io.stdout(`${provider.describe()}: ${describeVerdict(verdict)}\n`);
      if (verdict.kind === 'enforcing') return ExitCode.Pass;
      io.stdout(`${provider.diagnose(verdict)}\n`);
      return ExitCode.Environment;
    } finally {
      await provider.close?.(ctx);
    }
  });
}
