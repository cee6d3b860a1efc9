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
  const slots = Math.max(1, limit);
  let active = 0;
  const waiting: (() => void)[] = [];
  // A freed slot passes straight to the next waiter (`active` unchanged), so a caller arriving
  // in between cannot take it too.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    async run(fn) {
      if (active < slots) active++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
