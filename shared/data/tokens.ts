import { createHash, randomBytes } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, type TxItem } from './client';
import { ownerIndexKeys } from './owner-index';
import { TOKEN } from './keys';

/**
 * One-time activation tokens (pk TOKEN#<sha256>): only the hash is stored, valid 7 days, and
 * spent by a conditional update inside the session's transaction, so a token works once even
 * when two requests race with it.
 *
 * The same tokens serve other one-time links by `purpose` (issue 16 part 5: `email-change`, the
 * confirmation of a new address). A token with a purpose is spent only for that purpose, and an
 * activation spends only a token without one: the link that confirms an address never signs
 * anyone in.
 */
export const TOKEN_VALID_DAYS = 7;

export type TokenPurpose = 'email-change';

export const tokenKey = (token: string) => ({ pk: TOKEN(createHash('sha256').update(token).digest('hex')), sk: 'TOKEN' });

export async function createActivationToken(args: {
  participantId: string;
  email: string;
  language: 'nl' | 'en';
  /** The employer whose collective registration sent it, if any. */
  employerId?: string;
  now?: Date;
  /** Another one-time link than activation (see above); with its own validity and attributes. */
  purpose?: TokenPurpose;
  validMinutes?: number;
  /** Attributes the purpose needs (no keys: the item's own attributes win). */
  detail?: Record<string, unknown>;
}): Promise<string> {
  const now = args.now ?? new Date();
  const token = randomBytes(32).toString('base64url');
  const validUntil = new Date(now.getTime() + (args.validMinutes ?? TOKEN_VALID_DAYS * 24 * 60) * 60_000);
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...args.detail,
        ...tokenKey(token),
        type: 'token',
        ...(args.purpose ? { purpose: args.purpose } : {}),
        participantId: args.participantId,
        email: args.email,
        language: args.language,
        employerId: args.employerId,
        createdAt: now.toISOString(),
        validUntil: validUntil.toISOString(),
        // DynamoDB's TTL removes it a day after it stopped working.
        expiresAt: Math.floor(validUntil.getTime() / 1000) + 86_400,
        // The participant's own index partition, so an erasure finds (and spends) its tokens without a scan.
        ...ownerIndexKeys(args.participantId, 'TOKEN', now),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return token;
}

/**
 * The transaction item that spends a token: fails unless it exists, is unused, still valid and
 * of this purpose (none: an activation token).
 */
export function spendTokenItem(token: string, now: Date, purpose?: TokenPurpose): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: tokenKey(token),
      UpdateExpression: 'SET usedAt = :now',
      ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(usedAt) AND validUntil > :now AND ${purpose ? 'purpose = :purpose' : 'attribute_not_exists(purpose)'}`,
      ExpressionAttributeValues: { ':now': now.toISOString(), ...(purpose ? { ':purpose': purpose } : {}) },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** A token's item while it still works for `purpose` (unused, not expired); undefined otherwise. */
export async function getLiveToken(token: string, purpose: TokenPurpose, now = new Date()): Promise<Record<string, unknown> | undefined> {
  if (!token || token.length > 200) return undefined;
  const item = (await db().send(new GetCommand({ TableName: tableName(), Key: tokenKey(token), ConsistentRead: true }))).Item;
  if (!item || item.usedAt || item.purpose !== purpose || String(item.validUntil) <= now.toISOString()) return undefined;
  return item;
}

/** A token's item as stored (spent or not), by the raw token. */
export async function getToken(token: string): Promise<Record<string, unknown> | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: tokenKey(token) }))).Item;
}
