/**
 * Recognition end to end through the handlers, against DynamoDB Local and the SES emulator:
 * topics, submission, the admin's review (with its 400/403/404/409s and concurrent decisions),
 * resubmission, the queues, and the e-mails. The catalogue has its own file.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as createProvider from '../../functions/http/create-provider';
import * as createEmployer from '../../functions/http/create-employer';
import * as listTopics from '../../functions/http/list-topics';
import * as putTopic from '../../functions/http/put-topic';
import * as submit from '../../functions/http/submit-recognition-request';
import * as list from '../../functions/http/list-recognition-requests';
import * as getRequest from '../../functions/http/get-recognition-request';
import * as resubmit from '../../functions/http/resubmit-recognition-request';
import * as decide from '../../functions/http/decide-recognition-request';
import { adminKey, invoke, sesMessages } from '../setup/helpers';
import { sesClient } from '../../shared/email/send';
import { db, tableName } from '../../shared/data/client';
import { createApiKey } from '../../shared/data/api-keys';
import { listEvents } from '../../shared/data/audit';
import { getActivity } from '../../shared/data/activities';
import { ensureTopicsSeeded } from '../../shared/data/topics';
import { getRequest as getStoredRequest, putRequestItem } from '../../shared/data/recognition';
import { cancellationCodes, transact } from '../../shared/data/client';
import { isRecognizedOn } from '../../shared/domain/recognition';
import { addYears } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';

const uniq = () => randomBytes(4).toString('hex');

async function newProvider() {
  const contactEmail = `opleiding-${uniq()}@opleider.test`;
  const res = await invoke(createProvider, { path: '/v1/providers', apiKey: await adminKey(), body: { name: `Opleider ${uniq()} BV`, kvkNumber: '12345678', contactEmail } });
  expect(res.statusCode).toBe(201);
  return { id: res.json.providerId as string, key: res.json.apiKey as string, email: contactEmail };
}

async function newEmployer() {
  const invoiceEmail = `facturen-${uniq()}@flex.test`;
  const res = await invoke(createEmployer, {
    path: '/v1/employers',
    apiKey: await adminKey(),
    body: { name: `Flex ${uniq()} BV`, kvkNumber: '87654321', invoiceEmail, address: { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' } },
  });
  expect(res.statusCode).toBe(201);
  return { id: res.json.employerId as string, key: res.json.apiKey as string, email: invoiceEmail };
}

function body(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Arbeidsrecht in de praktijk',
    description: 'Een middag over de fasen van de uitzendovereenkomst en de ketenregeling.',
    learningGoals: ['De deelnemer kent de fasen', 'De deelnemer past de ketenregeling toe'],
    activityType: 'training',
    nature: 'updating',
    topics: ['T02', 'T03'],
    netStudyMinutes: 200,
    completion: { type: 'test', description: 'Toets van 10 vragen' },
    sessions: [{ startsOn: '2027-03-01', location: 'Utrecht' }],
    ...overrides,
  };
}

async function submitAs(key: string, overrides: Record<string, unknown> = {}) {
  const res = await invoke(submit, { path: '/v1/recognition-requests', apiKey: key, body: body(overrides) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json.requestId as string;
}

const decideAs = async (key: string, requestId: string, decision: Record<string, unknown>) =>
  invoke(decide, { path: `/v1/recognition-requests/${requestId}/decision`, apiKey: key, body: decision });

const errorPaths = (res: { json: { errors?: { path: string }[] } }) => (res.json.errors ?? []).map((e) => e.path).sort();

describe('topics', () => {
  it('lists the default topics publicly before anything is stored, and seeding is idempotent under concurrency', async () => {
    const res = await invoke(listTopics, { path: '/v1/topics' });
    expect(res.statusCode).toBe(200);
    expect(res.json.items.map((t: { code: string }) => t.code)).toEqual(['T01', 'T02', 'T03', 'T04', 'T05', 'T06', 'T07', 'T08', 'T09', 'T10', 'T11', 'T12', 'T13']);
    expect(res.json.items[5]).toEqual({ code: 'T06', name: 'Payrolling', retired: false });

    await Promise.all(Array.from({ length: 6 }, () => ensureTopicsSeeded()));
    const stored = await db().send(
      new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :t)', ExpressionAttributeValues: { ':pk': 'TOPICS', ':t': 'TOPIC#' } }),
    );
    expect(stored.Items?.map((i) => i.code).sort()).toEqual(res.json.items.map((t: { code: string }) => t.code));
  });

  it('the admin adds, renames and retires topics without a deploy; others get 403', async () => {
    const admin = await adminKey();
    const added = await invoke(putTopic, { method: 'PUT', path: '/v1/topics/T14', apiKey: admin, body: { name: 'Duurzame inzetbaarheid' } });
    expect(added.statusCode).toBe(200);
    expect(added.json).toEqual({ code: 'T14', name: 'Duurzame inzetbaarheid', retired: false });

    const retired = await invoke(putTopic, { method: 'PUT', path: '/v1/topics/T06', apiKey: admin, body: { name: 'Payrolling (vervallen)', retired: true } });
    expect(retired.statusCode).toBe(200);
    expect(retired.json).toMatchObject({ code: 'T06', name: 'Payrolling (vervallen)', retired: true, retiredAt: expect.any(String) });

    const provider = await newProvider();
    expect((await invoke(putTopic, { method: 'PUT', path: '/v1/topics/T15', apiKey: provider.key, body: { name: 'X' } })).statusCode).toBe(403);
    expect((await invoke(putTopic, { method: 'PUT', path: '/v1/topics/t15', apiKey: admin, body: { name: 'X' } })).statusCode).toBe(400);
    const unknownField = await invoke(putTopic, { method: 'PUT', path: '/v1/topics/T15', apiKey: admin, body: { name: 'X', colour: 'red' } });
    expect(errorPaths(unknownField)).toEqual(['colour']);

    const all = await invoke(listTopics, { path: '/v1/topics' });
    const byCode = Object.fromEntries(all.json.items.map((t: { code: string }) => [t.code, t]));
    expect(byCode.T14).toMatchObject({ name: 'Duurzame inzetbaarheid', retired: false });
    expect(byCode.T06).toMatchObject({ name: 'Payrolling (vervallen)', retired: true });
    expect(byCode.T15).toBeUndefined();

    // The new topic is usable at once; the retired one no longer.
    await submitAs(provider.key, { topics: ['T14'] });
    const refused = await invoke(submit, { path: '/v1/recognition-requests', apiKey: provider.key, body: body({ topics: ['T01', 'T06'] }) });
    expect(refused.statusCode).toBe(400);
    expect(refused.json.errors).toEqual([{ path: 'topics[1]', message: expect.stringMatching(/T06 is retired/) }]);

    // Reinstating brings it back; every change is in the audit trail.
    const back = await invoke(putTopic, { method: 'PUT', path: '/v1/topics/T06', apiKey: admin, body: { name: 'Payrolling', retired: false } });
    expect(back.json).toEqual({ code: 'T06', name: 'Payrolling', retired: false });
    const events = await listEvents('TOPICS', 50);
    expect(events.items.map((e) => e.action)).toEqual(expect.arrayContaining(['topic.added', 'topic.retired', 'topic.reinstated']));
    expect(events.items.find((e) => e.action === 'topic.retired')).toMatchObject({ actor: { role: 'admin' }, before: { name: 'Payrolling', retired: false }, after: { retired: true } });
  });
});

describe('submitting a recognition request', () => {
  it('a provider submits: 201 {requestId, status:"submitted"}, and sees it with its history', async () => {
    const provider = await newProvider();
    const res = await invoke(submit, { path: '/v1/recognition-requests', apiKey: provider.key, body: body() });
    expect(res.statusCode).toBe(201);
    expect(res.json).toEqual({ requestId: expect.stringMatching(/^req_[0-9A-Z]{26}$/), status: 'submitted' });
    expect(res.headers.location).toBe(`/v1/recognition-requests/${res.json.requestId}`);

    const got = await invoke(getRequest, { path: `/v1/recognition-requests/${res.json.requestId}`, apiKey: provider.key });
    expect(got.statusCode).toBe(200);
    expect(got.json).toMatchObject({
      requestId: res.json.requestId,
      status: 'submitted',
      version: 1,
      ownerId: provider.id,
      ownerRole: 'provider',
      internal: false,
      topics: ['T02', 'T03'],
      netStudyMinutes: 200,
      history: [{ transition: 'submitted', to: 'submitted', actor: { role: 'provider', id: provider.id } }],
    });
    const events = await listEvents(`REQUEST#${res.json.requestId}`, 10);
    expect(events.items.map((e) => e.action)).toEqual(['request.submitted']);
  });

  it('400 naming each bad field: < 30 minutes, no learning goals, no completion element, bad dates, unknown fields', async () => {
    const provider = await newProvider();
    const res = await invoke(submit, {
      path: '/v1/recognition-requests',
      apiKey: provider.key,
      body: body({
        netStudyMinutes: 25,
        learningGoals: [],
        completion: undefined,
        sessions: [{ startsOn: '2027-02-29', online: true }, { startsOn: '2027-05-02', endsOn: '2027-05-01', location: 'Zwolle' }],
        activityType: 'lecture',
        price: 100,
      }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(errorPaths(res)).toEqual(['activityType', 'completion', 'learningGoals', 'netStudyMinutes', 'price', 'sessions[0].startsOn', 'sessions[1].endsOn']);
  });

  it('400 naming each unknown topic code (topics are data, checked against the table)', async () => {
    const provider = await newProvider();
    const res = await invoke(submit, { path: '/v1/recognition-requests', apiKey: provider.key, body: body({ topics: ['T01', 'T99', 'X1'] }) });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors).toEqual([
      { path: 'topics[1]', message: 'Unknown topic code T99' },
      { path: 'topics[2]', message: 'Unknown topic code X1' },
    ]);
  });

  it('one 400 names every problem at once: schema errors, unknown and retired topic codes, and `internal` from a provider', async () => {
    const admin = await adminKey();
    const code = `R${uniq().slice(0, 4).toUpperCase()}`;
    expect((await invoke(putTopic, { method: 'PUT', path: `/v1/topics/${code}`, apiKey: admin, body: { name: 'Vervallen onderwerp', retired: true } })).statusCode).toBe(200);
    const provider = await newProvider();
    const res = await invoke(submit, {
      path: '/v1/recognition-requests',
      apiKey: provider.key,
      body: body({
        title: '',
        netStudyMinutes: 10,
        activityType: 'lecture',
        internal: true,
        topics: ['T01', 'T99', 'x1', code],
        colour: 'red',
      }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.detail).toBe(`The request body is invalid: ${res.json.errors.length} error(s).`);
    expect(errorPaths(res)).toEqual(['activityType', 'colour', 'internal', 'netStudyMinutes', 'title', 'topics[1]', 'topics[2]', 'topics[3]']);
    const byPath = Object.fromEntries((res.json.errors as { path: string; message: string }[]).map((e) => [e.path, e.message]));
    expect(byPath['topics[1]']).toBe('Unknown topic code T99');
    expect(byPath['topics[2]']).toMatch(/capital letter/);
    expect(byPath['topics[3]']).toBe(`Topic ${code} is retired and cannot be used in new requests`);
    expect(byPath.internal).toBe('Only an employer can submit an internal activity');
    // Nothing was written.
    const mine = await invoke(list, { path: '/v1/recognition-requests', apiKey: provider.key });
    expect(mine.json.items).toEqual([]);
  });

  it('`internal` only for employers; an employer’s request is internal', async () => {
    const provider = await newProvider();
    const employer = await newEmployer();
    const byProvider = await invoke(submit, { path: '/v1/recognition-requests', apiKey: provider.key, body: body({ internal: true }) });
    expect(byProvider.statusCode).toBe(400);
    expect(errorPaths(byProvider)).toEqual(['internal']);
    const publicByEmployer = await invoke(submit, { path: '/v1/recognition-requests', apiKey: employer.key, body: body({ internal: false }) });
    expect(publicByEmployer.statusCode).toBe(400);
    expect(errorPaths(publicByEmployer)).toEqual(['internal']);

    const requestId = await submitAs(employer.key);
    const got = await invoke(getRequest, { path: `/v1/recognition-requests/${requestId}`, apiKey: employer.key });
    expect(got.json).toMatchObject({ ownerRole: 'employer', ownerId: employer.id, internal: true });
  });

  it('401 without a key; 403 for a participant and for the admin (submitting is for providers and employers)', async () => {
    expect((await invoke(submit, { path: '/v1/recognition-requests', body: body() })).statusCode).toBe(401);
    const participant = await createApiKey('participant', 'par_01JTESTTESTTESTTESTTESTTEST');
    expect((await invoke(submit, { path: '/v1/recognition-requests', apiKey: participant.apiKey, body: body() })).statusCode).toBe(403);
    expect((await invoke(submit, { path: '/v1/recognition-requests', apiKey: await adminKey(), body: body() })).statusCode).toBe(403);
    expect((await invoke(list, { path: '/v1/recognition-requests', apiKey: participant.apiKey })).statusCode).toBe(403);
  });
});

describe('visibility', () => {
  it('the owner and the admin see a request; another provider or an employer gets 404, as for a missing one', async () => {
    const owner = await newProvider();
    const other = await newProvider();
    const employer = await newEmployer();
    const requestId = await submitAs(owner.key);
    const path = `/v1/recognition-requests/${requestId}`;
    expect((await invoke(getRequest, { path, apiKey: owner.key })).statusCode).toBe(200);
    expect((await invoke(getRequest, { path, apiKey: await adminKey() })).statusCode).toBe(200);
    const foreign = await invoke(getRequest, { path, apiKey: other.key });
    const missing = await invoke(getRequest, { path: '/v1/recognition-requests/req_00000000000000000000000000', apiKey: other.key });
    expect(foreign.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(foreign.json.detail).toBe(missing.json.detail);
    expect((await invoke(getRequest, { path, apiKey: employer.key })).statusCode).toBe(404);
    expect((await invoke(getRequest, { path: '/v1/recognition-requests/nonsense', apiKey: owner.key })).statusCode).toBe(400);
    // Nor can another provider resubmit it.
    expect((await invoke(resubmit, { method: 'PUT', path, apiKey: other.key, body: body() })).statusCode).toBe(404);
  });

  it('a provider lists only its own requests, optionally by status', async () => {
    const a = await newProvider();
    const b = await newProvider();
    const mine = [await submitAs(a.key, { title: 'A1' }), await submitAs(a.key, { title: 'A2' })];
    await submitAs(b.key, { title: 'B1' });
    await decideAs(await adminKey(), mine[1], { decision: 'rejected', reason: 'Geen relatie met de toetstermen' });

    const all = await invoke(list, { path: '/v1/recognition-requests', apiKey: a.key });
    expect(all.statusCode).toBe(200);
    expect(all.json.items.map((r: { requestId: string }) => r.requestId)).toEqual(mine);
    expect(all.json.nextCursor).toBeUndefined();
    const rejected = await invoke(list, { path: '/v1/recognition-requests?status=rejected', apiKey: a.key });
    expect(rejected.json.items).toEqual([expect.objectContaining({ requestId: mine[1], status: 'rejected', title: 'A2', ownerId: a.id })]);
    expect((await invoke(list, { path: '/v1/recognition-requests?status=pending', apiKey: a.key })).statusCode).toBe(400);
  });

  it('the admin pages through a status queue, oldest first, and a forged or foreign cursor is a 400', async () => {
    const admin = await adminKey();
    const provider = await newProvider();
    for (let i = 0; i < 5; i++) await submitAs(provider.key, { title: `Queue ${i}` });
    const seen: { requestId: string; statusAt: string }[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await invoke(list, { path: '/v1/recognition-requests', apiKey: admin, query: { status: 'submitted', limit: 2, cursor } });
      expect(res.statusCode).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.json.items);
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    const ids = seen.map((r) => r.requestId);
    expect(new Set(ids).size).toBe(ids.length);
    const times = seen.map((r) => r.statusAt);
    expect(times).toEqual([...times].sort());
    // The admin's default list is the submitted queue: the same items.
    const byDefault = await invoke(list, { path: '/v1/recognition-requests?limit=200', apiKey: admin });
    expect(byDefault.json.items.map((r: { requestId: string }) => r.requestId)).toEqual(ids);
    expect(byDefault.json.items.every((r: { status: string }) => r.status === 'submitted')).toBe(true);

    const first = await invoke(list, { path: '/v1/recognition-requests?limit=1', apiKey: admin });
    const foreign = await invoke(list, { path: '/v1/recognition-requests', apiKey: admin, query: { status: 'approved', cursor: first.json.nextCursor } });
    expect(foreign.statusCode).toBe(400);
    const forged = Buffer.from(JSON.stringify({ pk: 'PARTICIPANT#x', sk: 'PROFILE', gsi1pk: 'REQSTATUS#submitted', gsi1sk: 'x' })).toString('base64url');
    expect((await invoke(list, { path: '/v1/recognition-requests', apiKey: admin, query: { cursor: forged } })).statusCode).toBe(400);
    // A provider cannot use the admin's cursor on its own list either.
    expect((await invoke(list, { path: '/v1/recognition-requests', apiKey: provider.key, query: { cursor: first.json.nextCursor } })).statusCode).toBe(400);
    expect((await invoke(list, { path: '/v1/recognition-requests?limit=201', apiKey: admin })).statusCode).toBe(400);
  });
});

describe('the review workflow', () => {
  it('changes requested → resubmitted → approved: history, audit trail, the activity, and an e-mail per decision', async () => {
    const admin = await adminKey();
    const provider = await newProvider();
    const requestId = await submitAs(provider.key, { netStudyMinutes: 200 });
    const path = `/v1/recognition-requests/${requestId}`;

    // A reason is required for a change request and a rejection.
    expect(errorPaths(await decideAs(admin, requestId, { decision: 'changes-requested' }))).toEqual(['reason']);
    expect(errorPaths(await decideAs(admin, requestId, { decision: 'rejected', reason: '   ' }))).toEqual(['reason']);
    expect(errorPaths(await decideAs(admin, requestId, { decision: 'approved', recognizedUntil: todayInAmsterdam() }))).toEqual(['recognizedUntil']);
    expect((await decideAs(provider.key, requestId, { decision: 'approved' })).statusCode).toBe(403);
    expect((await decideAs(admin, 'req_00000000000000000000000000', { decision: 'approved' })).statusCode).toBe(404);
    // Resubmitting a request that waits for a decision is a conflict.
    expect((await invoke(resubmit, { method: 'PUT', path, apiKey: provider.key, body: body() })).statusCode).toBe(409);

    const changes = await decideAs(admin, requestId, { decision: 'changes-requested', reason: 'Beschrijf de toets: hoeveel vragen, welke cesuur?' });
    expect(changes.statusCode).toBe(200);
    expect(changes.json).toMatchObject({ requestId, status: 'changes-requested', decision: 'changes-requested', notified: true });
    expect(changes.json.activityId).toBeUndefined();
    const changeMail = await sesMessages({ to: provider.email });
    expect(changeMail).toHaveLength(1);
    expect(changeMail[0].subject).toBe('Aanpassing gevraagd: Arbeidsrecht in de praktijk');
    expect(changeMail[0].body.text).toContain('Beschrijf de toets: hoeveel vragen, welke cesuur?');
    expect(changeMail[0].body.text).toContain(requestId);

    // Waiting for the owner: the admin cannot decide again until it is resubmitted.
    const again = await decideAs(admin, requestId, { decision: 'approved' });
    expect(again.statusCode).toBe(409);
    expect(again.json).toMatchObject({ status: 409, currentStatus: 'changes-requested' });

    // The admin cannot resubmit; an invalid resubmission is a 400 and changes nothing.
    expect((await invoke(resubmit, { method: 'PUT', path, apiKey: admin, body: body() })).statusCode).toBe(403);
    const bad = await invoke(resubmit, { method: 'PUT', path, apiKey: provider.key, body: body({ netStudyMinutes: 10, topics: ['T77'] }) });
    expect(bad.statusCode).toBe(400);
    // One answer names the schema's problem and the unknown topic together.
    expect(errorPaths(bad)).toEqual(['netStudyMinutes', 'topics[0]']);
    const badTopic = await invoke(resubmit, { method: 'PUT', path, apiKey: provider.key, body: body({ topics: ['T77'] }) });
    expect(errorPaths(badTopic)).toEqual(['topics[0]']);

    const re = await invoke(resubmit, {
      method: 'PUT',
      path,
      apiKey: provider.key,
      body: body({ netStudyMinutes: 200, completion: { type: 'test', description: 'Toets van 20 vragen, cesuur 70%' } }),
    });
    expect(re.statusCode).toBe(200);
    expect(re.json).toMatchObject({ status: 'submitted', version: 3, completion: { description: 'Toets van 20 vragen, cesuur 70%' } });

    const until = addYears(todayInAmsterdam(), 1);
    const approved = await decideAs(admin, requestId, { decision: 'approved', recognizedUntil: until });
    expect(approved.statusCode).toBe(200);
    expect(approved.json).toMatchObject({
      requestId,
      status: 'approved',
      decision: 'approved',
      activityId: `act_${requestId.slice(4)}`,
      points: 3.25,
      recognizedFrom: todayInAmsterdam(),
      recognizedUntil: until,
      notified: true,
    });

    // Decided: no second decision, no resubmission.
    expect((await decideAs(admin, requestId, { decision: 'rejected', reason: 'toch niet' })).statusCode).toBe(409);
    expect((await invoke(resubmit, { method: 'PUT', path, apiKey: provider.key, body: body() })).statusCode).toBe(409);

    const got = await invoke(getRequest, { path, apiKey: provider.key });
    expect(got.json).toMatchObject({ status: 'approved', version: 4, activityId: approved.json.activityId, points: 3.25 });
    expect(got.json.history.map((h: { transition: string; from?: string; to: string }) => [h.transition, h.from, h.to])).toEqual([
      ['submitted', undefined, 'submitted'],
      ['changes-requested', 'submitted', 'changes-requested'],
      ['resubmitted', 'changes-requested', 'submitted'],
      ['approved', 'submitted', 'approved'],
    ]);
    expect(got.json.history[1]).toMatchObject({ actor: { role: 'admin' }, reason: 'Beschrijf de toets: hoeveel vragen, welke cesuur?', at: expect.any(String) });
    expect(got.json.history[2].actor).toEqual({ role: 'provider', id: provider.id });

    const events = await listEvents(`REQUEST#${requestId}`, 20);
    expect(events.items.map((e) => e.action).sort()).toEqual(
      ['activity.recognized', 'request.approved', 'request.changes-requested', 'request.resubmitted', 'request.submitted'].sort(),
    );
    expect(events.items.find((e) => e.action === 'request.approved')).toMatchObject({ before: { status: 'submitted', version: 3 }, after: { status: 'approved', version: 4 } });

    // The activity, as crediting will read it.
    const activity = await getActivity(approved.json.activityId);
    expect(activity).toMatchObject({
      activityId: approved.json.activityId,
      ownerId: provider.id,
      ownerRole: 'provider',
      title: 'Arbeidsrecht in de praktijk',
      points: 3.25,
      internal: false,
      recognizedFrom: todayInAmsterdam(),
      recognizedUntil: until,
    });
    expect(isRecognizedOn(activity!, todayInAmsterdam())).toBe(true);
    expect(isRecognizedOn(activity!, until)).toBe(false);

    const mails = await sesMessages({ to: provider.email });
    expect(mails.map((m) => m.subject)).toEqual(['Aanpassing gevraagd: Arbeidsrecht in de praktijk', 'Erkenning toegekend: Arbeidsrecht in de praktijk']);
    expect(mails[1].body.text).toContain('3,25 punten');
    expect(mails[1].body.text).toContain(approved.json.activityId);
  });

  it('a rejection is final, carries its reason, and the e-mail of an employer goes to its invoice address', async () => {
    const admin = await adminKey();
    const employer = await newEmployer();
    const requestId = await submitAs(employer.key, { title: 'Interne training inlenersbeloning' });
    const res = await decideAs(admin, requestId, { decision: 'rejected', reason: 'Te weinig inhoud over de toetstermen.' });
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ status: 'rejected', reason: 'Te weinig inhoud over de toetstermen.', notified: true });
    expect(res.json.activityId).toBeUndefined();
    const mails = await sesMessages({ to: employer.email });
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Erkenning afgewezen: Interne training inlenersbeloning');
    expect(mails[0].body.text).toContain('Te weinig inhoud over de toetstermen.');
    expect(mails[0].body.html).toContain('lang="nl"');
    for (const decision of [{ decision: 'approved' }, { decision: 'changes-requested', reason: 'x' }]) {
      const r = await decideAs(admin, requestId, decision);
      expect(r.statusCode).toBe(409);
      expect(r.json).toMatchObject({ status: 409, title: 'Conflict', currentStatus: 'rejected' });
    }
    expect((await sesMessages({ to: employer.email }))).toHaveLength(1);
    const events = await listEvents(`REQUEST#${requestId}`, 20);
    expect(events.items.find((e) => e.action === 'request.rejected')?.detail).toEqual({ reason: 'Te weinig inhoud over de toetstermen.' });
  });

  it('approving an employer’s request creates an internal activity owned by the employer', async () => {
    const employer = await newEmployer();
    const requestId = await submitAs(employer.key, { netStudyMinutes: 45 });
    const res = await decideAs(await adminKey(), requestId, { decision: 'approved' });
    expect(res.statusCode).toBe(200);
    expect(res.json.points).toBe(0.75);
    expect(res.json.recognizedUntil).toBe(addYears(todayInAmsterdam(), 2));
    expect(await getActivity(res.json.activityId)).toMatchObject({ ownerId: employer.id, ownerRole: 'employer', internal: true, points: 0.75 });
  });
});

describe('the decision e-mail failing', () => {
  it('does not undo the decision: 200 with notified false, the decision stored', async () => {
    const provider = await newProvider();
    const requestId = await submitAs(provider.key);
    const send = vi.spyOn(sesClient(), 'send').mockRejectedValueOnce(Object.assign(new Error('SES is down'), { name: 'ServiceUnavailable' }) as never);
    try {
      const res = await decideAs(await adminKey(), requestId, { decision: 'approved' });
      expect(res.statusCode).toBe(200);
      expect(res.json).toMatchObject({ status: 'approved', notified: false, activityId: expect.any(String) });
      expect(send).toHaveBeenCalledTimes(1);
    } finally {
      send.mockRestore();
    }
    expect((await getStoredRequest(requestId))!.status).toBe('approved');
    expect(await getActivity(`act_${requestId.slice(4)}`)).toBeDefined();
    expect(await sesMessages({ to: provider.email })).toHaveLength(0);
  });
});

describe('concurrent decisions', () => {
  it('12 parallel decisions on one request: exactly one lands, the other 11 get 409; one history entry, one event, one activity at most, one e-mail', async () => {
    const admin = await adminKey();
    const provider = await newProvider();
    const requestId = await submitAs(provider.key);
    const decisions = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0 ? { decision: 'approved' } : i % 3 === 1 ? { decision: 'rejected', reason: `reden ${i}` } : { decision: 'changes-requested', reason: `wijzig ${i}` },
    );
    const results = await Promise.all(decisions.map((d) => decideAs(admin, requestId, d)));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, ...Array(11).fill(409)]);
    const winner = results.find((r) => r.statusCode === 200)!;
    for (const loser of results.filter((r) => r.statusCode === 409)) expect(loser.json.currentStatus).toBe(winner.json.status);

    const got = await invoke(getRequest, { path: `/v1/recognition-requests/${requestId}`, apiKey: admin });
    expect(got.json.status).toBe(winner.json.status);
    expect(got.json.version).toBe(2);
    expect(got.json.history).toHaveLength(2);
    const events = await listEvents(`REQUEST#${requestId}`, 50);
    expect(events.items.filter((e) => e.action.startsWith('request.') && e.action !== 'request.submitted')).toHaveLength(1);

    const activityItems = await db().send(
      new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `ACTIVITY#act_${requestId.slice(4)}` } }),
    );
    // An approval writes the activity plus one copy per topic (T02, T03); anything else writes none.
    expect(activityItems.Items ?? []).toHaveLength(winner.json.status === 'approved' ? 3 : 0);
    expect(await sesMessages({ to: provider.email })).toHaveLength(1);
  });

  it('the write itself is guarded: a decision computed from a stale read is refused by DynamoDB', async () => {
    const provider = await newProvider();
    const requestId = await submitAs(provider.key);
    const stale = (await getStoredRequest(requestId))!;
    expect((await decideAs(await adminKey(), requestId, { decision: 'rejected', reason: 'Onvoldoende' })).statusCode).toBe(200);
    const late = { ...stale, status: 'approved' as const, version: stale.version + 1 };
    const err = await transact([putRequestItem(late, { status: stale.status, version: stale.version })]).catch((e: unknown) => e);
    expect(cancellationCodes(err)).toEqual(['ConditionalCheckFailed']);
    expect((await getStoredRequest(requestId))!.status).toBe('rejected');
  });

  it('parallel resubmissions after a change request: exactly one lands', async () => {
    const provider = await newProvider();
    const requestId = await submitAs(provider.key);
    expect((await decideAs(await adminKey(), requestId, { decision: 'changes-requested', reason: 'Meer leerdoelen' })).statusCode).toBe(200);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        invoke(resubmit, { method: 'PUT', path: `/v1/recognition-requests/${requestId}`, apiKey: provider.key, body: body({ title: `Versie ${i}` }) }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, ...Array(9).fill(409)]);
    const winner = results.find((r) => r.statusCode === 200)!;
    const got = await invoke(getRequest, { path: `/v1/recognition-requests/${requestId}`, apiKey: provider.key });
    expect(got.json).toMatchObject({ status: 'submitted', version: 3, title: winner.json.title });
    expect(got.json.history).toHaveLength(3);
  });
});
