import { createHash, randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { db, tableName, type TxItem } from './client';
import type { Role } from '../routes';
import { ownerIndexKeys } from './owner-index';
import { WEBSESSION } from './keys';

/**
 * Web sessions (WEB.md "Sign-in and sessions"): pk `WEBSESSION#<sha256(id)>`. The browser holds
 * only the opaque id (32 random bytes) in an HttpOnly cookie; the table holds its hash, so a
 * table dump signs nobody in. A session ends after its idle time (30 minutes for staff roles, 12
 * hours for participants) without a request, when its holder signs out or signs in again (its
 * `validUntil` is then set to that moment), or when DynamoDB's TTL removes it. `csrf` is the
 * token every state-changing form of the session must carry.
 */

export interface WebSession {
  /** The sha256 of the cookie's id: the key, and what the audit trail may name. */
  idHash: string;
  role: Role;
  /** participantId / employerId / providerId; 'admin' for the register's staff. */
  ownerId: string;
  /** The signed-in user's id (organisations' users); absent for participants. */
  userId?: string;
  /** That user's name when they signed in, for the audit trail ("under their name"). */
  userName?: string;
  csrf: string;
  createdAt: string;
  lastSeenAt: string;
  idleSeconds: number;
  /** The instant the session ends unless a request moves it on (ISO). */
  validUntil: string;
}

export type SessionSubject = Pick<WebSession, 'role' | 'ownerId' | 'userId' | 'userName'>;

/** Idle time before a session ends: 30 minutes for staff roles, 12 hours for participants. */
export const idleSecondsFor = (role: Role) => (role === 'participant' ? 12 * 3600 : 30 * 60);

/**
 * A session is moved on only when a sixth of its idle time has passed since the last move, so
 * most page views read it with one GetItem and write nothing (a page's DynamoDB budget is small).
 */
const TOUCH_FRACTION = 6;

const hash = (id: string) => createHash('sha256').update(id).digest('hex');
export const webSessionKey = (idHash: string) => ({ pk: WEBSESSION(idHash), sk: 'WEBSESSION' });

function sessionItem(idHash: string, subject: SessionSubject, now: Date): Record<string, unknown> & WebSession {
  const idleSeconds = idleSecondsFor(subject.role);
  const validUntil = new Date(now.getTime() + idleSeconds * 1000);
  return {
    ...webSessionKey(idHash),
    type: 'web-session',
    idHash,
    role: subject.role,
    ownerId: subject.ownerId,
    ...(subject.userId ? { userId: subject.userId } : {}),
    ...(subject.userName ? { userName: subject.userName } : {}),
    csrf: randomBytes(32).toString('base64url'),
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    idleSeconds,
    validUntil: validUntil.toISOString(),
    expiresAt: Math.floor(validUntil.getTime() / 1000),
    // A participant's sessions in its own index partition: an erasure finds (and ends) them without a scan.
    ...(subject.role === 'participant' ? ownerIndexKeys(subject.ownerId, 'WEBSESSION', now) : {}),
  };
}

/**
 * A new session for this subject, as a transaction item (the activation writes it in the same
 * transaction that spends its token) and the id for the cookie.
 */
export function newWebSession(subject: SessionSubject, now = new Date()): { id: string; session: WebSession; put: TxItem } {
  const id = randomBytes(32).toString('base64url');
  const item = sessionItem(hash(id), subject, now);
  return { id, session: item, put: { Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } } };
}

export async function createWebSession(subject: SessionSubject, now = new Date()): Promise<{ id: string; session: WebSession }> {
  const { id, session, put } = newWebSession(subject, now);
  await db().send(new PutCommand(put.Put as never));
  return { id, session };
}

function fromItem(item: Record<string, unknown>): WebSession {
  return {
    idHash: item.idHash as string,
    role: item.role as Role,
    ownerId: item.ownerId as string,
    ...(item.userId ? { userId: item.userId as string } : {}),
    ...(item.userName ? { userName: item.userName as string } : {}),
    csrf: item.csrf as string,
    createdAt: item.createdAt as string,
    lastSeenAt: item.lastSeenAt as string,
    idleSeconds: Number(item.idleSeconds),
    validUntil: item.validUntil as string,
  };
}

/**
 * The live session of a cookie's id, moved on if due; undefined when unknown, ended or idle too
 * long (TTL deletes lazily, so expiry is checked here).
 */
export async function getWebSession(id: string, now = new Date()): Promise<WebSession | undefined> {
  if (!id || id.length > 100) return undefined;
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: webSessionKey(hash(id)) }));
  if (!res.Item) return undefined;
  const session = fromItem(res.Item);
  if (session.validUntil <= now.toISOString()) return undefined;
  const sinceTouch = now.getTime() - Date.parse(session.lastSeenAt);
  if (sinceTouch * TOUCH_FRACTION < session.idleSeconds * 1000) return session;
  const validUntil = new Date(now.getTime() + session.idleSeconds * 1000);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: webSessionKey(session.idHash),
        UpdateExpression: 'SET lastSeenAt = :now, validUntil = :until, expiresAt = :ttl',
        // Not past its end, and not signed out in the meantime.
        ConditionExpression: 'attribute_exists(pk) AND validUntil > :now',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':until': validUntil.toISOString(), ':ttl': Math.floor(validUntil.getTime() / 1000) },
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return undefined;
    throw err;
  }
  return { ...session, lastSeenAt: now.toISOString(), validUntil: validUntil.toISOString() };
}

/**
 * The update that ends a session (for a transaction: a sign-in ends the session its browser still
 * held in the write that starts the new one). An update, not a delete: no function may delete
 * items (infra/constructs/pe-function.ts grants no DeleteItem). Its end is now, which every read
 * and every touch (`validUntil > :now`) refuses; the TTL removes the item soon after. Without a
 * condition, so a session already gone cancels nothing (the stub it leaves is ended and expires).
 */
export function endWebSessionItem(idHash: string, now = new Date()): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: webSessionKey(idHash),
      UpdateExpression: 'SET validUntil = :now, endedAt = :now, expiresAt = :ttl',
      ExpressionAttributeValues: { ':now': now.toISOString(), ':ttl': Math.floor(now.getTime() / 1000) },
    },
  };
}

/** Ends a session on the server (sign-out): its cookie is worthless from now on. */
export async function endWebSession(idHash: string, now = new Date()): Promise<void> {
  await db().send(new UpdateCommand(endWebSessionItem(idHash, now).Update as never));
}
