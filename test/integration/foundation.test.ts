import { describe, expect, it } from 'vitest';
import * as createProvider from '../../functions/http/create-provider';
import * as createEmployer from '../../functions/http/create-employer';
import * as getHealth from '../../functions/http/get-health';
import * as getOpenapi from '../../functions/http/get-openapi';
import * as revokeApiKey from '../../functions/http/revoke-api-key';
import * as runJob from '../../functions/http/run-job';
import { adminKey, invoke } from '../setup/helpers';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../shared/data/client';
import { hashKey } from '../../shared/data/api-keys';
import { logger } from '../../shared/log';
import { vi } from 'vitest';

const provider = { name: 'Opleider BV', kvkNumber: '12345678', contactEmail: 'info@opleider.nl' };
const employer = {
  name: 'Flex Uitzend BV',
  kvkNumber: '87654321',
  vatNumber: 'NL123456789B01',
  invoiceEmail: 'facturen@flex.nl',
  address: { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' },
};

describe('public routes', () => {
  it('GET /health answers ok', async () => {
    const res = await invoke(getHealth, { path: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('GET /openapi.json serves OpenAPI 3.1 with the admin routes and their roles', async () => {
    const res = await invoke(getOpenapi, { path: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(res.json.paths['/v1/providers'].post['x-roles']).toEqual(['admin']);
    expect(res.json.components.schemas.CreateProviderRequest.additionalProperties).toBe(false);
  });

  it("health and OpenAPI never touch the table (route table: table 'none'): they answer without TABLE_NAME", async () => {
    const saved = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      expect((await invoke(getHealth, { path: '/health' })).statusCode).toBe(200);
      expect((await invoke(getOpenapi, { path: '/openapi.json' })).statusCode).toBe(200);
    } finally {
      process.env.TABLE_NAME = saved;
    }
  });
});

describe('POST /v1/providers', () => {
  it('admits a provider: 201 with a key, a Standard Webhooks secret, and only hashes stored', async () => {
    const res = await invoke(createProvider, { path: '/v1/providers', apiKey: await adminKey(), body: provider });
    expect(res.statusCode).toBe(201);
    expect(res.json.providerId).toMatch(/^prv_[0-9A-Z]{26}$/);
    expect(res.json.apiKey).toMatch(/^pe_provider_[A-Za-z0-9_-]{43}$/);
    expect(res.json.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    expect(Buffer.from(res.json.webhookSecret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const stored = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `APIKEY#${hashKey(res.json.apiKey)}`, sk: 'APIKEY' } }));
    expect(stored.Item).toMatchObject({ role: 'provider', ownerId: res.json.providerId });
    expect(JSON.stringify(stored.Item)).not.toContain(res.json.apiKey);
  });

  it('401 without a key, with an unknown key, and with a malformed header', async () => {
    for (const headers of [{}, { authorization: 'Bearer pe_admin_nope' }, { authorization: 'Basic abc' }] as Record<string, string>[]) {
      const res = await invoke(createProvider, { path: '/v1/providers', headers, body: provider });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.json).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
  });

  it('403 for a role that may not use the route', async () => {
    const created = await invoke(createProvider, { path: '/v1/providers', apiKey: await adminKey(), body: provider });
    const res = await invoke(createProvider, { path: '/v1/providers', apiKey: created.json.apiKey, body: provider });
    expect(res.statusCode).toBe(403);
    expect(res.json.type).toContain('forbidden');
  });

  it('400 naming every bad and unknown field; malformed JSON is a 400 too', async () => {
    const bad = await invoke(createProvider, {
      path: '/v1/providers',
      apiKey: await adminKey(),
      body: { name: '', kvkNumber: 'abc', contactEmail: 'x', extra: true },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['contactEmail', 'extra', 'kvkNumber', 'name']);

    const malformed = await invoke(createProvider, {
      path: '/v1/providers',
      apiKey: await adminKey(),
      headers: { 'content-type': 'application/json' },
      body: '{"name": "x",',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json.detail).toMatch(/not valid JSON/);

    const empty = await invoke(createProvider, { method: 'POST', path: '/v1/providers', apiKey: await adminKey() });
    expect(empty.statusCode).toBe(400);
    expect(empty.json.errors).toHaveLength(3);
  });

  it('413 for a body over 1 MiB, before anything is parsed', async () => {
    const res = await invoke(createProvider, {
      path: '/v1/providers',
      apiKey: await adminKey(),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json.status).toBe(413);
  });

  it('a failure inside gives a generic 500 and logs the detail with the correlation id', async () => {
    const spy = vi.spyOn(db(), 'send').mockRejectedValueOnce(Object.assign(new Error('secret internals: table xyz'), { name: 'InternalServerError' }));
    const logged = vi.spyOn(logger, 'error');
    const res = await invoke(createProvider, {
      path: '/v1/providers',
      apiKey: 'pe_admin_whatever',
      headers: { 'x-correlation-id': 'corr-123' },
      body: provider,
    });
    spy.mockRestore();
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret internals');
    expect(res.json).toMatchObject({ status: 500, correlationId: 'corr-123' });
    expect(logged).toHaveBeenCalled();
    const [, extra] = logged.mock.calls[0] as [string, { error: Error }];
    expect(extra.error.message).toContain('secret internals');
    logged.mockRestore();
  });
});

describe('POST /v1/employers', () => {
  it('admits an employer with its address: 201 and an employer key', async () => {
    const res = await invoke(createEmployer, { path: '/v1/employers', apiKey: await adminKey(), body: employer });
    expect(res.statusCode).toBe(201);
    expect(res.json.employerId).toMatch(/^emp_/);
    expect(res.json.apiKey).toMatch(/^pe_employer_/);
  });

  it('400 names nested address fields', async () => {
    const res = await invoke(createEmployer, {
      path: '/v1/employers',
      apiKey: await adminKey(),
      body: { ...employer, address: { ...employer.address, country: 'Nederland', city: '' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['address.city', 'address.country']);
  });
});

describe('API key revocation', () => {
  it('a revoked key gets 401 from then on; an unknown key id is a 404', async () => {
    const admin = await adminKey();
    const created = await invoke(createEmployer, { path: '/v1/employers', apiKey: admin, body: employer });
    const { apiKey, keyId } = created.json;
    // The employer key works (403 on an admin route = authenticated, wrong role).
    expect((await invoke(createProvider, { path: '/v1/providers', apiKey, body: provider })).statusCode).toBe(403);
    const revoked = await invoke(revokeApiKey, { method: 'DELETE', path: `/v1/api-keys/${keyId}`, apiKey: admin });
    expect(revoked.statusCode).toBe(204);
    expect((await invoke(createProvider, { path: '/v1/providers', apiKey, body: provider })).statusCode).toBe(401);
    const unknown = await invoke(revokeApiKey, { method: 'DELETE', path: '/v1/api-keys/key_00000000000000000000000000', apiKey: admin });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('POST /v1/jobs/{job}/runs', () => {
  it('404 for an unknown job, 400 for a bad date, 403 for non-admins', async () => {
    const admin = await adminKey();
    expect((await invoke(runJob, { path: '/v1/jobs/no-such-job/runs', apiKey: admin, body: {} })).statusCode).toBe(404);
    const bad = await invoke(runJob, { path: '/v1/jobs/no-such-job/runs', apiKey: admin, body: { asOf: '2026-02-30' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors[0].path).toBe('asOf');
    const emp = await invoke(createEmployer, { path: '/v1/employers', apiKey: admin, body: employer });
    expect((await invoke(runJob, { path: '/v1/jobs/x/runs', apiKey: emp.json.apiKey, body: {} })).statusCode).toBe(403);
  });
});
