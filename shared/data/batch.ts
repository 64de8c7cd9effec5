import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';

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
    chunks.map(async (chunk) => {
      let pending: Record<string, unknown>[] | undefined = chunk.map((k) => ({ pk: k.pk, sk: k.sk }));
      for (let attempt = 0; pending && pending.length && attempt < 8; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        const res = await db().send(
          new BatchGetCommand({
            RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: opts.consistent, ...projection } },
          }),
        );
        found.push(...(res.Responses?.[tableName()] ?? []));
        pending = res.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined;
      }
      if (pending && pending.length) throw new Error('BatchGetItem left keys unprocessed after retries');
    }),
  );
  return found;
}

/** Every item of a partition (optionally below an sk prefix), all pages. */
export async function queryAll(
  input: { pk: string; skPrefix?: string; attributes?: string[]; consistent?: boolean },
): Promise<Record<string, unknown>[]> {
  const names: Record<string, string> = { '#pk': 'pk', '#sk': 'sk' };
  input.attributes?.forEach((a, i) => (names[`#a${i}`] = a));
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: input.skPrefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':pk': input.pk, ...(input.skPrefix ? { ':prefix': input.skPrefix } : {}) },
        ...(input.attributes ? { ProjectionExpression: input.attributes.map((_, i) => `#a${i}`).join(', ') } : {}),
        ConsistentRead: input.consistent,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(res.Items ?? []));
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return items;
}
