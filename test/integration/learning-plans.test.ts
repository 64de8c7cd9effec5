import { beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { db, tableName } from '../../shared/data/client';
import { createApiKey } from '../../shared/data/api-keys';
import { queryAll } from '../../shared/data/batch';
import { putTopic } from '../../shared/data/topics';
import { addDays, addMonths } from '../../shared/domain/dates';
import * as putPlan from '../../functions/http/put-learning-plan';
import * as listPlans from '../../functions/http/list-learning-plans';
import * as assignPlan from '../../functions/http/assign-learning-plan';
import * as getReport from '../../functions/http/get-employer-report';
import { adminKey, invoke } from '../setup/helpers';
import { holders, newEmployer, participantIdOf, register, rowsOf, today, type Employer } from './employers.fixtures';

const put = (employerId: string, planId: string, body: unknown, apiKey: string | undefined) =>
  invoke(putPlan, { method: 'PUT', path: `/v1/employers/${employerId}/learning-plans/${planId}`, apiKey, body });
const list = (employerId: string, apiKey: string | undefined, query: Record<string, string> = {}) =>
  invoke(listPlans, { path: `/v1/employers/${employerId}/learning-plans`, apiKey, query });
const assign = (employerId: string, participantId: string, planId: string | null, apiKey: string | undefined) =>
  invoke(assignPlan, { method: 'PUT', path: `/v1/employers/${employerId}/employees/${participantId}/learning-plan`, apiKey, body: { planId } });
const report = (employerId: string, apiKey: string, query: Record<string, string> = {}) =>
  invoke(getReport, { path: `/v1/employers/${employerId}/report`, apiKey, query });

async function putActivity(activityId: string, topics: string[]) {
  await db().send(new PutCommand({ TableName: tableName(), Item: { pk: `ACTIVITY#${activityId}`, sk: 'ACTIVITY', type: 'activity', activityId, title: activityId, topics } }));
}

/** A credit item in the shape crediting writes. */
async function putCredit(c: { creditId: string; participantId: string; activityId: string; completedOn: string; registrationStartsOn: string; revokedAt?: string }) {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        pk: `CREDIT#${c.creditId}`,
        sk: 'CREDIT',
        type: 'credit',
        activityTitle: c.activityId,
        points: 1,
        senderId: 'prv_TEST',
        ...c,
        gsi1pk: `PARTICIPANT#${c.participantId}`,
        gsi1sk: `CREDIT#${c.completedOn}#${c.creditId}`,
      },
    }),
  );
}

const plan = (over: Record<string, unknown> = {}) => ({
  name: 'Intercedenten',
  topicsPerPeriod: ['T11', 'T12'],
  deadlines: [{ topic: 'T03', before: '2027-03-01', reason: 'Nieuwe cao' }],
  ...over,
});

let a: Employer;
let b: Employer;
let aIds: string[];
let bIds: string[];
const deadline = addDays(today, 40);
const later = addDays(today, 200);

beforeAll(async () => {
  [a, b] = [await newEmployer('A Uitzend BV'), await newEmployer('B Payroll BV')];
  const [ha, hb] = [await holders(10), await holders(10)];
  expect((await register(a, { employees: rowsOf(ha) })).statusCode).toBe(201);
  expect((await register(b, { employees: rowsOf(hb) })).statusCode).toBe(201);
  aIds = await Promise.all(ha.map((h) => participantIdOf(h.diplomaNumber)));
  bIds = await Promise.all(hb.map((h) => participantIdOf(h.diplomaNumber)));
});

describe('PUT /v1/employers/{id}/learning-plans/{planId}', () => {
  it('creates, then replaces the whole plan (version +1), each with its audit event', async () => {
    const created = await put(a.employerId, 'intercedent', plan(), a.apiKey);
    expect(created.statusCode).toBe(200);
    expect(created.json).toMatchObject({ planId: 'intercedent', employerId: a.employerId, name: 'Intercedenten', topicsPerPeriod: ['T11', 'T12'], version: 1 });
    const replaced = await put(a.employerId, 'intercedent', plan({ name: 'Intercedenten 2027', topicsPerPeriod: ['T11'] }), a.apiKey);
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json).toMatchObject({ name: 'Intercedenten 2027', topicsPerPeriod: ['T11'], version: 2, createdAt: created.json.createdAt });
    const events = (await queryAll({ pk: `EMPLOYER#${a.employerId}`, skPrefix: 'EVENT#', consistent: true })).filter((e) => (e.detail as { planId?: string } | undefined)?.planId === 'intercedent');
    expect(events.map((e) => e.action)).toEqual(['learning-plan.created', 'learning-plan.replaced']);
    expect(events[1].before).toMatchObject({ name: 'Intercedenten', version: 1 });
  });

  it('the admin may too; the list pages in planId order', async () => {
    expect((await put(a.employerId, 'backoffice', plan({ name: 'Backoffice', topicsPerPeriod: [], deadlines: [] }), await adminKey())).statusCode).toBe(200);
    expect((await put(a.employerId, 'payroll', plan({ name: 'Payroll' }), a.apiKey)).statusCode).toBe(200);
    const first = await list(a.employerId, a.apiKey, { limit: '2' });
    expect(first.statusCode).toBe(200);
    expect(first.json.items.map((p: { planId: string }) => p.planId)).toEqual(['backoffice', 'intercedent']);
    const second = await list(a.employerId, a.apiKey, { limit: '2', cursor: first.json.nextCursor });
    expect(second.json.items.map((p: { planId: string }) => p.planId)).toEqual(['payroll']);
    expect(second.json.nextCursor).toBeUndefined();
    expect((await list(b.employerId, b.apiKey)).json.items).toEqual([]);
  });

  it('refuses bad input naming each field: the slug, unknown and retired topics, text, unknown fields', async () => {
    await putTopic('ZRET1', { name: 'Oud onderwerp', retired: true }, { role: 'admin', id: 'admin' });
    const slug = await put(a.employerId, 'Bad_Id', plan(), a.apiKey);
    expect(slug.statusCode).toBe(400);
    expect(slug.json.errors.map((e: { path: string }) => e.path)).toContain('path.planId');
    const res = await put(
      a.employerId,
      'ok-id',
      { name: ' ', topicsPerPeriod: ['T11', 'T99', 'ZRET1'], deadlines: [{ topic: 'T98', before: '2027-02-30', reason: 'a\u0000b' }], extra: 1 },
      a.apiKey,
    );
    expect(res.statusCode).toBe(400);
    const paths = res.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'topicsPerPeriod[1]', 'topicsPerPeriod[2]', 'deadlines[0].topic', 'deadlines[0].before', 'deadlines[0].reason', 'extra']));
    expect(res.json.errors.find((e: { path: string }) => e.path === 'topicsPerPeriod[2]').message).toMatch(/retired/);
    // Valid apart from the topics: still a 400 from the service, nothing written.
    const topicsOnly = await put(a.employerId, 'ok-id', plan({ topicsPerPeriod: ['T77'] }), a.apiKey);
    expect(topicsOnly.statusCode).toBe(400);
    expect(topicsOnly.json.errors).toEqual([expect.objectContaining({ path: 'topicsPerPeriod[0]' })]);
    expect((await list(a.employerId, a.apiKey)).json.items.map((p: { planId: string }) => p.planId)).not.toContain('ok-id');
  });

  it('tenancy: another employer → 404, a provider → 403, no key → 401', async () => {
    const provider = (await createApiKey('provider', 'prv_TESTLP')).apiKey;
    expect((await put(a.employerId, 'stranger', plan(), b.apiKey)).statusCode).toBe(404);
    expect((await list(a.employerId, b.apiKey)).statusCode).toBe(404);
    expect((await put(a.employerId, 'stranger', plan(), provider)).statusCode).toBe(403);
    expect((await list(a.employerId, provider)).statusCode).toBe(403);
    expect((await put(a.employerId, 'stranger', plan(), undefined)).statusCode).toBe(401);
    expect((await list(a.employerId, undefined)).statusCode).toBe(401);
    expect((await list(a.employerId, a.apiKey)).json.items.map((p: { planId: string }) => p.planId)).not.toContain('stranger');
  });

  it('two PUTs at once: both land in turn (last writer wins), neither is lost from the audit trail', async () => {
    expect((await put(a.employerId, 'racing', plan({ name: 'Start' }), a.apiKey)).statusCode).toBe(200);
    const [x, y] = await Promise.all([put(a.employerId, 'racing', plan({ name: 'Versie X' }), a.apiKey), put(a.employerId, 'racing', plan({ name: 'Versie Y' }), a.apiKey)]);
    expect([x.statusCode, y.statusCode]).toEqual([200, 200]);
    expect([x.json.version, y.json.version].sort()).toEqual([2, 3]);
    const last = x.json.version === 3 ? x.json : y.json;
    const stored = (await list(a.employerId, a.apiKey)).json.items.find((p: { planId: string }) => p.planId === 'racing');
    expect(stored).toMatchObject({ name: last.name, version: 3 });
    const events = (await queryAll({ pk: `EMPLOYER#${a.employerId}`, skPrefix: 'EVENT#', consistent: true }))
      .filter((e) => (e.detail as { planId?: string } | undefined)?.planId === 'racing')
      .sort((p, q) => (p.after as { version: number }).version - (q.after as { version: number }).version);
    expect(events.map((e) => [(e.before as { name?: string } | undefined)?.name, (e.after as { name: string }).name])).toEqual([
      [undefined, 'Start'],
      ['Start', events[1].after && (events[1].after as { name: string }).name],
      [(events[1].after as { name: string }).name, last.name],
    ]);
    expect(new Set(events.slice(1).map((e) => (e.after as { name: string }).name))).toEqual(new Set(['Versie X', 'Versie Y']));
  });
});

describe('PUT /v1/employers/{id}/employees/{participantId}/learning-plan', () => {
  it('assigns, replaces the previous plan, and takes off (null), each audited on the participant', async () => {
    const p = aIds[5];
    const first = await assign(a.employerId, p, 'payroll', a.apiKey);
    expect(first.statusCode).toBe(200);
    expect(first.json).toEqual({ participantId: p, planId: 'payroll', previousPlanId: null });
    expect((await assign(a.employerId, p, 'backoffice', a.apiKey)).json).toEqual({ participantId: p, planId: 'backoffice', previousPlanId: 'payroll' });
    expect((await assign(a.employerId, p, null, a.apiKey)).json).toEqual({ participantId: p, planId: null, previousPlanId: 'backoffice' });
    const events = (await queryAll({ pk: `PARTICIPANT#${p}`, skPrefix: 'EVENT#', consistent: true })).filter((e) => String(e.action).startsWith('learning-plan.'));
    expect(events.map((e) => e.action)).toEqual(['learning-plan.assigned', 'learning-plan.assigned', 'learning-plan.unassigned']);
  });

  it("tenancy: another employer's employee or plan → 404 with its reason; provider 403; no key 401", async () => {
    expect((await put(b.employerId, 'b-only', plan(), b.apiKey)).statusCode).toBe(200);
    const otherEmployee = await assign(a.employerId, bIds[0], 'payroll', a.apiKey);
    expect(otherEmployee.statusCode).toBe(404);
    expect(otherEmployee.json.reason).toBe('employee-not-found');
    const otherPlan = await assign(a.employerId, aIds[6], 'b-only', a.apiKey);
    expect(otherPlan.statusCode).toBe(404);
    expect(otherPlan.json.reason).toBe('plan-not-found');
    expect((await assign(a.employerId, aIds[6], 'payroll', b.apiKey)).statusCode).toBe(404);
    expect((await assign(a.employerId, aIds[6], 'payroll', (await createApiKey('provider', 'prv_TESTLP2')).apiKey)).statusCode).toBe(403);
    expect((await assign(a.employerId, aIds[6], 'payroll', undefined)).statusCode).toBe(401);
    expect((await assign(a.employerId, aIds[6], 'Not A Slug', a.apiKey)).statusCode).toBe(400);
  });
});

describe('coverage in the report', () => {
  let covered: string;
  let bare: string;
  beforeAll(async () => {
    [covered, bare] = [aIds[0], aIds[1]];
    expect((await put(a.employerId, 'cao', plan({ name: 'Cao', topicsPerPeriod: ['T11', 'T12', 'T13'], deadlines: [{ topic: 'T03', before: deadline, reason: 'Nieuwe cao' }, { topic: 'T04', before: later, reason: 'Inlenersbeloning' }] }), a.apiKey)).statusCode).toBe(200);
    expect((await assign(a.employerId, covered, 'cao', a.apiKey)).statusCode).toBe(200);
    expect((await assign(a.employerId, bare, 'cao', a.apiKey)).statusCode).toBe(200);
    await Promise.all([putActivity('act_LPAVG', ['T11', 'T01']), putActivity('act_LPDISC', ['T12']), putActivity('act_LPCAO', ['T03', 'T13']), putActivity('act_LPINL', ['T04'])]);
    const previous = addMonths(today, -30);
    await Promise.all([
      // T11 in this period: covered.
      putCredit({ creditId: 'crd_lp1', participantId: covered, activityId: 'act_LPAVG', completedOn: today, registrationStartsOn: today }),
      // T12 revoked: open.
      putCredit({ creditId: 'crd_lp2', participantId: covered, activityId: 'act_LPDISC', completedOn: today, registrationStartsOn: today, revokedAt: new Date().toISOString() }),
      // T03 (and T13) in an earlier period, the day before the deadline: the deadline is covered, the period topic T13 is not.
      putCredit({ creditId: 'crd_lp3', participantId: covered, activityId: 'act_LPCAO', completedOn: addDays(deadline, -1 - 900), registrationStartsOn: previous }),
      // T04 completed ON its deadline day: too late, open.
      putCredit({ creditId: 'crd_lp4', participantId: covered, activityId: 'act_LPINL', completedOn: later, registrationStartsOn: today }),
    ]);
  });

  it('rows of planned employees gain plan {planId, open, covered}; others have none', async () => {
    const res = await report(a.employerId, a.apiKey);
    expect(res.statusCode).toBe(200);
    const rows = res.json.employees as { participantId: string; plan?: unknown }[];
    expect(rows.find((r) => r.participantId === covered)!.plan).toEqual({
      planId: 'cao',
      open: [
        { topic: 'T12', kind: 'period' },
        { topic: 'T13', kind: 'period' },
        { topic: 'T04', kind: 'deadline', before: later, reason: 'Inlenersbeloning' },
      ],
      covered: [
        { topic: 'T11', kind: 'period', creditId: 'crd_lp1', completedOn: today },
        { topic: 'T03', kind: 'deadline', before: deadline, reason: 'Nieuwe cao', creditId: 'crd_lp3', completedOn: addDays(deadline, -901) },
      ],
    });
    expect(rows.find((r) => r.participantId === bare)!.plan).toMatchObject({ planId: 'cao', covered: [] });
    expect((rows.find((r) => r.participantId === bare)!.plan as { open: unknown[] }).open).toHaveLength(5);
    expect(rows.find((r) => r.participantId === aIds[2])).not.toHaveProperty('plan');
  });

  it('the CSV and the workbook carry the plan and its open requirements', async () => {
    const csv = await report(a.employerId, a.apiKey, { format: 'csv' });
    const rows = parse(csv.body, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    const row = rows.find((r) => r['Deelnemer-ID'] === covered)!;
    expect(row.Leerlijn).toBe('cao');
    expect(row['Leerlijn open']).toBe(`T12 (deze periode); T13 (deze periode); T04 vóór ${later}`);
    expect(rows.find((r) => r['Deelnemer-ID'] === aIds[2])!.Leerlijn).toBe('');
    const en = parse((await report(a.employerId, a.apiKey, { format: 'csv', lang: 'en' })).body, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(en.find((r) => r['Participant ID'] === covered)!['Learning plan open']).toBe(`T12 (this period); T13 (this period); T04 before ${later}`);
    const xlsx = await report(a.employerId, a.apiKey, { format: 'xlsx' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawBody as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(-2)).toEqual(['Leerlijn', 'Leerlijn open']);
  });
});
