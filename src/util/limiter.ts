/**
 * A weighted counting semaphore: at most `capacity` units in flight across every caller that
 * shares it (where `mapLimit` bounds one batch, this bounds a whole run, e.g. the CPU the probe
 * tools of all the scenarios running at once on one cluster may take). Callers are served in
 * arrival order; a call heavier than the whole capacity runs alone.
 */
export interface Limiter {
  /** Runs `fn` once `units` (default 1) are free; they are released when it settles. */
  run<T>(fn: () => Promise<T>, units?: number): Promise<T>;
  /**
   * Takes `units` (default 1) once they are free; the returned function gives them back (only
   * the first call counts), for a caller whose costly part ends before its work does.
   */
  acquire(units?: number): Promise<() => void>;
}

export function createLimiter(capacity: number): Limiter {
  const total = Math.max(1, capacity);
  let used = 0;
  const waiting: { readonly units: number; readonly start: () => void }[] = [];
  // Units are taken in arrival order: a heavy caller at the head is not overtaken by light
  // ones arriving later (it would wait forever on a busy run).
  const admit = (): void => {
    while (waiting.length > 0 && used + waiting[0]!.units <= total) {
      const next = waiting.shift()!;
      used += next.units;
      next.start();
    }
  };
  const acquire = async (units = 1): Promise<() => void> => {
    const need = Math.min(total, Math.max(1, Math.ceil(units)));
    if (waiting.length === 0 && used + need <= total) used += need;
    else await new Promise<void>((start) => {
      waiting.push({ units: need, start });
      admit();
    });
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      used -= need;
      admit();
    };
  };
  return {
    acquire,
    async run(fn, units = 1) {
      const release = await acquire(units);
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
