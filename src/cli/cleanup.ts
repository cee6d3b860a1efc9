/** `netpol-harness cleanup`: removes what crashed or `--keep` runs left behind, and only that. */
import type { Command } from 'commander';
import { cleanupLocalLeftovers } from '../backends/local/cleanup-leftovers.js';
import { BACKEND_OPTIONS, defaultBackend, type BackendOptions } from './backend-provider.js';
import { ExitCode } from './exit-codes.js';
import { EnvironmentError, type CliIo } from './io.js';
import { cleanupKube } from './kube-provider.js';
import { addOptions, type OptionTable } from './option-table.js';

type CleanupOptions = Pick<BackendOptions, 'backend' | 'kubeconfig' | 'context'> & { readonly force: boolean };

const CLEANUP_OPTIONS: OptionTable<CleanupOptions> = {
  backend: BACKEND_OPTIONS.backend,
  kubeconfig: BACKEND_OPTIONS.kubeconfig,
  context: BACKEND_OPTIONS.context,
  force: { flags: '--force', description: 'kube: also remove runs that still renew their heartbeat (their owner may be running)', default: false },
};

export function register(program: Command, io: CliIo, done: (code: ExitCode) => void): void {
  const command = program
    .command('cleanup')
    .description(
      'delete leftovers of earlier runs: local network namespaces and processes (by name prefix), or the namespaces of cluster runs whose owner is gone (managed-by label, harness name, heartbeat expired)',
    );
  addOptions(command, CLEANUP_OPTIONS).action(async (options: CleanupOptions) => done(await runCleanup(options, io)));
}

function describeRemoved(kind: string, removed: readonly string[]): string {
  return removed.length === 0 ? `nothing to clean up (${kind})\n` : `removed (${kind}):\n${removed.map((r) => `  ${r}`).join('\n')}\n`;
}

export async function runCleanup(options: CleanupOptions, io: CliIo): Promise<ExitCode> {
  const kind = options.backend ?? defaultBackend(io.env, options.kubeconfig);
  try {
    if (kind === 'local') {
      io.stdout(describeRemoved('local', (await cleanupLocalLeftovers()).removed));
      return ExitCode.Pass;
    }
    const result = await cleanupKube(options);
    io.stdout(describeRemoved(kind, result.removed));
    if (result.inProgress.length > 0) {
      const ages = result.inProgress.map((r) => `  ${r.namespace}${r.heartbeatAgeSeconds !== undefined ? ` (heartbeat ${r.heartbeatAgeSeconds} s ago)` : ''}`);
      io.stdout(`left alone, their run is in progress (--force to remove them anyway):\n${ages.join('\n')}\n`);
    }
    if (result.notOwn.length > 0) io.stdout(`left alone, labelled as the harness's but not named by it:\n${result.notOwn.map((n) => `  ${n}`).join('\n')}\n`);
    return ExitCode.Pass;
  } catch (error) {
    if (error instanceof EnvironmentError) {
      io.stderr(`${error.message}\n`);
      return ExitCode.Environment;
    }
    throw error;
  }
}
