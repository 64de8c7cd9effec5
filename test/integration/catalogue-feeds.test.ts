/**
 * The catalogue for learning platforms (issue 16 part 7): `GET /v1/catalogue/feed.json` and
 * `GET /v1/catalogue/sessions.ics` — only recognized public activities, `updatedSince`, the ETag
 * and its 304, and the calendar parsed back with ical.js.
 */
import { randomBytes } from 'node:crypto';
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import * as createProvider from '../../functions/http/create-provider';
import * as createEmployer from '../../functions/http/create-employer';
import * as submit from '../../functions/http/submit-recognition-request';
import * as decide from '../../functions/http/decide-recognition-request';
import * as feedRoute from '../../functions/http/get-catalogue-feed';
import * as sessionsRoute from '../../functions/http/get-catalogue-sessions';
import * as getActivity from '../../functions/http/get-activity';
import { adminKey, invoke } from '../setup/helpers';
import { rate, ratingWorld } from './evaluations.fixtures';
import { activityItems, type Activity } from '../../shared/data/activities';
import { transact, type TxItem } from '../../shared/data/client';
import { addDays } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { newId } from '../../shared/ids';
import { changeActivitySessions } from '../../shared/services/catalogue';
import { amsterdamMidnight } from '../../shared/services/catalogue-feed';
import type { ApiKeyRecord } from '../../shared/data/api-keys';

const today = todayInAmsterdam();
const uniq = () => randomBytes(4).toString('hex');
type Org = { id: string; key: string; name: string };

let provider: Org;
let other: Org;
let employer: Org;
const ids: Record<string, string> = {};

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
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json.providerId ?? res.json.employerId, key: res.json.apiKey, name };
}

async function recognized(owner: Org, fields: Record<string, unknown>): Promise<string> {
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
  const dec = await invoke(decide, { path: `/v1/recognition-requests/${sub.json.requestId}/decision`, apiKey: await adminKey(), body: { decision: 'approved' } });
  expect(dec.statusCode, dec.body).toBe(200);
  return dec.json.activityId as string;
}

/** An activity written directly: approval always recognizes from today and stamps updatedAt. */
async function written(owner: Org, title: string, window: { from: string; until: string }, opts: { createdAt?: string; withoutUpdatedAt?: boolean } = {}) {
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
    sessions: [{ startsOn: addDays(today, 3), location: 'Zwolle' }],
    recognizedFrom: window.from,
    recognizedUntil: window.until,
    createdAt: opts.createdAt ?? new Date().toISOString(),
  };
  const items: TxItem[] = activityItems(activity);
  // As stored before updatedAt existed.
  if (opts.withoutUpdatedAt) for (const item of items) delete (item.Put!.Item as Record<string, unknown>).updatedAt;
  await transact(items);
  return activity.activityId;
}

async function feed(query: Record<string, string | number | undefined> = {}, headers: Record<string, string> = {}) {
  return invoke(feedRoute, { path: '/v1/catalogue/feed.json', query, headers });
}

async function feedIds(query: Record<string, string | number | undefined> = {}): Promise<string[]> {
  const res = await feed(query);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json.items as { activityId: string }[]).map((i) => i.activityId).sort();
}

const owner = (o: Org) => ({ role: 'provider', ownerId: o.id }) as ApiKeyRecord;

beforeAll(async () => {
  [provider, other, employer] = await Promise.all([org('provider'), org('provider'), org('employer')]);
  ids.workshop = await recognized(provider, {
    title: 'Inlenersbeloning in de praktijk',
    topics: ['T01', 'T03'],
    sessions: [
      { startsOn: addDays(today, 10), location: 'Utrecht' },
      { startsOn: addDays(today, 20), endsOn: addDays(today, 21), online: true },
    ],
  });
  ids.webinar = await recognized(other, { title: 'AVG voor intercedenten', activityType: 'webinar', topics: ['T02'], sessions: [{ startsOn: addDays(today, 5), location: 'Amsterdam', online: true }] });
  ids.internal = await recognized(employer, { title: 'Interne training', internal: true, sessions: [{ startsOn: addDays(today, 4), location: 'Kantoor' }] });
  ids.expired = await written(provider, 'Verlopen', { from: addDays(today, -800), until: today });
  ids.future = await written(provider, 'Nog niet erkend', { from: addDays(today, 1), until: addDays(today, 400) });
  ids.old = await written(provider, 'Van voor updatedAt', { from: '2024-01-02', until: addDays(today, 300) }, { createdAt: '2024-01-02T10:00:00.000Z', withoutUpdatedAt: true });
});

describe('GET /v1/catalogue/feed.json', () => {
  it('lists only recognized public activities: never internal, expired or not yet recognized', async () => {
    expect(await feedIds()).toEqual([ids.workshop, ids.webinar, ids.old].sort());
  });

  it('gives each item what a platform needs, its public page and updatedAt', async () => {
    const res = await feed({ providerId: provider.id, topic: 'T03' });
    expect(res.statusCode).toBe(200);
    expect(res.json.items).toEqual([
      {
        activityId: ids.workshop,
        title: 'Inlenersbeloning in de praktijk',
        description: 'Omschrijving.',
        providerId: provider.id,
        providerName: provider.name,
        activityType: 'training',
        nature: 'deepening',
        topics: ['T01', 'T03'],
        points: expect.any(Number),
        recognizedFrom: today,
        recognizedUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        sessions: [
          { startsOn: addDays(today, 10), location: 'Utrecht' },
          { startsOn: addDays(today, 20), endsOn: addDays(today, 21), online: true },
        ],
        url: `${process.env.PUBLIC_BASE_URL || 'https://pe-register.nl'}/scholingskalender/${ids.workshop}`,
        updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      },
    ]);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
  });

  it('reads an activity stored without updatedAt as changed when it was created', async () => {
    const [item] = (await feed({ providerId: provider.id })).json.items.filter((i: { activityId: string }) => i.activityId === ids.old);
    expect(item.updatedAt).toBe('2024-01-02T10:00:00.000Z');
    expect(await feedIds({ providerId: provider.id, updatedSince: '2024-01-02T10:00:00Z' })).toContain(ids.old);
    expect(await feedIds({ providerId: provider.id, updatedSince: '2024-01-02T10:00:00.001Z' })).not.toContain(ids.old);
  });

  it('with updatedSince gives only what changed at or after it (an offset is the same instant)', async () => {
    const before = new Date(Date.now() - 60_000).toISOString();
    expect(await feedIds({ updatedSince: before })).toEqual([ids.workshop, ids.webinar].sort());
    expect(await feedIds({ updatedSince: '2100-01-01T00:00:00+01:00' })).toEqual([]);

    const mark = new Date().toISOString();
    await changeActivitySessions(owner(other), ids.webinar, { kind: 'add', session: { startsOn: addDays(today, 30), location: 'Breda' } }, 0);
    expect(await feedIds({ updatedSince: mark })).toEqual([ids.webinar]);
    const item = (await feed({ updatedSince: mark })).json.items[0];
    expect(item.updatedAt >= mark).toBe(true);
    // The same instant written with an offset.
    const shifted = new Date(Date.parse(mark)).toISOString().replace('Z', '+00:00');
    expect(await feedIds({ updatedSince: shifted })).toEqual([ids.webinar]);
  });

  it('counts an activity as changed from the start of its first recognised day (it enters the catalogue without a write)', async () => {
    const since = new Date(Date.parse(amsterdamMidnight(today)) - 1000).toISOString();
    const enteredToday = await written(other, 'Vandaag erkend', { from: today, until: addDays(today, 100) }, { createdAt: '2025-06-01T08:00:00.000Z' });
    expect(await feedIds({ providerId: other.id, updatedSince: since })).toContain(enteredToday);
    // Exactly the midnight it entered at: `updatedSince` is inclusive, so it is still there.
    expect(await feedIds({ providerId: other.id, updatedSince: amsterdamMidnight(today) })).toContain(enteredToday);
    const item = (await feed({ providerId: other.id })).json.items.find((i: { activityId: string }) => i.activityId === enteredToday);
    expect(item.updatedAt).toBe(amsterdamMidnight(today));
  });

  it('refuses a bad updatedSince with a 400 naming the field', async () => {
    for (const bad of ['gisteren', '2026-12-01', '2026-12-01T10:00:00', '2026-02-30T10:00:00Z', '2026-12-01T25:00:00Z']) {
      const res = await feed({ updatedSince: bad });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(['query.updatedSince']);
    }
  });

  it('pages with signed cursors bound to the filter', async () => {
    const first = await feed({ limit: 1 });
    expect(first.json.items).toHaveLength(1);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await feed({ limit: 1, cursor: first.json.nextCursor });
    expect(second.statusCode).toBe(200);
    expect(second.json.items[0].activityId).not.toBe(first.json.items[0].activityId);
    const elsewhere = await feed({ limit: 1, cursor: first.json.nextCursor, updatedSince: '2020-01-01T00:00:00Z' });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json.errors[0].path).toBe('query.cursor');
  });

  it('has a stable strong ETag, answers If-None-Match with a 304 and no body, and a new ETag after a session change', async () => {
    const a = await feed({ providerId: provider.id });
    const b = await feed({ providerId: provider.id });
    expect(a.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(b.headers.etag).toBe(a.headers.etag);
    expect(b.body).toBe(a.body);

    const cached = await feed({ providerId: provider.id }, { 'if-none-match': a.headers.etag as string });
    expect(cached.statusCode).toBe(304);
    expect(cached.body).toBe('');
    expect(cached.headers.etag).toBe(a.headers.etag);
    expect(cached.headers['cache-control']).toBe('public, max-age=300');
    // A list, a weak form of it, and `*` match too; another tag does not.
    expect((await feed({ providerId: provider.id }, { 'if-none-match': `"x", W/${a.headers.etag}` })).statusCode).toBe(304);
    expect((await feed({ providerId: provider.id }, { 'if-none-match': '"something-else"' })).statusCode).toBe(200);

    await changeActivitySessions(owner(provider), ids.workshop, { kind: 'cancel', index: 0 }, 0);
    const changed = await feed({ providerId: provider.id }, { 'if-none-match': a.headers.etag as string });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(a.headers.etag);
    const workshop = changed.json.items.find((i: { activityId: string }) => i.activityId === ids.workshop);
    expect(workshop.sessions).toEqual([{ startsOn: addDays(today, 20), endsOn: addDays(today, 21), online: true }]);
  });
});

describe('GET /v1/catalogue/sessions.ics', () => {
  async function calendar(query: Record<string, string> = {}, headers: Record<string, string> = {}) {
    return invoke(sessionsRoute, { path: '/v1/catalogue/sessions.ics', query, headers });
  }
  const events = (text: string) => new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));

  it('is an iCalendar of the sessions of the catalogue’s activities only: all-day events with UID, place, URL and provider and points', async () => {
    const res = await calendar();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const all = events(res.body);
    const titles = all.map((e) => e.summary);
    expect(titles).not.toContain('Interne training');
    expect(titles).not.toContain('Verlopen');
    expect(titles).not.toContain('Nog niet erkend');

    const workshop = all.filter((e) => e.summary === 'Inlenersbeloning in de praktijk');
    const online = workshop.find((e) => e.startDate.toString() === addDays(today, 20))!;
    expect(online).toBeDefined();
    expect(online.startDate.isDate).toBe(true);
    // DTEND is exclusive: a session on the 20th and 21st ends at the start of the 22nd.
    expect(online.endDate.toString()).toBe(addDays(today, 22));
    expect(online.location).toBe('Online');
    expect(online.uid).toMatch(new RegExp(`^${ids.workshop}-\\d{8}-[0-9a-f]{8}@`));
    expect(online.component.getFirstPropertyValue('url')).toBe(`${process.env.PUBLIC_BASE_URL || 'https://pe-register.nl'}/scholingskalender/${ids.workshop}`);
    expect(online.description).toContain(`Aanbieder: ${provider.name}`);
    expect(online.description).toMatch(/PE-punten: \d/);

    const webinar = all.find((e) => e.summary === 'AVG voor intercedenten' && e.startDate.toString() === addDays(today, 5))!;
    expect(webinar.location).toBe('Amsterdam (ook online)');
    expect(webinar.endDate.toString()).toBe(addDays(today, 6));
    expect(new Set(all.map((e) => e.uid)).size).toBe(all.length);
  });

  it('keeps the UIDs of unchanged sessions, and a cancelled session leaves the feed', async () => {
    const before = events((await calendar({ providerId: other.id })).body);
    await changeActivitySessions(owner(other), ids.webinar, { kind: 'add', session: { startsOn: addDays(today, 2), location: 'Tilburg' } }, 1);
    const after = events((await calendar({ providerId: other.id })).body);
    expect(after.map((e) => e.uid)).toEqual(expect.arrayContaining(before.map((e) => e.uid)));
    expect(after).toHaveLength(before.length + 1);
    const tilburg = after.findIndex((e) => e.location === 'Tilburg');
    await changeActivitySessions(owner(other), ids.webinar, { kind: 'cancel', index: 0 }, 2);
    const cancelled = events((await calendar({ providerId: other.id })).body);
    expect(cancelled.map((e) => e.location)).not.toContain('Tilburg');
    expect(cancelled.map((e) => e.uid).sort()).toEqual(before.map((e) => e.uid).sort());
    expect(tilburg).toBeGreaterThanOrEqual(0);
  });

  it('filters by topic and provider as the catalogue does', async () => {
    const t02 = events((await calendar({ topic: 'T02' })).body);
    expect(new Set(t02.map((e) => e.summary))).toEqual(new Set(['AVG voor intercedenten']));
    const mine = events((await calendar({ providerId: provider.id })).body);
    expect(new Set(mine.map((e) => e.summary))).toEqual(new Set(['Inlenersbeloning in de praktijk', 'Van voor updatedAt']));
    const bad = await calendar({ providerId: 'nobody' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['query.providerId']);
  });

  it('has a stable ETag and answers If-None-Match with a 304', async () => {
    const a = await calendar();
    const b = await calendar();
    expect(b.headers.etag).toBe(a.headers.etag);
    const cached = await calendar({}, { 'if-none-match': a.headers.etag as string });
    expect(cached.statusCode).toBe(304);
    expect(cached.body).toBe('');
  });
});

describe('the feed and ratings', () => {
  it('leaves the rating out: it moves with every evaluation, which updatedSince does not follow', async () => {
    const w = await ratingWorld(5);
    for (const p of w.people) expect((await rate(p.creditId, p.apiKey, { rating: 4 })).statusCode).toBe(201);
    // The public activity shows it (5 ratings) …
    const shown = await invoke(getActivity, { path: `/v1/activities/${w.activityId}` });
    expect(shown.json.rating).toEqual({ average: 4, count: 5 });
    // … the feed's item does not, so no platform keeps a stale average.
    const res = await feed({ providerId: w.provider.providerId });
    const item = res.json.items.find((i: { activityId: string }) => i.activityId === w.activityId);
    expect(item).toBeDefined();
    expect(item).not.toHaveProperty('rating');
  });
});
