import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { cancellationCodes, transact, type TxItem } from './participants';

/**
 * Idempotency records (pk `IDEMP#<scope>#<key>`, sk `IDEMP`), for any route that takes an
 * `Idempotency-Key`: the first request claims the key (conditional put) together with whatever
 * it must write first, stores a hash of its body, and at the end the answer. A retry then gets
 * the stored answer; the same key with another body (or for another operation) is a mismatch.
 *
 * A claimed but unfinished record (`in-progress`) means the first request is still running or
 * died half-way. Routes using this helper make their work idempotent step by step, so a retry
 * simply resumes it (`resourceId` ties the retry to the first attempt's resource).
 */
export const IDEMPOTENCY_TTL_SECONDS = 48 * 3600;

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface IdempotencyRecord {
  scope: string;
  key: string;
  operation: string;
  bodyHash: string;
  status: 'in-progress' | 'completed';
  resourceId: string;
  response?: StoredResponse;
  createdAt: string;
  completedAt?: string;
}

export type IdempotencyState =
  /** Nobody had the key: it is ours now, with `resourceId`. */
  | { kind: 'claimed'; resourceId: string }
  /** The same request was claimed before and has not finished: resume its resource. */
  | { kind: 'in-progress'; resourceId: string }
  /** The same request finished before: answer with its response. */
  | { kind: 'completed'; resourceId: string; response: StoredResponse }
  /** The key was used for a different body or operation. */
  | { kind: 'mismatch' };

export const idempotencyKey = (scope: string, key: string) => ({ pk: `IDEMP#${scope}#${key}`, sk: 'IDEMP' });

/** SHA-256 of a canonical JSON rendering (object keys sorted), so equal bodies hash equal. */
export function hashBody(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return createHash('sha256').update(JSON.stringify(canonical(value))).digest('hex');
}

export async function getIdempotencyRecord(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: idempotencyKey(scope, key), ConsistentRead: true }));
  const item = res.Item;
  // DynamoDB's TTL deletes lazily: an expired record no longer counts.
  if (!item || (typeof item.expiresAt === 'number' && item.expiresAt * 1000 < Date.now())) return undefined;
  return item as unknown as IdempotencyRecord;
}

/** What a found record means for a request with this operation and body hash. */
export function stateOf(record: IdempotencyRecord, operation: string, bodyHash: string): IdempotencyState {
  if (record.operation !== operation || record.bodyHash !== bodyHash) return { kind: 'mismatch' };
  if (record.status === 'completed' && record.response) return { kind: 'completed', resourceId: record.resourceId, response: record.response };
  return { kind: 'in-progress', resourceId: record.resourceId };
}

/**
 * Look the key up, and when it is free claim it for `resourceId` — in one transaction with
 * `alsoWrite` (e.g. the resource's own "in-progress" record), so a claim without its resource
 * cannot exist. Two requests racing for one key: one claims, the other sees `in-progress`.
 */
export async function claimIdempotency(args: {
  scope: string;
  key: string;
  operation: string;
  bodyHash: string;
  resourceId: string;
  alsoWrite?: TxItem[];
  now?: Date;
}): Promise<IdempotencyState> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await getIdempotencyRecord(args.scope, args.key);
    if (found) return stateOf(found, args.operation, args.bodyHash);
    const now = args.now ?? new Date();
    try {
      await transact([
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...idempotencyKey(args.scope, args.key),
              type: 'idempotency',
              scope: args.scope,
              key: args.key,
              operation: args.operation,
              bodyHash: args.bodyHash,
              status: 'in-progress',
              resourceId: args.resourceId,
              createdAt: now.toISOString(),
              expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
            },
            // An expired record (TTL not yet run) may be taken over.
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSec',
            ExpressionAttributeValues: { ':nowSec': Math.floor(now.getTime() / 1000) },
          },
        },
        ...(args.alsoWrite ?? []),
      ]);
      return { kind: 'claimed', resourceId: args.resourceId };
    } catch (err) {
      const codes = cancellationCodes(err);
      // Someone claimed the key between our read and our write: read it again.
      if (!codes || codes[0] === 'None') throw err;
    }
  }
  throw new Error('Could not claim or read the idempotency record');
}

/**
 * The item that stores the answer and marks the record completed, for the caller's final
 * transaction. Guarded by the body hash: it can only complete the request that claimed it.
 */
export function completeIdempotencyItem(args: { scope: string; key: string; bodyHash: string; response: StoredResponse; now?: Date }): TxItem {
  const now = args.now ?? new Date();
  return {
    Update: {
      TableName: tableName(),
      Key: idempotencyKey(args.scope, args.key),
      UpdateExpression: 'SET #status = :completed, #response = :response, completedAt = if_not_exists(completedAt, :now)',
      ConditionExpression: 'bodyHash = :hash',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: { ':completed': 'completed', ':response': args.response, ':now': now.toISOString(), ':hash': args.bodyHash },
    },
  };
}
