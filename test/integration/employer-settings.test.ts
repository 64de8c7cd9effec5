/**
 * An employer's settings (issue 13, points 4 and 5): admission with an HR contact, a buyer
 * reference and a Peppol address; `PATCH /v1/employers/{employerId}` (merge-patch: present
 * fields change, null clears, unknown or no fields → 400) as one conditional update with its
 * audit event; the debtor number every employer gets, also the ones admitted before it existed.
 */
import { describe, expect, it } from 'vitest';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as createEmployerRoute from '../../functions/http/create-employer';
import * as updateEmployer from '../../functions/http/update-employer';
import { adminKey, invoke } from '../setup/helpers';
import { createApiKey } from '../../shared/data/api-keys';
import { listEvents } from '../../shared/data/audit';
import { db, tableName } from '../../shared/data/client';
import { ensureDebtorNumber, getEmployer } from '../../shared/data/organisations';

let n = 0;
const uid = () => `${Date.now().toString(36)}${(++n).toString(36)}`;

async function admit(extra: Record<string, unknown> = {}, address = { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' }) {
  const res = await invoke(createEmployerRoute, {
    path: '/v1/employers',
    apiKey: await adminKey(),
    body: { name: `Flex ${uid()}`, kvkNumber: '87654321', invoiceEmail: `facturen.${uid()}@example.nl`, address, ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json as { employerId: string; apiKey: string; debtorNumber: string };
}

const patch = async (employerId: string, body: unknown, apiKey?: string) =>
  invoke(updateEmployer, { method: 'PATCH', path: `/v1/employers/${employerId}`, apiKey: apiKey ?? (await adminKey()), body });

const profile = async (employerId: string) =>
  (await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `EMPLOYER#${employerId}`, sk: 'PROFILE' }, ConsistentRead: true }))).Item!;

const settingsEvents = async (employerId: string) =>
  (await listEvents(`EMPLOYER#${employerId}`, 100)).items.filter((e) => e.action === 'employer.settings-changed');

describe('admission', () => {
  it('gives each employer a short debtor number (D-nnnnnn), distinct also when admitted at the same moment', async () => {
    const many = await Promise.all(Array.from({ length: 8 }, () => admit()));
    const numbers = many.map((e) => e.debtorNumber);
    for (const d of numbers) expect(d).toMatch(/^D-\d{6,}$/);
    expect(new Set(numbers).size).toBe(8);
    expect((await profile(many[0].employerId)).debtorNumber).toBe(numbers[0]);
  });

  it('takes contactEmail, buyerReference and peppolId, and checks them', async () => {
    const e = await admit({ contactEmail: `hr.${uid()}@example.nl`, buyerReference: 'PO-4711', peppolId: { scheme: '0208', value: '0403104581' } });
    const item = await profile(e.employerId);
    expect(item).toMatchObject({ buyerReference: 'PO-4711', peppolId: { scheme: '0208', value: '0403104581' } });
    expect(item.contactEmail).toMatch(/^hr\./);

    const bad = await invoke(createEmployerRoute, {
      path: '/v1/employers',
      apiKey: await adminKey(),
      body: {
        name: 'Flex', kvkNumber: '87654321', invoiceEmail: 'f@example.nl', contactEmail: 'not-an-address',
        buyerReference: 'x'.repeat(36), peppolId: { scheme: '0208', value: '0403104582' },
        address: { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors.map((x: { path: string }) => x.path).sort()).toEqual(['buyerReference', 'contactEmail', 'peppolId.value']);
  });
});

describe('PATCH /v1/employers/{employerId}', () => {
  it('changes the fields present, clears those set to null, keeps the rest; one audit event with before and after', async () => {
    const e = await admit();
    const hr = `hr.${uid()}@example.nl`;
    const res = await patch(e.employerId, { contactEmail: hr, buyerReference: 'INK-2027-001', peppolId: { scheme: '0190', value: '00000001234567890000' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json).toMatchObject({
      employerId: e.employerId,
      contactEmail: hr,
      buyerReference: 'INK-2027-001',
      debtorNumber: e.debtorNumber,
      peppolId: { scheme: '0190', value: '00000001234567890000' },
      invoicing: { reference: 'INK-2027-001', peppolId: { scheme: '0190', value: '00000001234567890000' }, eInvoice: 'peppol-bis-3' },
    });
    const [event] = await settingsEvents(e.employerId);
    expect(event.before).toEqual({ contactEmail: null, buyerReference: null, peppolId: null });
    expect(event.after).toEqual({ contactEmail: hr, buyerReference: 'INK-2027-001', peppolId: { scheme: '0190', value: '00000001234567890000' } });
    expect(event.actor).toMatchObject({ role: 'admin' });

    // null clears: back to the debtor number and, for a Dutch employer, 0106 + KvK.
    const cleared = await patch(e.employerId, { buyerReference: null, peppolId: null });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json.buyerReference).toBeUndefined();
    expect(cleared.json.peppolId).toBeUndefined();
    expect(cleared.json.contactEmail).toBe(hr);
    expect(cleared.json.invoicing).toEqual({ reference: e.debtorNumber, peppolId: { scheme: '0106', value: '87654321' }, eInvoice: 'peppol-bis-3' });
    const item = await profile(e.employerId);
    expect('buyerReference' in item || 'peppolId' in item).toBe(false);

    // The address is replaced as a whole; a foreign employer without a Peppol address has none.
    const moved = await patch(e.employerId, { address: { street: 'Rue Neuve 1', postalCode: '1000', city: 'Brussel', country: 'BE' } });
    expect(moved.json.invoicing).toEqual({ reference: e.debtorNumber, peppolId: null, eInvoice: 'en16931' });

    // Text is trimmed; the same values again change nothing and record nothing.
    await patch(e.employerId, { buyerReference: '  PO 77  ' });
    expect((await profile(e.employerId)).buyerReference).toBe('PO 77');
    const before = (await settingsEvents(e.employerId)).length;
    const same = await patch(e.employerId, { buyerReference: 'PO 77', contactEmail: hr });
    expect(same.statusCode).toBe(200);
    expect(await settingsEvents(e.employerId)).toHaveLength(before);
  });

  it('400 for an empty body, unknown fields (name, kvkNumber) and bad values, naming each; nothing changes', async () => {
    const e = await admit();
    const empty = await patch(e.employerId, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json.errors[0].message).toMatch(/at least one field/);

    const unknown = await patch(e.employerId, { name: 'Other', kvkNumber: '11111111', buyerReference: 'ok' });
    expect(unknown.statusCode).toBe(400);

    const bad = await patch(e.employerId, {
      invoiceEmail: null,
      contactEmail: 'nope',
      buyerReference: 'PO\u0000',
      peppolId: { scheme: '9999', value: 'x' },
      address: { street: 'Damrak 1', city: 'Amsterdam', country: 'NL' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors.map((x: { path: string }) => x.path).sort()).toEqual(['address.postalCode', 'buyerReference', 'contactEmail', 'invoiceEmail', 'peppolId.scheme']);

    const badBelgian = await patch(e.employerId, { peppolId: { scheme: '0208', value: '0403104582' } });
    expect(badBelgian.statusCode).toBe(400);
    expect(badBelgian.json.errors).toEqual([{ path: 'peppolId.value', message: expect.stringMatching(/Belgian enterprise number/) }]);

    expect(await settingsEvents(e.employerId)).toHaveLength(0);
    expect((await profile(e.employerId)).buyerReference).toBeUndefined();
  });

  it('the admin and the employer itself; another employer gets 404, other roles 403, an unknown employer 404', async () => {
    const e = await admit();
    const other = await admit();
    const own = await patch(e.employerId, { buyerReference: 'OWN-1' }, e.apiKey);
    expect(own.statusCode).toBe(200);
    expect((await settingsEvents(e.employerId))[0].actor).toEqual({ role: 'employer', id: e.employerId });

    expect((await patch(e.employerId, { buyerReference: 'X' }, other.apiKey)).statusCode).toBe(404);
    const { apiKey: providerKey } = await createApiKey('provider', 'prv_x');
    expect((await patch(e.employerId, { buyerReference: 'X' }, providerKey)).statusCode).toBe(403);
    expect((await patch('emp_00000000000000000000000000', { buyerReference: 'X' })).statusCode).toBe(404);
    expect((await profile(e.employerId)).buyerReference).toBe('OWN-1');
  });

  it('concurrent changes: each lands whole or answers 409, and every audit event’s before is what it replaced', async () => {
    const e = await admit();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => patch(e.employerId, { buyerReference: `RACE-${i}` })));
    expect(results.every((r) => r.statusCode === 200 || r.statusCode === 409)).toBe(true);
    const events = await settingsEvents(e.employerId);
    const landed = results.filter((r) => r.statusCode === 200).length;
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.length).toBeLessThanOrEqual(landed);
    // One chain from the start: each change's before is the after of the change it replaced
    // (an event's time is taken before its write, so the chain, not the clock, gives the order).
    const ref = (v: unknown) => (v as { buyerReference: string | null }).buyerReference;
    const byBefore = new Map(events.map((ev) => [ref(ev.before), ev]));
    expect(byBefore.size).toBe(events.length);
    let previous: string | null = null;
    for (let i = 0; i < events.length; i++) {
      const next = byBefore.get(previous);
      expect(next, `no change replaced ${previous}`).toBeDefined();
      previous = ref(next!.after);
    }
    expect((await profile(e.employerId)).buyerReference).toBe(previous);
  });
});

describe('employers admitted before debtor numbers', () => {
  it('get one, once, however many callers ask at the same moment', async () => {
    const e = await admit();
    await db().send(
      new UpdateCommand({ TableName: tableName(), Key: { pk: `EMPLOYER#${e.employerId}`, sk: 'PROFILE' }, UpdateExpression: 'REMOVE debtorNumber, settingsVersion' }),
    );
    const got = await Promise.all(Array.from({ length: 5 }, () => ensureDebtorNumber(e.employerId, { role: 'system', id: 'test' })));
    expect(new Set(got).size).toBe(1);
    expect(got[0]).toMatch(/^D-\d{6,}$/);
    expect(got[0]).not.toBe(e.debtorNumber);
    expect((await getEmployer(e.employerId, true))!.debtorNumber).toBe(got[0]);
    const assigned = (await listEvents(`EMPLOYER#${e.employerId}`, 100)).items.filter((x) => x.action === 'employer.debtor-number-assigned');
    expect(assigned).toHaveLength(1);

    // Their first settings change works without a version on the item.
    const res = await patch(e.employerId, { buyerReference: 'LEGACY' });
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ debtorNumber: got[0], invoicing: { reference: 'LEGACY' } });
  });
});
