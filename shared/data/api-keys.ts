import { createHash, randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../routes';
import { db, tableName, type TxItem } from './client';
import { newId } from '../ids';
import { queryAll } from './batch';
import { APIKEY, OWNER } from './keys';

/**
 * API keys: `pe_<role>_<43 chars base64url of 32 random bytes>`. Only the SHA-256 of the key is
 * stored (pk APIKEY#<hash>), so a table dump reveals no usable key. The prefix lets secret
 * scanners recognise leaked keys.
 */
export interface ApiKeyRecord {
  keyId: string;
  role: Role;
  /** providerId / employerId / participantId; 'admin' for admin keys. */
  ownerId: string;
  createdAt: string;
  revokedAt?: string;
  /** Participant keys only: the key works until this instant (ISO). */
  validUntil?: string;
}

/** A participant's key works this long after it was issued (SPEC: Accounts); other keys do not expire. */
export const PARTICIPANT_KEY_VALID_DAYS = 90;
/** DynamoDB's TTL removes an expired participant key this long after it stopped working. */
const EXPIRED_KEY_KEPT_DAYS = 7;
/** A participant's live keys, at most: a new session revokes the older ones beyond these. */
export const MAX_LIVE_PARTICIPANT_KEYS = 5;

export function hashKey(rawKey: string): string {
  return createHash('sha256').update(rawKey, 'utf8').digest('hex');
}

export function generateApiKey(role: Role): string {
  return `pe_${role}_${randomBytes(32).toString('base64url')}`;
}

const pk = (hash: string) => APIKEY(hash);

/** Item for a new key, for use inside a caller's transaction. */
export function apiKeyItem(rawKey: string, role: Role, ownerId: string, now = new Date()) {
  const keyId = newId('key', now.getTime());
  const validUntil = role === 'participant' ? new Date(now.getTime() + PARTICIPANT_KEY_VALID_DAYS * 86_400_000) : undefined;
  return {
    pk: pk(hashKey(rawKey)),
    sk: 'APIKEY',
    type: 'apiKey',
    keyId,
    role,
    ownerId,
    createdAt: now.toISOString(),
    ...(validUntil
      ? { validUntil: validUntil.toISOString(), expiresAt: Math.floor(validUntil.getTime() / 1000) + EXPIRED_KEY_KEPT_DAYS * 86_400 }
      : {}),
    // Owner's keys, and revocation by keyId.
    gsi1pk: APIKEY(keyId),
    gsi1sk: 'APIKEY',
    gsi2pk: OWNER(ownerId),
    gsi2sk: APIKEY(keyId),
  };
}

/** A new key's item as a transaction Put (refused if the hash exists: a collision is never an overwrite). */
export function apiKeyPut(item: ReturnType<typeof apiKeyItem>): TxItem {
  return { Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

export async function createApiKey(role: Role, ownerId: string): Promise<{ apiKey: string; keyId: string }> {
  const apiKey = generateApiKey(role);
  const item = apiKeyItem(apiKey, role, ownerId);
  await db().send(
    new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
  );
  return { apiKey, keyId: item.keyId };
}

/** Store a given raw key as admin key (the local stack's ADMIN_API_KEY); idempotent. */
export async function ensureAdminKey(rawKey: string): Promise<void> {
  const item = apiKeyItem(rawKey, 'admin', 'admin');
  try {
    await db().send(
      new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  } catch (err) {
    if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
    // Already there: make sure it is an admin key that is not revoked.
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: item.pk, sk: 'APIKEY' },
        UpdateExpression: 'SET #role = :admin, ownerId = :admin REMOVE revokedAt',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: { ':admin': 'admin' },
      }),
    );
  }
}

/** Is this stored key usable now: not revoked and, where it expires, not expired? */
function isLive(item: Record<string, unknown>, now: Date): boolean {
  // TTL deletes lazily (up to days late), so an expired key is refused on its validUntil, not on its absence.
  return !item.revokedAt && !(typeof item.validUntil === 'string' && item.validUntil <= now.toISOString());
}

/** The key's record, or undefined when it is unknown, revoked or expired. */
export async function lookupApiKey(rawKey: string, now = new Date()): Promise<ApiKeyRecord | undefined> {
  const res = await db().send(
    new GetCommand({ TableName: tableName(), Key: { pk: pk(hashKey(rawKey)), sk: 'APIKEY' } }),
  );
  const item = res.Item;
  if (!item || !isLive(item, now)) return undefined;
  return { keyId: item.keyId, role: item.role, ownerId: item.ownerId, createdAt: item.createdAt, ...(item.validUntil ? { validUntil: item.validUntil } : {}) };
}

function revokeByPk(keyPk: string, now: Date) {
  return db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: keyPk, sk: 'APIKEY' },
      UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :now)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':now': now.toISOString() },
    }),
  );
}

/**
 * Revokes an owner's live keys beyond its newest `keep` (newest by keyId, which is time-ordered),
 * counting `justIssued` (the key a session just wrote) even if the owner index, which is
 * eventually consistent, does not show it yet. Returns the keyIds revoked.
 */
export async function revokeKeysBeyond(ownerId: string, keep: number, justIssued?: { keyId: string; pk: string }, now = new Date()): Promise<string[]> {
  const items = await queryAll({ index: 'gsi2', pk: OWNER(ownerId), skPrefix: APIKEY(), attributes: ['pk', 'keyId', 'revokedAt', 'validUntil'] });
  const live = items.filter((i) => isLive(i, now));
  if (justIssued && !live.some((i) => i.keyId === justIssued.keyId)) live.push({ ...justIssued });
  live.sort((a, b) => String(b.keyId).localeCompare(String(a.keyId)));
  const older = live.slice(keep);
  await Promise.all(older.map((i) => revokeByPk(String(i.pk), now)));
  return older.map((i) => String(i.keyId));
}

/** An organisation's keys, live and revoked (ids and dates only: the key itself is never stored), oldest first. */
export async function listOwnerKeys(ownerId: string): Promise<{ keyId: string; createdAt: string; revokedAt?: string }[]> {
  const items = await queryAll({ index: 'gsi2', pk: OWNER(ownerId), skPrefix: APIKEY(), attributes: ['keyId', 'createdAt', 'revokedAt'] });
  return items.map((i) => ({ keyId: String(i.keyId), createdAt: String(i.createdAt), ...(i.revokedAt ? { revokedAt: String(i.revokedAt) } : {}) }));
}

/** Revoke by keyId. Returns false when no such key exists. Revoking a revoked key is a no-op. */
export async function revokeApiKey(keyId: string, now = new Date()): Promise<boolean> {
  const found = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :k AND gsi1sk = :s',
      ExpressionAttributeValues: { ':k': APIKEY(keyId), ':s': 'APIKEY' },
    }),
  );
  const item = found.Items?.[0];
  if (!item) return false;
  await revokeByPk(item.pk, now);
  return true;
}
