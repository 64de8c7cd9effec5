/**
 * Issue 12, points 1 and 2: taking over a holder who has no e-mail on file with nothing but a
 * diploma certificate (diploma number + birth date), and telling a match from the answer's timing.
 * Each attack is reproduced against the handlers and shown to fail safely.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import * as importDiplomas from '../../functions/http/import-diplomas';
import * as requestActivation from '../../functions/http/request-activation';
import * as createSession from '../../functions/http/create-session';
import * as getParticipant from '../../functions/http/get-participant';
import * as listClaims from '../../functions/http/list-activation-claims';
import * as decideClaim from '../../functions/http/decide-activation-claim';
import * as listEvents from '../../functions/http/list-participant-events';
import * as activationWorker from '../../functions/queue/activation-requests';
import { adminKey, invoke, sesMessages, waitForMessages } from '../setup/helpers';
import { holders, newEmployer, register, rowsOf } from './employers.fixtures';
import { db, tableName } from '../../shared/data/client';
import { apiKeyItem, createApiKey, generateApiKey, lookupApiKey, MAX_LIVE_PARTICIPANT_KEYS } from '../../shared/data/api-keys';
import { claimKey, type ActivationClaim } from '../../shared/data/activation-claims';
import { getDiploma, getParticipant as loadParticipant } from '../../shared/data/participants';
import { createActivationToken } from '../../shared/data/tokens';
import { matchActivation, whenActivationsIdle } from '../../shared/services/activation';
import { todayInAmsterdam } from '../../shared/dates';
import { sesClient } from '../../shared/email/send';
import { logger } from '../../shared/log';

const today = todayInAmsterdam();
const run = Date.now().toString(36).toUpperCase();
let seq = 0;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A holder imported with (or without) an address on file; an old diploma, so no automatic period. */
async function holder(opts: { email?: string } = {}) {
  seq++;
  const h = { diplomaNumber: `ACC${run}${seq}`, birthDate: '1985-02-14', lastName: `Jansen${seq}`, email: opts.email };
  const res = await invoke(importDiplomas, {
    path: '/v1/diplomas',
    apiKey: await adminKey(),
    body: { diplomas: [{ diplomaNumber: h.diplomaNumber, type: 'uitzendprofessional', issuedOn: '2020-03-01', holder: { initials: 'K.', lastName: h.lastName, birthDate: h.birthDate, ...(opts.email ? { email: opts.email } : {}) } }] },
  });
  expect(res.statusCode).toBe(200);
  const participantId = (await getDiploma(h.diplomaNumber))!.participantId as string;
  return { ...h, participantId };
}

const address = (who: string) => `${who}.${run}.${++seq}@example.nl`;

function ask(body: { diplomaNumber: string; birthDate: string; email: string; language?: 'nl' | 'en' }) {
  return invoke(requestActivation, { path: '/v1/activations', body });
}

async function claims(query: Record<string, string> = {}, apiKey?: string) {
  return invoke(listClaims, { path: '/v1/activation-claims', query, apiKey: apiKey ?? (await adminKey()) });
}

async function pendingClaimsOf(participantId: string) {
  await whenActivationsIdle();
  return ((await claims({ limit: '200' })).json.items as ActivationClaim[]).filter((c) => c.participantId === participantId);
}

async function decide(claimId: string, body: unknown, apiKey?: string) {
  return invoke(decideClaim, { path: `/v1/activation-claims/${claimId}/decision`, body, apiKey: apiKey ?? (await adminKey()) });
}

const tokenIn = (text: string | undefined) => /token=([A-Za-z0-9_-]+)/.exec(text ?? '')![1];

describe('12.1 — activation of a holder with no e-mail on file', () => {
  it('mails nothing to the address an attacker gives: the request becomes a claim, with the same 202', async () => {
    const victim = await holder();
    const other = await holder({ email: address('owner') });
    const attacker = address('attacker');

    const takeover = await ask({ diplomaNumber: victim.diplomaNumber, birthDate: victim.birthDate, email: attacker });
    const onFile = await ask({ diplomaNumber: other.diplomaNumber, birthDate: other.birthDate, email: attacker });
    const wrong = await ask({ diplomaNumber: victim.diplomaNumber, birthDate: '1999-09-09', email: attacker });
    expect([takeover.statusCode, onFile.statusCode, wrong.statusCode]).toEqual([202, 202, 202]);
    expect(new Set([takeover.body, onFile.body, wrong.body]).size).toBe(1);

    // The holder with an address on file gets the link there; the attacker gets nothing at all.
    await waitForMessages({ to: other.email });
    await whenActivationsIdle();
    expect(await sesMessages({ to: attacker })).toHaveLength(0);

    // The staff see one pending claim, with what they need to check the claimant.
    const [claim, ...more] = await pendingClaimsOf(victim.participantId);
    expect(more).toHaveLength(0);
    expect(claim).toMatchObject({
      claimId: expect.stringMatching(/^clm_[0-9A-Z]{26}$/),
      participantId: victim.participantId,
      diplomaNumber: victim.diplomaNumber,
      name: `K. ${victim.lastName}`,
      email: attacker,
      language: 'nl',
      status: 'pending',
      requestedAt: expect.any(String),
    });
    // Nothing else changed: no address on file, no period, no token to spend.
    const profile = await loadParticipant(victim.participantId);
    expect(profile!.email).toBeUndefined();
    expect(profile!.periods).toEqual([]);
    const item = (await db().send(new GetCommand({ TableName: tableName(), Key: claimKey(claim.claimId) }))).Item!;
    expect(item.expiresAt).toBeUndefined();
  });

  it('the same diploma and address asked again (also at once) while pending: still one claim', async () => {
    const victim = await holder();
    const claimant = address('claimant');
    const body = { diplomaNumber: victim.diplomaNumber, birthDate: victim.birthDate, email: claimant };
    // Five asks in all for this diploma number: the per-identifier limit (request-limits.test.ts) allows that many an hour.
    await Promise.all(Array.from({ length: 3 }, () => ask(body)));
    await ask({ ...body, email: claimant.toUpperCase() });
    expect(await pendingClaimsOf(victim.participantId)).toHaveLength(1);
    // The local queue works one request at a time; the rule holds for workers racing too (DynamoDB's condition).
    const racing = await Promise.all(Array.from({ length: 5 }, () => matchActivation(body)));
    expect(racing).toEqual(Array(5).fill('claim-pending'));
    const other = await holder();
    const raced = await Promise.all(Array.from({ length: 5 }, () => matchActivation({ ...body, diplomaNumber: other.diplomaNumber })));
    expect(raced.sort()).toEqual(['claim-pending', 'claim-pending', 'claim-pending', 'claim-pending', 'claimed']);
    expect(await pendingClaimsOf(other.participantId)).toHaveLength(1);
    // Another address is another claim (the staff decide each).
    await ask({ ...body, email: address('second') });
    expect(await pendingClaimsOf(victim.participantId)).toHaveLength(2);
  });

  it('lists per status, oldest first, paged with a cursor; admin only', async () => {
    const a = await holder();
    const b = await holder();
    const c = await holder();
    for (const h of [a, b, c]) {
      await ask({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: address('list') });
      await whenActivationsIdle();
    }
    const all = (await claims({ limit: '200' })).json.items as { claimId: string; participantId: string; requestedAt: string }[];
    const ours = all.filter((x) => [a, b, c].some((h) => h.participantId === x.participantId));
    expect(ours.map((x) => x.participantId)).toEqual([a, b, c].map((h) => h.participantId));
    const sorted = [...all].sort((x, y) => x.requestedAt.localeCompare(y.requestedAt) || x.claimId.localeCompare(y.claimId));
    expect(all.map((x) => x.claimId)).toEqual(sorted.map((x) => x.claimId));

    const first = await claims({ limit: '1' });
    expect(first.json.items).toHaveLength(1);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await claims({ limit: '1', cursor: first.json.nextCursor });
    expect(second.json.items[0].claimId).not.toBe(first.json.items[0].claimId);
    expect(second.json.items[0].claimId).toBe(all[1].claimId);
    // A cursor of another status's list is refused.
    expect((await claims({ status: 'approved', cursor: first.json.nextCursor })).statusCode).toBe(400);
    expect((await claims({ status: 'maybe' })).statusCode).toBe(400);

    const provider = await createApiKey('provider', 'prv_x');
    expect((await claims({}, provider.apiKey)).statusCode).toBe(403);
    const participant = await createApiKey('participant', a.participantId);
    expect((await claims({}, participant.apiKey)).statusCode).toBe(403);
    expect((await invoke(listClaims, { path: '/v1/activation-claims' })).statusCode).toBe(401);
  });

  it('end to end: claim → approval → the claimed address is on file and gets the link → the link works', async () => {
    const holderNoMail = await holder();
    const claimant = address('verified');
    await ask({ diplomaNumber: holderNoMail.diplomaNumber, birthDate: holderNoMail.birthDate, email: claimant, language: 'en' });
    const [claim] = await pendingClaimsOf(holderNoMail.participantId);

    const approved = await decide(claim.claimId, { decision: 'approved', reason: 'Identity checked by phone' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json).toMatchObject({ claimId: claim.claimId, status: 'approved', decidedAt: expect.any(String), decidedBy: { role: 'admin', id: 'admin' }, reason: 'Identity checked by phone', notified: true });
    expect((await loadParticipant(holderNoMail.participantId))!.email).toBe(claimant);

    const [mail] = await waitForMessages({ to: claimant });
    expect(mail.subject).toBe('Activate your PE registration');
    const session = await invoke(createSession, { path: '/v1/sessions', body: { token: tokenIn(mail.body.text) } });
    expect(session.statusCode).toBe(201);
    expect(session.json.participantId).toBe(holderNoMail.participantId);
    expect(session.json.registration).toMatchObject({ startsOn: today });

    // Decided: out of the pending queue, in the approved one, kept for a year (TTL).
    expect(await pendingClaimsOf(holderNoMail.participantId)).toHaveLength(0);
    const approvedList = (await claims({ status: 'approved', limit: '200' })).json.items as { claimId: string }[];
    expect(approvedList.map((x) => x.claimId)).toContain(claim.claimId);
    const item = (await db().send(new GetCommand({ TableName: tableName(), Key: claimKey(claim.claimId) }))).Item!;
    expect(item.expiresAt).toBeGreaterThan(Date.now() / 1000 + 364 * 86_400);
    expect(item.expiresAt).toBeLessThan(Date.now() / 1000 + 366 * 86_400);

    // The audit trail records the decision and that the address was set by it.
    const events = (await invoke(listEvents, { path: `/v1/participants/${holderNoMail.participantId}/events`, apiKey: await adminKey() })).json.items;
    expect(events).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'activation-claim.approved', detail: { claimId: claim.claimId, emailOnFile: 'set-to-claimed' } })]));

    // From now on the address is on file: another request, from anyone, mails it and queues no claim.
    await ask({ diplomaNumber: holderNoMail.diplomaNumber, birthDate: holderNoMail.birthDate, email: address('late-attacker') });
    await waitForMessages({ to: claimant }, 2);
    expect(await pendingClaimsOf(holderNoMail.participantId)).toHaveLength(0);
  });

  it('is decided once: a second decision → 409, two at once → one 200 and one 409, one e-mail; unknown → 404', async () => {
    const h = await holder();
    const claimant = address('race');
    await ask({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: claimant });
    const [claim] = await pendingClaimsOf(h.participantId);
    const both = await Promise.all([decide(claim.claimId, { decision: 'approved' }), decide(claim.claimId, { decision: 'rejected' })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const winner = both.find((r) => r.statusCode === 200)!.json.status;
    expect(both.find((r) => r.statusCode === 409)!.json).toMatchObject({ status: 409, reason: 'already-decided', currentStatus: winner });
    expect((await decide(claim.claimId, { decision: 'approved' })).statusCode).toBe(409);
    if (winner === 'approved') await waitForMessages({ to: claimant });
    expect(await sesMessages({ to: claimant })).toHaveLength(winner === 'approved' ? 1 : 0);

    expect((await decide('clm_00000000000000000000000000', { decision: 'approved' })).statusCode).toBe(404);
    const badId = await decide('nope', { decision: 'approved' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json.errors.map((e: { path: string }) => e.path)).toEqual([expect.stringMatching(/claimId$/)]);
    const badBody = await decide(claim.claimId, { decision: 'maybe', extra: 1 });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['decision', 'extra']);
    const provider = await createApiKey('provider', 'prv_y');
    expect((await decide(claim.claimId, { decision: 'approved' }, provider.apiKey)).statusCode).toBe(403);
  });

  it('a rejection sends nothing and changes nothing; the same request may be claimed again later', async () => {
    const h = await holder();
    const claimant = address('rejected');
    await ask({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: claimant });
    const [claim] = await pendingClaimsOf(h.participantId);
    const rejected = await decide(claim.claimId, { decision: 'rejected', reason: 'Could not reach the holder' });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json).toMatchObject({ status: 'rejected', reason: 'Could not reach the holder', notified: false });
    await whenActivationsIdle();
    expect(await sesMessages({ to: claimant })).toHaveLength(0);
    expect((await loadParticipant(h.participantId))!.email).toBeUndefined();
    const rejectedList = (await claims({ status: 'rejected', limit: '200' })).json.items as { claimId: string }[];
    expect(rejectedList.map((x) => x.claimId)).toContain(claim.claimId);
    // Decided claims no longer block: asking again queues a new claim.
    await ask({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: claimant });
    const [again] = await pendingClaimsOf(h.participantId);
    expect(again.claimId).not.toBe(claim.claimId);
  });

  it('an approval keeps an address that arrived on file meanwhile, and mails the verified claimant', async () => {
    const h = await holder();
    const claimant = address('claimed');
    await ask({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: claimant });
    const [claim] = await pendingClaimsOf(h.participantId);
    const imported = address('imported');
    await invoke(importDiplomas, {
      path: '/v1/diplomas',
      apiKey: await adminKey(),
      body: { diplomas: [{ diplomaNumber: h.diplomaNumber, type: 'uitzendprofessional', issuedOn: '2020-03-01', holder: { initials: 'K.', lastName: h.lastName, birthDate: h.birthDate, email: imported } }] },
    });
    expect((await decide(claim.claimId, { decision: 'approved' })).statusCode).toBe(200);
    expect((await loadParticipant(h.participantId))!.email).toBe(imported);
    await waitForMessages({ to: claimant });
  });

  it('a session never changes the e-mail on file (a token sent to another address leaves the profile as it was)', async () => {
    const none = await holder();
    const token = await createActivationToken({ participantId: none.participantId, email: address('token'), language: 'nl' });
    expect((await invoke(createSession, { path: '/v1/sessions', body: { token } })).statusCode).toBe(201);
    expect((await loadParticipant(none.participantId))!.email).toBeUndefined();

    const onFile = address('kept');
    const some = await holder({ email: onFile });
    const other = await createActivationToken({ participantId: some.participantId, email: address('other'), language: 'nl' });
    expect((await invoke(createSession, { path: '/v1/sessions', body: { token: other } })).statusCode).toBe(201);
    expect((await loadParticipant(some.participantId))!.email).toBe(onFile);
  });

  it('an address an employer supplied in a collective registration counts as on file', async () => {
    const employer = await newEmployer('Adres Uitzend BV');
    const staff = await holders(10);
    const res = await register(employer, { employees: rowsOf(staff) });
    expect(res.statusCode).toBe(201);
    const first = staff[0];
    const participantId = (await getDiploma(first.diplomaNumber))!.participantId as string;
    expect((await loadParticipant(participantId))!.email).toBe(first.email);

    const attacker = address('employee-attacker');
    await ask({ diplomaNumber: first.diplomaNumber, birthDate: first.birthDate, email: attacker });
    // The upload's e-mail, then the one this request caused: both to the employer-supplied address.
    await waitForMessages({ to: first.email }, 2);
    await whenActivationsIdle();
    expect(await sesMessages({ to: attacker })).toHaveLength(0);
    expect(await pendingClaimsOf(participantId)).toHaveLength(0);
  });

  it('an employer-supplied address never replaces one on file', async () => {
    const employer = await newEmployer('Ander Adres BV');
    const staff = await holders(10, { emailOnFile: true });
    expect((await register(employer, { employees: rowsOf(staff) })).statusCode).toBe(201);
    const participantId = (await getDiploma(staff[0].diplomaNumber))!.participantId as string;
    expect((await loadParticipant(participantId))!.email).toBe(`onfile.${staff[0].email}`);
  });
});

describe('12.1 — participant API keys', () => {
  async function dossierWith(apiKey: string, participantId: string) {
    return invoke(getParticipant, { path: `/v1/participants/${participantId}`, apiKey });
  }

  it('expire 90 days after issue: an expired key → 401; provider, employer and admin keys do not expire', async () => {
    const h = await holder({ email: address('expiry') });
    const fresh = await createApiKey('participant', h.participantId);
    const validUntil = Date.parse((await lookupApiKey(fresh.apiKey))!.validUntil!);
    expect(Math.abs(validUntil - (Date.now() + 90 * 86_400_000))).toBeLessThan(60_000);
    expect((await dossierWith(fresh.apiKey, h.participantId)).statusCode).toBe(200);

    // A key issued 91 days ago, as the session wrote it then.
    const old = generateApiKey('participant');
    const issued = new Date(Date.now() - 91 * 86_400_000);
    const item = apiKeyItem(old, 'participant', h.participantId, issued);
    expect(item.validUntil! < new Date().toISOString()).toBe(true);
    await db().send(new PutCommand({ TableName: tableName(), Item: item }));
    const res = await dossierWith(old, h.participantId);
    expect(res.statusCode).toBe(401);
    // Removed by DynamoDB's TTL some days after it stopped working.
    expect(item.expiresAt! * 1000).toBeGreaterThan(Date.parse(item.validUntil!));

    for (const role of ['admin', 'provider', 'employer'] as const) {
      const k = apiKeyItem(generateApiKey(role), role, 'x', issued);
      expect(k.validUntil, role).toBeUndefined();
      expect(k.expiresAt, role).toBeUndefined();
    }
  });

  it('a participant keeps at most 5 live keys: the 6th session revokes the oldest', async () => {
    const h = await holder({ email: address('keys') });
    const keys: string[] = [];
    for (let i = 0; i < MAX_LIVE_PARTICIPANT_KEYS + 1; i++) {
      const token = await createActivationToken({ participantId: h.participantId, email: address('k'), language: 'nl' });
      const session = await invoke(createSession, { path: '/v1/sessions', body: { token } });
      expect(session.statusCode).toBe(201);
      keys.push(session.json.apiKey);
    }
    const status = await Promise.all(keys.map(async (k) => (await dossierWith(k, h.participantId)).statusCode));
    expect(status).toEqual([401, 200, 200, 200, 200, 200]);
  });
});

describe('12.2 — the answer comes before the match (no timing oracle)', () => {
  /** The reads that differ between a match and none (diploma, then its holder), as this process made them. */
  function watchLookups() {
    const send = vi.spyOn(db(), 'send');
    return () =>
      send.mock.calls.map(([cmd]) => String((cmd.input as { Key?: { pk?: string } }).Key?.pk ?? '')).filter((pk) => /^(DIPLOMA|PARTICIPANT)#/.test(pk));
  }

  it('answers 202 before reading the diploma or the participant; the match follows right after', async () => {
    const h = await holder({ email: address('timing') });
    await whenActivationsIdle();
    const keysRead = watchLookups();

    const match = await ask({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: address('x') });
    expect(match.statusCode).toBe(202);
    // Whatever the answer took, none of it was the lookup that differs between a match and none.
    expect(keysRead()).toEqual([]);
    await whenActivationsIdle();
    expect(keysRead()).toEqual([`DIPLOMA#${h.diplomaNumber}`, `PARTICIPANT#${h.participantId}`]);
    await waitForMessages({ to: h.email! });
  });

  it('a failure after the answer (SES down) is logged without personal data and changes nothing for the requester', async () => {
    const h = await holder({ email: address('down') });
    const down = vi.spyOn(sesClient(), 'send').mockRejectedValue(Object.assign(new Error(`SES refused ${h.email}`), { name: 'ServiceUnavailable' }) as never);
    const logged = vi.spyOn(logger, 'error');
    const right = await ask({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: address('y') });
    await whenActivationsIdle();
    expect(down).toHaveBeenCalled();
    expect(right.statusCode).toBe(202);
    expect(logged).toHaveBeenCalledWith('activation request failed', { error: 'ServiceUnavailable' });
    expect(JSON.stringify(logged.mock.calls)).not.toContain(h.email);
    down.mockRestore();
    await ask({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: address('y') });
    expect(await waitForMessages({ to: h.email! })).toHaveLength(1);
  });

  it('in the cloud: the request goes onto the SQS queue (nothing read), and the worker matches and mails it', async () => {
    const h = await holder({ email: address('queued') });
    await whenActivationsIdle();
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const keysRead = watchLookups();
    process.env.ACTIVATION_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/activations';
    let res;
    try {
      res = await ask({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: address('z'), language: 'en' });
    } finally {
      delete process.env.ACTIVATION_QUEUE_URL;
    }
    await whenActivationsIdle();
    expect(res.statusCode).toBe(202);
    expect(keysRead()).toEqual([]);
    const calls = sqs.commandCalls(SendMessageCommand);
    sqs.restore();
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/activations');
    const body = calls[0].args[0].input.MessageBody!;
    expect(JSON.parse(body)).toMatchObject({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, language: 'en' });
    expect(await sesMessages({ to: h.email! })).toHaveLength(0);

    const event = { Records: [{ messageId: 'm-1', body }, { messageId: 'm-2', body: '{"diplomaNumber":1}' }] } as unknown as SQSEvent;
    const out = await activationWorker.handler(event);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm-2' }]);
    const [mail] = await sesMessages({ to: h.email! });
    expect(mail.subject).toBe('Activate your PE registration');
  });

  it('the worker reports a request it could not complete (SES down), so SQS retries it', async () => {
    const h = await holder({ email: address('retry') });
    const body = JSON.stringify({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: address('r') });
    vi.spyOn(sesClient(), 'send').mockRejectedValue(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }) as never);
    const failed = await activationWorker.handler({ Records: [{ messageId: 'm-3', body }] } as unknown as SQSEvent);
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: 'm-3' }]);
    vi.restoreAllMocks();
    expect((await activationWorker.handler({ Records: [{ messageId: 'm-3', body }] } as unknown as SQSEvent)).batchItemFailures).toEqual([]);
    expect(await sesMessages({ to: h.email! })).toHaveLength(1);
  });
});
