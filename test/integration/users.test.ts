/**
 * Issue 15, point 1: users of organisations (API.md "Users"; WEB.md "Sign-in and sessions") —
 * through the real handlers, DynamoDB Local and the SES emulator: invite, list, remove; one user
 * per address per organisation, also when invited twice at once; tenancy; removal ends sessions;
 * the invitation's link signs in as that user; a removed user gets no sign-in link.
 */
import { describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as createEmployerUser from '../../functions/http/create-employer-user';
import * as listEmployerUsers from '../../functions/http/list-employer-users';
import * as deleteEmployerUser from '../../functions/http/delete-employer-user';
import * as createProviderUser from '../../functions/http/create-provider-user';
import * as listProviderUsers from '../../functions/http/list-provider-users';
import * as deleteProviderUser from '../../functions/http/delete-provider-user';
import * as signIn from '../../functions/web/sign-in';
import { db, tableName } from '../../shared/data/client';
import { getWebSession } from '../../shared/data/web-sessions';
import { signInLinkKey, INVITATION_LINK_VALID_MINUTES } from '../../shared/data/sign-in-links';
import { queryAll } from '../../shared/data/batch';
import { ensureAdminUser } from '../../shared/data/users';
import { whenAnswersIdle } from '../../shared/services/after-answer';
import { createApiKey } from '../../shared/data/api-keys';
import { messages } from '../../shared/i18n';
import { sessionCookieName } from '../../shared/web/session';
import { adminKey, invoke, sesMessages, waitForMessages } from '../setup/helpers';
import { newEmployer } from './employers.fixtures';
import { newProvider, uid } from './webhook.fixtures';
import { page } from '../web/helpers';

const nl = messages('nl');
const address = (who: string) => `${who}.${uid()}@example.nl`;
const tokenIn = (text: string | undefined) => /token=([A-Za-z0-9_-]+)/.exec(text ?? '')![1];

const invite = (employerId: string, apiKey: string | undefined, body: unknown) =>
  invoke(createEmployerUser, { method: 'POST', path: `/v1/employers/${employerId}/users`, apiKey, body });
const list = (employerId: string, apiKey: string | undefined) => invoke(listEmployerUsers, { path: `/v1/employers/${employerId}/users`, apiKey });
const remove = (employerId: string, userId: string, apiKey: string | undefined) =>
  invoke(deleteEmployerUser, { method: 'DELETE', path: `/v1/employers/${employerId}/users/${userId}`, apiKey });

/** Follows a mailed sign-in link like a browser: the session id its cookie carries, and where it landed. */
async function follow(text: string | undefined): Promise<{ id?: string; location?: string; status: number }> {
  const res = await page(signIn, { path: `/inloggen?token=${tokenIn(text)}` });
  const line = res.setCookies.find((c) => c.startsWith(`${sessionCookieName()}=`));
  return { id: line ? decodeURIComponent(line.split(';')[0].slice(sessionCookieName().length + 1)) : undefined, location: res.location, status: res.statusCode };
}

async function askSignIn(email: string) {
  const res = await page(signIn, { path: '/inloggen', form: { email } });
  expect(res.statusCode).toBe(303);
}

describe('users of an employer: POST/GET/DELETE /v1/employers/{employerId}/users', () => {
  it('invites (201 and a mail whose link signs in as that user, landing on /werkgever), lists, and removes', async () => {
    const employer = await newEmployer();
    const email = address('hr');
    const res = await invite(employer.employerId, employer.apiKey, { email, name: 'Anna de Jong' });
    expect(res.statusCode).toBe(201);
    expect(res.json).toEqual({ userId: expect.stringMatching(/^usr_[0-9A-Z]{26}$/), email, name: 'Anna de Jong' });
    const { userId } = res.json;

    const [mail] = await waitForMessages({ to: email });
    expect(mail.subject).toBe(nl.users.mailSubject('Flex Uitzend BV'));
    expect(mail.body.text).toContain(nl.users.mailGreeting('Anna de Jong'));
    // The invitation's link lives a week (a 15-minute link would be dead before a new colleague reads it).
    const link = (await db().send(new GetCommand({ TableName: tableName(), Key: signInLinkKey(tokenIn(mail.body.text)) }))).Item!;
    expect(Date.parse(link.validUntil) - Date.parse(link.createdAt)).toBe(INVITATION_LINK_VALID_MINUTES * 60_000);
    expect(INVITATION_LINK_VALID_MINUTES).toBe(7 * 24 * 60);
    expect(link).toMatchObject({ role: 'employer', ownerId: employer.employerId, userId });

    const signed = await follow(mail.body.text);
    expect(signed.location).toBe('/werkgever');
    const session = (await getWebSession(signed.id!))!;
    // The session carries the user's name, so what they do is in the trail under it.
    expect(session).toMatchObject({ role: 'employer', ownerId: employer.employerId, userId, userName: 'Anna de Jong' });
    const events = await queryAll({ pk: `EMPLOYER#${employer.employerId}`, skPrefix: 'EVENT#', consistent: true });
    expect(events.find((e) => e.action === 'session.created')!.actor).toEqual({ role: 'employer', id: employer.employerId, userId });
    expect(events.find((e) => e.action === 'user.invited')!.actor).toEqual({ role: 'employer', id: employer.employerId });

    const listed = await list(employer.employerId, await adminKey());
    expect(listed.statusCode).toBe(200);
    expect(listed.json.items).toEqual([{ userId, email, name: 'Anna de Jong', language: 'nl', createdAt: expect.any(String) }]);

    const gone = await remove(employer.employerId, userId, employer.apiKey);
    expect(gone.statusCode).toBe(204);
    expect((await list(employer.employerId, employer.apiKey)).json.items).toEqual([]);
    // Their session ended with the removal.
    expect(await getWebSession(signed.id!)).toBeUndefined();
    // Removed twice: the same answer (a retry completes the first).
    expect((await remove(employer.employerId, userId, employer.apiKey)).statusCode).toBe(204);
    // Unknown user: 404.
    expect((await remove(employer.employerId, 'usr_00000000000000000000000000', employer.apiKey)).statusCode).toBe(404);
  });

  it('the same address twice in one organisation is a 409 (any case); another organisation may have it', async () => {
    const [a, b] = [await newEmployer(), await newEmployer()];
    const email = address('twice');
    expect((await invite(a.employerId, a.apiKey, { email, name: 'Piet' })).statusCode).toBe(201);
    const again = await invite(a.employerId, a.apiKey, { email: email.toUpperCase(), name: 'Piet' });
    expect(again.statusCode).toBe(409);
    expect(again.json.reason).toBe('user-exists');
    expect((await invite(b.employerId, b.apiKey, { email, name: 'Piet' })).statusCode).toBe(201);
  });

  it('two identical invitations at once make one user', async () => {
    const employer = await newEmployer();
    const email = address('race');
    const answers = await Promise.all([0, 1, 2].map(() => invite(employer.employerId, employer.apiKey, { email, name: 'Race' })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    expect((await list(employer.employerId, employer.apiKey)).json.items).toHaveLength(1);
    expect(await sesMessages({ to: email })).toHaveLength(1);
  });

  it('after a removal the address may be invited again (a new user)', async () => {
    const employer = await newEmployer();
    const email = address('back');
    const first = (await invite(employer.employerId, employer.apiKey, { email, name: 'Terug' })).json.userId;
    expect((await remove(employer.employerId, first, employer.apiKey)).statusCode).toBe(204);
    const second = await invite(employer.employerId, employer.apiKey, { email, name: 'Terug' });
    expect(second.statusCode).toBe(201);
    expect(second.json.userId).not.toBe(first);
  });

  it("tenancy: another employer's id is a 404, another role a 403, no key a 401, bad input a 400 naming the fields", async () => {
    const [a, b] = [await newEmployer(), await newEmployer()];
    const userId = (await invite(a.employerId, a.apiKey, { email: address('t'), name: 'T' })).json.userId;
    expect((await invite(a.employerId, b.apiKey, { email: address('x'), name: 'X' })).statusCode).toBe(404);
    expect((await list(a.employerId, b.apiKey)).statusCode).toBe(404);
    expect((await remove(a.employerId, userId, b.apiKey)).statusCode).toBe(404);
    // B's own id with A's user: B has no such user.
    expect((await remove(b.employerId, userId, b.apiKey)).statusCode).toBe(404);
    expect((await list(a.employerId, a.apiKey)).json.items).toHaveLength(1);

    const provider = await newProvider();
    const participantKey = (await createApiKey('participant', 'par_x')).apiKey;
    for (const key of [provider.apiKey, participantKey]) {
      expect((await invite(a.employerId, key, { email: address('y'), name: 'Y' })).statusCode).toBe(403);
      expect((await list(a.employerId, key)).statusCode).toBe(403);
      expect((await remove(a.employerId, userId, key)).statusCode).toBe(403);
    }
    expect((await invite(a.employerId, undefined, { email: address('z'), name: 'Z' })).statusCode).toBe(401);
    expect((await list(a.employerId, undefined)).statusCode).toBe(401);
    expect((await remove(a.employerId, userId, undefined)).statusCode).toBe(401);

    const bad = await invite(a.employerId, a.apiKey, { email: 'geen-adres', name: '  ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'name']);
    // An unknown employer: 404 for the admin too.
    expect((await invite('emp_00000000000000000000000000', await adminKey(), { email: address('n'), name: 'N' })).statusCode).toBe(404);
  });

  it('a removed user gets no sign-in mail; a link mailed before the removal no longer signs in', async () => {
    const employer = await newEmployer();
    const email = address('removed');
    const userId = (await invite(employer.employerId, employer.apiKey, { email, name: 'Weg' })).json.userId;
    await waitForMessages({ to: email });
    await askSignIn(email);
    const [, signInMail] = await waitForMessages({ to: email }, 2);
    expect(signInMail.subject).toBe(nl.signIn.mailSubject);
    expect((await remove(employer.employerId, userId, await adminKey())).statusCode).toBe(204);

    const stale = await follow(signInMail.body.text);
    expect(stale.status).toBe(410);
    expect(stale.id).toBeUndefined();
    await askSignIn(email);
    await whenAnswersIdle();
    expect(await sesMessages({ to: email })).toHaveLength(2);
  });
});

describe('users of a provider: /v1/providers/{providerId}/users', () => {
  it('the same for a provider: invite, sign in on /opleider, list, remove ends the session; tenancy', async () => {
    const [p, q] = [await newProvider(), await newProvider()];
    const email = address('planner');
    const res = await invoke(createProviderUser, { method: 'POST', path: `/v1/providers/${p.providerId}/users`, apiKey: p.apiKey, body: { email, name: 'Planner', language: 'en' } });
    expect(res.statusCode).toBe(201);
    const [mail] = await waitForMessages({ to: email });
    expect(mail.subject).toMatch(/^Invitation: access to the PE register for Opleider /);
    const signed = await follow(mail.body.text);
    expect(signed.location).toBe('/opleider');

    expect((await invoke(listProviderUsers, { path: `/v1/providers/${p.providerId}/users`, apiKey: q.apiKey })).statusCode).toBe(404);
    expect((await invoke(listProviderUsers, { path: `/v1/providers/${p.providerId}/users`, apiKey: (await newEmployer()).apiKey })).statusCode).toBe(403);
    const listed = await invoke(listProviderUsers, { path: `/v1/providers/${p.providerId}/users`, apiKey: p.apiKey });
    expect(listed.json.items.map((u: { email: string }) => u.email)).toEqual([email]);
    expect((await invoke(deleteProviderUser, { method: 'DELETE', path: `/v1/providers/${p.providerId}/users/${res.json.userId}`, apiKey: q.apiKey })).statusCode).toBe(404);
    expect(await getWebSession(signed.id!)).toBeDefined();
    expect((await invoke(deleteProviderUser, { method: 'DELETE', path: `/v1/providers/${p.providerId}/users/${res.json.userId}`, apiKey: p.apiKey })).statusCode).toBe(204);
    expect(await getWebSession(signed.id!)).toBeUndefined();
  });
});

describe('the first admin user (ADMIN_EMAIL)', () => {
  it('is made once per address (also when ensured twice at once) and signs in on /beheer', async () => {
    const email = address('beheer');
    expect(await Promise.all([ensureAdminUser(email), ensureAdminUser(email)]).then((r) => r.sort())).toEqual(['created', 'existed']);
    expect(await ensureAdminUser(email)).toBe('existed');
    await askSignIn(email);
    const [mail] = await waitForMessages({ to: email });
    const signed = await follow(mail.body.text);
    expect(signed.location).toBe('/beheer');
    const session = (await getWebSession(signed.id!))!;
    expect(session).toMatchObject({ role: 'admin', ownerId: 'admin', userId: expect.stringMatching(/^usr_/) });
  });
});
