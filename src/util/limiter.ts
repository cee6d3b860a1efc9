/**
 * A counting semaphore: at most `limit` calls in flight across every caller that shares it
 * (where `mapLimit` bounds one batch, this bounds a whole run, e.g. probe execs of all the
 * scenarios running at once on one cluster).
 */
export interface Limiter {
  /** Runs `fn` once a slot is free; the slot is released when it settles. */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createLimiter(limit: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    active--;
    waiting.shift()?.();
  };
  return {
    async run(fn) {
      if (active >= Math.max(1, limit)) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
