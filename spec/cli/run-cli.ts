/** Runs `main` in-process with captured streams. */
import { main } from '../../src/cli/main.js';
import type { ExitCode } from '../../src/cli/exit-codes.js';

export interface CliRun {
  readonly code: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(argv: string[], env: Record<string, string | undefined> = {}, stdin?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { NO_COLOR: '1', ...env },
    isTTY: false,
    readStdin: (limit) => (stdin === undefined || stdin.length > limit ? undefined : stdin),
  });
  return { code, stdout, stderr };
}
