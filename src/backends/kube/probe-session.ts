/**
 * A long-lived shell in a pod's probe container that runs probe scripts on demand: one exec
 * with stdin per pod for the life of its set of pods, instead of one exec per round. An exec
 * costs the node ~0.2 s of CPU (apiserver, kubelet, runtime; measured on the 2-core rig, at any
 * concurrency), and 45 scenarios of the upstream shape make 810 rounds of 9 source pods.
 *
 * Protocol (text on stdin/stdout): the harness writes a script's lines, then `NPH-RUN <id>`;
 * the shell runs the script in a subshell with stdin from /dev/null (a tool reading stdin would
 * eat the next script) and prints `NPH-DONE <id>` after its output. Rounds of one session run
 * one at a time. A round that passes its deadline ends the session (its shell may be stuck);
 * the next round opens a new one. The shell traps TERM: a tool that signals its whole process
 * group (when the shell leads one) ends a round, not the session.
 */
import { PassThrough, Writable } from 'node:stream';
import { Exec, type KubeConfig } from '@kubernetes/client-node';
import { PROBES_LAUNCHED } from '../../probe/probe-script.js';
import type { ExecResult } from './exec-in-pod.js';

/** The shell's loop (POSIX sh, no user text). */
export const SESSION_SCRIPT = [
  'trap : TERM',
  "nl='",
  "'",
  's=',
  'while IFS= read -r l; do',
  '  case $l in',
  "    'NPH-RUN '*) ( eval \"$s\" ) </dev/null; echo \"NPH-DONE ${l#NPH-RUN }\"; s= ;;",
  '    *) s="$s$l$nl" ;;',
  '  esac',
  'done',
].join('\n');

/** Where a session runs. */
export interface SessionTarget {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

/** Opens a session; rejects when the exec cannot start. Injectable for tests. */
export type OpenSession = (kubeConfig: KubeConfig, target: SessionTarget) => Promise<ProbeSessionIo>;

/** What a session needs of its exec: text in, text out, and the end. */
export interface ProbeSessionIo {
  write(text: string): void;
  onOutput(listener: (text: string) => void): void;
  onClose(listener: () => void): void;
  terminate(): void;
  /** Ends stdin: the shell's loop ends and the exec closes. */
  end(): void;
}

/** The real session: client-node's exec with stdin. */
export const openExecSession: OpenSession = async (kubeConfig, target) => {
  const stdin = new PassThrough();
  const outputs: Array<(text: string) => void> = [];
  const closes: Array<() => void> = [];
  const stdout = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      for (const l of outputs) l(text);
      done();
    },
  });
  const ws = await new Exec(kubeConfig).exec(target.namespace, target.pod, target.container, ['sh', '-c', SESSION_SCRIPT], stdout, null, stdin, false);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const l of closes) l();
  };
  ws.on('close', close);
  ws.on('error', close);
  return {
    write: (text) => stdin.write(text),
    onOutput: (l) => outputs.push(l),
    onClose: (l) => (closed ? l() : closes.push(l)),
    terminate: () => {
      ws.terminate();
      close();
    },
    end: () => stdin.end(),
  };
};

/** One pod's session, opened on first use and again after a round killed it. */
export class ProbeSession {
  private io: Promise<ProbeSessionIo> | undefined;
  private live: ProbeSessionIo | undefined;
  private buffer = '';
  private waiter: ((closed: boolean) => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private rounds = 0;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly target: SessionTarget,
    private readonly open: OpenSession = openExecSession,
  ) {}

  /**
   * Runs `script` in the pod; resolves like a one-shot exec (done · deadline · failed), never
   * rejects. `onLaunched` is called once, as soon as the script prints `PROBES_LAUNCHED`.
   */
  run(script: string, timeoutMs: number, signal?: AbortSignal, onLaunched?: () => void): Promise<ExecResult> {
    const next = this.queue.then(() => this.runNow(script, timeoutMs, signal, onLaunched));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Ends the shell (stdin closed) and forgets it. */
  close(): void {
    this.live?.end();
    this.live?.terminate();
    this.live = undefined;
    this.io = undefined;
  }

  private async connect(): Promise<ProbeSessionIo> {
    this.io ??= this.open(this.kubeConfig, this.target).then((io) => {
      this.buffer = '';
      // A session that was replaced (after a deadline) speaks to no round any more.
      io.onOutput((text) => {
        if (this.live !== io) return;
        this.buffer += text;
        this.waiter?.(false);
      });
      io.onClose(() => {
        if (this.live !== io) return;
        this.live = undefined;
        this.io = undefined;
        this.waiter?.(true);
      });
      this.live = io;
      return io;
    });
    try {
      return await this.io;
    } catch (error) {
      this.io = undefined;
      throw error;
    }
  }

  private async runNow(script: string, timeoutMs: number, signal?: AbortSignal, onLaunched?: () => void): Promise<ExecResult> {
    if (signal?.aborted === true) return { kind: 'deadline', stdout: '', stderr: '' };
    let io: ProbeSessionIo;
    try {
      io = await this.connect();
    } catch (error) {
      return { kind: 'failed', message: `cannot open a probe session: ${error instanceof Error ? error.message : String(error)}` };
    }
    const id = `${++this.rounds}`;
    const done = `NPH-DONE ${id}\n`;
    const launched = `${PROBES_LAUNCHED}\n`;
    let notifyLaunched = onLaunched;
    const start = this.buffer.length;
    return new Promise<ExecResult>((resolve) => {
      const finish = (result: ExecResult, kill: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiter = undefined;
        if (kill) {
          // The shell may still be running the script: a fresh session serves the next round.
          if (this.live === io) this.close();
          else io.terminate();
        }
        resolve(result);
      };
      const onAbort = (): void => finish({ kind: 'deadline', stdout: this.buffer.slice(start), stderr: '' }, true);
      const timer = setTimeout(onAbort, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = (closed) => {
        if (notifyLaunched !== undefined && this.buffer.includes(launched, start)) {
          notifyLaunched();
          notifyLaunched = undefined;
        }
        const at = this.buffer.indexOf(done, start);
        if (at >= 0) {
          const stdout = this.buffer.slice(start, at);
          this.buffer = this.buffer.slice(at + done.length);
          finish({ kind: 'done', stdout, stderr: '', exitCode: 0 }, false);
        } else if (closed) {
          finish({ kind: 'failed', message: 'the probe session ended during a round' }, false);
        }
      };
      io.write(`${script.endsWith('\n') ? script : `${script}\n`}NPH-RUN ${id}\n`);
    });
  }
}
