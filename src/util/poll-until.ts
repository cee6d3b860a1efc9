/**
 * The one polling loop of the code base: call, look, sleep, until a condition holds or a
 * deadline passes. Waiting for pods, Services, namespaces, the canary and convergence all go
 * through it, so every wait has a deadline, honours Ctrl-C and can run on a fake clock.
 */
import { systemClock, type Clock } from './clock.js';

export interface PollOptions {
  /** Give up once this long has passed since the first call, ms. */
  readonly timeoutMs: number;
  /** Pause between calls, ms (never past the deadline). */
  readonly intervalMs: number;
  /** Pause once before the first call too (the caller just did one itself). */
  readonly pauseFirst?: boolean;
  readonly clock?: Clock;
  /** Aborts the wait between calls (rethrows the abort reason). */
  readonly signal?: AbortSignal;
}

export interface PollResult<T> {
  /** Whether `isDone` held for `value`. */
  readonly done: boolean;
  /** The last value `fetch` returned. */
  readonly value: T;
  /** ms from the first call until the last one returned. */
  readonly elapsedMs: number;
}

/**
 * Calls `fetch` until `isDone(value)` holds or `timeoutMs` has passed. `fetch` runs at least
 * once, and the pause before a further call is cut so that it ends at the deadline: the last
 * call starts no later than the deadline. Returns the last value either way, so a caller can
 * say what was still missing.
 */
export async function pollUntil<T>(fetch: () => Promise<T>, isDone: (value: T) => boolean, options: PollOptions): Promise<PollResult<T>> {
  const clock = options.clock ?? systemClock;
  const start = clock.now();
  if (options.pauseFirst === true) await clock.sleep(Math.min(options.intervalMs, Math.max(0, options.timeoutMs)));
  for (;;) {
    options.signal?.throwIfAborted();
    const value = await fetch();
    const elapsedMs = clock.now() - start;
    if (isDone(value)) return { done: true, value, elapsedMs };
    const left = options.timeoutMs - elapsedMs;
    if (left <= 0) return { done: false, value, elapsedMs };
    options.signal?.throwIfAborted();
    await clock.sleep(Math.min(options.intervalMs, left));
  }
}
