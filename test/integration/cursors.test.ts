import { beforeAll, describe, expect, it } from 'vitest';
import * as createProvider from '../../functions/http/create-provider';
import * as submit from '../../functions/http/submit-recognition-request';
import * as decide from '../../functions/http/decide-recognition-request';
import * as listRequests from '../../functions/http/list-recognition-requests';
import * as listActivities from '../../functions/http/list-activities';
import * as listEvents from '../../functions/http/list-participant-events';
import * as listEmployerInvoices from '../../functions/http/list-employer-invoices';
import * as listFees from '../../functions/http/list-fees';
import * as report from '../../functions/http/get-employer-report';
import * as putTariff from '../../functions/http/put-tariff';
import { adminKey, invoke, type InvokeResponse } from '../setup/helpers';
import { batchPut } from '../../shared/data/batch';
import { auditItem } from '../../shared/data/audit';
import { participantPk } from '../../shared/data/participants';
import { loadTariffs } from '../../shared/data/tariffs';
import { invoiceEmployerMonth } from '../../shared/services/invoicing/collective';
import { makeEmployer, makeParticipant, startPaid } from './invoicing.fixtures';
import { holders, newEmployer, register, rowsOf, type Employer } from './employers.fixtures';

/**
 * Issue 12, point 4: a forged cursor (any base64 JSON) went to DynamoDB as the start key and came
 * back as a 500, paging the operators. Cursors are now signed for one list: the route, the caller
 * and the filter. Every kind of foreign or broken cursor is a 400 naming `query.cursor`, on every
 * style of list (Query pages, filled filtered pages, computed reports), and genuine ones page on.
 */
type List = (query: Record<string, string | number | undefined>, as?: string) => Promise<InvokeResponse>;

const INVALID = [{ path: 'query.cursor', message: 'Invalid cursor' }];
const forgedKey = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** Flips one character of the payload: the tag no longer matches. */
function tamper(cursor: string): string {
  const i = Math.floor(cursor.indexOf('.') / 2);
  return cursor.slice(0, i) + (cursor[i] === 'A' ? 'B' : 'A') + cursor.slice(i + 1);
}

/** Pages through a list with limit 1, returning every id seen (asserting each page is 200). */
async function pageAll(list: List, idOf: (item: any) => string, query: Record<string, string | number | undefined> = {}, items = 'items') {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const res = await list({ ...query, limit: 1, cursor });
    expect(res.statusCode, res.body).toBe(200);
    seen.push(...res.json[items].map(idOf));
    cursor = res.json.nextCursor;
    if (!cursor) break;
  }
  return seen;
}

async function expectInvalid(res: InvokeResponse) {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.json.errors).toEqual(INVALID);
}

let admin: string;
let provider: { id: string; key: string };
let employerA: { id: string; key: string };
let employerB: { id: string; key: string };
let participantId: string;
let reported: Employer;
let invoiced: { employerId: string; apiKey: string };
let other: { employerId: string; apiKey: string };
const requestIds: Record<string, string[]> = { provider: [], A: [], B: [] };

async function submitAs(key: string, title: string) {
  const res = await invoke(submit, {
    path: '/v1/recognition-requests',
    apiKey: key,
    body: {
      title,
      description: 'Omschrijving.',
      learningGoals: ['Een leerdoel'],
      activityType: 'training',
      nature: 'deepening',
      topics: ['T01'],
      netStudyMinutes: 120,
      completion: { type: 'final-assignment', description: 'Eindopdracht' },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json.requestId as string;
}

const requests: List = (query, as) => invoke(listRequests, { path: '/v1/recognition-requests', apiKey: as, query });
const activities: List = (query) => invoke(listActivities, { path: '/v1/activities', query });
const events: List = (query, as = admin) => invoke(listEvents, { path: `/v1/participants/${participantId}/events`, apiKey: as, query });
const invoices = (employerId: string): List => (query, as) => invoke(listEmployerInvoices, { path: `/v1/employers/${employerId}/invoices`, apiKey: as, query });
const fees: List = (query) => invoke(listFees, { path: '/v1/fees', apiKey: admin, query });
const reportOf = (employerId: string): List => (query, as) => invoke(report, { path: `/v1/employers/${employerId}/report`, apiKey: as, query });

beforeAll(async () => {
  admin = await adminKey();
  const p = await invoke(createProvider, { path: '/v1/providers', apiKey: admin, body: { name: 'Academie Cursor', kvkNumber: '12345678', contactEmail: 'cursor@academie.test' } });
  provider = { id: p.json.providerId, key: p.json.apiKey };
  const a = await newEmployer('Flex A');
  const b = await newEmployer('Flex B');
  employerA = { id: a.employerId, key: a.apiKey };
  employerB = { id: b.employerId, key: b.apiKey };
  for (let i = 0; i < 3; i++) {
    const id = await submitAs(provider.key, `Cursus ${i}`);
    requestIds.provider.push(id);
    expect((await invoke(decide, { path: `/v1/recognition-requests/${id}/decision`, apiKey: admin, body: { decision: 'approved' } })).statusCode).toBe(200);
  }
  for (const [tag, org] of [['A', employerA], ['B', employerB]] as const) {
    for (let i = 0; i < 2; i++) requestIds[tag].push(await submitAs(org.key, `Intern ${tag}${i}`));
  }

  participantId = (await makeParticipant('Cursor')).participantId;
  await batchPut([0, 1, 2].map((i) => auditItem(participantPk(participantId), { actor: { role: 'admin', id: 'admin' }, action: `test.event-${i}` }, new Date(Date.UTC(2026, 0, 1 + i)))));

  reported = await newEmployer('Flex Rapport');
  expect((await register(reported, { employees: rowsOf(await holders(10)) })).statusCode).toBe(201);

  expect((await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: admin, body: { amountCents: 4995, vatRatePercent: 21, validFrom: '2020-01-01' } })).statusCode).toBe(200);
  invoiced = await makeEmployer('cursor');
  for (const month of ['2031-01', '2031-02']) {
    for (const n of [1, 2]) {
      const person = await makeParticipant(`Cursor${month.slice(5)}x${n}`);
      await startPaid(person.participantId, { type: 'employer', id: invoiced.employerId }, `${month}-10`, new Date(`${month}-10T10:00:00Z`));
    }
    const outcome = await invoiceEmployerMonth(month, invoiced.employerId, await loadTariffs());
    expect(outcome.outcome).toBe('issued');
  }
  other = await makeEmployer('cursor-other');
}, 120_000);

describe('signed cursors: genuine ones page on', () => {
  it('participant events, recognition requests, the catalogue, fees and the employer report page through every item once', async () => {
    const trail = await pageAll(events, (e) => e.eventId);
    expect(new Set(trail).size).toBe(4); // the import's event and the three written here
    expect(trail.slice(0, 3).map((id) => id.slice(0, 10))).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect((await pageAll((q) => requests(q, provider.key), (r) => r.requestId)).sort()).toEqual([...requestIds.provider].sort());
    expect((await pageAll((q) => requests(q, employerB.key), (r) => r.requestId)).sort()).toEqual([...requestIds.B].sort());
    expect((await pageAll(activities, (x) => x.activityId, { topic: 'T01' })).length).toBe(3);
    expect((await pageAll(fees, (f) => f.registrationId, { month: '2031-02' })).length).toBe(2);
    const rows = await pageAll((q) => reportOf(reported.employerId)(q, reported.apiKey), (r) => r.participantId, {}, 'employees');
    expect(new Set(rows).size).toBe(10);
  });
});

describe('signed cursors: anything else is a 400 naming query.cursor', () => {
  it('participant events (a plain Query page): a forged start key, tampered, another route\'s, garbage', async () => {
    // On the old code this forged key went to DynamoDB and came back as a 500.
    await expectInvalid(await events({ cursor: forgedKey({ pk: 'PARTICIPANT#par_00000000000000000000000000', sk: 'EVENT#x' }) }));
    const first = await events({ limit: 1 });
    await expectInvalid(await events({ cursor: tamper(first.json.nextCursor) }));
    const fromRequests = await requests({ limit: 1 }, provider.key);
    await expectInvalid(await events({ cursor: fromRequests.json.nextCursor }));
    await expectInvalid(await events({ cursor: 'garbage' }));
  });

  it('recognition requests (filled, filtered pages): another employer\'s cursor, another status, tampered, forged', async () => {
    const ofB = await requests({ limit: 1 }, employerB.key);
    expect(ofB.json.nextCursor).toEqual(expect.any(String));
    await expectInvalid(await requests({ cursor: ofB.json.nextCursor }, employerA.key));
    await expectInvalid(await requests({ cursor: ofB.json.nextCursor, status: 'submitted' }, employerB.key));
    await expectInvalid(await requests({ cursor: ofB.json.nextCursor }, admin));
    await expectInvalid(await requests({ cursor: tamper(ofB.json.nextCursor) }, employerB.key));
    await expectInvalid(await requests({ cursor: forgedKey({ pk: 'REQUEST#x', sk: 'REQUEST', gsi2pk: `OWNER#${employerA.id}`, gsi2sk: 'REQUEST#x' }) }, employerA.key));
  });

  it('the catalogue (public): another topic\'s cursor, another route\'s, tampered', async () => {
    const t01 = await activities({ topic: 'T01', limit: 1 });
    await expectInvalid(await activities({ cursor: t01.json.nextCursor }));
    await expectInvalid(await activities({ topic: 'T01', type: 'webinar', cursor: t01.json.nextCursor }));
    await expectInvalid(await activities({ topic: 'T01', cursor: tamper(t01.json.nextCursor) }));
    await expectInvalid(await activities({ cursor: (await events({ limit: 1 })).json.nextCursor }));
    // A caller's cursor is not a public one, even on the same list (no key here).
    await expectInvalid(await requests({ cursor: t01.json.nextCursor }, provider.key));
  });

  it("invoices: another employer's cursor on its own list, the admin with the employer's, a forged key", async () => {
    const inv = await invoices(invoiced.employerId)({ limit: 1 }, invoiced.apiKey);
    expect(inv.statusCode, inv.body).toBe(200);
    expect(inv.json.items).toHaveLength(1);
    const cursor = inv.json.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    const second = await invoices(invoiced.employerId)({ limit: 1, cursor }, invoiced.apiKey);
    expect(second.statusCode).toBe(200);
    expect(second.json.items[0].invoiceId).not.toBe(inv.json.items[0].invoiceId);
    await expectInvalid(await invoices(other.employerId)({ cursor }, other.apiKey));
    await expectInvalid(await invoices(invoiced.employerId)({ cursor }, admin));
    await expectInvalid(await invoices(invoiced.employerId)({ cursor: forgedKey({ pk: 'INVOICE#x', sk: 'HEADER', gsi1pk: 'PAYER#someone-else', gsi1sk: 'INVOICE#x' }) }, invoiced.apiKey));
    // Fees: another month's cursor.
    const feb = await fees({ month: '2031-02', limit: 1 });
    expect(feb.json.nextCursor).toEqual(expect.any(String));
    await expectInvalid(await fees({ month: '2031-01', cursor: feb.json.nextCursor }));
    await expectInvalid(await fees({ month: '2031-01', cursor: forgedKey({ pk: 'FEE#x', sk: 'FEE', gsi2pk: 'FEES#1999-01', gsi2sk: 'x' }) }));
  });

  it('the employer report (a computed list): the admin with the employer\'s cursor, tampered, a forged key', async () => {
    const first = await reportOf(reported.employerId)({ limit: 3 }, reported.apiKey);
    const cursor = first.json.nextCursor as string;
    await expectInvalid(await reportOf(reported.employerId)({ cursor }, admin));
    await expectInvalid(await reportOf(reported.employerId)({ cursor: tamper(cursor) }, reported.apiKey));
    await expectInvalid(await reportOf(reported.employerId)({ cursor: forgedKey({ after: 'par_' }) }, reported.apiKey));
    await expectInvalid(await reportOf(reported.employerId)({ cursor: 'x'.repeat(3000) }, reported.apiKey));
  });
});

describe('crafted queries on the lists', () => {
  it('answer 400 or 200, never 500', async () => {
    const cases: [List, Record<string, string>][] = [
      [events, { limit: '0' }],
      [events, { limit: '1e3' }],
      [events, { limit: '201' }],
      [events, { cursor: '' }],
      [events, { colour: 'blue' }],
      [(q) => requests(q, admin), { status: 'bogus' }],
      [(q) => requests(q, admin), { status: 'submitted,approved' }],
      [activities, { topic: 't01' }],
      [activities, { topic: 'ZZZ' }],
      [activities, { type: 'x' }],
      [activities, { providerId: 'prv_x' }],
      [activities, { from: '2026-02-30' }],
      [activities, { from: '9999-12-31' }],
      [activities, { q: ' ' }],
      [activities, { q: '\u0301' }],
      [activities, { q: '%"\'\\' }],
      [activities, { q: 'x'.repeat(101) }],
      [fees, {}],
      [fees, { month: '2026-13' }],
      [(q) => reportOf(reported.employerId)(q, reported.apiKey), { format: 'xml' }],
      [(q) => reportOf(reported.employerId)(q, reported.apiKey), { limit: '200' }],
    ];
    for (const [list, query] of cases) {
      const res = await list(query);
      expect([200, 400], `${JSON.stringify(query)}: ${res.body}`).toContain(res.statusCode);
    }
  });
});
