/**
 * Credits in groups (issue 17 part 3): several credits share one transaction, a group cancelled
 * by one credit's condition answers that credit and lands the others, and the answers are the
 * ones one transaction per credit gave — in order, exactly once, under concurrency.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as createProvider from '../../functions/http/create-provider';
import * as listEventsHandler from '../../functions/http/list-participant-events';
import { adminKey, invoke } from '../setup/helpers';
import { importedParticipants, recognisedActivity, signedDelivery } from './webhook.fixtures';
import { lookupApiKey, type ApiKeyRecord } from '../../shared/data/api-keys';
import { listRegistrations } from '../../shared/data/participants';
import { db } from '../../shared/data/client';
import { creditCompletions, writeCredits, type CreditResult } from '../../shared/services/crediting';
import { creditIdFor, type Credit } from '../../shared/data/credits';
import { NO_LINKS } from '../../shared/data/employee-state';
import { addDays } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';

const today = todayInAmsterdam();
let seq = 0;
const uid = () => `${Date.now().toString(36)}${++seq}`.toUpperCase();

let provider: { providerId: string; webhookSecret: string; caller: ApiKeyRecord };
const activities: { activityId: string; points: number }[] = [];

/** `n` diploma holders with a running period, imported in one request (the webhook fixtures' own). */
const participants = (n: number) => importedParticipants(n, today);

const completion = (activityId: string, registrationNumber: string, externalId = `g-${uid()}`) => ({
  externalId, activityId, participant: { registrationNumber }, completedOn: addDays(today, -1),
});

async function pointsOf(participantId: string) {
  return (await listRegistrations(participantId)).find((r) => r.startsOn <= today && today < r.endsOn)!.points;
}

const sender = () => ({ id: provider.providerId, role: 'provider' as const });
const answers = (results: CreditResult[]) => results.map((r) => r.reason ?? r.status);

/** Watches the crediting transactions: how many, and how many items each. `before` runs once, before the first. */
let watching: { sizes: number[]; before?: () => Promise<unknown> } | undefined;
function watchTransactions(before?: () => Promise<unknown>) {
  watching = { sizes: [], before };
  return watching;
}
afterEach(() => {
  watching = undefined;
});

beforeAll(async () => {
  const res = await invoke(createProvider, { path: '/v1/providers', apiKey: await adminKey(), body: { name: `Opleider ${uid()}`, kvkNumber: '12345678', contactEmail: `g${uid()}@example.nl` } });
  provider = { ...res.json, caller: (await lookupApiKey(res.json.apiKey))! };
  for (const minutes of [60, 120, 180]) activities.push(await recognisedActivity(provider.caller, addDays(today, -400), minutes));
  db().middlewareStack.add(
    (next, context) => async (args) => {
      const w = watching;
      if (w && /^TransactWrite/.test(String(context.commandName))) {
        const before = w.before;
        w.before = undefined;
        if (before) await before();
        w.sizes.push(((args.input as { TransactItems: unknown[] }).TransactItems ?? []).length);
      }
      return next(args);
    },
    { step: 'initialize', name: 'crediting-groups-watch' },
  );
});

describe('a group that one credit cancels', () => {
  it('answers that credit (already credited in the period; credited concurrently → duplicate) and lands the others of its group', async () => {
    const [a] = activities;
    const people = await participants(6);
    // The second participant has the activity in this period already, under another externalId.
    const earlier = await creditCompletions(sender(), [completion(a.activityId, people[1].registrationNumber)], today);
    expect(earlier[0].status).toBe('credited');
    const items = people.map((p) => completion(a.activityId, p.registrationNumber));
    // The third completion arrives in another delivery while this batch is on its way: it is
    // credited after this batch looked for existing credits, before its transaction.
    const w = watchTransactions(() => creditCompletions(sender(), [items[2]], today));
    const results = await creditCompletions(sender(), items, today);

    expect(results.map((r) => r.externalId)).toEqual(items.map((i) => i.externalId));
    expect(answers(results)).toEqual(['credited', 'already-credited-in-period', 'duplicate', 'credited', 'credited', 'credited']);
    expect(results[2]).toMatchObject({ creditId: expect.stringMatching(/^crd_/), points: a.points });
    for (const i of [0, 3, 4, 5]) expect(results[i]).toMatchObject({ creditId: expect.stringMatching(/^crd_/), points: a.points });
    for (const p of people) expect(await pointsOf(p.participantId)).toBe(a.points);
    // The concurrent delivery's one credit, then the group of six (cancelled), then the four others together.
    expect(w.sizes).toEqual([2, 12, 8]);
  });

  it('two completions of one participant period in a batch: the earlier lands first, the same activity again is already credited', async () => {
    const [a, b] = activities;
    const people = await participants(3);
    const [p, q, r] = people;
    const items = [
      completion(a.activityId, p.registrationNumber),
      completion(a.activityId, q.registrationNumber),
      completion(b.activityId, p.registrationNumber),
      completion(a.activityId, p.registrationNumber),
      completion(b.activityId, r.registrationNumber),
      completion(b.activityId, q.registrationNumber),
    ];
    const w = watchTransactions();
    const results = await creditCompletions(sender(), items, today);
    expect(answers(results)).toEqual(['credited', 'credited', 'credited', 'already-credited-in-period', 'credited', 'credited']);
    expect(await pointsOf(p.participantId)).toBe(a.points + b.points);
    expect(await pointsOf(q.participantId)).toBe(a.points + b.points);
    expect(await pointsOf(r.participantId)).toBe(b.points);
    // Never two operations on one period in one transaction: p's three go in three waves.
    expect(w.sizes.length).toBeLessThan(items.length);
    expect(w.sizes.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(items.length * 2);
  });
});

describe('group size', () => {
  it('more than 100 items are split across transactions of at most 100', async () => {
    const [, , c] = activities;
    const people = await participants(51);
    const w = watchTransactions();
    const results = await creditCompletions(sender(), people.map((p) => completion(c.activityId, p.registrationNumber)), today, { creditsPerTransaction: 100 });
    expect(results.every((r) => r.status === 'credited')).toBe(true);
    expect(w.sizes).toEqual([100, 2]);
    const points = await Promise.all(people.map((p) => pointsOf(p.participantId)));
    expect(points.every((x) => x === c.points)).toBe(true);
  });
});

describe('the write phase alone (writeCredits: what the bench sets against one credit per transaction)', () => {
  it('writes credits already checked in the same groups, with the same answers: credited, then duplicate, then already credited in the period', async () => {
    const [a] = activities;
    const people = await participants(4);
    const credit = (participantId: string, startsOn: string, externalId = `w-${uid()}`): Credit => ({
      creditId: creditIdFor(provider.providerId, externalId), participantId, registrationStartsOn: startsOn, activityId: a.activityId, activityTitle: 'Schrijven',
      points: a.points, completedOn: addDays(today, -1), senderId: provider.providerId, senderRole: 'provider', externalId, createdAt: new Date().toISOString(),
    });
    const starts = await Promise.all(people.map(async (p) => (await listRegistrations(p.participantId))[0].startsOn));
    const credits = people.map((p, i) => credit(p.participantId, starts[i]));
    const actor = { role: 'provider' as const, id: provider.providerId };
    const w = watchTransactions();
    expect(answers(await writeCredits(credits, actor, new Date(), () => NO_LINKS))).toEqual(['credited', 'credited', 'credited', 'credited']);
    expect(w.sizes).toEqual([8]);
    const again = await writeCredits(credits, actor, new Date(), () => NO_LINKS);
    expect(again.map((r) => [r.status, r.points])).toEqual(credits.map(() => ['duplicate', a.points]));
    const other = await writeCredits([credit(people[0].participantId, starts[0])], actor, new Date(), () => NO_LINKS);
    expect(answers(other)).toEqual(['already-credited-in-period']);
    for (const p of people) expect(await pointsOf(p.participantId)).toBe(a.points);
  });
});

describe('concurrency', () => {
  it('the same batch delivered three times at once (three webhook-ids) credits each completion once', async () => {
    const [a, b] = activities;
    const people = await participants(4);
    const items = [
      ...people.map((p) => completion(a.activityId, p.registrationNumber)),
      completion(b.activityId, people[0].registrationNumber),
      completion(a.activityId, people[1].registrationNumber), // the same activity again: rejected in every answer
    ];
    const body = JSON.stringify({ completions: items });
    const post = () => signedDelivery(provider, body);
    const responses = await Promise.all([post(), post(), post()]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    for (let i = 0; i < items.length - 1; i++) {
      const statuses = responses.map((r) => r.json.results[i].status);
      expect(statuses.filter((s: string) => s === 'credited')).toHaveLength(1);
      expect(statuses.filter((s: string) => s === 'duplicate')).toHaveLength(2);
      expect(new Set(responses.map((r) => r.json.results[i].creditId)).size).toBe(1);
    }
    for (const r of responses) expect(r.json.results[items.length - 1]).toMatchObject({ status: 'rejected', reason: 'already-credited-in-period' });
    expect(await pointsOf(people[0].participantId)).toBe(a.points + b.points);
    for (const p of people.slice(1)) expect(await pointsOf(p.participantId)).toBe(a.points);
  });
});

describe('the audit trail', () => {
  it('each credit is a credit.credited event of the participant, in time order, paged without loss or repeat', async () => {
    const [a, b, c] = activities;
    const [p] = await participants(1);
    for (const act of [a, b, c]) await creditCompletions(sender(), [completion(act.activityId, p.registrationNumber)], today);
    const admin = await adminKey();
    const all = (await invoke(listEventsHandler, { path: `/v1/participants/${p.participantId}/events`, query: { limit: 200 }, apiKey: admin })).json.items;
    const credited = all.filter((e: { action: string }) => e.action === 'credit.credited');
    expect(credited.map((e: { after: { activityId: string } }) => e.after.activityId)).toEqual([a.activityId, b.activityId, c.activityId]);
    expect(credited[0]).toMatchObject({ actor: { role: 'provider', id: provider.providerId }, after: { points: a.points, completedOn: addDays(today, -1) } });
    expect(all.map((e: { at: string }) => e.at)).toEqual([...all.map((e: { at: string }) => e.at)].sort());

    const paged: unknown[] = [];
    let cursor: string | undefined;
    do {
      const res = await invoke(listEventsHandler, { path: `/v1/participants/${p.participantId}/events`, query: { limit: 1, ...(cursor ? { cursor } : {}) }, apiKey: admin });
      expect(res.statusCode).toBe(200);
      paged.push(...res.json.items);
      cursor = res.json.nextCursor ?? undefined;
    } while (cursor && paged.length <= all.length);
    expect(paged).toEqual(all);
  });
});
