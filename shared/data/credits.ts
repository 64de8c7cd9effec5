import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet, queryAll } from './batch';
import { db, tableName } from './client';
import { auditItem, listEvents, type Actor, type AuditEvent } from './audit';
import { participantPk, registrationSk } from './participants';
import { type TxItem } from './client';
import { linksUnchanged, pointsItems, type LinkSet } from './employee-state';
import { CREDIT, EVENT } from './keys';

/**
 * Credits (pk CREDIT#<creditId>): the append-only points ledger. The credit id is derived from
 * the sender and its `externalId`, so the same completion always maps to the same item and
 * `attribute_not_exists` makes it land once however often, and however concurrently, it arrives.
 * The period's total and its set of credited activities change in the same transaction.
 */
export interface Credit {
  creditId: string;
  participantId: string;
  registrationStartsOn: string;
  activityId: string;
  activityTitle: string;
  points: number;
  completedOn: string;
  senderId: string;
  senderRole: string;
  externalId: string;
  createdAt: string;
  revokedAt?: string;
  revocationReason?: string;
  revokedBy?: Actor;
  /**
   * Who credited it (the audit trail's `credit.credited` event is this item: see
   * listParticipantEvents). Absent on credits written before the event was folded in, which
   * have a separate event item instead.
   */
  creditedBy?: Actor;
}

export function creditIdFor(senderId: string, externalId: string): string {
  return `crd_${createHash('sha256').update(`${senderId}\u0000${externalId}`).digest('hex').slice(0, 26)}`;
}

export const creditKey = (creditId: string) => ({ pk: CREDIT(creditId), sk: 'CREDIT' });

export function fromCreditItem(item: Record<string, unknown>): Credit {
  const { pk: _pk, sk: _sk, type: _t, gsi1pk: _g, gsi1sk: _s, ...rest } = item;
  return { ...(rest as unknown as Credit), points: Number(item.points) };
}

/**
/**
 * The transaction that credits: the credit (once) and the period's points and activity set, then
 * (issue 17.5) one Update per live employer link of the participant moving that period's points in
 * the report projection (`links`: the profile's `employerIds`/`linksVersion` as read;
 * shared/data/employee-state.ts). The credit item is also the audit trail's `credit.credited`
 * event (`creditedBy`, `createdAt`): it is write-once and says who credited what and when, so a
 * separate event item would only repeat it (2 WCU of 6). Items 0 (credit Put) and 1 (period
 * Update) always come first — the crediting service maps cancellation reasons by that order — and
 * the projection's items follow, 2 WCU each (+ their gsi1 entry).
 *
 * NOTE for cancellation handling: item 1 (the period) also fails its condition when an employer
 * was linked since `links` was read (`linksVersion` moved) — not only when the activity was already
 * credited in the period. Re-read the profile consistently: a different `linksVersion` means build
 * the transaction again with the new links; the same one means the activity rule refused it.
 */
export function creditItems(credit: Credit, actor: Actor, _now: Date, links: LinkSet): TxItem[] {
  const pk = participantPk(credit.participantId);
  const guard = linksUnchanged(links.version);
  return [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...creditKey(credit.creditId),
          type: 'credit',
          ...credit,
          creditedBy: actor,
          gsi1pk: pk,
          gsi1sk: CREDIT(credit.completedOn, credit.creditId),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
        // A completion seen before fails here: the cancellation carries the original credit, so
        // its `duplicate` answer needs no read (the batch no longer reads every credit first).
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: { pk, sk: registrationSk(credit.registrationStartsOn) },
        UpdateExpression: 'ADD points :p, creditedActivities :a',
        ConditionExpression: `attribute_exists(pk) AND NOT contains(creditedActivities, :activity) AND ${guard.expression}`,
        ExpressionAttributeValues: { ':p': credit.points, ':a': new Set([credit.activityId]), ':activity': credit.activityId, ...guard.values },
      },
    },
    ...pointsItems(credit.participantId, links, credit.registrationStartsOn, credit.points),
  ];
}

/** The `credit.credited` event a credit item stands for (the shape its separate event item had). */
export function creditedEvent(credit: Credit): AuditEvent {
  return {
    eventId: `${credit.createdAt}#${credit.creditId}`,
    at: credit.createdAt,
    actor: credit.creditedBy ?? { role: credit.senderRole, id: credit.senderId },
    action: 'credit.credited',
    after: { creditId: credit.creditId, activityId: credit.activityId, points: credit.points, completedOn: credit.completedOn, externalId: credit.externalId },
  };
}

/** Every credit of a participant (gsi1 `CREDIT#…`), all pages. */
export async function listParticipantCredits(participantId: string): Promise<Credit[]> {
  const items = await queryAll({ pk: participantPk(participantId), skPrefix: CREDIT(), index: 'gsi1' });
  return items.map(fromCreditItem);
}

/**
 * A participant's audit trail, oldest first: the event items of their partition merged with the
 * `credit.credited` events that their credit items are. The cursor is the key of the last event
 * handed out (`{pk, sk: EVENT#<eventId>}`), whichever source it came from; DynamoDB starts after
 * such a key whether or not an item has it. A participant has tens of credits, so each page reads
 * them all (one Query) rather than keeping a second position in the cursor.
 */
export async function listParticipantEvents(
  participantId: string,
  limit: number,
  cursor?: Record<string, unknown>,
): Promise<{ items: AuditEvent[]; lastKey?: Record<string, unknown> }> {
  const pk = participantPk(participantId);
  const after = typeof cursor?.sk === 'string' ? cursor.sk : '';
  const [events, credits] = await Promise.all([listEvents(pk, limit, cursor), listParticipantCredits(participantId)]);
  const folded = credits.filter((c) => c.creditedBy).map(creditedEvent).filter((e) => EVENT(e.eventId) > after);
  const merged = [...events.items, ...folded].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  // Events beyond the event page's end may sort before some credits: hand out only what is certain.
  const end = events.lastKey ? String(events.lastKey.sk).slice(EVENT().length) : undefined;
  const certain = end === undefined ? merged : merged.filter((e) => e.eventId <= end);
  const items = certain.slice(0, limit);
  const more = certain.length > limit || events.lastKey !== undefined;
  return { items, lastKey: more && items.length ? { pk, sk: EVENT(items[items.length - 1].eventId) } : undefined };
}

/**
 * The transaction that revokes: once (condition), points withdrawn, the activity freed again; then,
 * appended, the report projection's points of each live link (as creditItems). NOTE: item 1 (the
 * period) has a condition that fails when an employer was linked since `links` was read —
 * re-read the profile consistently and build it again.
 */
export function revocationItems(credit: Credit, reason: string, actor: Actor, now: Date, links: LinkSet): TxItem[] {
  const pk = participantPk(credit.participantId);
  const guard = linksUnchanged(links.version);
  return [
    {
      Update: {
        TableName: tableName(),
        Key: creditKey(credit.creditId),
        UpdateExpression: 'SET revokedAt = :now, revocationReason = :reason, revokedBy = :actor',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':reason': reason, ':actor': actor },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: { pk, sk: registrationSk(credit.registrationStartsOn) },
        UpdateExpression: 'ADD points :minus DELETE creditedActivities :a',
        ConditionExpression: `attribute_exists(pk) AND ${guard.expression}`,
        ExpressionAttributeValues: { ':minus': -credit.points, ':a': new Set([credit.activityId]), ...guard.values },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: auditItem(pk, { actor, action: 'credit.revoked', before: { status: 'credited', points: credit.points }, after: { status: 'revoked' }, detail: { creditId: credit.creditId, reason } }, now),
      },
    },
    ...pointsItems(credit.participantId, links, credit.registrationStartsOn, -credit.points),
  ];
}

export async function getCredit(creditId: string, consistent = false): Promise<Credit | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: creditKey(creditId), ConsistentRead: consistent }));
  return res.Item ? fromCreditItem(res.Item) : undefined;
}

/**
 * The points of the credit a cancelled credit Put met (ReturnValuesOnConditionCheckFailure
 * ALL_OLD on creditItems' item 0): the reason's item is in DynamoDB's own shape, as the document
 * client does not convert errors. Undefined when the reason carries no item.
 */
export function pointsOfExisting(reason: { Item?: Record<string, { N?: string }> } | undefined): number | undefined {
  const n = reason?.Item?.points?.N;
  return n === undefined ? undefined : Number(n);
}

/** Existing credits among these ids (BatchGetItem). */
export async function existingCredits(creditIds: string[], consistent = false): Promise<Map<string, Credit>> {
  const items = await batchGet(creditIds.map(creditKey), { attributes: ['creditId', 'points', 'participantId', 'revokedAt'], consistent });
  return new Map(items.map((item) => [item.creditId as string, item as unknown as Credit]));
}
