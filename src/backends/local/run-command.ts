/**
 * Running host programs for the local dataplane: every call has a deadline (DESIGN
 * "Reliability": every exec has a deadline) and a failure names the command and its stderr.
 */
import { execFile } from 'node:child_process';

export interface CommandResult {
  /** Exit code; 124 when the deadline killed it. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to stdin. */
  readonly input?: string;
  /** Deadline in ms (default 30 s); the process is killed with SIGKILL after it. */
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs a program and resolves with its exit code and output; rejects only when it cannot start. */
export function runCommand(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      { encoding: 'utf8', timeout: options.timeoutMs ?? 30_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        if (error && typeof error.code === 'string') {
          reject(new Error(`cannot run ${file}: ${error.message}`));
          return;
        }
        const killed = error?.killed === true;
        const code = killed ? 124 : typeof error?.code === 'number' ? error.code : error ? 1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Like `runCommand`, but a non-zero exit is an error naming the command and its stderr. */
export async function mustRun(file: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await runCommand(file, args, options);
  if (result.code !== 0) {
    throw new Error(`${[file, ...args].join(' ')} failed (exit ${result.code}): ${(result.stderr || result.stdout).trim().slice(0, 800)}`);
  }
  return result.stdout;
}

/** Runs a program inside a named network namespace (`ip netns exec`). */
export function runInNetns(netns: string, file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return runCommand('ip', ['netns', 'exec', netns, file, ...args], options);
}

/** Like `runInNetns`, failing on a non-zero exit. */
export function mustRunInNetns(netns: string, file: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return mustRun('ip', ['netns', 'exec', netns, file, ...args], options);
}
