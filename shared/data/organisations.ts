import { randomBytes } from 'node:crypto';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { apiKeyItem, generateApiKey } from './api-keys';
import { auditPut, type Actor } from './audit';
import { cancellationCodes } from './participants';
import { newId } from '../ids';
import { sealSecret } from '../crypto/secrets';
import type { CreateEmployerRequest, CreateProviderRequest } from '../schemas/organisations';

/**
 * Providers (pk PROVIDER#<id>, sk PROFILE) and employers (pk EMPLOYER#<id>, sk PROFILE).
 * Each is created in one transaction with its first API key and its audit event.
 */
export interface Provider extends CreateProviderRequest {
  providerId: string;
  /** The current webhook signing secret first, then the previous one while it still works. */
  webhookSecrets: SealedWebhookSecret[];
  /** Moves on every rotation: the rotation's condition, so two concurrent ones cannot both land. */
  secretVersion: number;
  createdAt: string;
}

/** A `whsec_…` secret as the table holds it: sealed (shared/crypto/secrets.ts), never in the clear. */
export interface SealedWebhookSecret {
  sealed: string;
  createdAt: string;
  /** Set on the previous secret by a rotation: it verifies until then. */
  validUntil?: string;
}

/** What a sealed webhook secret is bound to: it opens only for this purpose and this provider. */
export const webhookSecretContext = (providerId: string) => ({ purpose: 'webhook-secret', providerId });

/** How long the previous secret keeps working after a rotation (API.md). */
export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

export interface Employer extends CreateEmployerRequest {
  employerId: string;
  createdAt: string;
}

/** Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export async function createProvider(input: CreateProviderRequest, actor: Actor) {
  const providerId = newId('prv');
  const apiKey = generateApiKey('provider');
  const webhookSecret = generateWebhookSecret();
  const now = new Date();
  const pk = `PROVIDER#${providerId}`;
  const keyItem = apiKeyItem(apiKey, 'provider', providerId, now);
  const sealed: SealedWebhookSecret = { sealed: await sealSecret(webhookSecret, webhookSecretContext(providerId)), createdAt: now.toISOString() };
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: {
              pk, sk: 'PROFILE', type: 'provider', providerId, ...input,
              webhookSecrets: [sealed], secretVersion: 1, createdAt: now.toISOString(),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: tableName(), Item: keyItem, ConditionExpression: 'attribute_not_exists(pk)' } },
        auditPut(pk, { actor, action: 'provider.admitted', after: { providerId, ...input } }, now),
      ],
    }),
  );
  return { providerId, apiKey, webhookSecret, keyId: keyItem.keyId };
}

export async function createEmployer(input: CreateEmployerRequest, actor: Actor) {
  const employerId = newId('emp');
  const apiKey = generateApiKey('employer');
  const now = new Date();
  const pk = `EMPLOYER#${employerId}`;
  const keyItem = apiKeyItem(apiKey, 'employer', employerId, now);
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: { pk, sk: 'PROFILE', type: 'employer', employerId, ...input, createdAt: now.toISOString() },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: tableName(), Item: keyItem, ConditionExpression: 'attribute_not_exists(pk)' } },
        auditPut(pk, { actor, action: 'employer.admitted', after: { employerId, ...input } }, now),
      ],
    }),
  );
  return { employerId, apiKey, keyId: keyItem.keyId };
}

export async function getProvider(providerId: string, consistent = false): Promise<Provider | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `PROVIDER#${providerId}`, sk: 'PROFILE' }, ConsistentRead: consistent }));
  if (!res.Item) return undefined;
  const { pk: _pk, sk: _sk, type: _t, ...rest } = res.Item;
  return rest as Provider;
}

export async function getEmployer(employerId: string): Promise<Employer | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `EMPLOYER#${employerId}`, sk: 'PROFILE' } }));
  if (!res.Item) return undefined;
  const { pk: _pk, sk: _sk, type: _t, ...rest } = res.Item;
  return rest as Employer;
}

/** The secrets a delivery may be signed with at `now`: the current one, and the previous one until its `validUntil`. */
export function liveWebhookSecrets(provider: Provider, now = new Date()): SealedWebhookSecret[] {
  return provider.webhookSecrets.filter((s) => !s.validUntil || Date.parse(s.validUntil) > now.getTime());
}

export type RotationResult = { kind: 'rotated'; webhookSecret: string; previousValidUntil: string } | { kind: 'not-found' } | { kind: 'concurrent' };

/**
 * A new webhook secret for the provider; the current one becomes the previous one and keeps
 * verifying for 24 hours. Only one previous secret is kept: an older one still in its 24 hours is
 * dropped, so at most two secrets ever verify. Conditioned on `secretVersion`, so of two
 * rotations racing one lands and the other reports `concurrent` (its secret was never stored,
 * and is not handed out).
 */
export async function rotateWebhookSecret(providerId: string, actor: Actor, now = new Date()): Promise<RotationResult> {
  const provider = await getProvider(providerId, true);
  if (!provider) return { kind: 'not-found' };
  const webhookSecret = generateWebhookSecret();
  const sealed = await sealSecret(webhookSecret, webhookSecretContext(providerId));
  const previousValidUntil = new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString();
  const [current] = provider.webhookSecrets;
  const secrets: SealedWebhookSecret[] = [{ sealed, createdAt: now.toISOString() }, { ...current, validUntil: previousValidUntil }];
  const pk = `PROVIDER#${providerId}`;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: { pk, sk: 'PROFILE' },
              UpdateExpression: 'SET webhookSecrets = :secrets, secretVersion = :next',
              ConditionExpression: 'secretVersion = :seen',
              ExpressionAttributeValues: { ':secrets': secrets, ':next': provider.secretVersion + 1, ':seen': provider.secretVersion },
            },
          },
          auditPut(pk, { actor, action: 'provider.webhook-secret-rotated', detail: { secretVersion: provider.secretVersion + 1, previousValidUntil } }, now),
        ],
      }),
    );
  } catch (err) {
    if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return { kind: 'concurrent' };
    throw err;
  }
  return { kind: 'rotated', webhookSecret, previousValidUntil };
}

/**
 * Another API key for a provider or employer (its existing keys stay valid; revoking is
 * DELETE /v1/api-keys/{keyId}), so an organisation whose keys were all revoked can get back in.
 * Undefined when there is no such organisation (checked in the same transaction).
 */
export async function issueApiKey(owner: { role: 'provider' | 'employer'; id: string }, actor: Actor, now = new Date()) {
  const pk = `${owner.role === 'provider' ? 'PROVIDER' : 'EMPLOYER'}#${owner.id}`;
  const apiKey = generateApiKey(owner.role);
  const keyItem = apiKeyItem(apiKey, owner.role, owner.id, now);
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: { TableName: tableName(), Key: { pk, sk: 'PROFILE' }, ConditionExpression: 'attribute_exists(pk)' } },
          { Put: { TableName: tableName(), Item: keyItem, ConditionExpression: 'attribute_not_exists(pk)' } },
          auditPut(pk, { actor, action: `${owner.role}.api-key-issued`, after: { keyId: keyItem.keyId } }, now),
        ],
      }),
    );
  } catch (err) {
    if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return undefined;
    throw err;
  }
  return { keyId: keyItem.keyId, apiKey };
}
