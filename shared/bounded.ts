import pMap from 'p-map';

/* The one bounded pool for I/O fan-out (p-map underneath: services and jobs share one pool, not one each). */

/**
 * Runs tasks with bounded concurrency. After a failure no new task starts, the running ones are
 * awaited (so nothing keeps writing after the request has answered), then the first error is thrown.
 * (p-map's own stopOnError rejects at once, with tasks still running: hence the catch here.)
 */
export async function runBounded<T, R>(items: readonly T[], concurrency: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  let failure: { error: unknown } | undefined;
  const results = await pMap(
    items,
    async (item, i) => {
      if (failure) return undefined as R;
      try {
        return await task(item, i);
      } catch (error) {
        failure ??= { error };
        return undefined as R;
      }
    },
    { concurrency: Math.max(1, concurrency) },
  );
  if (failure) throw failure.error;
  return results;
}
