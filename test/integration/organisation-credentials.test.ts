import { describe, expect, it } from 'vitest';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as createEmployer from '../../functions/http/create-employer';
import * as rotateWebhookSecret from '../../functions/http/rotate-webhook-secret';
import * as createProviderApiKey from '../../functions/http/create-provider-api-key';
import * as createEmployerApiKey from '../../functions/http/create-employer-api-key';
import * as revokeApiKey from '../../functions/http/revoke-api-key';
import * as listEmployerInvoices from '../../functions/http/list-employer-invoices';
import * as listRecognitionRequests from '../../functions/http/list-recognition-requests';
import { adminKey, invoke } from '../setup/helpers';
import { newProvider, uid, verifies } from './webhook.fixtures';
import { createApiKey, hashKey } from '../../shared/data/api-keys';
import { listEvents } from '../../shared/data/audit';
import { db, tableName } from '../../shared/data/client';

async function newEmployer(): Promise<{ employerId: string; apiKey: string; keyId: string }> {
  const res = await invoke(createEmployer, {
    path: '/v1/employers',
    apiKey: await adminKey(),
    body: { name: `Flex ${uid()}`, kvkNumber: '87654321', invoiceEmail: `f${uid()}@example.nl`, address: { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' } },
  });
  return res.json;
}

const rotate = (providerId: string, apiKey?: string) => invoke(rotateWebhookSecret, { method: 'POST', path: `/v1/providers/${providerId}/webhook-secrets`, apiKey });

describe('POST /v1/providers/{providerId}/webhook-secrets', () => {
  it('201 with a new secret shown once; the new and the previous one verify, the previous one for 24 hours', async () => {
    const p = await newProvider();
    const res = await rotate(p.providerId, await adminKey());
    expect(res.statusCode).toBe(201);
    expect(res.json.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(res.json.webhookSecret).not.toBe(p.webhookSecret);
    const validUntil = Date.parse(res.json.previousValidUntil);
    expect(validUntil - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    expect(validUntil - Date.now()).toBeLessThanOrEqual(24 * 3600_000);

    expect(await verifies(p.providerId, res.json.webhookSecret)).toBe(true);
    expect(await verifies(p.providerId, p.webhookSecret)).toBe(true);
    const item = (await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `PROVIDER#${p.providerId}`, sk: 'PROFILE' } }))).Item!;
    expect(JSON.stringify(item)).not.toContain(res.json.webhookSecret.slice(6));

    // 24 hours on (the previous secret's validUntil passed): only the new one verifies.
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: `PROVIDER#${p.providerId}`, sk: 'PROFILE' },
        UpdateExpression: 'SET webhookSecrets[1].validUntil = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
      }),
    );
    expect(await verifies(p.providerId, p.webhookSecret)).toBe(false);
    expect(await verifies(p.providerId, res.json.webhookSecret)).toBe(true);

    const events = await listEvents(`PROVIDER#${p.providerId}`, 50);
    expect(events.items.filter((e) => e.action === 'provider.webhook-secret-rotated')).toHaveLength(1);
    expect(JSON.stringify(events.items)).not.toContain(res.json.webhookSecret);
  });

  it('keeps only the previous secret: a second rotation retires the first secret at once', async () => {
    const p = await newProvider();
    const second = (await rotate(p.providerId, p.apiKey)).json.webhookSecret;
    const third = (await rotate(p.providerId, p.apiKey)).json.webhookSecret;
    expect(await verifies(p.providerId, third)).toBe(true);
    expect(await verifies(p.providerId, second)).toBe(true);
    expect(await verifies(p.providerId, p.webhookSecret)).toBe(false);
  });

  it('the provider itself may rotate; another provider 404, an employer 403, no key 401, an unknown provider 404', async () => {
    const [p, other, emp] = [await newProvider(), await newProvider(), await newEmployer()];
    expect((await rotate(p.providerId, p.apiKey)).statusCode).toBe(201);
    expect((await rotate(p.providerId, other.apiKey)).statusCode).toBe(404);
    expect((await rotate(p.providerId, emp.apiKey)).statusCode).toBe(403);
    expect((await rotate(p.providerId)).statusCode).toBe(401);
    expect((await rotate('prv_00000000000000000000000000', await adminKey())).statusCode).toBe(404);
    // The other provider's secret is untouched by all that.
    expect(await verifies(other.providerId, other.webhookSecret)).toBe(true);
  });

  it('concurrent rotations lose none: every 201 was stored, the others are 409 and their secrets never handed out', async () => {
    const p = await newProvider();
    const answers = await Promise.all(Array.from({ length: 4 }, () => rotate(p.providerId, p.apiKey)));
    const ok = answers.filter((r) => r.statusCode === 201);
    const refused = answers.filter((r) => r.statusCode !== 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect(r.json).toMatchObject({ status: 409, reason: 'concurrent-rotation' });
    expect(refused.every((r) => r.json.webhookSecret === undefined)).toBe(true);

    const item = (await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `PROVIDER#${p.providerId}`, sk: 'PROFILE' }, ConsistentRead: true }))).Item!;
    // One version step and one audit event per 201: no rotation overwrote another.
    expect(item.secretVersion).toBe(1 + ok.length);
    const events = await listEvents(`PROVIDER#${p.providerId}`, 50);
    expect(events.items.filter((e) => e.action === 'provider.webhook-secret-rotated')).toHaveLength(ok.length);
    // The current secret is one that was handed out, and it verifies.
    const verifying = [];
    for (const r of ok) if (await verifies(p.providerId, r.json.webhookSecret)) verifying.push(r.json.webhookSecret);
    expect(verifying.length).toBeGreaterThanOrEqual(1);
  });
});

describe('POST /v1/{providers|employers}/{id}/api-keys', () => {
  it('the admin revokes an employer’s only key and reissues: the new key works, the old one does not', async () => {
    const admin = await adminKey();
    const emp = await newEmployer();
    const invoices = (apiKey: string) => invoke(listEmployerInvoices, { path: `/v1/employers/${emp.employerId}/invoices`, apiKey });
    expect((await invoices(emp.apiKey)).statusCode).toBe(200);
    expect((await invoke(revokeApiKey, { method: 'DELETE', path: `/v1/api-keys/${emp.keyId}`, apiKey: admin })).statusCode).toBe(204);
    expect((await invoices(emp.apiKey)).statusCode).toBe(401);

    const res = await invoke(createEmployerApiKey, { method: 'POST', path: `/v1/employers/${emp.employerId}/api-keys`, apiKey: admin });
    expect(res.statusCode).toBe(201);
    expect(res.json).toEqual({ keyId: expect.stringMatching(/^key_[0-9A-Z]{26}$/), apiKey: expect.stringMatching(/^pe_employer_/) });
    expect((await invoices(res.json.apiKey)).statusCode).toBe(200);
    expect((await invoices(emp.apiKey)).statusCode).toBe(401);
    // Stored as a hash only, and revocable by its keyId like any other.
    const stored = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `APIKEY#${hashKey(res.json.apiKey)}`, sk: 'APIKEY' } }));
    expect(stored.Item).toMatchObject({ role: 'employer', ownerId: emp.employerId, keyId: res.json.keyId });
    expect(JSON.stringify(stored.Item)).not.toContain(res.json.apiKey);
    const events = await listEvents(`EMPLOYER#${emp.employerId}`, 50);
    expect(events.items.find((e) => e.action === 'employer.api-key-issued')?.after).toEqual({ keyId: res.json.keyId });
  });

  it('a provider issues itself another key: both work; another provider 404, an employer 403, unknown 404', async () => {
    const [p, other, emp] = [await newProvider(), await newProvider(), await newEmployer()];
    const issue = (providerId: string, apiKey: string) => invoke(createProviderApiKey, { method: 'POST', path: `/v1/providers/${providerId}/api-keys`, apiKey });
    const res = await issue(p.providerId, p.apiKey);
    expect(res.statusCode).toBe(201);
    expect(res.json.apiKey).toMatch(/^pe_provider_/);
    const ownRequests = (apiKey: string) => invoke(listRecognitionRequests, { path: '/v1/recognition-requests', apiKey });
    expect((await ownRequests(res.json.apiKey)).statusCode).toBe(200);
    expect((await ownRequests(p.apiKey)).statusCode).toBe(200);

    expect((await issue(p.providerId, other.apiKey)).statusCode).toBe(404);
    expect((await issue(p.providerId, emp.apiKey)).statusCode).toBe(403);
    expect((await issue('prv_00000000000000000000000000', await adminKey())).statusCode).toBe(404);
  });

  it('employer keys: another employer 404, a provider or participant 403, unknown employer 404', async () => {
    const [emp, other, prv] = [await newEmployer(), await newEmployer(), await newProvider()];
    const participant = (await createApiKey('participant', 'par_00000000000000000000000000')).apiKey;
    const issue = (employerId: string, apiKey: string) => invoke(createEmployerApiKey, { method: 'POST', path: `/v1/employers/${employerId}/api-keys`, apiKey });
    expect((await issue(emp.employerId, emp.apiKey)).statusCode).toBe(201);
    expect((await issue(emp.employerId, other.apiKey)).statusCode).toBe(404);
    expect((await issue(emp.employerId, prv.apiKey)).statusCode).toBe(403);
    expect((await issue(emp.employerId, participant)).statusCode).toBe(403);
    expect((await issue('emp_00000000000000000000000000', await adminKey())).statusCode).toBe(404);
  });
});
