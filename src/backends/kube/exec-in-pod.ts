/**
 * One exec in a pod with a client-side deadline (DESIGN "Reliability and safety": client-node's
 * Exec can hang, e.g. when the kubelet never answers the upgrade or never closes the stream).
 * Output is collected in memory; the exit code is read from the v4 channel protocol's status
 * (channel 3: a metav1.Status, `Success`, or `Failure` with an `ExitCode` cause).
 */
import { Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';

export interface ExecRequest {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly command: readonly string[];
  /** Whole exec (connect, run, close), ms. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export type ExecResult =
  | {
      readonly kind: 'done';
      readonly stdout: string;
      readonly stderr: string;
      /** undefined when the server sent no usable status. */
      readonly exitCode: number | undefined;
    }
  /** The deadline passed (or the signal aborted); output so far is kept. */
  | { readonly kind: 'deadline'; readonly stdout: string; readonly stderr: string }
  /** The exec could not start (upgrade refused, pod or container gone, network). */
  | { readonly kind: 'failed'; readonly message: string };

/** Exit code of a v4 status: 0 for Success, the `ExitCode` cause for NonZeroExitCode. Pure. */
export function exitCodeOf(status: V1Status | undefined): number | undefined {
  if (status === undefined) return undefined;
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = cause?.message !== undefined ? Number.parseInt(cause.message, 10) : Number.NaN;
  return Number.isNaN(code) ? undefined : code;
}

function collector(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs `command` and resolves with its output and exit code; never rejects, never outlives the deadline. */
export function execInPod(kubeConfig: KubeConfig, request: ExecRequest): Promise<ExecResult> {
  const out = collector();
  const err = collector();
  let status: V1Status | undefined;
  return new Promise<ExecResult>((resolve) => {
    let settled = false;
    let socket: { terminate(): void } | undefined;
    const finish = (result: ExecResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      socket?.terminate();
      resolve(result);
    };
    const onDeadline = (): void => finish({ kind: 'deadline', stdout: out.text(), stderr: err.text() });
    const onAbort = onDeadline;
    const timer = setTimeout(onDeadline, request.timeoutMs);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.signal?.aborted === true) return onDeadline();

    new Exec(kubeConfig)
      .exec(request.namespace, request.pod, request.container, [...request.command], out.stream, err.stream, null, false, (s) => {
        status = s;
      })
      .then((ws) => {
        if (settled) {
          ws.terminate();
          return;
        }
        socket = ws;
        ws.on('close', () => finish({ kind: 'done', stdout: out.text(), stderr: err.text(), exitCode: exitCodeOf(status) }));
        ws.on('error', (e: Error) => finish({ kind: 'failed', message: e.message }));
      })
      .catch((error: unknown) => finish({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }));
  });
}
