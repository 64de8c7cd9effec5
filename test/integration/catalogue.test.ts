/**
 * The catalogue (scholingskalender) and GET /v1/activities/{id}: what is listed, every filter,
 * paging, that it reads the index only, and who sees internal activities.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as createProvider from '../../functions/http/create-provider';
import * as createEmployer from '../../functions/http/create-employer';
import * as submit from '../../functions/http/submit-recognition-request';
import * as decide from '../../functions/http/decide-recognition-request';
import * as listActivities from '../../functions/http/list-activities';
import * as getActivityRoute from '../../functions/http/get-activity';
import { adminKey, invoke } from '../setup/helpers';
import { db } from '../../shared/data/client';
import { activityItems, type Activity } from '../../shared/data/activities';
import { transact } from '../../shared/data/client';
import { addDays } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { newId } from '../../shared/ids';

const today = todayInAmsterdam();
const uniq = () => randomBytes(4).toString('hex');

type Org = { id: string; key: string; name: string };
const ids: Record<string, string> = {};
let p1: Org;
let p2: Org;
let employer: Org;
let otherEmployer: Org;

async function org(kind: 'provider' | 'employer'): Promise<Org> {
  const name = `${kind === 'provider' ? 'Academie' : 'Flex'} ${uniq()}`;
  const res =
    kind === 'provider'
      ? await invoke(createProvider, { path: '/v1/providers', apiKey: await adminKey(), body: { name, kvkNumber: '12345678', contactEmail: `p-${uniq()}@academie.test` } })
      : await invoke(createEmployer, {
          path: '/v1/employers',
          apiKey: await adminKey(),
          body: { name, kvkNumber: '87654321', invoiceEmail: `f-${uniq()}@flex.test`, address: { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' } },
        });
  expect(res.statusCode).toBe(201);
  return { id: res.json.providerId ?? res.json.employerId, key: res.json.apiKey, name };
}

async function recognized(owner: Org, fields: Record<string, unknown>, decision: Record<string, unknown> | null = { decision: 'approved' }) {
  const body = {
    title: 'Activiteit',
    description: 'Omschrijving.',
    learningGoals: ['Een leerdoel'],
    activityType: 'training',
    nature: 'deepening',
    topics: ['T01'],
    netStudyMinutes: 120,
    completion: { type: 'final-assignment', description: 'Eindopdracht' },
    ...fields,
  };
  const sub = await invoke(submit, { path: '/v1/recognition-requests', apiKey: owner.key, body });
  expect(sub.statusCode, sub.body).toBe(201);
  if (!decision) return sub.json.requestId as string;
  const dec = await invoke(decide, { path: `/v1/recognition-requests/${sub.json.requestId}/decision`, apiKey: await adminKey(), body: decision });
  expect(dec.statusCode, dec.body).toBe(200);
  return (dec.json.activityId ?? sub.json.requestId) as string;
}

/** An activity with a given recognition window, written directly (an approval always starts today). */
async function activityWithWindow(owner: Org, title: string, recognizedFrom: string, recognizedUntil: string) {
  const activity: Activity = {
    activityId: newId('act'),
    requestId: newId('req'),
    ownerId: owner.id,
    ownerRole: 'provider',
    providerName: owner.name,
    title,
    description: 'Direct geschreven.',
    learningGoals: ['x'],
    activityType: 'e-learning',
    nature: 'updating',
    topics: ['T04'],
    netStudyMinutes: 60,
    points: 1,
    completion: { type: 'test', description: 'toets' },
    internal: false,
    sessions: [],
    recognizedFrom,
    recognizedUntil,
    createdAt: new Date().toISOString(),
  };
  await transact(activityItems(activity));
  return activity.activityId;
}

async function catalogue(query: Record<string, string | number | undefined> = {}) {
  const res = await invoke(listActivities, { path: '/v1/activities', query });
  expect(res.statusCode, res.body).toBe(200);
  return res.json as { items: Array<Record<string, unknown> & { activityId: string }>; nextCursor?: string };
}

const titles = (page: { items: Array<Record<string, unknown>> }) => page.items.map((i) => i.title as string).sort();

beforeAll(async () => {
  [p1, p2, employer, otherEmployer] = await Promise.all([org('provider'), org('provider'), org('employer'), org('employer')]);
  ids.webinar = await recognized(p1, {
    title: 'Cursus ÉÉN: Inlenersbeloning',
    activityType: 'webinar',
    topics: ['T04'],
    sessions: [{ startsOn: addDays(today, 10), online: true }],
  });
  ids.training = await recognized(p1, {
    title: 'Arbeidsrecht verdiept',
    description: 'Met de Payroll-Special over payrolling.',
    topics: ['T02', 'T06'],
    sessions: [{ startsOn: addDays(today, 40), endsOn: addDays(today, 41), location: 'Utrecht' }, { startsOn: addDays(today, 5), location: 'Zwolle' }],
  });
  ids.elearning = await recognized(p2, { title: 'Cao voor uitzendkrachten', activityType: 'e-learning', topics: ['T03', 'T04'] });
  ids.workshop = await recognized(p2, { title: 'Veilig werken', activityType: 'workshop', topics: ['T10'], sessions: [{ startsOn: addDays(today, -10), location: 'Breda' }] });
  ids.internal = await recognized(employer, { title: 'Interne cao-training', topics: ['T04'] });
  await recognized(p1, { title: 'Nog in behandeling', topics: ['T04'] }, null);
  await recognized(p2, { title: 'Afgewezen cao', topics: ['T04'] }, { decision: 'rejected', reason: 'Onvoldoende' });
  ids.lastDay = await activityWithWindow(p2, 'Laatste dag erkend', addDays(today, -700), addDays(today, 1));
  ids.expired = await activityWithWindow(p2, 'Verlopen erkenning', addDays(today, -730), today);
  ids.future = await activityWithWindow(p2, 'Nog niet erkend', addDays(today, 1), addDays(today, 731));
}, 60_000);

describe('GET /v1/activities (the catalogue)', () => {
  it('lists public activities recognized today, and nothing internal, pending, rejected, expired or not yet recognized', async () => {
    const page = await catalogue();
    expect(titles(page)).toEqual(['Arbeidsrecht verdiept', 'Cao voor uitzendkrachten', 'Cursus ÉÉN: Inlenersbeloning', 'Laatste dag erkend', 'Veilig werken']);
    expect(page.nextCursor).toBeUndefined();
    // Latest recognizedUntil first: the directly written one that expires tomorrow comes last.
    expect(page.items[page.items.length - 1].title).toBe('Laatste dag erkend');
  });

  it('answers the API.md item shape', async () => {
    const item = (await catalogue({ q: 'inlenersbeloning' })).items[0];
    expect(item).toEqual({
      activityId: ids.webinar,
      title: 'Cursus ÉÉN: Inlenersbeloning',
      description: 'Omschrijving.',
      providerId: p1.id,
      providerName: p1.name,
      activityType: 'webinar',
      nature: 'deepening',
      topics: ['T04'],
      points: 2,
      recognizedFrom: today,
      recognizedUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      sessions: [{ startsOn: addDays(today, 10), online: true }],
    });
  });

  it('filters by topic, type, provider, text and session date, alone and combined', async () => {
    expect(titles(await catalogue({ topic: 'T04' }))).toEqual(['Cao voor uitzendkrachten', 'Cursus ÉÉN: Inlenersbeloning', 'Laatste dag erkend']);
    expect(titles(await catalogue({ topic: 'T06' }))).toEqual(['Arbeidsrecht verdiept']);
    expect(titles(await catalogue({ topic: 'T13' }))).toEqual([]);
    expect(titles(await catalogue({ type: 'webinar' }))).toEqual(['Cursus ÉÉN: Inlenersbeloning']);
    expect(titles(await catalogue({ providerId: p2.id }))).toEqual(['Cao voor uitzendkrachten', 'Laatste dag erkend', 'Veilig werken']);
    // Text: case- and accent-insensitive, in the title or the description.
    expect(titles(await catalogue({ q: 'een' }))).toEqual(['Cursus ÉÉN: Inlenersbeloning']);
    expect(titles(await catalogue({ q: 'PAYROLL-special' }))).toEqual(['Arbeidsrecht verdiept']);
    expect(titles(await catalogue({ q: 'CAO' }))).toEqual(['Cao voor uitzendkrachten']);
    // Sessions on or after a date: past sessions and activities without sessions drop out.
    expect(titles(await catalogue({ from: today }))).toEqual(['Arbeidsrecht verdiept', 'Cursus ÉÉN: Inlenersbeloning']);
    expect(titles(await catalogue({ from: addDays(today, 11) }))).toEqual(['Arbeidsrecht verdiept']);
    expect(titles(await catalogue({ from: addDays(today, 41) }))).toEqual([]);
    expect(titles(await catalogue({ topic: 'T04', q: 'cao' }))).toEqual(['Cao voor uitzendkrachten']);
    expect(titles(await catalogue({ providerId: p1.id, type: 'training', from: addDays(today, 30) }))).toEqual(['Arbeidsrecht verdiept']);
    expect(titles(await catalogue({ providerId: p1.id, type: 'e-learning' }))).toEqual([]);
  });

  it('pages with ?limit and ?cursor: every item once, with and without filters', async () => {
    for (const [query, expected] of [
      [{}, 5],
      [{ topic: 'T04' }, 3],
      [{ providerId: p2.id }, 3],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await catalogue({ ...query, limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i) => i.activityId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(seen, JSON.stringify(query)).toHaveLength(expected);
      expect(new Set(seen).size).toBe(expected);
      expect(seen).toEqual((await catalogue(query)).items.map((i) => i.activityId));
    }
  });

  it('reads only the CATALOGUE partitions of gsi1: no scan, no other index', async () => {
    const send = vi.spyOn(db(), 'send');
    try {
      await catalogue({ topic: 'T04', q: 'cao', type: 'e-learning' });
      await catalogue({ providerId: p1.id, limit: 1 });
      const calls = send.mock.calls.map(([cmd]) => ({ name: cmd.constructor.name, input: cmd.input as Record<string, unknown> }));
      expect(calls.length).toBeGreaterThan(0);
      for (const c of calls) {
        expect(c.name).toBe('QueryCommand');
        expect(c.input.IndexName).toBe('gsi1');
        expect(c.input.KeyConditionExpression).toMatch(/^gsi1pk = :pk AND gsi1sk >= :tomorrow$/);
        expect((c.input.ExpressionAttributeValues as Record<string, string>)[':pk']).toMatch(/^CATALOGUE(#T04)?$/);
      }
    } finally {
      send.mockRestore();
    }
  });

  it('400 for bad filters and paging parameters, naming the query field', async () => {
    for (const [query, path] of [
      [{ limit: 0 }, 'query.limit'],
      [{ limit: 201 }, 'query.limit'],
      [{ type: 'lecture' }, 'query.type'],
      [{ topic: 't04' }, 'query.topic'],
      [{ from: '2026-02-30' }, 'query.from'],
      [{ providerId: 'nope' }, 'query.providerId'],
      [{ colour: 'red' }, 'query.colour'],
      [{ cursor: 'not-a-cursor' }, 'query.cursor'],
    ] as const) {
      const res = await invoke(listActivities, { path: '/v1/activities', query });
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    // A cursor of the T04 list is not one for the whole catalogue, and a forged key is refused.
    const t04 = await catalogue({ topic: 'T04', limit: 1 });
    expect((await invoke(listActivities, { path: '/v1/activities', query: { cursor: t04.nextCursor } })).statusCode).toBe(400);
    const forged = Buffer.from(JSON.stringify({ pk: 'PARTICIPANT#x', sk: 'PROFILE', gsi1pk: 'CATALOGUE', gsi1sk: '2099-01-01#x' })).toString('base64url');
    expect((await invoke(listActivities, { path: '/v1/activities', query: { cursor: forged } })).statusCode).toBe(400);
  });
});

describe('GET /v1/activities/{activityId}', () => {
  const path = (id: string) => `/v1/activities/${id}`;

  it('shows a public activity to anyone, with whether it is recognized today', async () => {
    const res = await invoke(getActivityRoute, { path: path(ids.training) });
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({
      activityId: ids.training,
      title: 'Arbeidsrecht verdiept',
      providerId: p1.id,
      providerName: p1.name,
      learningGoals: ['Een leerdoel'],
      completion: { type: 'final-assignment', description: 'Eindopdracht' },
      netStudyMinutes: 120,
      points: 2,
      internal: false,
      recognized: true,
      sessions: [{ startsOn: addDays(today, 5), location: 'Zwolle' }, { startsOn: addDays(today, 40), endsOn: addDays(today, 41), location: 'Utrecht' }],
    });
    expect(res.json.requestId).toBeUndefined();
    const expired = await invoke(getActivityRoute, { path: path(ids.expired) });
    expect(expired.statusCode).toBe(200);
    expect(expired.json.recognized).toBe(false);
  });

  it('an internal activity only for its employer and the admin; anyone else gets the 404 of a missing one', async () => {
    const provider = p1;
    for (const apiKey of [undefined, otherEmployer.key, provider.key]) {
      const res = await invoke(getActivityRoute, { path: path(ids.internal), apiKey });
      expect(res.statusCode, String(apiKey)).toBe(404);
    }
    const missing = await invoke(getActivityRoute, { path: path('act_00000000000000000000000000') });
    expect(missing.statusCode).toBe(404);
    expect((await invoke(getActivityRoute, { path: path(ids.internal) })).json.detail).toBe(missing.json.detail);

    const own = await invoke(getActivityRoute, { path: path(ids.internal), apiKey: employer.key });
    expect(own.statusCode).toBe(200);
    expect(own.json).toMatchObject({ activityId: ids.internal, internal: true, ownerId: employer.id, ownerRole: 'employer', requestId: expect.stringMatching(/^req_/) });
    expect(own.headers['cache-control']).toBe('private, no-store');
    expect((await invoke(getActivityRoute, { path: path(ids.internal), apiKey: await adminKey() })).statusCode).toBe(200);
  });

  it('401 for a presented but unknown key, 400 for a malformed id', async () => {
    expect((await invoke(getActivityRoute, { path: path(ids.training), apiKey: 'pe_admin_unknown' })).statusCode).toBe(401);
    expect((await invoke(getActivityRoute, { path: path('xyz') })).statusCode).toBe(400);
  });
});
