import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { queryPage } from './paging';
import { queryAll } from './batch';
import type { Actor } from './audit';
import { UNMATCHED, UNMATCHEDREF } from './keys';

/**
 * Unmatched completions (issue 16 part 4): a provider's completion refused as
 * `participant-not-found`, kept 90 days (TTL) so the provider can correct the number. pk
 * `UNMATCHED#<unmatchedId>`, sk `UNMATCHED`. The id is derived from the sender and its externalId
 * (as the credit id is), so a redelivery of the same completion finds the same item and
 * `attribute_not_exists` keeps it once. While open it is in the provider's list (gsi1
 * `UNMATCHED#<providerId>` / `<receivedAt>#<id>`, newest first); a correction that credits
 * removes those keys (sparse) and marks it resolved until its TTL. gsi2 `UNMATCHEDREF#<kind>#<NUMBER>`
 * finds it by the number as given (a participant's export and erasure). Keys: README.md here.
 */
export type ParticipantRef = { registrationNumber: string } | { diplomaNumber: string };

export interface UnmatchedCompletion {
  unmatchedId: string;
  providerId: string;
  activityId: string;
  externalId: string;
  completedOn: string;
  /** The identifier as the sender gave it (maybe someone else's, maybe a typo): personal data. */
  participant?: ParticipantRef;
  receivedAt: string;
  status: 'open' | 'resolved';
  resolvedAt?: string;
  resolvedBy?: Actor;
  creditId?: string;
  /** The points the correction credited. */
  points?: number;
  erasedAt?: string;
}

export const UNMATCHED_TTL_DAYS = 90;

export function unmatchedIdFor(senderId: string, externalId: string): string {
  return `unm_${createHash('sha256').update(`${senderId}\u0000${externalId}`).digest('hex').slice(0, 26)}`;
}

export const unmatchedKey = (id: string) => ({ pk: UNMATCHED(id), sk: 'UNMATCHED' });
const listPk = (providerId: string) => UNMATCHED(providerId);
export const refIndexPk = (ref: ParticipantRef) =>
  'registrationNumber' in ref ? UNMATCHEDREF('regno', ref.registrationNumber.toUpperCase()) : UNMATCHEDREF('diploma', ref.diplomaNumber.toUpperCase());

const FIELDS = ['unmatchedId', 'providerId', 'activityId', 'externalId', 'completedOn', 'participant', 'receivedAt', 'status', 'resolvedAt', 'resolvedBy', 'creditId', 'points', 'erasedAt'] as const;

export function fromUnmatchedItem(item: Record<string, unknown>): UnmatchedCompletion {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (item[f] !== undefined) out[f] = item[f];
  return out as unknown as UnmatchedCompletion;
}

/**
 * Keeps one refused completion, once: a redelivery (or a taken-over delivery redoing the work)
 * finds it there and writes nothing — also not over a resolved one, which stays resolved.
 * Returns whether it was new.
 */
export async function keepUnmatched(u: Omit<UnmatchedCompletion, 'unmatchedId' | 'status' | 'receivedAt'>, now: Date): Promise<boolean> {
  const unmatchedId = unmatchedIdFor(u.providerId, u.externalId);
  const receivedAt = now.toISOString();
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...unmatchedKey(unmatchedId),
          type: 'unmatchedCompletion',
          ...u,
          unmatchedId,
          receivedAt,
          status: 'open',
          gsi1pk: listPk(u.providerId),
          gsi1sk: `${receivedAt}#${unmatchedId}`,
          ...(u.participant ? { gsi2pk: refIndexPk(u.participant), gsi2sk: UNMATCHED(unmatchedId) } : {}),
          expiresAt: Math.floor(now.getTime() / 1000) + UNMATCHED_TTL_DAYS * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}

export async function getUnmatched(unmatchedId: string, consistent = false): Promise<UnmatchedCompletion | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: unmatchedKey(unmatchedId), ConsistentRead: consistent }));
  return res.Item ? fromUnmatchedItem(res.Item) : undefined;
}

/**
 * Marks it resolved by a correction that credited (or found the completion credited): it leaves
 * the provider's open list and stays until its TTL. Only from open, so of two corrections at once
 * one marks it; returns whether this one did.
 */
export async function resolveUnmatched(unmatchedId: string, credit: { creditId: string; points?: number }, actor: Actor, now: Date): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: unmatchedKey(unmatchedId),
        UpdateExpression: 'SET #status = :resolved, resolvedAt = :at, resolvedBy = :by, creditId = :credit, points = :points REMOVE gsi1pk, gsi1sk',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':resolved': 'resolved', ':open': 'open', ':at': now.toISOString(), ':by': actor, ':credit': credit.creditId, ':points': credit.points ?? 0 },
      }),
    );
    return true;
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}

/** The provider's open ones, newest first. */
export async function listOpenUnmatched(providerId: string, page: { limit: number; cursor?: Record<string, unknown> }) {
  const res = await queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': listPk(providerId) },
      ScanIndexForward: false,
    },
    { ...page, keyAttributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'] },
  );
  return { items: res.items.map(fromUnmatchedItem), lastKey: res.lastKey };
}

/** The ones whose given number is this one (export and erasure of its holder). */
export async function unmatchedByRef(ref: ParticipantRef): Promise<UnmatchedCompletion[]> {
  const items = await queryAll({ index: 'gsi2', pk: refIndexPk(ref), skPrefix: UNMATCHED() });
  return items.map(fromUnmatchedItem);
}

/** Erasure: the number as given goes (and with it the index entry); the rest (ids, dates) stays for the provider. */
export async function eraseUnmatchedRef(unmatchedId: string, erasedAt: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: unmatchedKey(unmatchedId),
      UpdateExpression: 'SET erasedAt = :at REMOVE participant, gsi2pk, gsi2sk',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': erasedAt },
    }),
  ).catch((err) => {
    if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
  });
}

/**
 * The batch's `participant-not-found` refusals, each kept once (in parallel, a few at a time).
 * A completion repeated inside the batch was refused once and is kept once.
 */
export async function keepUnmatchedCompletions(
  rejected: { index: number; reason: string }[],
  completions: { externalId: string; activityId: string; completedOn: string; participant: ParticipantRef }[],
  providerId: string,
  now: Date,
): Promise<void> {
  const lost = rejected.filter((r) => r.reason === 'participant-not-found').map((r) => completions[r.index]);
  for (let i = 0; i < lost.length; i += 16) {
    await Promise.all(
      lost.slice(i, i + 16).map((c) =>
        keepUnmatched({ providerId, activityId: c.activityId, externalId: c.externalId, completedOn: c.completedOn, participant: c.participant }, now),
      ),
    );
  }
}
