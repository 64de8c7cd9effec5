import { beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import * as receiveCompletions from '../../functions/http/receive-completions';
import * as revokeCreditHandler from '../../functions/http/revoke-credit';
import * as employerCredits from '../../functions/http/create-employer-credits';
import * as createProvider from '../../functions/http/create-provider';
import * as createEmployer from '../../functions/http/create-employer';
import * as importDiplomas from '../../functions/http/import-diplomas';
import * as getParticipantHandler from '../../functions/http/get-participant';
import * as listEvents from '../../functions/http/list-participant-events';
import { adminKey, invoke, sesMessages } from '../setup/helpers';
import { lookupApiKey, type ApiKeyRecord } from '../../shared/data/api-keys';
import { recognisedActivity } from './webhook.fixtures';
import { getDiploma, getParticipant, listRegistrations } from '../../shared/data/participants';
import { db, tableName } from '../../shared/data/client';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { claimIdempotency, hashBody, idempotencyKey } from '../../shared/data/idempotency';
import { DELIVERY_LEASE_MS } from '../../shared/services/webhooks';
import { addDays } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { eraseParticipant } from '../../shared/services/personal-data/rights';

const today = todayInAmsterdam();
let seq = 0;
const uid = () => `${Date.now().toString(36)}${++seq}`.toUpperCase();

interface ProviderCtx {
  providerId: string;
  apiKey: string;
  webhookSecret: string;
  caller: ApiKeyRecord;
}

async function provider(): Promise<ProviderCtx> {
  const res = await invoke(createProvider, { path: '/v1/providers', apiKey: await adminKey(), body: { name: `Opleider ${uid()}`, kvkNumber: '12345678', contactEmail: `opl${uid()}@example.nl` } });
  return { ...res.json, caller: (await lookupApiKey(res.json.apiKey))! };
}

/** A recognized activity, decided `decidedDaysAgo` ago, through the real recognition service. */
async function activity(owner: ApiKeyRecord, minutes = 180, decidedDaysAgo = 400, internal?: boolean): Promise<{ activityId: string; points: number }> {
  return recognisedActivity(owner, addDays(today, -decidedDaysAgo), minutes, internal);
}

/** A diploma holder with an active period that started `daysAgo` days ago. */
async function participant(daysAgo = 300, email: string | null = `p${uid()}@example.nl`) {
  const diplomaNumber = `D${uid()}`;
  await invoke(importDiplomas, {
    path: '/v1/diplomas',
    apiKey: await adminKey(),
    body: { diplomas: [{ diplomaNumber, type: 'backofficeprofessional', issuedOn: addDays(today, -daysAgo), holder: { initials: 'A.', lastName: `Bakker${uid()}`, birthDate: '1985-01-01', ...(email ? { email } : {}) } }] },
  });
  const participantId = (await getDiploma(diplomaNumber))!.participantId as string;
  const p = (await getParticipant(participantId))!;
  return { participantId, diplomaNumber, registrationNumber: p.registrationNumber, email, startsOn: addDays(today, -daysAgo) };
}

function sign(secret: string, body: string, opts: { id?: string; at?: Date } = {}) {
  const id = opts.id ?? `msg_${uid()}`;
  const at = opts.at ?? new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

async function post(p: ProviderCtx, completions: unknown[], opts: { id?: string; at?: Date; secret?: string; headers?: Record<string, string> } = {}) {
  const body = JSON.stringify({ completions });
  return invoke(receiveCompletions, {
    method: 'POST',
    path: `/v1/webhooks/providers/${p.providerId}/completions`,
    headers: opts.headers ?? sign(opts.secret ?? p.webhookSecret, body, opts),
    body,
  });
}

const completion = (externalId: string, activityId: string, participantRef: object, completedOn = addDays(today, -1)) => ({ externalId, activityId, participant: participantRef, completedOn });

async function pointsOf(participantId: string) {
  const regs = await listRegistrations(participantId);
  return regs.find((r) => r.startsOn <= today && today < r.endsOn)!.points;
}

let prv: ProviderCtx;
let act: { activityId: string; points: number };

beforeAll(async () => {
  prv = await provider();
  act = await activity(prv.caller, 200); // 3.25 points
});

describe('signature', () => {
  it('unsigned, forged, stale, future and another provider’s secret → 401, nothing credited', async () => {
    const p = await participant();
    const c = [completion(`x-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber })];
    const body = JSON.stringify({ completions: c });
    const other = await provider();
    const cases = [
      { 'content-type': 'application/json' },
      { ...sign(prv.webhookSecret, body), 'webhook-signature': 'v1,' + Buffer.from('forged').toString('base64') },
      sign(prv.webhookSecret, body, { at: new Date(Date.now() - 6 * 60_000) }),
      sign(prv.webhookSecret, body, { at: new Date(Date.now() + 6 * 60_000) }),
      sign(other.webhookSecret, body),
      sign(prv.webhookSecret, body.replace('completions', 'completions ')),
    ];
    for (const headers of cases) {
      const res = await invoke(receiveCompletions, { method: 'POST', path: `/v1/webhooks/providers/${prv.providerId}/completions`, headers, body });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toBe('application/problem+json');
    }
    // An unknown provider id answers the same.
    const unknown = await invoke(receiveCompletions, { method: 'POST', path: '/v1/webhooks/providers/prv_00000000000000000000000000/completions', headers: sign(prv.webhookSecret, body), body });
    expect(unknown.statusCode).toBe(401);
    expect(await pointsOf(p.participantId)).toBe(0);
  });

  it('accepts 4 minutes of skew both ways and any of several v1 signatures (rotation)', async () => {
    const p = await participant();
    for (const [i, skew] of [-4, 4].entries()) {
      const c = [completion(`skew-${i}-${uid()}`, (await activity(prv.caller, 60)).activityId, { registrationNumber: p.registrationNumber })];
      const res = await post(prv, c, { at: new Date(Date.now() + skew * 60_000) });
      expect(res.statusCode).toBe(200);
      expect(res.json.results[0].status).toBe('credited');
    }
    const c = [completion(`rot-${uid()}`, (await activity(prv.caller, 60)).activityId, { registrationNumber: p.registrationNumber })];
    const body = JSON.stringify({ completions: c });
    const headers = sign(prv.webhookSecret, body);
    headers['webhook-signature'] = `v1,${Buffer.from('an-old-secret-signature').toString('base64')} ${headers['webhook-signature']}`;
    const res = await post(prv, c, { headers });
    expect(res.json.results[0].status).toBe('credited');
  });
});

describe('batch semantics', () => {
  it('400 for a schema error, nothing credited', async () => {
    const p = await participant();
    const good = completion(`ok-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber });
    const res = await post(prv, [good, { externalId: 'b', activityId: act.activityId, participant: {}, completedOn: '2025-13-01' }]);
    expect(res.statusCode).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['completions[1].completedOn']));
    expect((await post(prv, [])).statusCode).toBe(400);
    expect((await post(prv, Array.from({ length: 501 }, (_, i) => ({ ...good, externalId: `e${i}` })))).statusCode).toBe(400);
    const malformed = await post(prv, [], { headers: sign(prv.webhookSecret, '{"completions": [') });
    expect([400, 401]).toContain(malformed.statusCode);
    expect(await pointsOf(p.participantId)).toBe(0);
  });

  it('one result per item, in order, with the reason of the first failing check', async () => {
    const p = await participant(300);
    const notYet = await participant(30); // registered 30 days ago only
    const never = { diplomaNumber: `D${uid()}` };
    const other = await provider();
    const othersActivity = await activity(other.caller, 60);
    const recentActivity = await activity(prv.caller, 60, 10); // recognized from 10 days ago
    const fresh = await activity(prv.caller, 120);
    const neverRegistered = `D${uid()}`;
    await invoke(importDiplomas, { path: '/v1/diplomas', apiKey: await adminKey(), body: { diplomas: [{ diplomaNumber: neverRegistered, type: 'uitzendprofessional', issuedOn: '2020-01-01', holder: { initials: 'B.', lastName: 'Nooit', birthDate: '1980-01-01' } }] } });
    const items = [
      completion(`r1-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber }),
      completion(`r2-${uid()}`, act.activityId, never),
      completion(`r3-${uid()}`, othersActivity.activityId, { registrationNumber: p.registrationNumber }),
      completion(`r4-${uid()}`, recentActivity.activityId, { registrationNumber: p.registrationNumber }, addDays(today, -20)),
      completion(`r5-${uid()}`, fresh.activityId, { diplomaNumber: p.diplomaNumber }, addDays(today, 1)),
      completion(`r6-${uid()}`, fresh.activityId, { registrationNumber: notYet.registrationNumber }, addDays(today, -60)),
      completion(`r7-${uid()}`, fresh.activityId, { diplomaNumber: neverRegistered }),
      completion(`r8-${uid()}`, act.activityId, { diplomaNumber: p.diplomaNumber }, addDays(today, -2)),
      completion(`r9-${uid()}`, 'act_NOPE', { registrationNumber: p.registrationNumber }),
    ];
    const res = await post(prv, items);
    expect(res.statusCode).toBe(200);
    expect(res.json.results.map((r: { externalId: string }) => r.externalId)).toEqual(items.map((i) => i.externalId));
    expect(res.json.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status)).toEqual([
      'credited',
      'participant-not-found',
      'activity-not-recognized',
      'activity-not-recognized',
      'completion-in-future',
      'not-registered-on-date',
      'not-registered-on-date',
      'already-credited-in-period',
      'activity-not-recognized',
    ]);
    expect(res.json.results[0]).toMatchObject({ creditId: expect.stringMatching(/^crd_/), points: 3.25 });
    expect(await pointsOf(p.participantId)).toBe(3.25);

    // Each rejection is in the audit trail with its reason.
    const events = await invoke(listEvents, { path: `/v1/participants/${p.participantId}/events`, query: { limit: 200 }, apiKey: await adminKey() });
    const rejected = events.json.items.filter((e: { action: string }) => e.action === 'credit.rejected').map((e: { detail: { reason: string } }) => e.detail.reason);
    expect(rejected.sort()).toEqual(['activity-not-recognized', 'activity-not-recognized', 'activity-not-recognized', 'already-credited-in-period', 'completion-in-future']);
    expect(events.json.items.some((e: { action: string; actor: { id: string } }) => e.action === 'credit.credited' && e.actor.id === prv.providerId)).toBe(true);
  });

  it('points count toward the period covering completedOn', async () => {
    const p = await participant(900); // first period lapsed ~170 days ago (starts 900 days ago, 2 years)
    const issued = p.startsOn;
    const a = await activity(prv.caller, 60, 1000);
    const res = await post(prv, [completion(`old-${uid()}`, a.activityId, { registrationNumber: p.registrationNumber }, addDays(issued, 10))]);
    expect(res.json.results[0].status).toBe('credited');
    const regs = await listRegistrations(p.participantId);
    expect(regs[0].points).toBe(1);
  });
});

describe('exactly once', () => {
  it('a completion sent again is a duplicate with the original credit, nothing added', async () => {
    const p = await participant();
    const c = completion(`dup-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber });
    const first = await post(prv, [c]);
    const second = await post(prv, [c]);
    expect(second.json.results[0]).toEqual({ externalId: c.externalId, status: 'duplicate', creditId: first.json.results[0].creditId, points: 3.25 });
    expect(await pointsOf(p.participantId)).toBe(3.25);
  });

  it('one externalId twice in a batch is one completion: the first occurrence decides, the later ones get its answer', async () => {
    for (let round = 0; round < 3; round++) {
      const [a, b] = [await participant(), await participant()];
      const externalId = `twice-${uid()}`;
      // Different participants under one externalId: whichever would commit first, item 0 is the credit.
      const res = await post(prv, [
        completion(externalId, act.activityId, { registrationNumber: a.registrationNumber }),
        completion(externalId, act.activityId, { registrationNumber: b.registrationNumber }),
      ]);
      expect(res.json.results[0]).toMatchObject({ externalId, status: 'credited', points: 3.25 });
      expect(res.json.results[1]).toEqual({ externalId, status: 'duplicate', creditId: res.json.results[0].creditId, points: 3.25 });
      expect([await pointsOf(a.participantId), await pointsOf(b.participantId)]).toEqual([3.25, 0]);
    }
    // A refused first occurrence is the answer for the later ones too: nothing is credited under that id.
    const c = await participant();
    const refused = `refused-${uid()}`;
    const res = await post(prv, [
      completion(refused, act.activityId, { registrationNumber: c.registrationNumber }, addDays(today, 1)),
      completion(refused, act.activityId, { registrationNumber: c.registrationNumber }),
    ]);
    expect(res.json.results).toEqual([
      { externalId: refused, status: 'rejected', reason: 'completion-in-future' },
      { externalId: refused, status: 'rejected', reason: 'completion-in-future' },
    ]);
    expect(await pointsOf(c.participantId)).toBe(0);
  });

  it('a redelivered webhook-id returns the first answer', async () => {
    const p = await participant();
    const c = [completion(`redeliver-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber })];
    const id = `msg_${uid()}`;
    const first = await post(prv, c, { id });
    const again = await post(prv, c, { id });
    expect(again.statusCode).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(again.json.results[0].status).toBe('credited');
  });

  it('the same webhook-id with another body → 409 webhook-id-reused, nothing of it credited', async () => {
    const [p, q] = [await participant(), await participant()];
    const id = `msg_${uid()}`;
    const first = await post(prv, [completion(`reuse-a-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber })], { id });
    expect(first.json.results[0].status).toBe('credited');

    const reused = await post(prv, [completion(`reuse-b-${uid()}`, act.activityId, { registrationNumber: q.registrationNumber })], { id });
    expect(reused.statusCode).toBe(409);
    expect(reused.headers['content-type']).toBe('application/problem+json');
    expect(reused.json).toMatchObject({ status: 409, reason: 'webhook-id-reused' });
    expect(await pointsOf(q.participantId)).toBe(0);
    expect(await pointsOf(p.participantId)).toBe(3.25);
  });

  it('concurrent deliveries of one webhook-id and body: processed once, every answer the first one', async () => {
    for (const n of [2, 5]) {
      const p = await participant();
      const c = [completion(`conc-${n}-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber })];
      const id = `msg_${uid()}`;
      const answers = await Promise.all(Array.from({ length: n }, () => post(prv, c, { id })));
      expect(answers.map((r) => r.statusCode)).toEqual(Array(n).fill(200));
      // Without the lock the later ones would have credited beside the first and answered `duplicate`.
      for (const r of answers) expect(r.json).toEqual(answers[0].json);
      expect(answers[0].json.results[0].status).toBe('credited');
      expect(answers.filter((r) => r.headers['x-webhook-replayed'] === 'true')).toHaveLength(n - 1);
      expect(await pointsOf(p.participantId)).toBe(3.25);
    }
  });

  it('a delivery still in progress: the same body waits, then 409 with Retry-After; after its lease it is redone', async () => {
    const p = await participant();
    const c = [completion(`lease-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber })];
    const id = `msg_${uid()}`;
    const claim = (now: Date) =>
      claimIdempotency({ scope: `${prv.providerId}#webhook`, key: id, operation: 'webhook-completions', bodyHash: hashBody({ completions: c }), resourceId: id, leaseMs: DELIVERY_LEASE_MS, now });
    // A first delivery holding a live lease (as if it were still crediting).
    expect((await claim(new Date())).kind).toBe('claimed');
    // 2.5 s left in the function: it may wait only briefly before answering.
    const busy = await invoke(receiveCompletions, { method: 'POST', path: `/v1/webhooks/providers/${prv.providerId}/completions`, headers: sign(prv.webhookSecret, JSON.stringify({ completions: c }), { id }), body: JSON.stringify({ completions: c }), timeoutMs: 2_500 });
    expect(busy.statusCode).toBe(409);
    expect(busy.json.reason).toBe('webhook-in-progress');
    expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await pointsOf(p.participantId)).toBe(0);

    // That delivery died: once its lease has run out, the next one takes the claim over and credits.
    await db().send(new UpdateCommand({ TableName: tableName(), Key: idempotencyKey(`${prv.providerId}#webhook`, id), UpdateExpression: 'SET leaseUntil = :past', ExpressionAttributeValues: { ':past': Date.now() - 1 } }));
    const redone = await post(prv, c, { id });
    expect(redone.statusCode).toBe(200);
    expect(redone.json.results[0].status).toBe('credited');
    expect(await pointsOf(p.participantId)).toBe(3.25);
    const again = await post(prv, c, { id });
    expect(again.json).toEqual(redone.json);
  });

  it('25 concurrent deliveries of one completion credit it once', async () => {
    const p = await participant();
    const c = [completion(`race-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber })];
    const results = await Promise.all(Array.from({ length: 25 }, () => post(prv, c)));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const statuses = results.map((r) => r.json.results[0].status);
    expect(statuses.filter((s) => s === 'credited')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(24);
    expect(new Set(results.map((r) => r.json.results[0].creditId)).size).toBe(1);
    expect(await pointsOf(p.participantId)).toBe(3.25);
  });

  it('20 concurrent different completions of one activity for one period: one credit', async () => {
    const p = await participant();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(prv, [completion(`same-act-${i}-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber })])),
    );
    const statuses = results.map((r) => r.json.results[0].status ?? r.statusCode);
    expect(statuses.filter((s) => s === 'credited')).toHaveLength(1);
    expect(results.filter((r) => r.json.results[0].reason === 'already-credited-in-period')).toHaveLength(19);
    expect(await pointsOf(p.participantId)).toBe(3.25);
  });
});

describe('revocation', () => {
  it('withdraws the points, keeps the credit as revoked, frees the activity; twice → 409', async () => {
    const p = await participant();
    const first = await post(prv, [completion(`rev-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber })]);
    const { creditId } = first.json.results[0];
    const res = await invoke(revokeCreditHandler, { path: `/v1/credits/${creditId}/revocations`, apiKey: prv.apiKey, body: { reason: 'Toets niet gehaald' } });
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ creditId, status: 'revoked', points: 3.25 });
    expect(await pointsOf(p.participantId)).toBe(0);
    const dossier = await invoke(getParticipantHandler, { path: `/v1/participants/${p.participantId}`, apiKey: await adminKey() });
    expect(dossier.json.credits).toEqual([expect.objectContaining({ creditId, status: 'revoked', points: 3.25, activityId: act.activityId })]);

    const twice = await invoke(revokeCreditHandler, { path: `/v1/credits/${creditId}/revocations`, apiKey: prv.apiKey, body: { reason: 'again' } });
    expect(twice.statusCode).toBe(409);

    const again = await post(prv, [completion(`rev2-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber })]);
    expect(again.json.results[0].status).toBe('credited');
    expect(await pointsOf(p.participantId)).toBe(3.25);
  });

  it('only the sender or the admin: another provider 404, a participant 403, no key 401, no reason 400', async () => {
    const p = await participant();
    const first = await post(prv, [completion(`acc-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber })]);
    const { creditId } = first.json.results[0];
    const other = await provider();
    const path = `/v1/credits/${creditId}/revocations`;
    expect((await invoke(revokeCreditHandler, { path, apiKey: other.apiKey, body: { reason: 'x' } })).statusCode).toBe(404);
    expect((await invoke(revokeCreditHandler, { path, body: { reason: 'x' } })).statusCode).toBe(401);
    const bad = await invoke(revokeCreditHandler, { path, apiKey: prv.apiKey, body: {} });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors[0].path).toBe('reason');
    const admin = await invoke(revokeCreditHandler, { path, apiKey: await adminKey(), body: { reason: 'Fraude' } });
    expect(admin.statusCode).toBe(200);
  });

  it('concurrent revocations: exactly one succeeds, points withdrawn once', async () => {
    const p = await participant();
    const a2 = await activity(prv.caller, 60);
    await post(prv, [completion(`keep-${uid()}`, a2.activityId, { registrationNumber: p.registrationNumber })]);
    const first = await post(prv, [completion(`crev-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber })]);
    const path = `/v1/credits/${first.json.results[0].creditId}/revocations`;
    const results = await Promise.all(Array.from({ length: 10 }, () => invoke(revokeCreditHandler, { path, apiKey: prv.apiKey, body: { reason: 'dubbel' } })));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(9);
    expect(await pointsOf(p.participantId)).toBe(1);
  });
});

describe('renewal becomes possible when the 12th point lands; participants are told once per batch', () => {
  it('four 3-point activities in one batch: one e-mail with the total, renewable afterwards', async () => {
    const email = `twelve${uid()}@example.nl`;
    const p = await participant(200, email);
    const acts = await Promise.all([1, 2, 3, 4].map(() => activity(prv.caller, 180)));
    const res = await post(prv, acts.map((a, i) => completion(`twelve-${i}-${uid()}`, a.activityId, { registrationNumber: p.registrationNumber })));
    expect(res.json.results.every((r: { status: string }) => r.status === 'credited')).toBe(true);
    const dossier = await invoke(getParticipantHandler, { path: `/v1/participants/${p.participantId}`, apiKey: await adminKey() });
    expect(dossier.json.current).toMatchObject({ pointsEarned: 12, pointsMissing: 0, renewable: true });
    const mails = await sesMessages({ to: email });
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('12 punten');
    expect(mails[0].body.text).toContain('verlengen');
  });
});

describe('employer credits', () => {
  it('credits its own internal activity to its linked employees; others are not found; same rules', async () => {
    const admin = await adminKey();
    const emp = await invoke(createEmployer, { path: '/v1/employers', apiKey: admin, body: { name: 'Flex', kvkNumber: '11223344', invoiceEmail: `f${uid()}@example.nl`, address: { street: 'Weg 1', postalCode: '1000 AA', city: 'Utrecht', country: 'NL' } } });
    const employer = (await lookupApiKey(emp.json.apiKey))!;
    const internal = await activity(employer, 90, 100, true);
    const linked = await participant();
    const unlinked = await participant();
    await db().send(new PutCommand({ TableName: tableName(), Item: { pk: `EMPLOYER#${employer.ownerId}`, sk: `EMPLOYEE#${linked.participantId}`, participantId: linked.participantId, linkedOn: today } }));
    const path = `/v1/employers/${employer.ownerId}/credits`;
    const body = { activityId: internal.activityId, completedOn: addDays(today, -3), participants: [linked.registrationNumber, unlinked.registrationNumber] };
    const res = await invoke(employerCredits, { path, apiKey: emp.json.apiKey, body });
    expect(res.statusCode).toBe(200);
    expect(res.json.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status)).toEqual(['credited', 'participant-not-found']);
    expect(await pointsOf(linked.participantId)).toBe(1.5);
    const retry = await invoke(employerCredits, { path, apiKey: emp.json.apiKey, body });
    expect(retry.json.results[0].status).toBe('duplicate');

    // A provider's activity is not the employer's to credit; another employer's id → 404; provider role → 403.
    const notOwn = await invoke(employerCredits, { path, apiKey: emp.json.apiKey, body: { ...body, activityId: act.activityId } });
    expect(notOwn.json.results[0].reason).toBe('activity-not-recognized');
    const emp2 = await invoke(createEmployer, { path: '/v1/employers', apiKey: admin, body: { name: 'Other', kvkNumber: '11223355', invoiceEmail: `o${uid()}@example.nl`, address: { street: 'Weg 2', postalCode: '1000 AA', city: 'Utrecht', country: 'NL' } } });
    expect((await invoke(employerCredits, { path, apiKey: emp2.json.apiKey, body })).statusCode).toBe(404);
    expect((await invoke(employerCredits, { path, apiKey: prv.apiKey, body })).statusCode).toBe(403);

    // The employer revokes its own credit.
    const rev = await invoke(revokeCreditHandler, { path: `/v1/credits/${res.json.results[0].creditId}/revocations`, apiKey: emp.json.apiKey, body: { reason: 'Niet aanwezig' } });
    expect(rev.statusCode).toBe(200);
    expect(await pointsOf(linked.participantId)).toBe(0);

    // Crediting it again after the revocation is a new completion, not a duplicate of the revoked one;
    // sending that again is a duplicate of the new credit. Revoked again, it can be credited a third time.
    const linkedOnly = { ...body, participants: [linked.registrationNumber] };
    const again = await invoke(employerCredits, { path, apiKey: emp.json.apiKey, body: linkedOnly });
    expect(again.json.results[0]).toMatchObject({ status: 'credited', points: 1.5 });
    expect(again.json.results[0].creditId).not.toBe(res.json.results[0].creditId);
    expect(await pointsOf(linked.participantId)).toBe(1.5);
    const resent = await invoke(employerCredits, { path, apiKey: emp.json.apiKey, body: linkedOnly });
    expect(resent.json.results[0]).toMatchObject({ status: 'duplicate', creditId: again.json.results[0].creditId });
    await invoke(revokeCreditHandler, { path: `/v1/credits/${again.json.results[0].creditId}/revocations`, apiKey: emp.json.apiKey, body: { reason: 'Weer niet' } });
    const third = await invoke(employerCredits, { path, apiKey: emp.json.apiKey, body: linkedOnly });
    expect(third.json.results[0].status).toBe('credited');
    expect(new Set([res, again, third].map((r) => r.json.results[0].creditId)).size).toBe(3);
    expect(await pointsOf(linked.participantId)).toBe(1.5);
  });
});

describe('an erased participant', () => {
  it('is participant-not-found by registration number (which stays reserved) — nothing credited to the pseudonym', async () => {
    const p = await participant();
    await eraseParticipant(p.participantId, { reason: 'Verzoek', actor: { role: 'admin', id: 'admin' } });
    const res = await post(prv, [completion(`erased-${uid()}`, act.activityId, { registrationNumber: p.registrationNumber })]);
    expect(res.statusCode).toBe(200);
    expect(res.json.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status)).toEqual(['participant-not-found']);
    expect(await pointsOf(p.participantId)).toBe(0);
  });
});
