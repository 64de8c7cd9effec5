import { createHash, randomBytes } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import type { Role } from '../routes';
import type { SessionSubject } from './web-sessions';
import type { TxItem } from './client';
import { ownerIndexKeys } from './owner-index';
import { SIGNIN, SIGNINMAIL } from './keys';

/**
 * One-time sign-in links (WEB.md "Sign-in and sessions"): pk `SIGNIN#<sha256(token)>`. The e-mail
 * carries the token (32 random bytes); the table holds only its hash, the subject the link signs
 * in (role, owner, user), the e-mail index key it was found under (so the sign-in can check the
 * address still belongs to that subject) and where to go afterwards (`next`, a same-site path,
 * kept here rather than in the mailed URL). Valid 15 minutes, spent by a conditional update in
 * the same transaction that writes the web session, so it works once even when two clicks race.
 * DynamoDB's TTL removes it a day after it stopped working.
 */
export const SIGN_IN_LINK_VALID_MINUTES = 15;
/**
 * The link in an invitation (shared/services/users.ts) works longer: a new colleague may read the
 * mail days later, and a 15-minute link would be dead by then. Still single use.
 */
export const INVITATION_LINK_VALID_MINUTES = 7 * 24 * 60;

export interface SignInLink extends SessionSubject {
  /** The e-mail index partition (`EMAIL#<sha256>`) the subject was found under. */
  emailKey: string;
  next?: string;
  createdAt: string;
  validUntil: string;
  usedAt?: string;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
export const signInLinkKey = (token: string) => ({ pk: SIGNIN(hash(token)), sk: 'SIGNIN' });

/** A new link for this subject: the token for the e-mail (the item holds only its hash). */
export async function createSignInLink(args: { subject: SessionSubject; emailKey: string; next?: string; now?: Date; validMinutes?: number }): Promise<string> {
  const now = args.now ?? new Date();
  const token = randomBytes(32).toString('base64url');
  const validUntil = new Date(now.getTime() + (args.validMinutes ?? SIGN_IN_LINK_VALID_MINUTES) * 60_000);
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...signInLinkKey(token),
        type: 'sign-in-link',
        role: args.subject.role,
        ownerId: args.subject.ownerId,
        ...(args.subject.userId ? { userId: args.subject.userId } : {}),
        ...(args.subject.userName ? { userName: args.subject.userName } : {}),
        emailKey: args.emailKey,
        ...(args.next ? { next: args.next } : {}),
        createdAt: now.toISOString(),
        validUntil: validUntil.toISOString(),
        expiresAt: Math.floor(validUntil.getTime() / 1000) + 86_400,
        // A participant's links in its own index partition: an erasure finds (and spends) them without a scan.
        ...(args.subject.role === 'participant' ? ownerIndexKeys(args.subject.ownerId, 'SIGNIN', now) : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return token;
}

/** The link of a token while it still works (unused, not expired); undefined otherwise. */
export async function getSignInLink(token: string, now = new Date()): Promise<SignInLink | undefined> {
  if (!token || token.length > 200) return undefined;
  const item = (await db().send(new GetCommand({ TableName: tableName(), Key: signInLinkKey(token) }))).Item;
  if (!item || item.usedAt || String(item.validUntil) <= now.toISOString()) return undefined;
  return {
    role: item.role as Role,
    ownerId: item.ownerId as string,
    ...(item.userId ? { userId: item.userId as string } : {}),
    ...(item.userName ? { userName: item.userName as string } : {}),
    emailKey: item.emailKey as string,
    ...(item.next ? { next: item.next as string } : {}),
    createdAt: item.createdAt as string,
    validUntil: item.validUntil as string,
  };
}

/** The transaction item that spends a link: fails unless it exists, is unused and still valid. */
export function spendSignInLinkItem(token: string, now: Date): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: signInLinkKey(token),
      UpdateExpression: 'SET usedAt = :now',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND validUntil > :now',
      ExpressionAttributeValues: { ':now': now.toISOString() },
    },
  };
}

/**
 * The sign-in e-mail of one request, an outbox item (outbox.ts): pk `SIGNINMAIL#<requestId>`,
 * the request id random and carried in the queued message. The claim creates it; it holds nothing
 * but the outbox attributes, its type, the outcome's time and SES message id — the address,
 * language and `next` stay in the message, and the links' raw tokens are made inside the claimed
 * send and never stored. Sent (or `no-email`: nobody has the address), a redelivery of the message
 * is refused at the claim: no second e-mail, no new lookup.
 */
export const signInMailKey = (requestId: string) => ({ pk: SIGNINMAIL(requestId), sk: 'SIGNINMAIL' });

/**
 * The queue keeps a message a day (infra/constructs/activation-queue.ts): an item kept a day after
 * its last claim outlives every redelivery of its message. TTL `expiresAt`.
 */
export const SIGN_IN_MAIL_KEEP_SECONDS = 86_400;

/** The identity the claim writes when it creates (or takes over) the item. */
export function signInMailAttributes(now: Date): Record<string, unknown> {
  return { type: 'sign-in-mail', expiresAt: Math.floor(now.getTime() / 1000) + SIGN_IN_MAIL_KEEP_SECONDS };
}

/** A new request id: random, so it tells nothing about the address. */
export const newSignInRequestId = (): string => randomBytes(16).toString('base64url');
