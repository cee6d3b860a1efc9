/**
 * Long-running processes of a run (workload servers, dnsmasq), started inside a namespace and
 * tracked by PID (`ip netns exec` execs the program, so the child's PID is the program's).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Daemon {
  readonly pid: number;
  readonly description: string;
  readonly child: ChildProcess;
}

/**
 * Starts `file args` in `netns` and resolves once its stdout or stderr shows `ready`, or
 * rejects when it exits first or `timeoutMs` passes (the process is then killed).
 */
export function startDaemon(netns: string, file: string, args: readonly string[], ready: RegExp, timeoutMs: number, description: string): Promise<Daemon> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', netns, file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else {
        resolve({ pid: child.pid!, description, child });
      }
    };
    const timer = setTimeout(() => finish(new Error(`${description} did not start within ${timeoutMs} ms: ${output.trim().slice(0, 300)}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.length > 8192) output = output.slice(-8192);
      if (ready.test(output)) finish();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => finish(new Error(`${description}: ${error.message}`)));
    child.once('exit', (code, signal) => finish(new Error(`${description} exited (${code ?? signal}) before it was ready: ${output.trim().slice(0, 300)}`)));
  });
}

/** Stops a daemon: SIGTERM, then SIGKILL after `graceMs`. Resolves when it has exited. */
export async function stopDaemon(daemon: Daemon, graceMs = 2000): Promise<void> {
  const { child } = daemon;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * How to start the workload server: `node dist/.../workload-server.js` when running compiled,
 * `node --import tsx src/.../workload-server.ts` when running from the sources (tests).
 */
export function workloadServerCommand(): { file: string; args: string[] } {
  const js = fileURLToPath(new URL('./workload-server.js', import.meta.url));
  if (existsSync(js)) return { file: process.execPath, args: [js] };
  const ts = fileURLToPath(new URL('./workload-server.ts', import.meta.url));
  // Resolved here, not from the cwd, so tests started anywhere find tsx.
  const tsxLoader = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs')).href;
  return { file: process.execPath, args: ['--import', tsxLoader, ts] };
}
