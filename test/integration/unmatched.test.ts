import { beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as receiveCompletions from '../../functions/http/receive-completions';
import * as createProvider from '../../functions/http/create-provider';
import * as importDiplomas from '../../functions/http/import-diplomas';
import * as employerCredits from '../../functions/http/create-employer-credits';
import * as listUnmatched from '../../functions/http/list-unmatched-completions';
import * as createCorrection from '../../functions/http/create-correction';
import * as createClaim from '../../functions/http/create-completion-claim';
import * as decideClaim from '../../functions/http/decide-completion-claim';
import * as listProviderClaims from '../../functions/http/list-provider-completion-claims';
import * as listEmployerClaims from '../../functions/http/list-employer-completion-claims';
import { adminKey, invoke } from '../setup/helpers';
import { newEmployer, participantKey } from './employers.fixtures';
import { lookupApiKey, type ApiKeyRecord } from '../../shared/data/api-keys';
import { recognisedActivity } from './webhook.fixtures';
import { getDiploma, getParticipant, listRegistrations } from '../../shared/data/participants';
import { db, tableName } from '../../shared/data/client';
import { unmatchedIdFor, unmatchedKey, UNMATCHED_TTL_DAYS } from '../../shared/data/unmatched';
import { reportAttendance } from '../../shared/services/attendance';
import { holders } from '../../shared/services/personal-data/unmatched';
import { addDays } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';

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

async function activity(owner: ApiKeyRecord, internal?: boolean): Promise<{ activityId: string; points: number }> {
  return recognisedActivity(owner, addDays(today, -400), 120, internal);
}

async function importDiploma(diplomaNumber: string, daysAgo = 300) {
  const res = await invoke(importDiplomas, {
    path: '/v1/diplomas',
    apiKey: await adminKey(),
    body: { diplomas: [{ diplomaNumber, type: 'backofficeprofessional', issuedOn: addDays(today, -daysAgo), holder: { initials: 'A.', lastName: `Bakker${uid()}`, birthDate: '1985-01-01' } }] },
  });
  expect(res.statusCode).toBe(200);
  const participantId = (await getDiploma(diplomaNumber))!.participantId as string;
  const p = (await getParticipant(participantId))!;
  return { participantId, diplomaNumber, registrationNumber: p.registrationNumber };
}
const participant = () => importDiploma(`D${uid()}`);

function sign(secret: string, body: string, id = `msg_${uid()}`) {
  const at = new Date();
  return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, body) };
}

async function deliver(p: ProviderCtx, completions: unknown[], id?: string) {
  const body = JSON.stringify({ completions });
  const res = await invoke(receiveCompletions, { method: 'POST', path: `/v1/webhooks/providers/${p.providerId}/completions`, headers: sign(p.webhookSecret, body, id), body });
  expect(res.statusCode).toBe(200);
  return res.json.results as { externalId: string; status: string; creditId?: string; reason?: string }[];
}

const completion = (externalId: string, activityId: string, ref: object, completedOn = addDays(today, -1)) => ({ externalId, activityId, participant: ref, completedOn });

async function pointsOf(participantId: string) {
  const regs = await listRegistrations(participantId);
  return regs.find((r) => r.startsOn <= today && today < r.endsOn)!.points;
}

async function openList(p: ProviderCtx, apiKey = p.apiKey) {
  return invoke(listUnmatched, { path: `/v1/providers/${p.providerId}/unmatched-completions`, apiKey });
}

const correct = (unmatchedId: string, participant: object, apiKey: string) =>
  invoke(createCorrection, { method: 'POST', path: `/v1/unmatched-completions/${unmatchedId}/corrections`, apiKey, body: { participant } });

let prv: ProviderCtx;
let act: { activityId: string; points: number };

beforeAll(async () => {
  prv = await provider();
  act = await activity(prv.caller);
});

describe('unmatched completions', () => {
  it('a completion that found no one is kept once, with what was given and a 90-day TTL; a redelivery keeps no second one', async () => {
    const p = await provider();
    const a = await activity(p.caller);
    const externalId = `lms-${uid()}`;
    const c = completion(externalId, a.activityId, { registrationNumber: 'PE-NOBODY1' });
    const id = `msg_${uid()}`;
    const first = await deliver(p, [c], id);
    expect(first[0]).toMatchObject({ status: 'rejected', reason: 'participant-not-found' });
    await deliver(p, [c], id); // the same webhook-id: the stored answer
    await deliver(p, [c]); // the same completion under a new webhook-id
    await deliver(p, [c, c]); // and twice in one batch

    const list = await openList(p);
    expect(list.statusCode).toBe(200);
    expect(list.json.items).toHaveLength(1);
    const item = list.json.items[0];
    expect(item).toMatchObject({ unmatchedId: unmatchedIdFor(p.providerId, externalId), activityId: a.activityId, externalId, completedOn: c.completedOn, participant: { registrationNumber: 'PE-NOBODY1' }, status: 'open' });
    const stored = (await db().send(new GetCommand({ TableName: tableName(), Key: unmatchedKey(item.unmatchedId) }))).Item!;
    const days = (Number(stored.expiresAt) - Date.parse(stored.receivedAt) / 1000) / 86_400;
    expect(Math.round(days)).toBe(UNMATCHED_TTL_DAYS);
  });

  it('completions by hand (/opleider/presentie) are kept too; an employer’s credits to someone not its employee are not', async () => {
    const p = await provider();
    const a = await activity(p.caller);
    const [outcome] = await reportAttendance(p.caller, a.activityId, [{ registrationNumber: 'PE-TYPO42', completedOn: addDays(today, -2) }], today);
    expect(outcome.result.reason).toBe('participant-not-found');
    expect((await openList(p)).json.items.map((i: { participant: unknown }) => i.participant)).toEqual([{ registrationNumber: 'PE-TYPO42' }]);

    const employer = await newEmployer();
    const internal = await activity((await lookupApiKey(employer.apiKey))!, true);
    const res = await invoke(employerCredits, { method: 'POST', path: `/v1/employers/${employer.employerId}/credits`, apiKey: employer.apiKey, body: { activityId: internal.activityId, completedOn: addDays(today, -1), participants: ['PE-TYPO43'] } });
    expect(res.json.results[0].reason).toBe('participant-not-found');
    const kept = await db().send(new GetCommand({ TableName: tableName(), Key: unmatchedKey(unmatchedIdFor(employer.employerId, res.json.results[0].externalId)) }));
    expect(kept.Item).toBeUndefined();
  });

  it('a correction credits through the webhook’s crediting exactly once: again, and a later delivery of the same completion, are duplicate', async () => {
    const holder = await participant();
    const externalId = `lms-${uid()}`;
    const wrong = completion(externalId, act.activityId, { diplomaNumber: 'NOSUCHDIPLOMA' });
    await deliver(prv, [wrong]);
    const unmatchedId = unmatchedIdFor(prv.providerId, externalId);

    const first = await correct(unmatchedId, { registrationNumber: holder.registrationNumber }, prv.apiKey);
    expect(first.statusCode).toBe(200);
    expect(first.json).toMatchObject({ unmatchedId, externalId, status: 'credited', points: act.points });
    expect(await pointsOf(holder.participantId)).toBe(act.points);

    const again = await correct(unmatchedId, { diplomaNumber: holder.diplomaNumber }, prv.apiKey);
    expect(again.json).toMatchObject({ status: 'duplicate', creditId: first.json.creditId });
    const redelivered = await deliver(prv, [completion(externalId, act.activityId, { registrationNumber: holder.registrationNumber })]);
    expect(redelivered[0]).toMatchObject({ status: 'duplicate', creditId: first.json.creditId });
    const wrongAgain = await deliver(prv, [wrong]);
    expect(wrongAgain[0]).toMatchObject({ status: 'duplicate' });
    expect(await pointsOf(holder.participantId)).toBe(act.points);

    // It left the open list and is kept, resolved, until its TTL.
    expect((await openList(prv)).json.items.map((i: { unmatchedId: string }) => i.unmatchedId)).not.toContain(unmatchedId);
    const stored = (await db().send(new GetCommand({ TableName: tableName(), Key: unmatchedKey(unmatchedId) }))).Item!;
    expect(stored).toMatchObject({ status: 'resolved', creditId: first.json.creditId });
    expect(stored.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('two corrections at once: one credited, the other duplicate, the points once', async () => {
    const holder = await participant();
    const externalId = `lms-${uid()}`;
    await deliver(prv, [completion(externalId, act.activityId, { registrationNumber: 'PE-WRONG77' })]);
    const unmatchedId = unmatchedIdFor(prv.providerId, externalId);
    const admin = await adminKey();
    const both = await Promise.all([correct(unmatchedId, { registrationNumber: holder.registrationNumber }, prv.apiKey), correct(unmatchedId, { diplomaNumber: holder.diplomaNumber }, admin)]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(both.map((r) => r.json.status).sort()).toEqual(['credited', 'duplicate']);
    expect(await pointsOf(holder.participantId)).toBe(act.points);
  });

  it('a number that again finds no one is refused and the completion stays open (one item)', async () => {
    const p = await provider();
    const a = await activity(p.caller);
    const externalId = `lms-${uid()}`;
    await deliver(p, [completion(externalId, a.activityId, { registrationNumber: 'PE-AAAA' })]);
    const res = await correct(unmatchedIdFor(p.providerId, externalId), { registrationNumber: 'PE-BBBB' }, p.apiKey);
    expect(res.json).toMatchObject({ status: 'rejected', reason: 'participant-not-found' });
    const list = (await openList(p)).json.items;
    expect(list).toHaveLength(1);
    expect(list[0].participant).toEqual({ registrationNumber: 'PE-AAAA' });
  });

  it('tenancy: another provider’s item or list is a 404, a participant 403, no key 401; the admin may', async () => {
    const holder = await participant();
    const externalId = `lms-${uid()}`;
    await deliver(prv, [completion(externalId, act.activityId, { registrationNumber: 'PE-NOONE9' })]);
    const unmatchedId = unmatchedIdFor(prv.providerId, externalId);
    const other = await provider();
    expect((await correct(unmatchedId, { registrationNumber: holder.registrationNumber }, other.apiKey)).statusCode).toBe(404);
    expect((await correct('unm_' + '0'.repeat(26), { registrationNumber: holder.registrationNumber }, prv.apiKey)).statusCode).toBe(404);
    expect((await openList(prv, other.apiKey)).statusCode).toBe(404);
    expect((await openList(prv, await participantKey(holder.participantId))).statusCode).toBe(403);
    expect((await correct(unmatchedId, { registrationNumber: holder.registrationNumber }, await participantKey(holder.participantId))).statusCode).toBe(403);
    expect((await invoke(listUnmatched, { path: `/v1/providers/${prv.providerId}/unmatched-completions` })).statusCode).toBe(401);
    expect(await pointsOf(holder.participantId)).toBe(0);
    const asAdmin = await openList(prv, await adminKey());
    expect(asAdmin.json.items.map((i: { unmatchedId: string }) => i.unmatchedId)).toContain(unmatchedId);
  });

  it('newest first, paged with a cursor', async () => {
    const p = await provider();
    const a = await activity(p.caller);
    for (const n of [1, 2, 3]) await deliver(p, [completion(`page-${n}-${uid()}`, a.activityId, { registrationNumber: `PE-NONE${n}` })]);
    const first = await invoke(listUnmatched, { path: `/v1/providers/${p.providerId}/unmatched-completions`, apiKey: p.apiKey, query: { limit: 2 } });
    expect(first.json.items.map((i: { participant: { registrationNumber: string } }) => i.participant.registrationNumber)).toEqual(['PE-NONE3', 'PE-NONE2']);
    const next = await invoke(listUnmatched, { path: `/v1/providers/${p.providerId}/unmatched-completions`, apiKey: p.apiKey, query: { limit: 2, cursor: first.json.nextCursor } });
    expect(next.json.items.map((i: { participant: { registrationNumber: string } }) => i.participant.registrationNumber)).toEqual(['PE-NONE1']);
    expect(next.json.nextCursor).toBeUndefined();
  });
});

async function fileClaim(participantId: string, body: object, apiKey?: string) {
  return invoke(createClaim, { method: 'POST', path: `/v1/participants/${participantId}/completion-claims`, apiKey: apiKey ?? (await participantKey(participantId)), body });
}
const decideIt = (claimId: string, body: object, apiKey: string) => invoke(decideClaim, { method: 'POST', path: `/v1/completion-claims/${claimId}/decision`, apiKey, body });

describe('completion claims', () => {
  it('filed pending, nothing credited before the owner approves; then credited once as claim:<id>', async () => {
    const holder = await participant();
    const res = await fileClaim(holder.participantId, { activityId: act.activityId, completedOn: addDays(today, -3) });
    expect(res.statusCode).toBe(201);
    expect(res.json).toMatchObject({ status: 'pending', claimId: expect.stringMatching(/^ccl_/) });
    expect(await pointsOf(holder.participantId)).toBe(0);

    const pending = await invoke(listProviderClaims, { path: `/v1/providers/${prv.providerId}/completion-claims`, apiKey: prv.apiKey, query: { status: 'pending' } });
    expect(pending.json.items.map((c: { claimId: string }) => c.claimId)).toContain(res.json.claimId);
    const mine = pending.json.items.find((c: { claimId: string }) => c.claimId === res.json.claimId);
    expect(mine).toMatchObject({ registrationNumber: holder.registrationNumber, activityId: act.activityId, status: 'pending' });

    const approved = await decideIt(res.json.claimId, { decision: 'approved' }, prv.apiKey);
    expect(approved.statusCode).toBe(200);
    expect(approved.json).toMatchObject({ status: 'approved', result: { status: 'credited', externalId: `claim:${res.json.claimId}`, points: act.points } });
    expect(await pointsOf(holder.participantId)).toBe(act.points);

    const again = await decideIt(res.json.claimId, { decision: 'approved' }, prv.apiKey);
    expect(again.statusCode).toBe(409);
    expect(again.json).toMatchObject({ reason: 'already-decided', currentStatus: 'approved' });
    expect(await pointsOf(holder.participantId)).toBe(act.points);
    const after = await invoke(listProviderClaims, { path: `/v1/providers/${prv.providerId}/completion-claims`, apiKey: prv.apiKey });
    expect(after.json.items.map((c: { claimId: string }) => c.claimId)).not.toContain(res.json.claimId);
    const decided = await invoke(listProviderClaims, { path: `/v1/providers/${prv.providerId}/completion-claims`, apiKey: prv.apiKey, query: { status: 'approved' } });
    expect(decided.json.items.find((c: { claimId: string }) => c.claimId === res.json.claimId).result.status).toBe('credited');
  });

  it('rules: a future date 400, an unknown or unrecognised activity 409, one pending claim per activity and date (also at once)', async () => {
    const holder = await participant();
    const future = await fileClaim(holder.participantId, { activityId: act.activityId, completedOn: addDays(today, 1) });
    expect(future.statusCode).toBe(400);
    expect(future.json.errors[0].path).toContain('completedOn');
    const unknown = await fileClaim(holder.participantId, { activityId: 'act_' + '0'.repeat(26), completedOn: addDays(today, -1) });
    expect(unknown.statusCode).toBe(409);
    expect(unknown.json.reason).toBe('activity-not-recognized');
    // Before its recognition began (decided 400 days ago).
    const before = await fileClaim(holder.participantId, { activityId: act.activityId, completedOn: addDays(today, -500) });
    expect(before.json.reason).toBe('activity-not-recognized');
    // Another employer's internal activity is not one the participant can claim.
    const employer = await newEmployer();
    const internal = await activity((await lookupApiKey(employer.apiKey))!, true);
    expect((await fileClaim(holder.participantId, { activityId: internal.activityId, completedOn: addDays(today, -1) })).json.reason).toBe('activity-not-recognized');

    const key = await participantKey(holder.participantId);
    const body = { activityId: act.activityId, completedOn: addDays(today, -4) };
    const both = await Promise.all([fileClaim(holder.participantId, body, key), fileClaim(holder.participantId, body, key)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.statusCode === 409)!.json.reason).toBe('claim-pending');
    expect((await fileClaim(holder.participantId, { ...body, completedOn: addDays(today, -5) }, key)).statusCode).toBe(201);
  });

  it('tenancy: another participant’s path 404, a provider key 403; the wrong decider 404, a participant 403', async () => {
    const holder = await participant();
    const other = await participant();
    expect((await fileClaim(holder.participantId, { activityId: act.activityId, completedOn: addDays(today, -1) }, await participantKey(other.participantId))).statusCode).toBe(404);
    expect((await fileClaim(holder.participantId, { activityId: act.activityId, completedOn: addDays(today, -1) }, prv.apiKey)).statusCode).toBe(403);
    const filed = await fileClaim(holder.participantId, { activityId: act.activityId, completedOn: addDays(today, -1) });
    const stranger = await provider();
    expect((await decideIt(filed.json.claimId, { decision: 'approved' }, stranger.apiKey)).statusCode).toBe(404);
    const employer = await newEmployer();
    expect((await decideIt(filed.json.claimId, { decision: 'approved' }, employer.apiKey)).statusCode).toBe(404);
    expect((await decideIt(filed.json.claimId, { decision: 'approved' }, await participantKey(holder.participantId))).statusCode).toBe(403);
    expect((await invoke(listProviderClaims, { path: `/v1/providers/${prv.providerId}/completion-claims`, apiKey: stranger.apiKey })).statusCode).toBe(404);
    expect(await pointsOf(holder.participantId)).toBe(0);
    // The admin may decide.
    const byAdmin = await decideIt(filed.json.claimId, { decision: 'rejected', reason: 'Niet aanwezig' }, await adminKey());
    expect(byAdmin.json).toMatchObject({ status: 'rejected', reason: 'Niet aanwezig' });
    expect(byAdmin.json.result).toBeUndefined();
    expect(await pointsOf(holder.participantId)).toBe(0);
  });

  it('two decisions at once: one wins, the other 409; an approval credits once', async () => {
    for (const decisions of [['approved', 'approved'], ['approved', 'rejected']]) {
      const holder = await participant();
      const a = await activity(prv.caller);
      const filed = await fileClaim(holder.participantId, { activityId: a.activityId, completedOn: addDays(today, -2) });
      const answers = await Promise.all(decisions.map((d) => decideIt(filed.json.claimId, { decision: d, ...(d === 'rejected' ? { reason: 'nee' } : {}) }, prv.apiKey)));
      expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const winner = answers.find((r) => r.statusCode === 200)!.json;
      expect(await pointsOf(holder.participantId)).toBe(winner.status === 'approved' ? a.points : 0);
    }
  });

  it('an approved claim for an activity credited in that period already gets that outcome, not a second credit', async () => {
    const holder = await participant();
    await deliver(prv, [completion(`lms-${uid()}`, act.activityId, { registrationNumber: holder.registrationNumber }, addDays(today, -10))]);
    expect(await pointsOf(holder.participantId)).toBe(act.points);
    const filed = await fileClaim(holder.participantId, { activityId: act.activityId, completedOn: addDays(today, -3) });
    const res = await decideIt(filed.json.claimId, { decision: 'approved' }, prv.apiKey);
    expect(res.json).toMatchObject({ status: 'approved', result: { status: 'rejected', reason: 'already-credited-in-period' } });
    expect(await pointsOf(holder.participantId)).toBe(act.points);
  });

  it('an employer decides claims on its own internal activity, for its linked employees', async () => {
    const employer = await newEmployer();
    const holder = await participant();
    await db().send(new PutCommand({ TableName: tableName(), Item: { pk: `EMPLOYER#${employer.employerId}`, sk: `EMPLOYEE#${holder.participantId}`, gsi1pk: `PARTICIPANT#${holder.participantId}`, gsi1sk: `EMPLOYER#${employer.employerId}`, linkedOn: today } }));
    const internal = await activity((await lookupApiKey(employer.apiKey))!, true);
    const filed = await fileClaim(holder.participantId, { activityId: internal.activityId, completedOn: addDays(today, -1) });
    expect(filed.statusCode).toBe(201);
    const list = await invoke(listEmployerClaims, { path: `/v1/employers/${employer.employerId}/completion-claims`, apiKey: employer.apiKey });
    expect(list.json.items.map((c: { claimId: string }) => c.claimId)).toEqual([filed.json.claimId]);
    expect((await decideIt(filed.json.claimId, { decision: 'approved' }, prv.apiKey)).statusCode).toBe(404);
    const res = await decideIt(filed.json.claimId, { decision: 'approved' }, employer.apiKey);
    expect(res.json.result).toMatchObject({ status: 'credited', points: internal.points });
  });
});

describe('people’s data', () => {
  it('exports and erases a participant’s claims, and unmatched completions given with their number', async () => {
    const diplomaNumber = `D${uid()}`;
    // A completion with a diploma number not yet in the register; the diploma is imported later.
    const externalId = `lms-${uid()}`;
    await deliver(prv, [completion(externalId, act.activityId, { diplomaNumber })]);
    const holder = await importDiploma(diplomaNumber);
    await fileClaim(holder.participantId, { activityId: act.activityId, completedOn: addDays(today, -6) });
    const [unmatchedHolder, claimHolder] = holders;
    expect(await unmatchedHolder.export(holder.participantId)).toEqual([expect.objectContaining({ externalId, participant: { diplomaNumber } })]);
    expect(await claimHolder.export(holder.participantId)).toEqual([expect.objectContaining({ registrationNumber: holder.registrationNumber, status: 'pending' })]);

    const ctx = { pseudonym: 'Verwijderd 3F9A', erasedAt: new Date().toISOString(), reason: 'verzoek', by: 'admin' };
    await unmatchedHolder.erase(holder.participantId, ctx);
    await claimHolder.erase(holder.participantId, ctx);
    await unmatchedHolder.erase(holder.participantId, ctx); // idempotent
    expect(await unmatchedHolder.export(holder.participantId)).toEqual([]);
    const stored = (await db().send(new GetCommand({ TableName: tableName(), Key: unmatchedKey(unmatchedIdFor(prv.providerId, externalId)) }))).Item!;
    expect(stored.participant).toBeUndefined();
    const claims = (await claimHolder.export(holder.participantId)) as { name: string; registrationNumber: string }[];
    expect(claims[0]).toMatchObject({ name: 'Verwijderd 3F9A', registrationNumber: 'Verwijderd 3F9A' });
    // An erased person's pending claim is no longer in the decider's list.
    const pending = await invoke(listProviderClaims, { path: `/v1/providers/${prv.providerId}/completion-claims`, apiKey: prv.apiKey });
    expect(pending.json.items.map((c: { participantId: string }) => c.participantId)).not.toContain(holder.participantId);
  });
});
