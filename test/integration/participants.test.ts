import { describe, expect, it, vi } from 'vitest';
import { GetCommand, QueryCommand, UpdateCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as importDiplomas from '../../functions/http/import-diplomas';
import * as requestActivation from '../../functions/http/request-activation';
import * as createSession from '../../functions/http/create-session';
import * as getParticipant from '../../functions/http/get-participant';
import * as createRenewal from '../../functions/http/create-renewal';
import * as listEvents from '../../functions/http/list-participant-events';
import * as getRegisterEntry from '../../functions/http/get-register-entry';
import * as searchRegister from '../../functions/http/search-register';
import * as createEmployer from '../../functions/http/create-employer';
import * as createProvider from '../../functions/http/create-provider';
import * as listClaims from '../../functions/http/list-activation-claims';
import { adminKey, invoke, sesMessages, waitForMessages } from '../setup/helpers';
import { db, tableName } from '../../shared/data/client';
import { getDiploma, getParticipant as loadParticipant, listRegistrations } from '../../shared/data/participants';
import { tokenKey } from '../../shared/data/tokens';
import { addDays, addYears } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { sesClient } from '../../shared/email/send';
import { logger } from '../../shared/log';
import { config } from '../../shared/config';
import { whenActivationsIdle } from '../../shared/services/activation';

const today = todayInAmsterdam();
let seq = 0;
/** A unique diploma row; `issuedDaysAgo` decides whether it gets an automatic period. */
function row(over: { issuedOn?: string; email?: string | null; lastName?: string; initials?: string; language?: 'nl' | 'en' } = {}) {
  seq++;
  const n = `D${Date.now().toString(36).toUpperCase()}${seq}`;
  return {
    diplomaNumber: n,
    type: 'uitzendprofessional' as const,
    issuedOn: over.issuedOn ?? addDays(today, -100),
    holder: {
      initials: over.initials ?? 'J.P.',
      prefix: 'de',
      lastName: over.lastName ?? `Vries${seq}`,
      birthDate: '1990-04-12',
      ...(over.email === null ? {} : { email: over.email ?? `holder${seq}.${Date.now()}@example.nl` }),
      ...(over.language ? { language: over.language } : {}),
    },
  };
}

async function importRows(rows: ReturnType<typeof row>[]) {
  return invoke(importDiplomas, { path: '/v1/diplomas', apiKey: await adminKey(), body: { diplomas: rows } });
}

async function participantIdOf(diplomaNumber: string) {
  return (await getDiploma(diplomaNumber))!.participantId as string;
}

/**
 * Activation e-mail → token → participant key, the way a holder with an address on file does it
 * (without one, an activation is a claim for the staff: test/integration/accounts.test.ts).
 */
async function activate(r: ReturnType<typeof row>) {
  const to = r.holder.email;
  if (!to) throw new Error('activate() needs a holder with an address on file');
  const before = (await sesMessages({ to })).length;
  const res = await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: r.diplomaNumber, birthDate: r.holder.birthDate, email: `someone.else.${Date.now()}.${Math.random().toString(36).slice(2)}@example.nl` } });
  expect(res.statusCode).toBe(202);
  // Matched and mailed after the answer.
  const mails = await waitForMessages({ to }, before + 1);
  const text = mails[mails.length - 1].body.text!;
  const token = /token=([A-Za-z0-9_-]+)/.exec(text)![1];
  const session = await invoke(createSession, { path: '/v1/sessions', body: { token } });
  return { token, session };
}

async function setPoints(participantId: string, startsOn: string, points: number) {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: `PARTICIPANT#${participantId}`, sk: `REG#${startsOn}` },
      UpdateExpression: 'SET points = :p',
      ExpressionAttributeValues: { ':p': points },
    }),
  );
}

describe('diploma import', () => {
  it('creates participants, registers post-2023 diplomas from their issue date, and counts', async () => {
    const recent = row({ issuedOn: addDays(today, -30) });
    const old = row({ issuedOn: '2022-12-31' });
    const res = await importRows([recent, old]);
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ created: 2, updated: 0, unchanged: 0, registrationsCreated: 1 });
    const regs = await listRegistrations(await participantIdOf(recent.diplomaNumber));
    expect(regs).toHaveLength(1);
    expect(regs[0]).toMatchObject({ startsOn: recent.issuedOn, endsOn: addYears(recent.issuedOn, 2), kind: 'initial', payer: { type: 'none' } });
    expect(await listRegistrations(await participantIdOf(old.diplomaNumber))).toHaveLength(0);
  });

  it('re-import updates and never duplicates', async () => {
    const r = row();
    await importRows([r]);
    const pid = await participantIdOf(r.diplomaNumber);
    const again = await importRows([{ ...r, holder: { ...r.holder, lastName: 'Jansen' } }]);
    expect(again.json).toEqual({ created: 0, updated: 1, unchanged: 0, registrationsCreated: 0 });
    expect(await participantIdOf(r.diplomaNumber)).toBe(pid);
    expect((await loadParticipant(pid))!.lastName).toBe('Jansen');
    expect(await listRegistrations(pid)).toHaveLength(1);
  });

  it('re-importing an unchanged diploma writes nothing and records no audit event; a real change records one naming its fields', async () => {
    const r = row({ language: 'en' });
    await importRows([r]);
    const pid = await participantIdOf(r.diplomaNumber);
    const events = async () => (await db().send(new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
      ExpressionAttributeValues: { ':pk': `PARTICIPANT#${pid}`, ':ev': 'EVENT#' },
      ConsistentRead: true,
    }))).Items!;
    const profileItem = async () => (await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `PARTICIPANT#${pid}`, sk: 'PROFILE' }, ConsistentRead: true }))).Item!;
    const eventsBefore = (await events()).length;
    const itemBefore = await profileItem();

    // The same row again, also without the optional fields it set before (an address on file is kept).
    const { email: _e, language: _l, ...holderWithoutOptionals } = r.holder;
    const same = await importRows([r]);
    const sparse = await importRows([{ ...r, holder: holderWithoutOptionals }]);
    expect(same.json).toEqual({ created: 0, updated: 0, unchanged: 1, registrationsCreated: 0 });
    expect(sparse.json).toEqual({ created: 0, updated: 0, unchanged: 1, registrationsCreated: 0 });
    expect(await events()).toHaveLength(eventsBefore);
    expect(await profileItem()).toEqual(itemBefore);

    // A new address is a change: one event, naming what changed (not its value).
    const newEmail = `moved.${Date.now()}@example.nl`;
    const changed = await importRows([{ ...r, holder: { ...r.holder, email: newEmail } }]);
    expect(changed.json).toEqual({ created: 0, updated: 1, unchanged: 0, registrationsCreated: 0 });
    const updates = (await events()).filter((e) => e.action === 'diploma.updated');
    expect(updates).toHaveLength(1);
    expect(updates[0].detail).toEqual({ changed: ['email'] });
    expect(JSON.stringify(updates[0])).not.toContain(newEmail);
    expect((await loadParticipant(pid))!.email).toBe(newEmail);
  });

  it('the same change imported twice at once is recorded once', async () => {
    const r = row();
    await importRows([r]);
    const pid = await participantIdOf(r.diplomaNumber);
    const renamed = { ...r, holder: { ...r.holder, lastName: 'Dubbel' } };
    const results = await Promise.all(Array.from({ length: 4 }, () => importRows([renamed])));
    expect(results.map((x) => x.statusCode)).toEqual([200, 200, 200, 200]);
    expect(results.reduce((n, x) => n + x.json.updated, 0)).toBe(1);
    expect(results.reduce((n, x) => n + x.json.unchanged, 0)).toBe(3);
    const trail = (await invoke(listEvents, { path: `/v1/participants/${pid}/events`, apiKey: await adminKey() })).json.items;
    expect(trail.filter((e: { action: string }) => e.action === 'diploma.updated')).toHaveLength(1);
    expect((await loadParticipant(pid))!.lastName).toBe('Dubbel');
  });

  it('a bad row → 400 naming row index and field of every error, and nothing is written', async () => {
    const good = row();
    const dup = { ...row(), diplomaNumber: good.diplomaNumber };
    const bad = { ...row(), type: 'kok', holder: { ...row().holder, birthDate: '1990-13-01' } };
    const future = row({ issuedOn: addDays(today, 3) });
    const res = await importRows([good, dup, bad as never, future]);
    expect(res.statusCode).toBe(400);
    const paths = res.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['diplomas[2].type', 'diplomas[2].holder.birthDate']));
    // Schema errors come first; row checks (duplicates, dates) run on a schema-valid body.
    const second = await importRows([good, dup, future]);
    expect(second.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['diplomas[1].diplomaNumber', 'diplomas[2].issuedOn']);
    expect(await getDiploma(good.diplomaNumber)).toBeUndefined();
  });

  it('400 for 0 rows and for more than 1000', async () => {
    expect((await importRows([])).statusCode).toBe(400);
    const many = Array.from({ length: 1001 }, () => row());
    const res = await importRows(many);
    expect(res.statusCode).toBe(400);
    expect(res.json.errors[0].path).toBe('diplomas');
  });

  it('a write failing mid-import leaves whole rows only, and re-sending completes it', async () => {
    const rows = Array.from({ length: 60 }, () => row());
    const client = db();
    const original = client.send.bind(client);
    let transactions = 0;
    const spy = vi.spyOn(client, 'send').mockImplementation(((cmd: unknown) => {
      if (cmd instanceof TransactWriteCommand && ++transactions === 2) {
        return Promise.reject(Object.assign(new Error('simulated outage'), { name: 'ServiceUnavailable' }));
      }
      return original(cmd as never);
    }) as never);
    const failed = await importRows(rows);
    spy.mockRestore();
    expect(failed.statusCode).toBe(500);

    // Every diploma that landed has its participant, registration number and period.
    let landed = 0;
    for (const r of rows) {
      const d = await getDiploma(r.diplomaNumber);
      if (!d) continue;
      landed++;
      const p = await loadParticipant(d.participantId as string);
      expect(p).toBeDefined();
      expect(p!.periods).toHaveLength(1);
      const regNo = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `REGNO#${p!.registrationNumber}`, sk: 'REGNO' } }));
      expect(regNo.Item?.participantId).toBe(p!.participantId);
    }
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(rows.length);

    const retry = await importRows(rows);
    expect(retry.statusCode).toBe(200);
    // The rows that landed are the same rows again: nothing to update.
    expect(retry.json).toEqual({ created: rows.length - landed, updated: 0, unchanged: landed, registrationsCreated: rows.length - landed });
    for (const r of rows) expect((await listRegistrations(await participantIdOf(r.diplomaNumber))).length).toBe(1);
  });

  it('two concurrent imports of the same rows create each participant once', async () => {
    const rows = Array.from({ length: 15 }, () => row());
    const [a, b] = await Promise.all([importRows(rows), importRows(rows)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json.created + b.json.created).toBe(15);
    expect(a.json.registrationsCreated + b.json.registrationsCreated).toBe(15);
  });

  it('a 1000-row import finishes and is all-or-nothing validated', async () => {
    const rows = Array.from({ length: 1000 }, () => row());
    const started = Date.now();
    const res = await importRows(rows);
    expect(res.statusCode).toBe(200);
    expect(res.json.created).toBe(1000);
    // Not a timing assertion: the figure is measured in the bench. Log it for the reader.
    console.info(`1000-row import took ${Date.now() - started} ms against DynamoDB Local`);
  }, 120_000);
});

describe('activation and sessions', () => {
  it('always 202 with the same body; an e-mail only on a match, to the address on file', async () => {
    const r = row({ issuedOn: '2021-05-01' });
    await importRows([r]);
    const wrong = await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: r.diplomaNumber, birthDate: '1991-01-01', email: 'attacker@example.nl' } });
    const missing = await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: 'NOPE12345', birthDate: '1991-01-01', email: 'attacker@example.nl' } });
    const right = await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: r.diplomaNumber, birthDate: r.holder.birthDate, email: 'attacker@example.nl' } });
    expect([wrong.statusCode, missing.statusCode, right.statusCode]).toEqual([202, 202, 202]);
    expect(wrong.body).toBe(right.body);
    expect(missing.body).toBe(right.body);
    const mails = await waitForMessages({ to: r.holder.email! });
    await whenActivationsIdle();
    expect(await sesMessages({ to: 'attacker@example.nl' })).toHaveLength(0);
    expect(await sesMessages({ to: r.holder.email! })).toHaveLength(1);
    expect(mails[0].subject).toBe('Activeer je PE-registratie');
    expect(mails[0].body.text).toMatch(/token=[A-Za-z0-9_-]{20,}/);
    expect(mails[0].body.html).toContain('lang="nl"');
  });

  it('answers a match the same when its e-mail cannot be sent (SES down), so the failure reveals nothing', async () => {
    const r = row({ issuedOn: '2021-05-01' });
    await importRows([r]);
    const ses = sesClient();
    const down = vi.spyOn(ses, 'send').mockRejectedValue(Object.assign(new Error('SES down'), { name: 'ServiceUnavailable' }) as never);
    const logged = vi.spyOn(logger, 'error');
    const right = await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: r.diplomaNumber, birthDate: r.holder.birthDate, email: 'x@example.nl' } });
    const wrong = await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: r.diplomaNumber, birthDate: '1991-01-01', email: 'x@example.nl' } });
    await whenActivationsIdle();
    expect(down).toHaveBeenCalled();
    down.mockRestore();
    expect([right.statusCode, wrong.statusCode]).toEqual([202, 202]);
    expect(right.body).toBe(wrong.body);
    expect(logged).toHaveBeenCalledWith('activation request failed', { error: 'ServiceUnavailable' });
    logged.mockRestore();
    // Asking again once SES is back sends the e-mail.
    await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: r.diplomaNumber, birthDate: r.holder.birthDate, email: 'x@example.nl' } });
    expect(await waitForMessages({ to: r.holder.email! })).toHaveLength(1);
  });

  it('mails nothing to the given address when none is on file (an activation claim waits for the staff)', async () => {
    const r = row({ issuedOn: '2021-05-01', email: null });
    await importRows([r]);
    const to = `given.${Date.now()}@example.nl`;
    await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: r.diplomaNumber, birthDate: r.holder.birthDate, email: to, language: 'en' } });
    await whenActivationsIdle();
    expect(await sesMessages({ to })).toHaveLength(0);
    const claims = await invoke(listClaims, { path: '/v1/activation-claims', apiKey: await adminKey() });
    expect(claims.json.items.filter((c: { diplomaNumber: string }) => c.diplomaNumber === r.diplomaNumber)).toEqual([
      expect.objectContaining({ email: to, language: 'en', status: 'pending' }),
    ]);
  });

  it('400 names bad activation fields', async () => {
    const res = await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: '', birthDate: '12-04-1990', email: 'x', foo: 1 } });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['birthDate', 'diplomaNumber', 'email', 'foo']);
  });

  it('the token gives a participant key and starts a period today; reuse → 401', async () => {
    const r = row({ issuedOn: '2020-01-15' });
    await importRows([r]);
    const { token, session } = await activate(r);
    expect(session.statusCode).toBe(201);
    expect(session.json.apiKey).toMatch(/^pe_participant_/);
    expect(session.json.registration).toMatchObject({ startsOn: today, endsOn: addYears(today, 2) });
    const regs = await listRegistrations(session.json.participantId);
    expect(regs).toHaveLength(1);
    expect(regs[0]).toMatchObject({ kind: 'new', payer: { type: 'participant', id: session.json.participantId } });
    const again = await invoke(createSession, { path: '/v1/sessions', body: { token } });
    expect(again.statusCode).toBe(401);
  });

  it('concurrent use of one token: exactly one session', async () => {
    const r = row({ issuedOn: '2020-01-15' });
    await importRows([r]);
    await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: r.diplomaNumber, birthDate: r.holder.birthDate, email: r.holder.email } });
    const token = /token=([A-Za-z0-9_-]+)/.exec((await waitForMessages({ to: r.holder.email! }))[0].body.text!)![1];
    // As many as the per-token rate limit lets through (more would get 429: request-limits.test.ts).
    const racers = config.rateLimits.identifier.max;
    const results = await Promise.all(Array.from({ length: racers }, () => invoke(createSession, { path: '/v1/sessions', body: { token } })));
    expect(results.filter((x) => x.statusCode === 201)).toHaveLength(1);
    expect(results.filter((x) => x.statusCode === 401)).toHaveLength(racers - 1);
    expect(await listRegistrations(await participantIdOf(r.diplomaNumber))).toHaveLength(1);
  });

  it('an expired token → 401; an active registration is not restarted', async () => {
    const r = row({ issuedOn: addDays(today, -10) });
    await importRows([r]);
    const { session } = await activate(r);
    expect(session.statusCode).toBe(201);
    expect(session.json.registration).toBeNull();

    await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: r.diplomaNumber, birthDate: r.holder.birthDate, email: 'x@example.nl' } });
    const mails = await waitForMessages({ to: r.holder.email! }, 2);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mails[mails.length - 1].body.text!)![1];
    await db().send(
      new UpdateCommand({ TableName: tableName(), Key: tokenKey(token), UpdateExpression: 'SET validUntil = :past', ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() } }),
    );
    expect((await invoke(createSession, { path: '/v1/sessions', body: { token } })).statusCode).toBe(401);
    expect((await invoke(createSession, { path: '/v1/sessions', body: { token: 'never-issued-token-xyz' } })).statusCode).toBe(401);
  });

  it('a lapsed participant re-activates: a new period from today, kind re-activation', async () => {
    const issued = addDays(today, -800); // its automatic period ended ~70 days ago
    const r = row({ issuedOn: issued < '2023-01-01' ? '2023-01-02' : issued });
    await importRows([r]);
    const { session } = await activate(r);
    expect(session.statusCode).toBe(201);
    expect(session.json.registration.startsOn).toBe(today);
    const kinds = (await listRegistrations(session.json.participantId)).map((x) => x.kind).sort();
    expect(kinds).toEqual(['initial', 're-activation']);
  });
});

describe('the dossier', () => {
  it('the participant sees every field; the admin too; another participant and an unlinked employer get 404', async () => {
    const r = row({ issuedOn: addDays(today, -50) });
    const other = row({ issuedOn: addDays(today, -50) });
    await importRows([r, other]);
    const me = (await activate(r)).session.json;
    const them = (await activate(other)).session.json;

    const res = await invoke(getParticipant, { path: `/v1/participants/${me.participantId}`, apiKey: me.apiKey });
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({
      participantId: me.participantId,
      registrationNumber: expect.stringMatching(/^PE-[0-9A-Z]{6}$/),
      name: `J.P. de ${r.holder.lastName}`,
      title: 'Register-Uitzendprofessional',
      diploma: { diplomaNumber: r.diplomaNumber, type: 'uitzendprofessional', issuedOn: r.issuedOn },
      current: { startsOn: r.issuedOn, status: 'active', pointsEarned: 0, pointsRequired: 12, pointsMissing: 12, renewable: false },
      credits: [],
    });
    expect(res.json.registrations).toHaveLength(1);

    expect((await invoke(getParticipant, { path: `/v1/participants/${me.participantId}`, apiKey: await adminKey() })).statusCode).toBe(200);
    expect((await invoke(getParticipant, { path: `/v1/participants/${me.participantId}`, apiKey: them.apiKey })).statusCode).toBe(404);
    const emp = await invoke(createEmployer, {
      path: '/v1/employers', apiKey: await adminKey(),
      body: { name: 'E', kvkNumber: '11112222', invoiceEmail: 'f@e.nl', address: { street: 's 1', postalCode: '1000 AA', city: 'A', country: 'NL' } },
    });
    expect((await invoke(getParticipant, { path: `/v1/participants/${me.participantId}`, apiKey: emp.json.apiKey })).statusCode).toBe(404);
    // A linked employer sees it.
    await db().send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: tableName(), Item: { pk: `EMPLOYER#${emp.json.employerId}`, sk: `EMPLOYEE#${me.participantId}`, linkedOn: today } } }] }));
    expect((await invoke(getParticipant, { path: `/v1/participants/${me.participantId}`, apiKey: emp.json.apiKey })).statusCode).toBe(200);
    // A provider may not read dossiers at all; nobody without a key.
    const prv = await invoke(createProvider, { path: '/v1/providers', apiKey: await adminKey(), body: { name: 'P', kvkNumber: '12121212', contactEmail: 'p@p.nl' } });
    expect((await invoke(getParticipant, { path: `/v1/participants/${me.participantId}`, apiKey: prv.json.apiKey })).statusCode).toBe(403);
    expect((await invoke(getParticipant, { path: `/v1/participants/${me.participantId}` })).statusCode).toBe(401);
    expect((await invoke(getParticipant, { path: '/v1/participants/not-an-id', apiKey: await adminKey() })).statusCode).toBe(400);
  });
});

describe('renewal', () => {
  it('409 with pointsMissing below 12; 201 at 12 starting on the old endsOn; a second renewal 409', async () => {
    const r = row({ issuedOn: addDays(today, -200) });
    await importRows([r]);
    const me = (await activate(r)).session.json;
    const path = `/v1/participants/${me.participantId}/renewals`;
    await setPoints(me.participantId, r.issuedOn, 10.5);
    const early = await invoke(createRenewal, { method: 'POST', path, apiKey: me.apiKey });
    expect(early.statusCode).toBe(409);
    expect(early.json.pointsMissing).toBe(1.5);

    await setPoints(me.participantId, r.issuedOn, 12);
    const ok = await invoke(createRenewal, { method: 'POST', path, apiKey: me.apiKey });
    expect(ok.statusCode).toBe(201);
    expect(ok.json).toMatchObject({ startsOn: addYears(r.issuedOn, 2), endsOn: addYears(r.issuedOn, 4) });
    const twice = await invoke(createRenewal, { method: 'POST', path, apiKey: me.apiKey });
    expect(twice.statusCode).toBe(409);
    expect(twice.json.reason).toBe('already-renewed');

    const dossier = await invoke(getParticipant, { path: `/v1/participants/${me.participantId}`, apiKey: me.apiKey });
    expect(dossier.json.current.status).toBe('renewed');
    expect(dossier.json.registrations.map((x: { status: string }) => x.status)).toEqual(['renewed', 'upcoming']);
  });

  it('ten simultaneous renewals create exactly one period', async () => {
    const r = row({ issuedOn: addDays(today, -300) });
    await importRows([r]);
    const pid = await participantIdOf(r.diplomaNumber);
    await setPoints(pid, r.issuedOn, 12.25);
    const admin = await adminKey();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => invoke(createRenewal, { method: 'POST', path: `/v1/participants/${pid}/renewals`, apiKey: admin })),
    );
    expect(results.filter((x) => x.statusCode === 201)).toHaveLength(1);
    expect(results.filter((x) => x.statusCode === 409)).toHaveLength(9);
    expect(await listRegistrations(pid)).toHaveLength(2);
  });

  it('someone else may not renew (404), a lapsed period cannot be renewed (409)', async () => {
    const r = row({ issuedOn: addDays(today, -100) });
    const other = row({ issuedOn: addDays(today, -100) });
    await importRows([r, other]);
    const them = (await activate(other)).session.json;
    const pid = await participantIdOf(r.diplomaNumber);
    expect((await invoke(createRenewal, { method: 'POST', path: `/v1/participants/${pid}/renewals`, apiKey: them.apiKey })).statusCode).toBe(404);

    const lapsed = row({ issuedOn: '2023-01-02' });
    await importRows([lapsed]);
    const lpid = await participantIdOf(lapsed.diplomaNumber);
    await setPoints(lpid, '2023-01-02', 14);
    const res = await invoke(createRenewal, { method: 'POST', path: `/v1/participants/${lpid}/renewals`, apiKey: await adminKey() });
    expect(res.statusCode).toBe(409);
  });
});

describe('the public register', () => {
  it('shows only name, title, status and valid-until; lapsed and never-registered are not registered', async () => {
    const active = row({ issuedOn: addDays(today, -20), lastName: `Öztürk${Date.now()}` });
    const lapsed = row({ issuedOn: '2023-01-02', lastName: active.holder.lastName, initials: 'A.' });
    const never = row({ issuedOn: '2021-01-02', lastName: active.holder.lastName, initials: 'B.' });
    await importRows([active, lapsed, never]);
    const a = await loadParticipant(await participantIdOf(active.diplomaNumber));
    const res = await invoke(getRegisterEntry, { path: `/v1/register/${a!.registrationNumber}` });
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({
      registrationNumber: a!.registrationNumber,
      name: `J.P. de ${active.holder.lastName}`,
      title: 'Register-Uitzendprofessional',
      status: 'active',
      // The last valid day: the day before the period's (exclusive) end.
      validUntil: addDays(addYears(active.issuedOn, 2), -1),
    });
    for (const r of [lapsed, never]) {
      const p = await loadParticipant(await participantIdOf(r.diplomaNumber));
      expect((await invoke(getRegisterEntry, { path: `/v1/register/${p!.registrationNumber}` })).statusCode).toBe(404);
    }
    expect((await invoke(getRegisterEntry, { path: '/v1/register/PE-000000' })).statusCode).toBe(404);
    expect((await invoke(getRegisterEntry, { path: '/v1/register/nonsense' })).statusCode).toBe(400);

    // Case- and accent-insensitive surname search; lapsed ones are left out.
    const plain = active.holder.lastName.replace('Ö', 'o').toUpperCase();
    const search = await invoke(searchRegister, { path: '/v1/register', query: { lastName: plain } });
    expect(search.statusCode).toBe(200);
    expect(search.json.items).toHaveLength(1);
    expect(Object.keys(search.json.items[0]).sort()).toEqual(['name', 'registrationNumber', 'status', 'title', 'validUntil']);
    const byInitials = await invoke(searchRegister, { path: '/v1/register', query: { lastName: plain, initials: 'j.' } });
    expect(byInitials.json.items).toHaveLength(1);
    const none = await invoke(searchRegister, { path: '/v1/register', query: { lastName: plain, initials: 'B' } });
    expect(none.json.items).toHaveLength(0);
    expect((await invoke(searchRegister, { path: '/v1/register' })).statusCode).toBe(400);
  });

  it('finds Dutch surnames as people type them: with the prefix before, after a comma, or without it', async () => {
    const issuedOn = addDays(today, -30);
    const holder = (initials: string, lastName: string, prefix?: string) => ({
      ...row({ issuedOn }),
      holder: { initials, ...(prefix ? { prefix } : {}), lastName, birthDate: '1990-04-12' },
    });
    const vries = holder('M.', 'Vries', 'de');
    const berg = holder('J.', 'Berg', 'van der');
    // An import that left the prefix in the surname is found the same way.
    const horst = holder('K.', "ter Hörst");
    const hof = holder('A.', "Hof", "in 't");
    expect((await invoke(importDiplomas, { path: '/v1/diplomas', apiKey: await adminKey(), body: { diplomas: [vries, berg, horst, hof] } })).statusCode).toBe(200);
    const names = async (lastName: string, initials?: string) => {
      const res = await invoke(searchRegister, { path: '/v1/register', query: { lastName, ...(initials ? { initials } : {}) } });
      expect(res.statusCode, lastName).toBe(200);
      return (res.json.items as { name: string }[]).map((i) => i.name);
    };
    for (const typed of ['de Vries', 'De Vries', 'Vries', 'vries, de', 'Vries, De', 'VRIES', '  de  vriës ', 'de Vries,']) {
      expect(await names(typed), typed).toEqual(['M. de Vries']);
    }
    expect(await names('de Vries', 'M.')).toEqual(['M. de Vries']);
    expect(await names('de Vries', 'X')).toEqual([]);
    for (const typed of ['van der Berg', 'Berg', 'Van Der Berg', 'Berg, van der', 'van den Berg']) {
      expect(await names(typed), typed).toEqual(['J. van der Berg']);
    }
    for (const typed of ['Horst', 'ter Horst', 'Horst, ter', 'TER HÖRST']) {
      expect(await names(typed), typed).toEqual(["K. ter Hörst"]);
    }
    for (const typed of ["in 't Hof", 'Hof', "Hof, in 't", 'in ’t Hof']) {
      expect(await names(typed), typed).toEqual(["A. in 't Hof"]);
    }
    // The prefix alone is no surname.
    expect(await names('de')).toEqual([]);
    expect(await names(', de')).toEqual([]);
    // The entry shows the last valid day.
    const [entry] = (await invoke(searchRegister, { path: '/v1/register', query: { lastName: 'Vries' } })).json.items;
    expect(entry.validUntil).toBe(addDays(addYears(issuedOn, 2), -1));
  });
});

describe('the audit trail', () => {
  it('records import, registration, session and renewal; only the admin reads it, paginated', async () => {
    const r = row({ issuedOn: addDays(today, -20) });
    await importRows([r]);
    const me = (await activate(r)).session.json;
    await setPoints(me.participantId, r.issuedOn, 12);
    await invoke(createRenewal, { method: 'POST', path: `/v1/participants/${me.participantId}/renewals`, apiKey: me.apiKey });
    const admin = await adminKey();
    const res = await invoke(listEvents, { path: `/v1/participants/${me.participantId}/events`, apiKey: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['diploma.imported', 'registration.initial', 'session.created', 'registration.renewal']),
    );
    const renewal = res.json.items.find((e: { action: string }) => e.action === 'registration.renewal');
    expect(renewal.actor).toEqual({ role: 'participant', id: me.participantId });
    const page1 = await invoke(listEvents, { path: `/v1/participants/${me.participantId}/events`, query: { limit: 2 }, apiKey: admin });
    expect(page1.json.items).toHaveLength(2);
    const page2 = await invoke(listEvents, { path: `/v1/participants/${me.participantId}/events`, query: { limit: 2, cursor: page1.json.nextCursor }, apiKey: admin });
    expect(page2.json.items[0].eventId).not.toBe(page1.json.items[0].eventId);
    expect((await invoke(listEvents, { path: `/v1/participants/${me.participantId}/events`, query: { cursor: 'garbage' }, apiKey: admin })).statusCode).toBe(400);
    expect((await invoke(listEvents, { path: `/v1/participants/${me.participantId}/events`, apiKey: me.apiKey })).statusCode).toBe(403);
  });
});
