/**
 * Long-running processes of a run (pod agents, dnsmasq), started inside a namespace and
 * tracked by PID (`ip netns exec` execs the program, so the child's PID is the program's).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Daemon {
  readonly pid: number;
  readonly description: string;
  readonly child: ChildProcess;
}

/** How a daemon is started and when it counts as up. */
export interface DaemonOptions {
  /** What its stdout or stderr prints once it is ready. */
  readonly ready: RegExp;
  /** Deadline for `ready`, ms. */
  readonly timeoutMs: number;
  /** Names it in errors, e.g. `dnsmasq in nph-1234-dns`. */
  readonly description: string;
  /** 'pipe': its stdin is kept open for requests (a pod agent's). Default 'ignore'. */
  readonly stdin?: 'ignore' | 'pipe';
  /** Added to the environment it inherits. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts `file args` in `netns` and resolves once its stdout or stderr shows `ready`, or
 * rejects when it exits first or the deadline passes (the process is then killed).
 */
export function startDaemon(netns: string, file: string, args: readonly string[], options: DaemonOptions): Promise<Daemon> {
  const { ready, timeoutMs, description } = options;
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', netns, file, ...args], { stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    const { stdout, stderr } = child as ChildProcess & { stdout: Readable; stderr: Readable };
    let output = '';
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // What it prints from now on is for others to read (a pod agent's answers), or for no one.
      stdout.off('data', onData);
      stderr.off('data', onData);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else {
        // A running daemon alone does not keep the harness alive: after `--keep` it exits and
        // leaves the daemons serving (requests to a pod agent have deadlines of their own).
        for (const handle of [child, child.stdin, stdout, stderr]) (handle as { unref?: () => void } | null)?.unref?.();
        resolve({ pid: child.pid!, description, child });
      }
    };
    const timer = setTimeout(() => finish(new Error(`${description} did not start within ${timeoutMs} ms: ${output.trim().slice(0, 300)}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.length > 8192) output = output.slice(-8192);
      if (ready.test(output)) finish();
    };
    stdout.on('data', onData);
    stderr.on('data', onData);
    child.once('error', (error) => finish(new Error(`${description}: ${error.message}`)));
    child.once('exit', (code, signal) => finish(new Error(`${description} exited (${code ?? signal}) before it was ready: ${output.trim().slice(0, 300)}`)));
  });
}

/** Stops a daemon: SIGTERM, then SIGKILL after `graceMs`. Resolves when it has exited. */
export async function stopDaemon(daemon: Daemon, graceMs = 2000): Promise<void> {
  const { child } = daemon;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Until it has exited, the harness waits for it.
  child.ref();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * How to start a pod agent: `node dist/.../pod-agent.js` when running compiled, `node --import
 * tsx src/.../pod-agent.ts` when running from the sources (tests).
 */
export function podAgentCommand(): { file: string; args: string[] } {
  const js = fileURLToPath(new URL('./pod-agent.js', import.meta.url));
  if (existsSync(js)) return { file: process.execPath, args: [js] };
  const ts = fileURLToPath(new URL('./pod-agent.ts', import.meta.url));
  // Resolved here, not from the cwd, so tests started anywhere find tsx.
  const tsxLoader = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs')).href;
  return { file: process.execPath, args: ['--import', tsxLoader, ts] };
}
