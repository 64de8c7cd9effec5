import { createHash } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AGAIN, cancellationCodes, db, optimistic, tableName, transact, type TxItem } from './client';
import { IDEMP } from './keys';
import { packJson, unpackJson } from './packed';

/**
 * Idempotency records (pk `IDEMP#<scope>#<key>`, sk `IDEMP`), for any route that takes an
 * `Idempotency-Key`: the first request claims the key (conditional put) together with whatever
 * it must write first, stores a hash of its body, and at the end the answer. A retry then gets
 * the stored answer; the same key with another body (or for another operation) is a mismatch.
 *
 * A claimed but unfinished record (`in-progress`) means the first request is still running or
 * died half-way. Routes using this helper make their work idempotent step by step, so a retry
 * simply resumes it (`resourceId` ties the retry to the first attempt's resource).
 *
 * A route whose retries must not run beside the first attempt (they would answer differently)
 * claims with a lease (`leaseMs`): while it lasts the record stays `in-progress` for everyone
 * else; once it has run out (the claimant died, or gave the lease back on a failure) the next
 * request with the same body takes the claim over and redoes the work.
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
  /** Claims with a lease: until when (epoch ms) the claimant has the record to itself. */
  leaseUntil?: number;
}

export type IdempotencyState =
  /** Nobody had the key (or its lease had run out): it is ours now, with `resourceId`. */
  | { kind: 'claimed'; resourceId: string; takenOver?: boolean }
  /** The same request was claimed before and has not finished: resume its resource (or, with a lease, wait). */
  | { kind: 'in-progress'; resourceId: string; leaseUntil?: number }
  /** The same request finished before: answer with its response. */
  | { kind: 'completed'; resourceId: string; response: StoredResponse }
  /** The key was used for a different body or operation. */
  | { kind: 'mismatch' };

export const idempotencyKey = (scope: string, key: string) => ({ pk: IDEMP(scope, key), sk: 'IDEMP' });

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
  const { responseGz, ...rest } = item;
  return { ...(rest as unknown as IdempotencyRecord), ...(responseGz ? { response: unpackJson(responseGz as Uint8Array) as StoredResponse } : {}) };
}

/** What a found record means for a request with this operation and body hash. */
export function stateOf(record: IdempotencyRecord, operation: string, bodyHash: string): IdempotencyState {
  if (record.operation !== operation || record.bodyHash !== bodyHash) return { kind: 'mismatch' };
  if (record.status === 'completed' && record.response) return { kind: 'completed', resourceId: record.resourceId, response: record.response };
  return { kind: 'in-progress', resourceId: record.resourceId, ...(record.leaseUntil !== undefined ? { leaseUntil: record.leaseUntil } : {}) };
}

function recordItem(args: {
  scope: string;
  key: string;
  operation: string;
  bodyHash: string;
  resourceId: string;
  now: Date;
  leaseMs?: number;
  /** A copy of the request's record under another of its keys: the status (and answer) it has. */
  copyOf?: IdempotencyRecord;
}): TxItem {
  const { copyOf } = args;
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...idempotencyKey(args.scope, args.key),
        type: 'idempotency',
        scope: args.scope,
        key: args.key,
        operation: args.operation,
        bodyHash: args.bodyHash,
        status: copyOf?.status ?? 'in-progress',
        resourceId: args.resourceId,
        ...(copyOf?.response ? { responseGz: packJson(copyOf.response) } : {}),
        ...(copyOf?.completedAt ? { completedAt: copyOf.completedAt } : {}),
        createdAt: args.now.toISOString(),
        expiresAt: Math.floor(args.now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
        ...(args.leaseMs !== undefined ? { leaseUntil: args.now.getTime() + args.leaseMs } : {}),
      },
      // An expired record (TTL not yet run) may be taken over.
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowSec',
      ExpressionAttributeValues: { ':nowSec': Math.floor(args.now.getTime() / 1000) },
    },
  };
}

/**
 * Look the key up, and when it is free claim it for `resourceId` — in one transaction with
 * `alsoWrite` (e.g. the resource's own "in-progress" record), so a claim without its resource
 * cannot exist. Two requests racing for one key: one claims, the other sees `in-progress`.
 * With `leaseMs` the claim holds a lease, and an `in-progress` record whose lease has run out is
 * taken over (conditioned on the lease that was read, so of several takers one wins).
 *
 * `alsoKeys` are further names of the same request (a collective registration's body hash beside
 * the client's `Idempotency-Key`): the request is found under any of them, and every one is
 * claimed (or, when the request is found under another, filled in with a copy of its record), so
 * the same body is the same request whatever key — or none — a later one carries. A mismatch is
 * only ever the first key's (the client's key used for another body).
 */
export async function claimIdempotency(args: {
  scope: string;
  key: string;
  alsoKeys?: string[];
  operation: string;
  bodyHash: string;
  resourceId: string;
  alsoWrite?: TxItem[];
  leaseMs?: number;
  now?: Date;
}): Promise<IdempotencyState> {
  const keys = [...new Set([args.key, ...(args.alsoKeys ?? [])])];
  if (keys.length > 1 && args.leaseMs !== undefined) throw new Error('Leases are for requests with one idempotency key');
  return optimistic<IdempotencyState>(async () => {
    const found = await Promise.all(keys.map((k) => getIdempotencyRecord(args.scope, k)));
    const now = args.now ?? new Date();
    const states = found.map((r) => (r ? stateOf(r, args.operation, args.bodyHash) : undefined));
    if (states[0]?.kind === 'mismatch') return states[0];
    const known = states.findIndex((s) => s !== undefined && s.kind !== 'mismatch');
    // The other keys' records are of other operations (never ours to take): left alone.
    const free = keys.filter((_, i) => found[i] === undefined);
    if (known !== -1) {
      const record = found[known]!;
      const state = states[known]!;
      if (free.length) {
        try {
          await transact(free.map((key) => recordItem({ ...args, key, resourceId: record.resourceId, now, copyOf: record })));
        } catch (err) {
          if (!cancellationCodes(err)) throw err;
          return AGAIN; // one of them was claimed meanwhile: read again
        }
      }
      if (state.kind !== 'in-progress' || args.leaseMs === undefined || (state.leaseUntil ?? Infinity) > now.getTime()) return state;
      if (await takeOver(args.scope, args.key, record.leaseUntil!, now.getTime() + args.leaseMs)) {
        return { kind: 'claimed', resourceId: record.resourceId, takenOver: true };
      }
      return AGAIN;
    }
    try {
      await transact([
        ...free.map((key) => recordItem({ ...args, key, now })),
        ...(args.alsoWrite ?? []),
      ]);
      return { kind: 'claimed', resourceId: args.resourceId };
    } catch (err) {
      const codes = cancellationCodes(err);
      // Someone claimed a key between our read and our write: read again.
      if (!codes || !codes.slice(0, free.length).some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) throw err;
      return AGAIN;
    }
  }, { attempts: 5, exhausted: () => new Error('Could not claim or read the idempotency record') });
}


/** Moves a run-out lease to the new taker; false when someone else moved (or completed) it first. */
async function takeOver(scope: string, key: string, seenLeaseUntil: number, leaseUntil: number): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: idempotencyKey(scope, key),
        UpdateExpression: 'SET leaseUntil = :lease',
        ConditionExpression: '#status = :inProgress AND leaseUntil = :seen',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':lease': leaseUntil, ':inProgress': 'in-progress', ':seen': seenLeaseUntil },
      }),
    );
    return true;
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}

/**
 * Gives a lease back after a failed attempt, so the sender's retry redoes the work at once
 * instead of waiting for the lease to run out. Best effort: a lease that stays simply runs out.
 */
export async function releaseIdempotencyLease(args: { scope: string; key: string; bodyHash: string }): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: idempotencyKey(args.scope, args.key),
        UpdateExpression: 'SET leaseUntil = :zero',
        ConditionExpression: '#status = :inProgress AND bodyHash = :hash',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':zero': 0, ':inProgress': 'in-progress', ':hash': args.bodyHash },
      }),
    );
  } catch {
    // the lease runs out by itself
  }
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
      UpdateExpression: 'SET #status = :completed, responseGz = :response, completedAt = if_not_exists(completedAt, :now)',
      ConditionExpression: 'bodyHash = :hash',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':completed': 'completed', ':response': packJson(args.response), ':now': now.toISOString(), ':hash': args.bodyHash },
    },
  };
}

/** Completes a request whose last write is the completion alone (no transaction needed). */
export async function completeIdempotency(args: Parameters<typeof completeIdempotencyItem>[0]): Promise<void> {
  await db().send(new UpdateCommand(completeIdempotencyItem(args).Update!));
}
