/**
 * The frame of every command that touches a dataplane: Ctrl-C/SIGTERM abort the work (teardown
 * runs in `finally` blocks) and map to 130/143; environment failures map to exit 3.
 */
import type { BackendContext } from '../backends/backend.js';
import { KubeApiError, KubeEnvironmentError, PodsNotReadyError, PolicyFieldNotSupportedError } from '../backends/kube/index.js';
import { escapeTerminalLines } from '../report/escape.js';
import { trapStopSignals } from '../run/interrupt.js';
import { ExitCode } from './exit-codes.js';
import { EnvironmentError, type CliIo } from './io.js';

/**
 * Failures of the environment rather than of the input or the tool: a cluster that refuses,
 * pods that never come up, a field the server drops (endPort before 1.25).
 */
function isEnvironmentFailure(error: unknown): error is Error {
  return [EnvironmentError, KubeEnvironmentError, KubeApiError, PodsNotReadyError, PolicyFieldNotSupportedError].some((type) => error instanceof type);
}

export async function runInterruptible(io: CliIo, body: (ctx: BackendContext) => Promise<ExitCode>): Promise<ExitCode> {
  // Progress and errors may carry what a cluster answered: escaped for the terminal.
  const interruption = trapStopSignals((m) => io.stderr(`${m}\n`));
  const ctx: BackendContext = { signal: interruption.signal, progress: (m) => io.stderr(`${escapeTerminalLines(m)}\n`) };
  try {
    return await body(ctx);
  } catch (error) {
    const received = interruption.received();
    if (received) return received === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Terminated;
    if (isEnvironmentFailure(error)) {
      io.stderr(`error: ${escapeTerminalLines(error.message)}\n`);
      return ExitCode.Environment;
    }
    throw error;
  } finally {
    interruption.dispose();
  }
}
