import { createHash, randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import type { TxItem } from './participants';
import { ownerIndexKeys } from './owner-index';

/**
 * One-time activation tokens (pk TOKEN#<sha256>): only the hash is stored, valid 7 days, and
 * spent by a conditional update inside the session's transaction, so a token works once even
 * when two requests race with it.
 */
export const TOKEN_VALID_DAYS = 7;

export const tokenKey = (token: string) => ({ pk: `TOKEN#${createHash('sha256').update(token).digest('hex')}`, sk: 'TOKEN' });

export async function createActivationToken(args: {
  participantId: string;
  email: string;
  language: 'nl' | 'en';
  /** The employer whose collective registration sent it, if any. */
  employerId?: string;
  now?: Date;
}): Promise<string> {
  const now = args.now ?? new Date();
  const token = randomBytes(32).toString('base64url');
  const validUntil = new Date(now.getTime() + TOKEN_VALID_DAYS * 86_400_000);
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...tokenKey(token),
        type: 'token',
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

/** The transaction item that spends a token: fails unless it exists, is unused and still valid. */
export function spendTokenItem(token: string, now: Date): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: tokenKey(token),
      UpdateExpression: 'SET usedAt = :now',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND validUntil > :now',
      ExpressionAttributeValues: { ':now': now.toISOString() },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}
