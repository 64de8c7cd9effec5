import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { queryPage } from '../../shared/data/paging';

/**
 * queryPage fills a filtered page across reads and hands out a cursor that resumes exactly after
 * the last item returned. The partition is simulated: items i0…i(n-1), the filter keeps `keep(i)`.
 */
const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

function partition(n: number, keep: (i: number) => boolean) {
  const all = Array.from({ length: n }, (_, i) => ({ pk: `P`, sk: `i${String(i).padStart(3, '0')}`, n: i }));
  const reads: number[] = [];
  ddb.on(QueryCommand).callsFake((input: { Limit: number; ExclusiveStartKey?: { sk: string }; FilterExpression?: string }) => {
    const start = input.ExclusiveStartKey ? all.findIndex((x) => x.sk === input.ExclusiveStartKey!.sk) + 1 : 0;
    const evaluated = all.slice(start, start + input.Limit);
    reads.push(evaluated.length);
    const last = evaluated[evaluated.length - 1];
    return {
      Items: evaluated.filter((x) => !input.FilterExpression || keep(x.n)),
      LastEvaluatedKey: start + input.Limit < all.length && last ? { pk: last.pk, sk: last.sk } : undefined,
    };
  });
  return { all, reads };
}

async function drain(opts: { limit: number; filtered: boolean; readSize?: number; maxReads?: number }) {
  const seen: number[] = [];
  let cursor: Record<string, unknown> | undefined;
  let pages = 0;
  do {
    const page = await queryPage(
      { TableName: 't', KeyConditionExpression: 'pk = :p', ...(opts.filtered ? { FilterExpression: 'f' } : {}) },
      { limit: opts.limit, cursor, keyAttributes: ['pk', 'sk'], readSize: opts.readSize, maxReads: opts.maxReads },
    );
    expect(page.items.length).toBeLessThanOrEqual(opts.limit);
    seen.push(...page.items.map((i) => i.n as number));
    cursor = page.lastKey;
    pages++;
  } while (cursor && pages < 200);
  return { seen, pages };
}

describe('queryPage', () => {
  it('without a filter: pages of exactly `limit`, every item once, no cursor after the last', async () => {
    partition(7, () => true);
    const { seen, pages } = await drain({ limit: 3, filtered: false });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(pages).toBe(3);
  });

  it('with a selective filter: reads on to fill the page, and cuts a page mid-read without skipping', async () => {
    const { reads } = partition(100, (i) => i % 7 === 0);
    const { seen } = await drain({ limit: 4, filtered: true, readSize: 10 });
    expect(seen).toEqual(Array.from({ length: 15 }, (_, k) => k * 7));
    expect(reads.every((r) => r <= 10)).toBe(true);
  });

  it('stops after maxReads and hands out the last evaluated key, so one call never walks a whole partition', async () => {
    const { reads } = partition(100, (i) => i === 95);
    const first = await queryPage(
      { TableName: 't', KeyConditionExpression: 'pk = :p', FilterExpression: 'f' },
      { limit: 5, keyAttributes: ['pk', 'sk'], readSize: 10, maxReads: 3 },
    );
    expect(first.items).toEqual([]);
    expect(first.lastKey).toEqual({ pk: 'P', sk: 'i029' });
    expect(reads).toEqual([10, 10, 10]);
    const { seen } = await drain({ limit: 5, filtered: true, readSize: 10, maxReads: 3 });
    expect(seen).toEqual([95]);
  });

  it('a page that ends exactly at the end of the partition carries no cursor', async () => {
    partition(6, (i) => i < 3);
    const page = await queryPage(
      { TableName: 't', KeyConditionExpression: 'pk = :p', FilterExpression: 'f' },
      { limit: 3, keyAttributes: ['pk', 'sk'], readSize: 200 },
    );
    expect(page.items.map((i) => i.n)).toEqual([0, 1, 2]);
    expect(page.lastKey).toBeUndefined();
  });
});
