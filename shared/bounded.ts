/* The one bounded pool for I/O fan-out (moved here from services/employers.ts so that other services can share it). */

/**
 * Runs tasks with bounded concurrency. After a failure no new task starts, the running ones are
 * awaited (so nothing keeps writing after the request has answered), then the error is thrown.
 */
export async function runBounded<T, R>(items: readonly T[], concurrency: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i], i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
