import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { RATE } from './keys';

/**
 * Brute-force counters (pk `RATE#<group>#<kind>#<sha256(value)>#<windowStart>`, sk `RATE`): one
 * item per route group, kind (`client`, or the identifier's field name), counted value and fixed
 * window. The value (a client address, a diploma number, an e-mail, a token) is stored only as
 * its SHA-256. In DynamoDB rather than in memory, so the limit holds across Lambda instances and
 * the same code limits `npm start`.
 *
 * One conditional `ADD` per request: the count moves only while it is below the limit, so however
 * many requests race, at most `max` get through a window, and a refused request leaves the count
 * as it was. `expiresAt` (the table's TTL) lets DynamoDB delete the item once its window is over;
 * the window start in the key means an item is never read again after that, deleted or not.
 *
 * A counter may count more than requests (`amount`: the inventory's unmatched rows, shared/services/
 * misses.ts). The decision then rests on `reserve`, the most the request could add, and not on what
 * it does add: a refusal must not depend on the rows' outcome, or the 429 itself would say whether
 * the guesses were right.
 */
export const RATE_LIMIT_TTL_GRACE_SECONDS = 60;

export interface RateCounter {
  /** Route group: the route id, or the group that routes share (shared/routes.ts `rateLimit`). */
  group: string;
  /** `client`, or the name of the identifier field. */
  kind: string;
  /** The counted value, in clear; only its hash is stored. */
  value: string;
  max: number;
  windowSeconds: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function rateLimitKey(counter: Pick<RateCounter, 'group' | 'kind' | 'value'>, windowStart: number) {
  const hash = createHash('sha256').update(counter.value, 'utf8').digest('hex');
  return { pk: RATE(counter.group, counter.kind, hash, windowStart), sk: 'RATE' };
}

export interface CountOptions {
  /** What to add (default 1); 0 still checks the room. */
  amount?: number;
  /** The room the window must have left for the request to pass (default `amount`, at least 1 when `amount` is 0). */
  reserve?: number;
}

/**
 * Add `amount` to this counter, unless its window has less than `reserve` left below `max`. The
 * check and the add are one conditional update: racing requests never take the count past `max`.
 */
export async function countRequest(counter: RateCounter, now: Date = new Date(), options: CountOptions = {}): Promise<RateDecision> {
  const nowSec = Math.floor(now.getTime() / 1000);
  const windowStart = nowSec - (nowSec % counter.windowSeconds);
  const windowEnd = windowStart + counter.windowSeconds;
  const amount = options.amount ?? 1;
  const reserve = Math.max(options.reserve ?? amount, amount, 1);
  const refused: RateDecision = { allowed: false, retryAfterSeconds: Math.max(1, windowEnd - nowSec) };
  // More than a whole window holds: refused without a write (no window could take it).
  if (reserve > counter.max) return refused;
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: rateLimitKey(counter, windowStart),
        UpdateExpression: 'SET #type = :type, expiresAt = :expiresAt ADD #count :amount',
        ConditionExpression: 'attribute_not_exists(#count) OR #count <= :room',
        ExpressionAttributeNames: { '#type': 'type', '#count': 'count' },
        ExpressionAttributeValues: {
          ':type': 'rate-limit',
          ':expiresAt': windowEnd + RATE_LIMIT_TTL_GRACE_SECONDS,
          ':amount': amount,
          ':room': counter.max - reserve,
        },
      }),
    );
    return { allowed: true };
  } catch (err) {
    if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
    return refused;
  }
}
