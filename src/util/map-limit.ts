/**
 * The one concurrency helper: at most `limit` calls of `fn` in flight. Used for pods, probes,
 * namespaces and whole scenarios alike.
 */

/**
 * Runs `fn` over `items` with at most `limit` (>= 1) at a time; results in input order. The
 * first rejection rejects the whole call once the calls in flight have settled (no new ones
 * start after it), so nothing keeps running behind the caller's back.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (error) {
        if (!failed) firstError = error;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw firstError;
  return results;
}
