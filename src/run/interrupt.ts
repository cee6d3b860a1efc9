/**
 * Ctrl-C and SIGTERM: the first signal aborts the run so that it cleans up (teardown runs in
 * `finally` blocks); a second one leaves at once (`netpol-harness cleanup` removes leftovers).
 */
import { setMaxListeners } from 'node:events';

export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface Interruption {
  readonly signal: AbortSignal;
  /** The signal received, if any. */
  received(): StopSignal | undefined;
  /** Removes the handlers. */
  dispose(): void;
}

export interface SignalSource {
  on(event: StopSignal, listener: () => void): unknown;
  off(event: StopSignal, listener: () => void): unknown;
  exit(code: number): never;
}

export function trapStopSignals(notify: (message: string) => void, source: SignalSource = process): Interruption {
  const controller = new AbortController();
  // Every exec and wait in flight listens to it: many at once is expected, not a leak.
  setMaxListeners(0, controller.signal);
  let received: StopSignal | undefined;
  const handler = (sig: StopSignal) => () => {
    if (received) {
      notify(`${sig} again: leaving without cleaning up; run \`netpol-harness cleanup\` to remove leftovers`);
      source.exit(sig === 'SIGINT' ? 130 : 143);
    }
    received = sig;
    notify(`${sig}: stopping and cleaning up (press Ctrl-C again to leave at once)`);
    controller.abort(new Error(`interrupted by ${sig}`));
  };
  const onInt = handler('SIGINT');
  const onTerm = handler('SIGTERM');
  source.on('SIGINT', onInt);
  source.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      source.off('SIGINT', onInt);
      source.off('SIGTERM', onTerm);
    },
  };
}
