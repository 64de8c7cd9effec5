/**
 * Issue 16 part 3: evaluations through the API — `POST /v1/credits/{id}/evaluation` (once, also
 * when two arrive at once; bounds; comment rules; only the credited participant), the owner's
 * `GET /v1/activities/{id}/evaluations` (aggregate right after many, newest first, no names),
 * the public rating (hidden below 5, shown from 5, never a comment), and the personal-data holder.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as listEvaluationsHandler from '../../functions/http/list-activity-evaluations';
import * as getActivityHandler from '../../functions/http/get-activity';
import * as listActivitiesHandler from '../../functions/http/list-activities';
import * as getParticipantHandler from '../../functions/http/get-participant';
import * as revokeCreditHandler from '../../functions/http/revoke-credit';
import * as employeeHistoryHandler from '../../functions/http/get-employee-history';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { vi } from 'vitest';
import { getCredit } from '../../shared/data/credits';
import { evaluatedMarkerKey, type CreditEvaluation } from '../../shared/data/evaluations';
import { employerEvaluations } from '../../shared/services/evaluations';
import { adminKey, invoke } from '../setup/helpers';
import { getActivity } from '../../shared/data/activities';
import { db, tableName } from '../../shared/data/client';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { holders as evaluationHolders } from '../../shared/services/personal-data/evaluations';
import { personalDataHolders } from '../../shared/services/personal-data';
import { newProvider } from './webhook.fixtures';
import { newEmployer } from './employers.fixtures';
import { internalCredit, linkTo, rate, ratingWorld, recognizedActivity, type RatingWorld } from './evaluations.fixtures';
import { lookupApiKey } from '../../shared/data/api-keys';

const list = (activityId: string, apiKey: string | undefined, query: Record<string, string | number> = {}) =>
  invoke(listEvaluationsHandler, { path: `/v1/activities/${activityId}/evaluations`, apiKey, query });
const publicActivity = (activityId: string) => invoke(getActivityHandler, { path: `/v1/activities/${activityId}` });
const catalogueItem = async (activityId: string, topic?: string) => {
  const res = await invoke(listActivitiesHandler, { path: '/v1/activities', query: { limit: 200, ...(topic ? { topic } : {}) } });
  expect(res.statusCode).toBe(200);
  return res.json.items.find((i: { activityId: string }) => i.activityId === activityId);
};

describe('POST /v1/credits/{creditId}/evaluation', () => {
  let w: RatingWorld;
  beforeAll(async () => {
    w = await ratingWorld(10);
  });

  it('rates once: 201 with the rating, then 409 already-evaluated; the dossier shows it', async () => {
    const [p] = w.people;
    const first = await rate(p.creditId, p.apiKey, { rating: 4, comment: '  Goede  trainer.\nPraktisch.  ' });
    expect(first.statusCode).toBe(201);
    expect(first.json).toMatchObject({ creditId: p.creditId, activityId: w.activityId, rating: 4, comment: 'Goede  trainer.\nPraktisch.' });
    const again = await rate(p.creditId, p.apiKey, { rating: 1 });
    expect(again.statusCode).toBe(409);
    expect(again.json).toMatchObject({ reason: 'already-evaluated', rating: 4 });
    const dossier = await invoke(getParticipantHandler, { path: `/v1/participants/${p.participantId}`, apiKey: p.apiKey });
    expect(dossier.json.credits.find((c: { creditId: string }) => c.creditId === p.creditId).evaluation).toMatchObject({ rating: 4 });
    const a = await getActivity(w.activityId, true);
    expect([a!.ratingSum, a!.ratingCount]).toEqual([4, 1]);
  });

  it('two (or six) at once: one 201, the others 409, counted once', async () => {
    const p = w.people[1];
    const before = (await getActivity(w.activityId, true))!;
    const answers = await Promise.all([5, 4, 3, 2, 1, 5].map((rating) => rate(p.creditId, p.apiKey, { rating })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const won = answers.find((r) => r.statusCode === 201)!.json.rating;
    for (const r of answers.filter((x) => x.statusCode === 409)) expect(r.json.reason).toBe('already-evaluated');
    const after = (await getActivity(w.activityId, true))!;
    expect(after.ratingCount).toBe(before.ratingCount! + 1);
    expect(after.ratingSum).toBe(before.ratingSum! + won);
    const items = await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `EVALUATIONS#${w.activityId}` }, ConsistentRead: true }));
    // Two people rated so far (people 0 and 1): one item each, the winner's the one its credit names.
    expect(items.Items).toHaveLength(2);
    const { evaluationId } = ((await getCredit(p.creditId, true)) as unknown as { evaluation: CreditEvaluation }).evaluation;
    expect(items.Items!.filter((i) => i.evaluationId === evaluationId && String(i.sk).endsWith(`#${evaluationId}`))).toHaveLength(1);
  });

  it('the rating is the participant’s own: its employer sees no `evaluation` in the dossier or the history; the participant and the admin do', async () => {
    const [p] = w.people; // rated 4 above
    const creditOf = (body: { credits: { creditId: string; evaluation?: unknown }[] }) => body.credits.find((c) => c.creditId === p.creditId)!;
    const byEmployer = await invoke(getParticipantHandler, { path: `/v1/participants/${p.participantId}`, apiKey: w.employer.apiKey });
    expect(byEmployer.statusCode).toBe(200);
    expect(creditOf(byEmployer.json)).toBeDefined();
    expect(creditOf(byEmployer.json)).not.toHaveProperty('evaluation');
    const history = await invoke(employeeHistoryHandler, { path: `/v1/employers/${w.employer.employerId}/report/${p.participantId}`, apiKey: w.employer.apiKey, headers: { accept: 'application/json' } });
    expect(history.statusCode).toBe(200);
    expect(creditOf(history.json)).toBeDefined();
    expect(creditOf(history.json)).not.toHaveProperty('evaluation');
    const own = await invoke(getParticipantHandler, { path: `/v1/participants/${p.participantId}`, apiKey: p.apiKey });
    expect(creditOf(own.json).evaluation).toMatchObject({ rating: 4 });
    const admin = await invoke(getParticipantHandler, { path: `/v1/participants/${p.participantId}`, apiKey: await adminKey() });
    expect(creditOf(admin.json).evaluation).toMatchObject({ rating: 4 });
  });

  it('a transaction that keeps conflicting with others: 409 concurrent-update, nothing written, and it can be sent again', async () => {
    const p = w.people[8];
    const conflict = () =>
      new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'TransactionConflict' }] });
    const client = db();
    const send = client.send.bind(client);
    const spy = vi.spyOn(client, 'send').mockImplementation(((command: unknown, ...rest: unknown[]) =>
      command instanceof TransactWriteCommand ? Promise.reject(conflict()) : (send as (...a: unknown[]) => unknown)(command, ...rest)) as never);
    let res;
    try {
      res = await rate(p.creditId, p.apiKey, { rating: 3 });
    } finally {
      spy.mockRestore();
    }
    expect(res.statusCode).toBe(409);
    expect(res.json.reason).toBe('concurrent-update');
    expect(((await getCredit(p.creditId, true)) as { evaluation?: unknown } | undefined)?.evaluation).toBeUndefined();
    expect((await rate(p.creditId, p.apiKey, { rating: 3 })).statusCode).toBe(201);
  });

  it('rating is a whole number 1–5; unknown fields refused; nothing written', async () => {
    const p = w.people[2];
    for (const rating of [0, 6, -1, 2.5, '3', null, true]) {
      const res = await rate(p.creditId, p.apiKey, { rating });
      expect(res.statusCode, JSON.stringify(rating)).toBe(400);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('rating');
    }
    const missing = await rate(p.creditId, p.apiKey, { comment: 'Prima' });
    expect(missing.statusCode).toBe(400);
    const extra = await rate(p.creditId, p.apiKey, { rating: 3, participantId: p.participantId });
    expect(extra.statusCode).toBe(400);
    // Still unrated: bounds 1 and 5 themselves are fine.
    expect((await rate(p.creditId, p.apiKey, { rating: 1 })).statusCode).toBe(201);
    expect((await rate(w.people[3].creditId, w.people[3].apiKey, { rating: 5 })).statusCode).toBe(201);
  });

  it('comment: text rules (length, control and bidi characters, blank) name the field', async () => {
    const p = w.people[4];
    const bad = ['x'.repeat(2001), 'a\u0000b', 'abc\u202Edef', '   \n ', 'a\u2028b'];
    for (const comment of bad) {
      const res = await rate(p.creditId, p.apiKey, { rating: 3, comment });
      expect(res.statusCode).toBe(400);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(['comment']);
    }
    const ok = await rate(p.creditId, p.apiKey, { rating: 3, comment: 'x'.repeat(2000) });
    expect(ok.statusCode).toBe(201);
  });

  it('only the credited participant: another participant 404, organisations 403, no key 401, unknown id 404', async () => {
    const p = w.people[5];
    const other = w.people[6];
    const stranger = await rate(p.creditId, other.apiKey, { rating: 2 });
    expect(stranger.statusCode).toBe(404);
    expect((await rate(p.creditId, w.provider.apiKey, { rating: 2 })).statusCode).toBe(403);
    expect((await rate(p.creditId, w.employer.apiKey, { rating: 2 })).statusCode).toBe(403);
    expect((await rate(p.creditId, await adminKey(), { rating: 2 })).statusCode).toBe(403);
    expect((await rate(p.creditId, undefined, { rating: 2 })).statusCode).toBe(401);
    expect((await rate('crd_00000000000000000000000000', p.apiKey, { rating: 2 })).statusCode).toBe(404);
    // A malformed id is the path schema's 400, as on every route with typed ids.
    expect((await rate('not-a-credit', p.apiKey, { rating: 2 })).statusCode).toBe(400);
    // The stranger's attempt wrote nothing: the owner can still rate.
    expect((await rate(p.creditId, p.apiKey, { rating: 2 })).statusCode).toBe(201);
  });

  it('a revoked credit cannot be rated: 409 credit-revoked', async () => {
    const p = w.people[7];
    const revoked = await invoke(revokeCreditHandler, { method: 'POST', path: `/v1/credits/${p.creditId}/revocations`, apiKey: w.provider.apiKey, body: { reason: 'Niet aanwezig geweest' } });
    expect(revoked.statusCode).toBe(200);
    const before = (await getActivity(w.activityId, true))!.ratingCount;
    const res = await rate(p.creditId, p.apiKey, { rating: 5 });
    expect(res.statusCode).toBe(409);
    expect(res.json.reason).toBe('credit-revoked');
    expect((await getActivity(w.activityId, true))!.ratingCount).toBe(before);
  });

  it('an internal activity is marked only for its own employer, not for another the rater is linked to', async () => {
    const p = w.people[9];
    const b = await newEmployer(`Eigen academie ${Date.now()}`);
    await linkTo(b, p.participantId);
    const internal = await internalCredit(b, p);
    expect((await rate(internal.creditId, p.apiKey, { rating: 5 })).statusCode).toBe(201);
    expect((await employerEvaluations(b.employerId)).map((r) => r.activityId)).toEqual([internal.activityId]);
    expect((await employerEvaluations(w.employer.employerId)).map((r) => r.activityId)).not.toContain(internal.activityId);
    const marker = await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk AND sk = :sk', ExpressionAttributeValues: { ':pk': `EMPLOYER#${w.employer.employerId}`, ':sk': `EVALUATED#${internal.activityId}` }, ConsistentRead: true }));
    expect(marker.Items).toEqual([]);
    // A marker written before the rule (for every linked employer): the list leaves it out too.
    await db().send(new PutCommand({ TableName: tableName(), Item: { ...evaluatedMarkerKey(w.employer.employerId, internal.activityId), type: 'evaluatedMarker', employerId: w.employer.employerId, activityId: internal.activityId, activityTitle: internal.title, lastRatedAt: new Date().toISOString() } }));
    expect((await employerEvaluations(w.employer.employerId)).map((r) => r.activityId)).not.toContain(internal.activityId);
  });

  it('a rating marks the activity for the participant’s employer (what /werkgever/evaluaties lists)', async () => {
    const rows = await employerEvaluations(w.employer.employerId);
    expect(rows.map((r) => r.activityId)).toEqual([w.activityId]);
    const other = await newEmployer(`Ander ${Date.now()}`);
    expect(await employerEvaluations(other.employerId)).toEqual([]);
  });
});

describe('the aggregate, the owner’s list and the public rating', () => {
  let w: RatingWorld;
  const ratings = [5, 4, 4, 2, 5, 3, 1, 4];
  const secret = 'VERTROUWELIJK-opmerking';
  beforeAll(async () => {
    w = await ratingWorld(10);
  });

  it('hidden below 5 ratings, shown from 5 — activity, catalogue and topic copies — and never a comment', async () => {
    for (let i = 0; i < 4; i++) expect((await rate(w.people[i].creditId, w.people[i].apiKey, { rating: ratings[i], comment: `${secret} ${i}` })).statusCode).toBe(201);
    const four = await publicActivity(w.activityId);
    expect(four.statusCode).toBe(200);
    expect(four.json.rating).toBeUndefined();
    expect((await catalogueItem(w.activityId)).rating).toBeUndefined();
    expect((await catalogueItem(w.activityId, 'T03')).rating).toBeUndefined();

    expect((await rate(w.people[4].creditId, w.people[4].apiKey, { rating: ratings[4], comment: `${secret} 4` })).statusCode).toBe(201);
    const five = await publicActivity(w.activityId);
    // (5+4+4+2+5)/5 = 4
    expect(five.json.rating).toEqual({ average: 4, count: 5 });
    expect((await catalogueItem(w.activityId)).rating).toEqual({ average: 4, count: 5 });
    expect((await catalogueItem(w.activityId, 'T02')).rating).toEqual({ average: 4, count: 5 });
    expect((await catalogueItem(w.activityId, 'T03')).rating).toEqual({ average: 4, count: 5 });
    for (const body of [five.body, JSON.stringify(await catalogueItem(w.activityId)), JSON.stringify(await catalogueItem(w.activityId, 'T02'))]) expect(body).not.toContain(secret);
  });

  it('after many (some at once): the owner sees the exact average, newest first, without who gave them', async () => {
    await Promise.all([5, 6, 7].map((i) => rate(w.people[i].creditId, w.people[i].apiKey, { rating: ratings[i] }).then((r) => expect(r.statusCode).toBe(201))));
    const res = await list(w.activityId, w.provider.apiKey);
    expect(res.statusCode).toBe(200);
    const sum = ratings.reduce((a, b) => a + b, 0);
    expect(res.json.count).toBe(ratings.length);
    expect(res.json.average).toBe(Math.round((sum / ratings.length) * 10) / 10);
    expect(res.json.items).toHaveLength(ratings.length);
    expect(res.json.items.map((i: { rating: number }) => i.rating).reduce((a: number, b: number) => a + b, 0)).toBe(sum);
    const ats = res.json.items.map((i: { at: string }) => i.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    expect(res.json.items.filter((i: { comment?: string }) => i.comment?.startsWith(secret))).toHaveLength(5);
    for (const item of res.json.items) expect(Object.keys(item).sort()).toEqual(item.comment ? ['at', 'comment', 'rating'] : ['at', 'rating']);
    for (const p of w.people) {
      expect(res.body).not.toContain(p.participantId);
      expect(res.body).not.toContain(p.registrationNumber);
      expect(res.body).not.toContain(p.creditId);
    }
    // The public aggregate agrees.
    expect((await publicActivity(w.activityId)).json.rating).toEqual({ average: res.json.average, count: ratings.length });
  });

  it('pages with signed cursors, newest first across pages', async () => {
    const first = await list(w.activityId, w.provider.apiKey, { limit: 3 });
    expect(first.json.items).toHaveLength(3);
    expect(first.json.nextCursor).toBeTruthy();
    const second = await list(w.activityId, w.provider.apiKey, { limit: 3, cursor: first.json.nextCursor });
    expect(second.statusCode).toBe(200);
    expect(second.json.items[0].at <= first.json.items[2].at).toBe(true);
    const tampered = await list(w.activityId, w.provider.apiKey, { limit: 3, cursor: `${first.json.nextCursor.slice(0, -2)}xx` });
    expect(tampered.statusCode).toBe(400);
  });

  it('neither the cursor (readable, only signed) nor the stored item links a rating to a credit or a participant', async () => {
    const res = await list(w.activityId, w.provider.apiKey, { limit: 1 });
    expect(res.statusCode).toBe(200);
    const payload = Buffer.from(res.json.nextCursor.split('.')[0], 'base64url').toString('utf8');
    expect(JSON.parse(payload)).toMatchObject({ pk: `EVALUATIONS#${w.activityId}` });
    expect(payload).not.toContain('crd_');
    expect(payload).not.toContain('par_');
    const items = await db().send(new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `EVALUATIONS#${w.activityId}` }, ConsistentRead: true }));
    expect(items.Items!.length).toBeGreaterThan(0);
    for (const item of items.Items!) {
      expect(item).not.toHaveProperty('creditId');
      expect(item).not.toHaveProperty('participantId');
      expect(JSON.stringify(item)).not.toMatch(/crd_|par_/);
    }
  });

  it('who may list: the owner and the admin; another provider or an employer 404; a participant 403; no key 401', async () => {
    expect((await list(w.activityId, await adminKey())).statusCode).toBe(200);
    const other = await newProvider();
    expect((await list(w.activityId, other.apiKey)).statusCode).toBe(404);
    expect((await list(w.activityId, w.employer.apiKey)).statusCode).toBe(404);
    expect((await list(w.activityId, w.people[0].apiKey)).statusCode).toBe(403);
    expect((await list(w.activityId, undefined)).statusCode).toBe(401);
    expect((await list('act_00000000000000000000000000', w.provider.apiKey)).statusCode).toBe(404);
  });

  it('an internal activity: its employer lists the ratings, the public sees nothing of it', async () => {
    const employerCaller = (await lookupApiKey(w.employer.apiKey))!;
    const internal = await recognizedActivity(employerCaller, { internal: true });
    const res = await list(internal.activityId, w.employer.apiKey);
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ average: null, count: 0, items: [] });
    expect((await list(internal.activityId, w.provider.apiKey)).statusCode).toBe(404);
    expect((await publicActivity(internal.activityId)).statusCode).toBe(404);
  });

  it('people’s data: the export holds the participant’s own evaluations; erasure removes the comment and keeps the rating counted', async () => {
    expect(personalDataHolders).toEqual(expect.arrayContaining(evaluationHolders));
    const [holder] = evaluationHolders;
    const p = w.people[0];
    const exported = (await holder.export(p.participantId)) as { creditId: string; rating: number; comment?: string }[];
    expect(exported).toEqual([expect.objectContaining({ creditId: p.creditId, activityId: w.activityId, rating: ratings[0], comment: `${secret} 0` })]);
    expect(await holder.export(w.people[9].participantId)).toEqual([]);

    const before = await list(w.activityId, w.provider.apiKey);
    const ctx = { pseudonym: 'Verwijderd 0001', erasedAt: new Date().toISOString(), reason: 'Verzoek', by: 'admin' };
    await holder.erase(p.participantId, ctx);
    await holder.erase(p.participantId, ctx); // idempotent
    const after = await list(w.activityId, w.provider.apiKey);
    expect([after.json.count, after.json.average]).toEqual([before.json.count, before.json.average]);
    expect(after.body).not.toContain(`${secret} 0`);
    expect(after.json.items.filter((i: { comment?: string }) => i.comment?.startsWith(secret))).toHaveLength(4);
    const again = (await holder.export(p.participantId)) as { comment?: string; commentErasedAt?: string }[];
    expect(again[0].comment).toBeUndefined();
    expect(again[0].commentErasedAt).toBe(ctx.erasedAt);
    // Erased or not, the credit was rated once.
    expect((await rate(p.creditId, p.apiKey, { rating: 1 })).statusCode).toBe(409);
  });
});
