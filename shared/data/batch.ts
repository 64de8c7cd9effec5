import { BatchGetCommand, BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AGAIN, db, optimistic, tableName } from './client';
import { runBounded } from '../bounded';

export interface Key {
  pk: string;
  sk: string;
}

/**
 * BatchGetItem for any number of keys: duplicates dropped (DynamoDB refuses them), chunks of 100
 * (its limit) fetched in parallel, unprocessed keys retried with back-off. Order is not kept:
 * callers index the answer by key. `attributes` becomes a projection (names escaped, so
 * reserved words such as `name` are safe); include what you need to index the answer by.
 */
export async function batchGet(
  keys: Key[],
  opts: { attributes?: string[]; consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const unique = [...new Map(keys.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  const projection = opts.attributes
    ? {
        ProjectionExpression: opts.attributes.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(opts.attributes.map((a, i) => [`#a${i}`, a])),
      }
    : {};
  const chunks: Key[][] = [];
  for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
  const found: Record<string, unknown>[] = [];
  await Promise.all(
    chunks.map((chunk) =>
      untilProcessed(
        chunk.map((k) => ({ pk: k.pk, sk: k.sk }) as Record<string, unknown>),
        async (pending) => {
          const res = await db().send(
            new BatchGetCommand({
              RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: opts.consistent, ...projection } },
            }),
          );
          found.push(...(res.Responses?.[tableName()] ?? []));
          return res.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined;
        },
        'BatchGetItem left keys unprocessed after retries',
      ),
    ),
  );
  return found;
}

/**
 * Every item of a partition (optionally below an sk prefix, or in an sk range), all pages — of the table, or of a
 * GSI (`index: 'gsi1'` queries gsi1pk/gsi1sk).
 */
export async function queryAll(
  input: {
    pk: string;
    skPrefix?: string;
    /** Instead of a prefix: sort keys from..to (both inclusive), e.g. several kinds of item that sort next to each other. */
    skBetween?: [string, string];
    attributes?: string[];
    consistent?: boolean;
    index?: 'gsi1' | 'gsi2' | 'gsi3';
  },
): Promise<Record<string, unknown>[]> {
  const prefix = input.index ?? '';
  // DynamoDB refuses names the expressions do not use: '#sk' only with a sort-key condition.
  const names: Record<string, string> = {
    '#pk': `${prefix}pk`,
    ...(input.skPrefix || input.skBetween ? { '#sk': `${prefix}sk` } : {}),
  };
  const condition = input.skBetween
    ? { expression: '#pk = :pk AND #sk BETWEEN :from AND :to', values: { ':from': input.skBetween[0], ':to': input.skBetween[1] } }
    : input.skPrefix
      ? { expression: '#pk = :pk AND begins_with(#sk, :prefix)', values: { ':prefix': input.skPrefix } }
      : { expression: '#pk = :pk', values: {} };
  input.attributes?.forEach((a, i) => (names[`#a${i}`] = a));
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: condition.expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':pk': input.pk, ...condition.values },
        ...(input.attributes ? { ProjectionExpression: input.attributes.map((_, i) => `#a${i}`).join(', ') } : {}),
        ConsistentRead: input.consistent,
        ...(input.index ? { IndexName: input.index } : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(res.Items ?? []));
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * BatchWriteItem (puts) for any number of items: chunks of 25 (its limit), unprocessed items
 * retried with back-off. Not atomic: for records whose loss or duplication is harmless on retry
 * (audit entries of refusals, bench fixtures).
 */
export async function batchPut(items: Record<string, unknown>[], parallel = 4): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await runBounded(chunks, parallel, (chunk) =>
    untilProcessed(
      chunk.map((Item) => ({ PutRequest: { Item } }) as Record<string, unknown>),
      async (pending) => {
        const res = await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending as never } }));
        return res.UnprocessedItems?.[tableName()] as Record<string, unknown>[] | undefined;
      },
      'BatchWriteItem left items unprocessed after retries',
    ),
  );
}

/**
 * Sends `first`, then what DynamoDB left unprocessed, with back-off (8 sends in all): the batch
 * APIs' retry, on the one optimistic loop of the data client.
 */
async function untilProcessed(
  first: Record<string, unknown>[],
  send: (pending: Record<string, unknown>[]) => Promise<Record<string, unknown>[] | undefined>,
  exhausted: string,
): Promise<void> {
  let pending = first;
  await optimistic<void>(
    async () => {
      const left = await send(pending);
      if (!left?.length) return;
      pending = left;
      return AGAIN;
    },
    { attempts: 8, exhausted: () => new Error(exhausted), backoffMs: (attempt) => 25 * 2 ** attempt },
  );
}
