import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { randomBase32 } from '../ids';
import { EVENT } from './keys';

/**
 * The audit trail: immutable events stored beside the entity they describe (same pk, sk
 * `EVENT#<iso instant>#<random>`), written in the same transaction as the change itself so a
 * change without its event (or the reverse) cannot exist.
 */
export interface Actor {
  role: string;
  /** The organisation (or participant, admin, job) acting. */
  id: string;
  /** The user who acted for it, when someone signed in to the web did (issue 15: every user action is traceable to them). */
  userId?: string;
  /** That user's name at the time. */
  userName?: string;
}

export interface AuditEvent {
  eventId: string;
  at: string;
  actor: Actor;
  action: string;
  before?: unknown;
  after?: unknown;
  detail?: Record<string, unknown>;
}

export function auditItem(
  subjectPk: string,
  event: { actor: Actor; action: string; before?: unknown; after?: unknown; detail?: Record<string, unknown> },
  at = new Date(),
) {
  const iso = at.toISOString();
  const eventId = `${iso}#${randomBase32(8)}`;
  return {
    pk: subjectPk,
    sk: EVENT(eventId),
    type: 'event',
    eventId,
    at: iso,
    actor: event.actor,
    action: event.action,
    before: event.before,
    after: event.after,
    detail: event.detail,
  };
}

/** A Put for a transaction: attribute_not_exists makes the event write-once. */
export function auditPut(subjectPk: string, event: Parameters<typeof auditItem>[1], at = new Date()) {
  return {
    Put: {
      TableName: tableName(),
      Item: auditItem(subjectPk, event, at),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function listEvents(
  subjectPk: string,
  limit: number,
  cursor?: Record<string, unknown>,
): Promise<{ items: AuditEvent[]; lastKey?: Record<string, unknown> }> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
      ExpressionAttributeValues: { ':pk': subjectPk, ':ev': EVENT() },
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  return {
    items: (res.Items ?? []).map((i) => ({
      eventId: i.eventId,
      at: i.at,
      actor: i.actor,
      action: i.action,
      before: i.before,
      after: i.after,
      detail: i.detail,
    })),
    lastKey: res.LastEvaluatedKey,
  };
}
