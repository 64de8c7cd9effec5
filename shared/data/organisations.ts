import { randomBytes } from 'node:crypto';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { apiKeyItem, generateApiKey } from './api-keys';
import { auditPut, type Actor } from './audit';
import { newId } from '../ids';
import type { CreateEmployerRequest, CreateProviderRequest } from '../schemas/organisations';

/**
 * Providers (pk PROVIDER#<id>, sk PROFILE) and employers (pk EMPLOYER#<id>, sk PROFILE).
 * Each is created in one transaction with its first API key and its audit event.
 */
export interface Provider extends CreateProviderRequest {
  providerId: string;
  /** Current webhook signing secrets (`whsec_…`); more than one during rotation. */
  webhookSecrets: string[];
  createdAt: string;
}

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
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: {
              pk, sk: 'PROFILE', type: 'provider', providerId, ...input,
              webhookSecrets: [webhookSecret], createdAt: now.toISOString(),
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

export async function getProvider(providerId: string): Promise<Provider | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `PROVIDER#${providerId}`, sk: 'PROFILE' } }));
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
