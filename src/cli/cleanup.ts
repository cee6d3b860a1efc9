/** `netpol-harness cleanup`: removes what crashed or `--keep` runs left behind, and only that. */
import type { Command } from 'commander';
import { cleanupLocalLeftovers } from '../backends/local/cleanup-leftovers.js';
import { BACKEND_OPTIONS, defaultBackend, type BackendOptions } from './backend-provider.js';
import { ExitCode } from './exit-codes.js';
import { EnvironmentError, type CliIo } from './io.js';
import { cleanupKube } from './kube-provider.js';
import { addOptions, type OptionTable } from './option-table.js';

type CleanupOptions = Pick<BackendOptions, 'backend' | 'kubeconfig' | 'context'>;

const CLEANUP_OPTIONS: OptionTable<CleanupOptions> = {
  backend: BACKEND_OPTIONS.backend,
  kubeconfig: BACKEND_OPTIONS.kubeconfig,
  context: BACKEND_OPTIONS.context,
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const command = program
    .command('cleanup')
    .description('delete leftovers of earlier runs: local network namespaces and processes (by name prefix), or cluster objects (by the managed-by label)');
  addOptions(command, CLEANUP_OPTIONS).action(async (options: CleanupOptions) => done(await runCleanup(options, io)));
}

export async function runCleanup(options: CleanupOptions, io: CliIo): Promise<ExitCode> {
  const kind = options.backend ?? defaultBackend(io.env, options.kubeconfig);
  try {
    const removed = kind === 'local' ? (await cleanupLocalLeftovers()).removed : await cleanupKube(options);
    io.stdout(removed.length === 0 ? `nothing to clean up (${kind})\n` : `removed (${kind}):\n${removed.map((r) => `  ${r}`).join('\n')}\n`);
    return ExitCode.Pass;
  } catch (error) {
    if (error instanceof EnvironmentError) {
      io.stderr(`${error.message}\n`);
      return ExitCode.Environment;
    }
    throw error;
  }
}
