import { randomBytes } from 'node:crypto';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, cancellationCodes } from './client';
import { apiKeyItem, generateApiKey } from './api-keys';
import { queryAll } from './batch';
import { auditPut, type Actor } from './audit';
import { newId } from '../ids';
import { sealSecret } from '../crypto/secrets';
import type { CreateEmployerRequest, CreateProviderRequest, UpdateEmployerRequest } from '../schemas/organisations';
import { COUNTER, EMPLOYER, ORGS, PROVIDER } from './keys';

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
  /**
   * `D-000123`: short, stable, for the buyer's accounts payable. Given at admission; employers
   * admitted before it existed get one on their first invoice (or settings change).
   */
  debtorNumber?: string;
  /** Moves on every settings change: the change's condition, so its audit event's `before` is what it replaced. */
  settingsVersion?: number;
  createdAt: string;
}

export const employerProfileKey = (employerId: string) => ({ pk: EMPLOYER(employerId), sk: 'PROFILE' });
const DEBTOR_COUNTER_KEY = { pk: COUNTER('DEBTOR'), sk: 'COUNTER' };

/**
 * The next debtor number: one atomic `ADD` on the counter item, so concurrent admissions never
 * share one. Unlike invoice numbers they may have gaps (an admission that fails after taking one
 * leaves its number unused): a debtor number only has to be unique and short.
 */
export async function nextDebtorNumber(): Promise<string> {
  const res = await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: DEBTOR_COUNTER_KEY,
      UpdateExpression: 'ADD n :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return `D-${String(res.Attributes!.n).padStart(6, '0')}`;
}

/** Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The staff's list of organisations (/beheer/organisaties): every profile sets gsi1
 * `ORGS#<kind>` / `<createdAt>#<id>` at admission, so listing one kind is one Query, in order of
 * admission, never a Scan.
 */
const organisationListKeys = (kind: 'provider' | 'employer', id: string, now: Date) => ({ gsi1pk: ORGS(kind), gsi1sk: `${now.toISOString()}#${id}` });

/** Every admitted organisation of one kind, oldest admission first (all pages of its partition). */
export async function listOrganisations(kind: 'provider'): Promise<Provider[]>;
export async function listOrganisations(kind: 'employer'): Promise<Employer[]>;
export async function listOrganisations(kind: 'provider' | 'employer'): Promise<(Provider | Employer)[]> {
  const items = await queryAll({ index: 'gsi1', pk: ORGS(kind) });
  return items.map(({ pk: _pk, sk: _sk, type: _t, gsi1pk: _a, gsi1sk: _b, webhookSecrets: _w, ...rest }) => rest as unknown as Provider | Employer);
}

export async function createProvider(input: CreateProviderRequest, actor: Actor) {
  const providerId = newId('prv');
  const apiKey = generateApiKey('provider');
  const webhookSecret = generateWebhookSecret();
  const now = new Date();
  const pk = PROVIDER(providerId);
  const keyItem = apiKeyItem(apiKey, 'provider', providerId, now);
  const sealed: SealedWebhookSecret = { sealed: await sealSecret(webhookSecret, webhookSecretContext(providerId)), createdAt: now.toISOString() };
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: {
              pk, sk: 'PROFILE', type: 'provider', providerId, ...input, ...organisationListKeys('provider', providerId, now),
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
  const pk = EMPLOYER(employerId);
  const keyItem = apiKeyItem(apiKey, 'employer', employerId, now);
  const debtorNumber = await nextDebtorNumber();
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: { pk, sk: 'PROFILE', type: 'employer', employerId, ...input, ...organisationListKeys('employer', employerId, now), debtorNumber, settingsVersion: 1, createdAt: now.toISOString() },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: tableName(), Item: keyItem, ConditionExpression: 'attribute_not_exists(pk)' } },
        auditPut(pk, { actor, action: 'employer.admitted', after: { employerId, ...input, debtorNumber } }, now),
      ],
    }),
  );
  return { employerId, apiKey, keyId: keyItem.keyId, debtorNumber };
}

/**
 * The employer's debtor number, assigned now if it has none yet (employers admitted before
 * debtor numbers existed): a conditional update (`attribute_not_exists(debtorNumber)`) with its
 * audit event, so of concurrent callers one assigns and the others read that one. Undefined when
 * there is no such employer.
 */
export async function ensureDebtorNumber(employerId: string, actor: Actor, now = new Date()): Promise<string | undefined> {
  const current = await getEmployer(employerId, true);
  if (!current) return undefined;
  if (current.debtorNumber) return current.debtorNumber;
  const debtorNumber = await nextDebtorNumber();
  const key = employerProfileKey(employerId);
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: key,
              UpdateExpression: 'SET debtorNumber = :d',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(debtorNumber)',
              ExpressionAttributeValues: { ':d': debtorNumber },
            },
          },
          auditPut(key.pk, { actor, action: 'employer.debtor-number-assigned', after: { debtorNumber } }, now),
        ],
      }),
    );
    return debtorNumber;
  } catch (err) {
    if (cancellationCodes(err)?.[0] !== 'ConditionalCheckFailed') throw err;
    return (await getEmployer(employerId, true))?.debtorNumber;
  }
}

/** The settings PATCH may change, in the order they are listed. */
const SETTINGS = ['contactEmail', 'invoiceEmail', 'buyerReference', 'peppolId', 'address'] as const;
type Setting = (typeof SETTINGS)[number];

export type SettingsUpdate =
  | { kind: 'updated' | 'unchanged'; employer: Employer }
  | { kind: 'not-found' }
  | { kind: 'concurrent' };

/** Key order independent (a map read back from DynamoDB need not keep the order it was written in). */
function canonical(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v !== 'object') return JSON.stringify(v);
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/**
 * Applies a settings patch (present fields change, `null` removes an optional one) in ONE
 * conditional update — the employer must exist and still be at the `settingsVersion` it was read
 * at — with the audit event of the change (before/after of the changed fields) in the same
 * transaction. A patch that changes nothing writes nothing. `concurrent`: another change landed
 * in between (the caller may read again and retry).
 */
export async function updateEmployerSettings(employerId: string, patch: UpdateEmployerRequest, actor: Actor, now = new Date()): Promise<SettingsUpdate> {
  const current = await getEmployer(employerId, true);
  if (!current) return { kind: 'not-found' };
  const changed = SETTINGS.filter((f) => f in patch && !same(patch[f], current[f]));
  if (!changed.length) return { kind: 'unchanged', employer: current };

  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':next': (current.settingsVersion ?? 0) + 1 };
  const set = ['settingsVersion = :next'];
  const remove: string[] = [];
  const before: Partial<Record<Setting, unknown>> = {};
  const after: Partial<Record<Setting, unknown>> = {};
  changed.forEach((field, i) => {
    names[`#f${i}`] = field;
    before[field] = current[field] ?? null;
    after[field] = patch[field] ?? null;
    if (patch[field] === null) remove.push(`#f${i}`);
    else {
      set.push(`#f${i} = :v${i}`);
      values[`:v${i}`] = patch[field];
    }
  });
  const seen = current.settingsVersion;
  if (seen !== undefined) values[':seen'] = seen;
  const key = employerProfileKey(employerId);
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: key,
              UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
              ConditionExpression: `attribute_exists(pk) AND ${seen === undefined ? 'attribute_not_exists(settingsVersion)' : 'settingsVersion = :seen'}`,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
          auditPut(key.pk, { actor, action: 'employer.settings-changed', before, after }, now),
        ],
      }),
    );
  } catch (err) {
    if (cancellationCodes(err)?.[0] !== 'ConditionalCheckFailed') throw err;
    return (await getEmployer(employerId, true)) ? { kind: 'concurrent' } : { kind: 'not-found' };
  }
  const employer: Employer = { ...current, settingsVersion: (current.settingsVersion ?? 0) + 1 };
  for (const field of changed) {
    if (patch[field] === null) delete employer[field];
    else Object.assign(employer, { [field]: patch[field] });
  }
  return { kind: 'updated', employer };
}

export async function getProvider(providerId: string, consistent = false): Promise<Provider | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: PROVIDER(providerId), sk: 'PROFILE' }, ConsistentRead: consistent }));
  if (!res.Item) return undefined;
  const { pk: _pk, sk: _sk, type: _t, ...rest } = res.Item;
  return rest as Provider;
}

export async function getEmployer(employerId: string, consistent = false): Promise<Employer | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: employerProfileKey(employerId), ConsistentRead: consistent }));
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
  const pk = PROVIDER(providerId);
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
