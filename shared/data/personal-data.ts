import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { db, tableName, cancellationCodes, transact } from './client';
import { batchGet, queryAll, type Key } from './batch';
import { auditPut, type Actor } from './audit';
import { diplomaKey, erasedDiplomaKey, ERASING_SORT_PREFIX, participantPk, RETENTION_PK, type ErasureMark } from './participants';
import { ownerIndexPk } from './owner-index';

/**
 * The reads and writes of people's data (AVG/GDPR: shared/services/personal-data): the export
 * reads a participant's items through the keys that exist for them (their partition, their gsi1
 * and gsi2 partitions, the items those name) — never a Scan — and the erasure rewrites them.
 * Every write here is idempotent and conditioned on the item still existing (an Update without a
 * condition would create a stub of an item the TTL removed), so an erasure that crashed half-way
 * is completed by running it again, and two erasures racing end in the same state.
 */

/** The keys and bookkeeping of a stored item, left out of what the export shows. */
const INTERNAL = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'expiresAt']);

/** A stored item as the export shows it: its attributes without keys; sets as arrays. */
export function exportView(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!INTERNAL.has(k)) out[k] = v instanceof Set ? [...v] : v;
  return out;
}

export const keyOf = (item: Record<string, unknown>): Key => ({ pk: item.pk as string, sk: item.sk as string });

/** The participant's own partition, items whose sort key starts with `prefix` (REG#, NOTICE#, EVENT#). */
export const ownPartition = (participantId: string, prefix: string) => queryAll({ pk: participantPk(participantId), skPrefix: prefix, consistent: true });
/** The participant's gsi1 partition (`PARTICIPANT#<id>`): credits, employer links, enrolments, own invoices. */
export const participantIndex = (participantId: string, prefix: string) => queryAll({ index: 'gsi1', pk: participantPk(participantId), skPrefix: prefix });
/** The participant's gsi2 partition (`OWNER#<id>`): API keys, activation tokens, sign-in links, web sessions, activation claims. */
export const ownerIndex = (participantId: string, prefix: string) => queryAll({ index: 'gsi2', pk: ownerIndexPk(participantId), skPrefix: prefix });

export async function getItem(key: Key, consistent = true): Promise<Record<string, unknown> | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: consistent }))).Item;
}

export const getItems = (keys: Key[]) => batchGet(keys, { consistent: true });

/**
 * SET the given attributes and REMOVE others on an item that exists; false when it is gone (or
 * `condition` does not hold). `set` values of `undefined` are skipped.
 */
export async function rewrite(
  key: Key,
  change: { set?: Record<string, unknown>; ifNotSet?: Record<string, unknown>; remove?: string[]; condition?: string; names?: Record<string, string>; values?: Record<string, unknown> },
): Promise<boolean> {
  const names: Record<string, string> = { ...change.names };
  const values: Record<string, unknown> = { ...change.values };
  const sets: string[] = [];
  let n = 0;
  for (const [attr, value] of Object.entries(change.set ?? {})) {
    if (value === undefined) continue;
    names[`#a${n}`] = attr;
    values[`:v${n}`] = value;
    sets.push(`#a${n} = :v${n}`);
    n++;
  }
  for (const [attr, value] of Object.entries(change.ifNotSet ?? {})) {
    names[`#a${n}`] = attr;
    values[`:v${n}`] = value;
    sets.push(`#a${n} = if_not_exists(#a${n}, :v${n})`);
    n++;
  }
  const removes = (change.remove ?? []).map((attr) => {
    names[`#a${n}`] = attr;
    return `#a${n++}`;
  });
  if (!sets.length && !removes.length) return true;
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' '),
        ConditionExpression: `attribute_exists(pk)${change.condition ? ` AND (${change.condition})` : ''}`,
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/**
 * Replaces the participant's diploma item by its tombstone (`erasedDiplomaKey`: the hashed
 * number, `participantId`, `erasedAt`), in one transaction, so there is no moment with neither.
 * When the diploma item is gone already (an erasure from before tombstones, or a rerun) the
 * tombstone is still written, unless the number now belongs to someone else. True when the
 * diploma item was deleted by this call.
 */
export async function tombstoneDiploma(diplomaNumber: string, participantId: string, erasedAt: string): Promise<{ deleted: boolean; tombstoned: boolean }> {
  const tombstone = { ...erasedDiplomaKey(diplomaNumber), type: 'erased-diploma', participantId, erasedAt };
  const deleted = await transactOrSkip([
    { Delete: { TableName: tableName(), Key: diplomaKey(diplomaNumber), ConditionExpression: 'participantId = :pid', ExpressionAttributeValues: { ':pid': participantId } } },
    { Put: { TableName: tableName(), Item: tombstone } },
  ]);
  if (deleted) return { deleted: true, tombstoned: true };
  if (await getItem(diplomaKey(diplomaNumber))) return { deleted: false, tombstoned: false };
  try {
    await db().send(new PutCommand({ TableName: tableName(), Item: tombstone, ConditionExpression: 'attribute_not_exists(pk)' }));
    return { deleted: false, tombstoned: true };
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return { deleted: false, tombstoned: false };
    throw err;
  }
}

/** Runs a transaction whose only failure that matters is its first item's condition; false then. */
export async function transactOrSkip(items: Parameters<typeof transact>[0]): Promise<boolean> {
  try {
    await transact(items);
    return true;
  } catch (err) {
    if (cancellationCodes(err)?.some((c) => c === 'ConditionalCheckFailed')) return false;
    throw err;
  }
}

const profileKey = (participantId: string) => ({ pk: participantPk(participantId), sk: 'PROFILE' });

/**
 * The erasure's first step, in one transaction: the profile is marked `in-progress` (who, why,
 * when, the pseudonym) — from then on no period starts and no session is issued for it (their
 * writes are conditioned on `attribute_not_exists(erasure)`) — and moved to the front of the
 * retention index, so the retention job completes the erasure if this run dies half-way; and its
 * `participant.erasure-started` event. False when an erasure was marked already — or, with
 * `endedBefore` (the retention job's cutoff), when the latest period no longer ended before it: a
 * renewal between the job's read and this write keeps the participant.
 */
export async function markErasureStarted(participantId: string, mark: ErasureMark, actor: Actor, now: Date, endedBefore?: string): Promise<boolean> {
  return transactOrSkip([
    {
      Update: {
        TableName: tableName(),
        Key: profileKey(participantId),
        UpdateExpression: 'SET erasure = :mark, gsi3pk = :g3pk, gsi3sk = :g3sk',
        ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(erasure)${endedBefore ? ' AND latestEndsOn < :cutoff' : ''}`,
        ExpressionAttributeValues: {
          ':mark': mark,
          ':g3pk': RETENTION_PK,
          ':g3sk': `${ERASING_SORT_PREFIX}#${participantId}`,
          ...(endedBefore ? { ':cutoff': endedBefore } : {}),
        },
      },
    },
    auditPut(participantPk(participantId), { actor, action: 'participant.erasure-started', detail: { reason: mark.reason, by: mark.by } }, now),
  ]);
}

/**
 * Replaces the free-text reason on the profile's erasure mark (by then scrubbed of the subject's
 * own values, as its audit copy is). False when the profile has no mark.
 */
export async function setErasureReason(participantId: string, reason: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: profileKey(participantId),
        UpdateExpression: 'SET erasure.reason = :reason',
        ConditionExpression: 'attribute_exists(erasure)',
        ExpressionAttributeValues: { ':reason': reason },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/**
 * The last step: `in-progress` → `erased`, with the summary, out of the retention index, and its
 * `participant.erased` event. False when another run finished it first.
 */
export async function markErased(participantId: string, summary: Record<string, unknown>, actor: Actor, now: Date): Promise<boolean> {
  return transactOrSkip([
    {
      Update: {
        TableName: tableName(),
        Key: profileKey(participantId),
        UpdateExpression: 'SET erasure.#status = :erased, erasure.erasedAt = :now, erasureSummary = :summary REMOVE gsi3pk, gsi3sk',
        ConditionExpression: 'erasure.#status = :progress',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':erased': 'erased', ':progress': 'in-progress', ':now': now.toISOString(), ':summary': summary },
      },
    },
    auditPut(participantPk(participantId), { actor, action: 'participant.erased', detail: { holders: Object.keys(summary).length } }, now),
  ]);
}

/**
 * The retention index, oldest first: profiles whose latest period ended before `before` (ISO
 * date, exclusive), and erasures left in progress (which sort first). Projected: gsi3 carries
 * `participantId` and the keys only.
 */
export async function retentionCandidates(before: string, max: number): Promise<{ participantId: string; latestEndsOn: string }[]> {
  const items = await queryAll({ index: 'gsi3', pk: RETENTION_PK, skBetween: [ERASING_SORT_PREFIX, before] });
  return items.slice(0, max).map((i) => {
    const [latestEndsOn, participantId] = String(i.gsi3sk).split('#');
    return { participantId, latestEndsOn };
  });
}
