import { randomUUID } from 'node:crypto';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { cancellationCodes, type TxItem } from './client';

/**
 * The outbox, once: every item that stands for one message to send (an enrolment's activation
 * e-mail, an expiry notice, an employer digest, an invoice delivery) carries the same attributes
 * and goes through the same three writes, each conditioned on the claim token:
 *
 *   claim → (send) → complete        a failed send: claim → release (stays due)
 *
 * Attributes (README.md in this folder, "The outbox"):
 * - `outboxStatus`  `pending` (born due) | `sending` (claimed) | `failed` (last send failed: still
 *                   due) | `sent` | a final status of the flow's own (`undeliverable`, `superseded`,
 *                   `no-email`): only `pending`, `failed` and a `sending` whose lease ran out are
 *                   claimable;
 * - `leaseUntil`    epoch ms: while it lies ahead, the claim holder alone may send;
 * - `claimToken`    random per claim: complete and release land only for the process holding it,
 *                   so one whose lease ran out (and was taken over) changes nothing;
 * - `attempts`      claims so far (each claim is one send tried);
 * - `lastError`     the last failure's error name (never a message: it may hold an address).
 *
 * Which items are due is the flow's own sparse index (the enrolments' gsi2 `MAILPENDING#`, the
 * periods' gsi3 `NOTICEDUE#`); a completion removes or moves those keys in the same write.
 */
export type OutboxStatus = 'pending' | 'sending' | 'failed' | 'sent' | 'undeliverable' | 'superseded' | 'no-email';

export type OutboxKey = { pk: string; sk: string };

/** The outbox attributes of an item as read (all optional: an item may not have been claimed yet). */
export interface OutboxFields {
  outboxStatus?: OutboxStatus;
  leaseUntil?: number;
  claimToken?: string;
  attempts?: number;
  lastError?: string;
}

/** Attribute names of the protocol (for callers that project or remove them). */
export const OUTBOX_ATTRIBUTES = ['outboxStatus', 'leaseUntil', 'claimToken', 'attempts', 'lastError'] as const;

/** Would a claim at `now` succeed, as far as the outbox fields tell (read-only selection, dry runs)? */
export function isClaimable(item: OutboxFields, now = Date.now()): boolean {
  const s = item.outboxStatus;
  return s === undefined || s === 'pending' || s === 'failed' || (s === 'sending' && (item.leaseUntil ?? 0) < now);
}

/** A condition of the caller's, ANDed with the protocol's; its placeholders must not start with `#o`/`:o`. */
export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/** A fresh claim token (for a caller whose extra items must carry the token of its claim). */
export const newClaimToken = (): string => randomUUID();

export interface ClaimOptions {
  /** The claim's token, when extra items must carry it too (`newClaimToken()`); default a fresh one. */
  token?: string;
  /** Epoch ms (tests move the clock); default now. */
  now?: number;
  /** How long the claim keeps every other process off. Longer than the send may take. */
  leaseMs: number;
  /** Must also hold on the outbox item (e.g. `attribute_exists(pk)`: the item must exist). */
  extraCondition?: Condition;
  /** Attributes written with the claim (e.g. the item's identity when the claim creates it). */
  set?: Record<string, unknown>;
  /** Writes that must land with the claim, or none does: then claim and these are one transaction. */
  extraItems?: TxItem[];
}

export interface CompleteOptions {
  /** The final status; default `sent`. */
  status?: Exclude<OutboxStatus, 'pending' | 'sending' | 'failed'>;
  /** Attributes written with it (`sentAt`, `messageId`, …). */
  set?: Record<string, unknown>;
  /** Attributes removed with it (the flow's due-index keys). */
  remove?: string[];
  /** Writes that must land with the completion (one transaction). */
  extraItems?: TxItem[];
}

export interface ReleaseOptions {
  /** Writes that must land with the release (one transaction), e.g. a second lease to drop. */
  extraItems?: TxItem[];
  now?: Date;
}

/** `SET`/`REMOVE` clauses for caller attributes, with placeholders `#o<i>`/`:o<i>` that cannot clash with the protocol's. */
function clauses(set: Record<string, unknown> = {}, remove: string[] = []) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  let i = 0;
  for (const [name, value] of Object.entries(set)) {
    if (value === undefined) continue;
    names[`#o${i}`] = name;
    values[`:o${i}`] = value;
    sets.push(`#o${i} = :o${i}`);
    i++;
  }
  for (const name of remove) {
    names[`#o${i}`] = name;
    removes.push(`#o${i}`);
    i++;
  }
  return { names, values, sets, removes };
}

function update(
  key: OutboxKey,
  parts: { set: string[]; remove: string[]; condition: string; names: Record<string, string>; values: Record<string, unknown> },
) {
  return {
    TableName: tableName(),
    Key: key,
    UpdateExpression: `SET ${parts.set.join(', ')}${parts.remove.length ? ` REMOVE ${parts.remove.join(', ')}` : ''}`,
    ConditionExpression: parts.condition,
    ExpressionAttributeNames: parts.names,
    ExpressionAttributeValues: parts.values,
  };
}

const CLAIM_NAMES = { '#os': 'outboxStatus', '#lu': 'leaseUntil', '#ct': 'claimToken', '#at': 'attempts' };

/** One write, or a transaction when others must land with it. True when it landed; false when a condition refused it. */
async function write(item: ReturnType<typeof update>, extraItems: TxItem[] | undefined, refusedWhen: (codes: string[]) => boolean): Promise<boolean> {
  try {
    if (extraItems?.length) {
      await db().send(new TransactWriteCommand({ TransactItems: [{ Update: item }, ...extraItems] }));
    } else {
      await db().send(new UpdateCommand(item));
    }
    return true;
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return false;
    const codes = cancellationCodes(err);
    if (codes && refusedWhen(codes)) return false;
    throw err;
  }
}

/**
 * Takes the item for one send: only when it is claimable (no status yet, `pending`, `failed`, or
 * `sending` with a lease run out) and `extraCondition` holds; `extraItems` land with it or the
 * claim fails. Returns the claim token, or undefined when another process holds the item, it is
 * done, or a condition (its own or an extra item's) refused.
 */
export async function claim(key: OutboxKey, opts: ClaimOptions): Promise<string | undefined> {
  const now = opts.now ?? Date.now();
  const token = opts.token ?? newClaimToken();
  const own = clauses(opts.set);
  const condition =
    '(attribute_not_exists(#os) OR #os IN (:opending, :ofailed) OR (#os = :osending AND #lu < :onow))' +
    (opts.extraCondition ? ` AND (${opts.extraCondition.expression})` : '');
  const item = update(key, {
    set: ['#os = :osending', '#lu = :ountil', '#ct = :otoken', '#at = if_not_exists(#at, :ozero) + :oone', ...own.sets],
    remove: [],
    condition,
    names: { ...CLAIM_NAMES, ...own.names, ...opts.extraCondition?.names },
    values: {
      ':opending': 'pending', ':ofailed': 'failed', ':osending': 'sending', ':onow': now, ':ountil': now + opts.leaseMs,
      ':otoken': token, ':ozero': 0, ':oone': 1, ...own.values, ...opts.extraCondition?.values,
    },
  });
  // Any refusal (this item's or an extra one's) means: not ours to send now.
  return (await write(item, opts.extraItems, () => true)) ? token : undefined;
}

/**
 * Records the send (status `sent`, or the flow's final status) for the holder of `token` only,
 * with `set`/`remove` and `extraItems` in the same write. False (nothing written) when the token
 * no longer holds the item. Throws when an extra item's condition refused (the caller decides:
 * the outbox item is still `sending` under its token, so it may try other extra items).
 */
export async function complete(key: OutboxKey, token: string, opts: CompleteOptions = {}): Promise<boolean> {
  const own = clauses(opts.set, opts.remove);
  const item = update(key, {
    set: ['#os = :ostatus', ...own.sets],
    remove: ['#lu', '#ct', ...own.removes],
    condition: '#ct = :otoken AND #os = :osending',
    names: { '#os': 'outboxStatus', '#lu': 'leaseUntil', '#ct': 'claimToken', ...own.names },
    values: { ':ostatus': opts.status ?? 'sent', ':otoken': token, ':osending': 'sending', ...own.values },
  });
  return write(item, opts.extraItems, (codes) => codes[0] === 'ConditionalCheckFailed');
}

/**
 * Gives the item back after a failed send, for the holder of `token` only: status `failed`
 * (still due), `lastError`, lease dropped. False (nothing written) when the token no longer holds
 * it — a process whose lease ran out cannot undo the claim of the one that took over.
 */
export async function release(key: OutboxKey, token: string, error: string, opts: ReleaseOptions = {}): Promise<boolean> {
  const item = update(key, {
    set: ['#os = :ofailed', '#le = :oerror', 'failedAt = :oat'],
    remove: ['#lu', '#ct'],
    condition: '#ct = :otoken AND #os = :osending',
    names: { '#os': 'outboxStatus', '#lu': 'leaseUntil', '#ct': 'claimToken', '#le': 'lastError' },
    values: { ':ofailed': 'failed', ':oerror': error.slice(0, 100), ':oat': (opts.now ?? new Date()).toISOString(), ':otoken': token, ':osending': 'sending' },
  });
  return write(item, opts.extraItems, () => true);
}
