import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGet, batchPut } from '../../shared/data/batch';
import { runBounded } from '../../shared/bounded';
import { AGAIN, optimistic } from '../../shared/data/client';
import { Conflict } from '../../shared/domain/errors';

/** A promise and the function that settles it, so a test decides when each task ends. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((r) => (open = r));
  return { done, open };
}

describe('runBounded (the one pool)', () => {
  it('keeps at most `concurrency` tasks running and returns the results in input order', async () => {
    let running = 0;
    let peak = 0;
    const out = await runBounded([5, 1, 4, 2, 3], 2, async (n, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return `${i}:${n}`;
    });
    expect(out).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3']);
    expect(peak).toBe(2);
  });

  it('after a failure starts no new task, waits for the running ones, then throws the failure', async () => {
    const slow = gate();
    const started: number[] = [];
    const finished: number[] = [];
    const run = runBounded([0, 1, 2, 3, 4], 2, async (n) => {
      started.push(n);
      if (n === 0) {
        await slow.done;
        finished.push(n);
        return n;
      }
      throw new Error(`task ${n} failed`);
    });
    let settled = false;
    run.catch(() => undefined).finally(() => (settled = true));
    // Task 1 failed at once; task 0 is still running, so the pool has not answered yet.
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    slow.open();
    await expect(run).rejects.toThrow('task 1 failed');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([0]);
  });
});

describe('optimistic (the one read-modify-write retry)', () => {
  it('returns the first answer that is not AGAIN, after as many attempts as it took', async () => {
    const seen: number[] = [];
    const out = await optimistic(async (attempt) => (seen.push(attempt), attempt < 3 ? AGAIN : 'written'), {
      attempts: 5,
      exhausted: () => new Error('exhausted'),
    });
    expect(out).toBe('written');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('throws the exhausted error (the 409 concurrent-update) after the last lost race, and no more attempts', async () => {
    let attempts = 0;
    const err = await optimistic(async () => (attempts++, AGAIN), {
      attempts: 3,
      backoffMs: () => 0,
      exhausted: () => new Conflict('changed at the same moment', { reason: 'concurrent-update' }),
    }).catch((e: unknown) => e);
    expect(attempts).toBe(3);
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Conflict).extra).toEqual({ reason: 'concurrent-update' });
  });

  it('ends at once on an error the step throws', async () => {
    let attempts = 0;
    const run = optimistic(async () => {
      attempts++;
      throw new Error('not found');
    }, { attempts: 5, exhausted: () => new Error('exhausted') });
    await expect(run).rejects.toThrow('not found');
    expect(attempts).toBe(1);
  });
});

describe('the batch APIs retry what DynamoDB left unprocessed (on the optimistic loop)', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  afterEach(() => ddb.reset());
  const table = process.env.TABLE_NAME as string;

  it('batchGet sends the unprocessed keys again and returns every item once', async () => {
    const [a, b] = [{ pk: 'P#1', sk: 'A' }, { pk: 'P#2', sk: 'A' }];
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [table]: [a] }, UnprocessedKeys: { [table]: { Keys: [b] } } })
      .resolvesOnce({ Responses: { [table]: [b] } });
    const found = await batchGet([a, b, a]);
    expect(found).toEqual([a, b]);
    const calls = ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.[table]?.Keys);
    expect(calls).toEqual([[a, b], [b]]);
  });

  it('batchPut gives up with an error after 8 sends that each left items unprocessed', async () => {
    const item = { pk: 'P#1', sk: 'A' };
    ddb.on(BatchWriteCommand).resolves({ UnprocessedItems: { [table]: [{ PutRequest: { Item: item } }] } });
    // The back-off's pauses pass on fake timers: the test waits for the calls, not for time.
    vi.useFakeTimers();
    try {
      const outcome = expect(batchPut([item])).rejects.toThrow(/unprocessed after retries/);
      await vi.runAllTimersAsync();
      await outcome;
    } finally {
      vi.useRealTimers();
    }
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(8);
  });
});
