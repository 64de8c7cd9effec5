/**
 * Issue 16 part 2: the learning plan pages — /werkgever/leerlijnen (plans, assigning an employee,
 * progress per employee), the plan form (new and change, errors linked to their fields, a
 * colleague's change in between, a code already taken), the overview's open column — and their
 * tenancy: another employer's plan or employee is the 404 page.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import * as plansPage from '../../functions/web/learning-plans';
import * as planPage from '../../functions/web/learning-plan';
import * as overviewPage from '../../functions/web/employer-overview';
import { db, tableName } from '../../shared/data/client';
import { addDays } from '../../shared/domain/dates';
import { page, signedIn, type SignedIn } from './helpers';
import { holders, newEmployer, participantIdOf, register, rowsOf, today, type Employer } from '../integration/employers.fixtures';

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ');

let a: Employer;
let b: Employer;
let asA: SignedIn;
let asB: SignedIn;
let aIds: string[];
let bIds: string[];
const before = addDays(today, 60);

const newPlan = (over: Record<string, string> = {}) => ({
  planId: 'intercedent',
  name: 'Intercedenten',
  topics_T11: 'ja',
  topics_T12: 'ja',
  deadline0_topic: 'T03',
  deadline0_before: before,
  deadline0_reason: 'Nieuwe cao',
  deadline1_topic: '',
  deadline1_before: '',
  deadline1_reason: '',
  ...over,
});

beforeAll(async () => {
  [a, b] = [await newEmployer('A Uitzend BV'), await newEmployer('B Payroll BV')];
  const [ha, hb] = [await holders(10), await holders(10)];
  expect((await register(a, { employees: rowsOf(ha) })).statusCode).toBe(201);
  expect((await register(b, { employees: rowsOf(hb) })).statusCode).toBe(201);
  aIds = await Promise.all(ha.map((h) => participantIdOf(h.diplomaNumber)));
  bIds = await Promise.all(hb.map((h) => participantIdOf(h.diplomaNumber)));
  asA = await signedIn({ role: 'employer', ownerId: a.employerId, userId: 'usr_lpa' });
  asB = await signedIn({ role: 'employer', ownerId: b.employerId, userId: 'usr_lpb' });
  // A credited activity on T11 for the first employee, in this period.
  await db().send(new PutCommand({ TableName: tableName(), Item: { pk: 'ACTIVITY#act_WLP', sk: 'ACTIVITY', type: 'activity', activityId: 'act_WLP', topics: ['T11'] } }));
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { pk: 'CREDIT#crd_wlp', sk: 'CREDIT', type: 'credit', creditId: 'crd_wlp', participantId: aIds[0], activityId: 'act_WLP', activityTitle: 'AVG', points: 1, completedOn: today, registrationStartsOn: today, gsi1pk: `PARTICIPANT#${aIds[0]}`, gsi1sk: `CREDIT#${today}#crd_wlp` },
    }),
  );
});

describe('/werkgever/leerlijnen', () => {
  it('starts empty, with the way to a new plan', async () => {
    const res = await page(plansPage, { path: '/werkgever/leerlijnen', session: asA });
    expect(res.statusCode).toBe(200);
    expect(res.body.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(textOf(res.body)).toContain('U heeft nog geen leerlijnen.');
    expect(res.body).toContain('href="/werkgever/leerlijnen/plan"');
  });

  it('the form: every bad field in the summary, linked to it; nothing saved', async () => {
    const form = await page(planPage, { path: '/werkgever/leerlijnen/plan', session: asA });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('id="topics"');
    const res = await page(planPage, { path: '/werkgever/leerlijnen/plan', session: asA, form: newPlan({ planId: 'Geen Code', name: ' ', deadline0_before: '2027-02-30', deadline1_reason: 'alleen een reden' }) });
    expect(res.statusCode).toBe(400);
    for (const field of ['planId', 'name', 'deadline0_before', 'deadline1_topic']) expect(res.body).toContain(`href="#${field}"`);
    expect(res.body).toContain('aria-invalid="true"');
    // What was typed stays.
    expect(res.body).toContain('value="alleen een reden"');
    expect(textOf((await page(plansPage, { path: '/werkgever/leerlijnen', session: asA })).body)).toContain('U heeft nog geen leerlijnen.');
  });

  it('saves a new plan (POST → redirect → GET); the same code again is refused', async () => {
    const res = await page(planPage, { path: '/werkgever/leerlijnen/plan', session: asA, form: newPlan() });
    expect(res.statusCode).toBe(303);
    expect(res.location).toBe('/werkgever/leerlijnen?opgeslagen=1');
    const list = await page(plansPage, { path: '/werkgever/leerlijnen?opgeslagen=1', session: asA });
    const text = textOf(list.body);
    expect(text).toContain('De leerlijn is opgeslagen.');
    expect(text).toContain('Intercedenten intercedent T11, T12 T03');
    const again = await page(planPage, { path: '/werkgever/leerlijnen/plan', session: asA, form: newPlan({ name: 'Ander' }) });
    expect(again.statusCode).toBe(409);
    expect(textOf(again.body)).toContain('Er bestaat al een leerlijn met deze code.');
    expect(again.body).toContain('href="#planId"');
  });

  it("changes a plan with the version it was shown with; a colleague's change in between is shown, not overwritten", async () => {
    const edit = await page(planPage, { path: '/werkgever/leerlijnen/plan?id=intercedent', session: asA });
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('name="version" value="1"');
    expect(edit.body).toContain('value="Nieuwe cao"');
    const change = { name: 'Intercedenten Zuid', version: '1', planId: 'intercedent', topics_T11: 'ja', topics_T13: 'ja', deadline0_topic: 'T03', deadline0_before: before, deadline0_reason: 'Nieuwe cao' };
    expect((await page(planPage, { path: '/werkgever/leerlijnen/plan', session: asA, form: change })).statusCode).toBe(303);
    const stale = await page(planPage, { path: '/werkgever/leerlijnen/plan', session: asA, form: { ...change, name: 'Verouderd' } });
    expect(stale.statusCode).toBe(409);
    expect(textOf(stale.body)).toContain('Iemand anders heeft deze leerlijn intussen gewijzigd.');
    expect(stale.body).toContain('value="Intercedenten Zuid"');
    expect(stale.body).toContain('name="version" value="2"');
  });

  it('assigns an employee and shows what is covered and what is open; the overview counts the open ones', async () => {
    const res = await page(plansPage, { path: '/werkgever/leerlijnen/toewijzen', session: asA, form: { participantId: aIds[0], planId: 'intercedent' } });
    expect(res.statusCode).toBe(303);
    expect(res.location).toBe('/werkgever/leerlijnen?toegewezen=1');
    const text = textOf((await page(plansPage, { path: '/werkgever/leerlijnen?toegewezen=1', session: asA })).body);
    expect(text).toContain('De koppeling is opgeslagen.');
    expect(text).toContain('T13 Werving, selectie, matching en begeleiding van flexkrachten en inleners: in deze registratieperiode');
    expect(text).toContain('T03 Cao voor uitzendkrachten: uiterlijk');
    expect(text).toContain('(Nieuwe cao)');
    expect(text).toMatch(/T11 Privacy \(AVG\) in werving en selectie: in deze registratieperiode, gedaan op/);
    const overview = textOf((await page(overviewPage, { path: '/werkgever', session: asA })).body);
    expect(overview).toContain('Leerlijn: nog open');
    expect(overview).toContain('2 onderdelen open');
    // Without an employee chosen: the error, linked.
    const missing = await page(plansPage, { path: '/werkgever/leerlijnen/toewijzen', session: asA, form: { participantId: '', planId: 'intercedent' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('href="#participantId"');
  });

  it("tenancy: another employer's plan or employee is the 404 page; no session → sign-in", async () => {
    expect((await page(planPage, { path: '/werkgever/leerlijnen/plan?id=intercedent', session: asB })).statusCode).toBe(404);
    expect((await page(planPage, { path: '/werkgever/leerlijnen/plan', session: asB, form: { name: 'Overnemen', version: '2', planId: 'intercedent', topics_T11: 'ja' } })).statusCode).toBe(404);
    expect((await page(plansPage, { path: '/werkgever/leerlijnen/toewijzen', session: asB, form: { participantId: aIds[1], planId: '' } })).statusCode).toBe(404);
    expect((await page(plansPage, { path: '/werkgever/leerlijnen/toewijzen', session: asB, form: { participantId: bIds[0], planId: 'intercedent' } })).statusCode).toBe(404);
    expect((await page(plansPage, { path: '/werkgever/leerlijnen/toewijzen', session: asA, form: { participantId: bIds[0], planId: 'intercedent' } })).statusCode).toBe(404);
    expect(textOf((await page(plansPage, { path: '/werkgever/leerlijnen', session: asB })).body)).toContain('U heeft nog geen leerlijnen.');
    const participant = await signedIn({ role: 'participant', ownerId: aIds[2] });
    expect((await page(plansPage, { path: '/werkgever/leerlijnen', session: participant })).statusCode).toBe(404);
    const anonymous = await page(plansPage, { path: '/werkgever/leerlijnen' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.location).toMatch(/^\/inloggen\?next=/);
  });
});
