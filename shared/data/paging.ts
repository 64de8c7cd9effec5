import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';

/** One list request: the page size, where it starts, and how to hand out the next cursor. */
export interface PageRequest {
  limit: number;
  /** The key to start after (the DynamoDB ExclusiveStartKey); undefined for the first page. */
  start?: Record<string, unknown>;
  /** The cursor for the page after the one that ended at `key`; undefined when nothing follows. */
  next(key: Record<string, unknown> | undefined): string | undefined;
}

/**
 * One page of a Query that may carry a FilterExpression, filled up to `limit` matches.
 *
 * DynamoDB applies `Limit` before the filter, so a filtered page can come back short or empty
 * while more matches follow. This reads on (bounded by `maxReads` calls, so one request never
 * walks a whole partition) and, when it stops in the middle of a page, hands out the key of the
 * last item it kept as the cursor: the next page starts exactly after it, nothing is skipped or
 * repeated.
 */
export async function queryPage(
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  opts: {
    limit: number;
    cursor?: Record<string, unknown>;
    /** The attributes that make up an item's key in the queried table or index (pk, sk + index keys). */
    keyAttributes: readonly string[];
    /** Items read per call when a filter is present (ignored without one). */
    readSize?: number;
    maxReads?: number;
  },
): Promise<{ items: Record<string, unknown>[]; lastKey?: Record<string, unknown> }> {
  const filtered = Boolean(input.FilterExpression);
  const readSize = filtered ? Math.max(opts.readSize ?? 200, opts.limit) : opts.limit;
  const maxReads = opts.maxReads ?? 5;
  const items: Record<string, unknown>[] = [];
  let startKey = opts.cursor;
  for (let read = 0; read < maxReads; read++) {
    const res = await db().send(new QueryCommand({ ...input, Limit: readSize, ExclusiveStartKey: startKey }));
    const page = res.Items ?? [];
    const room = opts.limit - items.length;
    if (page.length >= room) {
      items.push(...page.slice(0, room));
      const more = page.length > room || res.LastEvaluatedKey;
      const last = items[items.length - 1];
      return { items, lastKey: more && last ? Object.fromEntries(opts.keyAttributes.map((k) => [k, last[k]])) : undefined };
    }
    items.push(...page);
    startKey = res.LastEvaluatedKey;
    if (!startKey) return { items };
  }
  return { items, lastKey: startKey };
}

/** One page of an index partition, in its sort order (no filter: DynamoDB's own Limit is the page). */
export async function indexPage(input: { index: 'gsi1' | 'gsi2' | 'gsi3'; pk: string; limit: number; start?: Record<string, unknown> }) {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: input.index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': `${input.index}pk` },
      ExpressionAttributeValues: { ':pk': input.pk },
      Limit: input.limit,
      ExclusiveStartKey: input.start,
    }),
  );
  return { items: res.Items ?? [], lastKey: res.LastEvaluatedKey };
}
