import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from './batch';
import { db, tableName } from './client';
import { auditItem, type Actor } from './audit';
import { participantPk, registrationSk, type TxItem } from './participants';

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
}

export function creditIdFor(senderId: string, externalId: string): string {
  return `crd_${createHash('sha256').update(`${senderId}\u0000${externalId}`).digest('hex').slice(0, 26)}`;
}

export const creditKey = (creditId: string) => ({ pk: `CREDIT#${creditId}`, sk: 'CREDIT' });

export function fromCreditItem(item: Record<string, unknown>): Credit {
  const { pk: _pk, sk: _sk, type: _t, gsi1pk: _g, gsi1sk: _s, ...rest } = item;
  return { ...(rest as unknown as Credit), points: Number(item.points) };
}

/** The transaction that credits: the credit (once), the period's points and activity set, the event. */
export function creditItems(credit: Credit, actor: Actor, now: Date): TxItem[] {
  const pk = participantPk(credit.participantId);
  return [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...creditKey(credit.creditId),
          type: 'credit',
          ...credit,
          gsi1pk: pk,
          gsi1sk: `CREDIT#${credit.completedOn}#${credit.creditId}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: { pk, sk: registrationSk(credit.registrationStartsOn) },
        UpdateExpression: 'ADD points :p, creditedActivities :a',
        ConditionExpression: 'attribute_exists(pk) AND NOT contains(creditedActivities, :activity)',
        ExpressionAttributeValues: { ':p': credit.points, ':a': new Set([credit.activityId]), ':activity': credit.activityId },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: auditItem(pk, { actor, action: 'credit.credited', after: { creditId: credit.creditId, activityId: credit.activityId, points: credit.points, completedOn: credit.completedOn, externalId: credit.externalId } }, now),
      },
    },
  ];
}

/** The transaction that revokes: once (condition), points withdrawn, the activity freed again. */
export function revocationItems(credit: Credit, reason: string, actor: Actor, now: Date): TxItem[] {
  const pk = participantPk(credit.participantId);
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
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':minus': -credit.points, ':a': new Set([credit.activityId]) },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: auditItem(pk, { actor, action: 'credit.revoked', before: { status: 'credited', points: credit.points }, after: { status: 'revoked' }, detail: { creditId: credit.creditId, reason } }, now),
      },
    },
  ];
}

export async function getCredit(creditId: string, consistent = false): Promise<Credit | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: creditKey(creditId), ConsistentRead: consistent }));
  return res.Item ? fromCreditItem(res.Item) : undefined;
}

/** Existing credits among these ids (BatchGetItem). */
export async function existingCredits(creditIds: string[], consistent = false): Promise<Map<string, Credit>> {
  const items = await batchGet(creditIds.map(creditKey), { attributes: ['creditId', 'points', 'participantId', 'revokedAt'], consistent });
  return new Map(items.map((item) => [item.creditId as string, item as unknown as Credit]));
}
