/**
 * Issue 14, point 3: sign-in by e-mail link, activation in the browser, sign-out (WEB.md "Sign-in
 * and sessions", /activeren, /inloggen, /uitloggen) — through the real page handlers, DynamoDB
 * Local and the SES emulator.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import * as requestsWorker from '../../functions/queue/activation-requests';
import * as activation from '../../functions/web/activation';
import * as signIn from '../../functions/web/sign-in';
import * as signOut from '../../functions/web/sign-out';
import * as importDiplomas from '../../functions/http/import-diplomas';
import * as requestActivation from '../../functions/http/request-activation';
import * as createSession from '../../functions/http/create-session';
import * as listClaims from '../../functions/http/list-activation-claims';
import * as decideClaim from '../../functions/http/decide-activation-claim';
import { pageHandler } from '../../shared/web/page';
import { Heading } from '../../shared/web/components';
import { sessionCookieName } from '../../shared/web/session';
import { db, tableName } from '../../shared/data/client';
import { getWebSession, webSessionKey } from '../../shared/data/web-sessions';
import { signInLinkKey } from '../../shared/data/sign-in-links';
import { getDiploma, listRegistrations } from '../../shared/data/participants';
import { createActivationToken } from '../../shared/data/tokens';
import { queryAll } from '../../shared/data/batch';
import { whenActivationsIdle } from '../../shared/services/activation';
import { subjectsOf } from '../../shared/services/sign-in';
import { messages } from '../../shared/i18n';
import { adminKey, invoke, sesMessages, waitForMessages } from '../setup/helpers';
import { holders, newEmployer, recentIssue, register, rowsOf } from '../integration/employers.fixtures';
import { page, signedIn } from './helpers';

const run = Date.now().toString(36).toUpperCase();
let seq = 0;
const nl = messages('nl');

afterEach(() => {
  vi.useRealTimers();
});

const address = (who: string) => `${who}.${run}.${++seq}@example.nl`;

interface Holder {
  diplomaNumber: string;
  birthDate: string;
  lastName: string;
  email?: string;
  participantId: string;
}

/** Holders imported through the real import (an old diploma: no automatic period). */
async function imported(list: { email?: string }[]): Promise<Holder[]> {
  const rows = list.map((o) => {
    seq++;
    return { diplomaNumber: `SGN${run}${seq}`, birthDate: '1985-02-14', lastName: `Visser${seq}`, email: o.email };
  });
  const res = await invoke(importDiplomas, {
    path: '/v1/diplomas',
    apiKey: await adminKey(),
    body: {
      diplomas: rows.map((h) => ({
        diplomaNumber: h.diplomaNumber,
        type: 'uitzendprofessional',
        issuedOn: '2020-03-01',
        holder: { initials: 'M.', lastName: h.lastName, birthDate: h.birthDate, ...(h.email ? { email: h.email } : {}) },
      })),
    },
  });
  expect(res.statusCode).toBe(200);
  return Promise.all(rows.map(async (h) => ({ ...h, participantId: (await getDiploma(h.diplomaNumber))!.participantId as string })));
}
const holder = async (email?: string) => (await imported([{ email }]))[0];

/** A page on the dossier's route that says whom it saw (the real dossier is another helper's). */
const dossier = {
  handler: pageHandler({
    routes: ['page-dossier', 'page-dossier-settings'],
    handler: async (ctx) => ({ title: 'Dossier', body: <Heading>{`dossier of ${ctx.caller?.ownerId}`}</Heading> }),
  }),
};

const tokenIn = (text: string | undefined) => /token=([A-Za-z0-9_-]+)/.exec(text ?? '')![1];
const tokensIn = (text: string | undefined) => [...(text ?? '').matchAll(/token=([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
const withoutCsrf = (body: string) => body.replace(/name="csrf" value="[^"]*"/g, 'name="csrf" value=""');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The session cookie a response set: its id and its attributes. */
function sessionCookieOf(res: { setCookies: string[] }) {
  const line = res.setCookies.find((c) => c.startsWith(`${sessionCookieName()}=`));
  if (!line) return undefined;
  return { id: decodeURIComponent(line.split(';')[0].slice(sessionCookieName().length + 1)), line };
}

/** The dossier as the browser holding this session id sees it. */
const dossierWith = (id: string) => page(dossier, { path: '/dossier', cookies: { [sessionCookieName()]: id } });

async function sessionEvents(participantId: string) {
  const events = await queryAll({ pk: `PARTICIPANT#${participantId}`, skPrefix: 'EVENT#', consistent: true });
  return events.filter((e) => e.action === 'session.created');
}

describe('/activeren: the form', () => {
  it('lists every bad field at the top, linked to it, and beside it, keeping what was typed', async () => {
    const res = await page(activation, { path: '/activeren', form: { diplomaNumber: '', birthDate: 'gisteren', email: 'geen-adres' } });
    expect(res.statusCode).toBe(400);
    const t = nl.activation;
    // The labels are WEB.md's.
    for (const [id, label] of [['diplomaNumber', 'Diplomanummer'], ['birthDate', 'Geboortedatum'], ['email', 'E-mailadres']]) {
      expect(res.body).toContain(`<label class="utrecht-form-label" for="${id}">${label}</label>`);
    }
    expect([t.diplomaNumber, t.birthDate, t.email]).toEqual(['Diplomanummer', 'Geboortedatum', 'E-mailadres']);
    const summary = res.body.slice(res.body.indexOf('foutmeldingen-titel'), res.body.indexOf('<form'));
    expect([...summary.matchAll(/href="#(\w+)"/g)].map((m) => m[1])).toEqual(['diplomaNumber', 'birthDate', 'email']);
    expect(summary).toContain(nl.errors.required('Diplomanummer'));
    expect(summary).toContain(nl.errors.invalid('Geboortedatum'));
    for (const id of ['diplomaNumber', 'birthDate', 'email']) {
      expect(res.body).toContain(`id="${id}-fout"`);
      expect(res.body).toMatch(new RegExp(`id="${id}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${id}"`));
    }
    expect(res.body).toContain('value="gisteren"');
    expect(res.body).toContain('value="geen-adres"');
    expect(res.body).toContain('type="date"');
    await whenActivationsIdle();
  });

  it('answers the same for a match and none (only the match is mailed), in the page language', async () => {
    const h = await holder(address('onfile'));
    const attacker = address('attacker');
    const ask = (birthDate: string) =>
      page(activation, { path: '/activeren', form: { diplomaNumber: h.diplomaNumber, birthDate, email: attacker }, cookies: { pe_lang: 'en' } });
    // A date typed the Dutch way (a browser without a date picker) is the same date.
    const match = await ask('14-02-1985');
    const none = await ask('1999-09-09');
    for (const res of [match, none]) {
      expect(res.statusCode).toBe(303);
      expect(res.location).toBe('/activeren?verzonden=1');
    }
    expect({ ...match.headers, body: match.body }).toEqual({ ...none.headers, body: none.body });
    const shown = await Promise.all([match, none].map(() => page(activation, { path: '/activeren?verzonden=1', cookies: { pe_lang: 'en' } })));
    expect(shown[0].statusCode).toBe(200);
    expect(withoutCsrf(shown[0].body)).toBe(withoutCsrf(shown[1].body));
    expect(shown[0].body).toContain(messages('en').activation.sentTitle);
    expect(shown[0].body).not.toContain(h.diplomaNumber);
    expect(shown[0].body).not.toContain(attacker);

    const [mail] = await waitForMessages({ to: h.email });
    expect(mail.subject).toBe('Activate your PE registration');
    await whenActivationsIdle();
    expect(await sesMessages({ to: attacker })).toHaveLength(0);
    expect(await sesMessages({ to: h.email })).toHaveLength(1);
  });
});

describe('/activeren?token=…: the link in the activation e-mail', () => {
  it('signs in with a web session (HttpOnly, SameSite=Lax, only its hash stored), starts the period once, and works once', async () => {
    const h = await holder(address('activate'));
    await page(activation, { path: '/activeren', form: { diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: h.email! } });
    const [mail] = await waitForMessages({ to: h.email, subject: 'Activeer je PE-registratie' });
    const link = /https?:\/\/\S+\/activeren\?token=[A-Za-z0-9_-]+/.exec(mail.body.text!)![0];
    const path = link.slice(link.indexOf('/activeren'));

    const res = await page(activation, { path });
    expect(res.statusCode).toBe(303);
    expect(res.location).toBe('/dossier');
    // The token must not travel on in a Referer from the page it lands on.
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const cookie = sessionCookieOf(res)!;
    expect(cookie.line).toMatch(/; HttpOnly/);
    expect(cookie.line).toMatch(/; SameSite=Lax/);
    expect(cookie.line).not.toMatch(/Max-Age|Expires/);
    const item = (await db().send(new GetCommand({ TableName: tableName(), Key: webSessionKey(sha256(cookie.id)) }))).Item!;
    expect(item).toMatchObject({ role: 'participant', ownerId: h.participantId, idHash: sha256(cookie.id) });
    expect(JSON.stringify(item)).not.toContain(cookie.id);
    expect((await dossierWith(cookie.id)).body).toContain(`dossier of ${h.participantId}`);

    const periods = await listRegistrations(h.participantId);
    expect(periods).toHaveLength(1);
    expect(periods[0]).toMatchObject({ kind: 'new', payer: { type: 'participant', id: h.participantId } });
    expect((await sessionEvents(h.participantId)).map((e) => e.detail)).toEqual([{ via: 'activation-token', credential: 'web-session' }]);

    const again = await page(activation, { path });
    expect(again.statusCode).toBe(410);
    expect(again.headers['referrer-policy']).toBe('no-referrer');
    expect(again.body).toContain(nl.activation.usedTitle);
    expect(again.body).toContain('name="diplomaNumber"');
    expect(sessionCookieOf(again)).toBeUndefined();
    expect(await listRegistrations(h.participantId)).toHaveLength(1);
    // The language switch of that page does not repeat the token.
    expect(again.body).not.toContain(tokenIn(path));
  });

  it('two uses of one link at once: exactly one session, one period', async () => {
    const h = await holder(address('race'));
    const token = await createActivationToken({ participantId: h.participantId, email: h.email!, language: 'nl' });
    // A HEAD (a mail scanner's probe) does not spend it.
    expect((await page(activation, { path: `/activeren?token=${token}`, method: 'HEAD' })).statusCode).toBe(200);
    const both = await Promise.all([0, 1].map(() => page(activation, { path: `/activeren?token=${token}` })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([303, 410]);
    expect(both.filter((r) => sessionCookieOf(r))).toHaveLength(1);
    expect(await listRegistrations(h.participantId)).toHaveLength(1);
    expect(await sessionEvents(h.participantId)).toHaveLength(1);
  });

  it('an unknown or malformed token is the "used or expired" page, never a 500; a signed-in browser gets a new session, the old one ended', async () => {
    for (const token of ['x', 'unknown-token-0123456789', '%00%0a'.repeat(3)]) {
      const res = await page(activation, { path: `/activeren?token=${token}` });
      expect(res.statusCode).toBe(410);
      expect(res.body).toContain(nl.activation.usedTitle);
    }
    const h = await holder(address('fixation'));
    const before = await signedIn({ role: 'participant', ownerId: 'par_someone_else' });
    const token = await createActivationToken({ participantId: h.participantId, email: h.email!, language: 'nl' });
    const res = await page(activation, { path: `/activeren?token=${token}`, session: before });
    expect(res.statusCode).toBe(303);
    expect(sessionCookieOf(res)!.id).not.toBe(before.id);
    expect(await getWebSession(before.id)).toBeUndefined();
  });

  it('the API route POST /v1/sessions still gives an API key for a token', async () => {
    const h = await holder(address('api'));
    const token = await createActivationToken({ participantId: h.participantId, email: h.email!, language: 'nl' });
    const res = await invoke(createSession, { path: '/v1/sessions', body: { token } });
    expect(res.statusCode).toBe(201);
    expect(res.json).toMatchObject({ participantId: h.participantId, apiKey: expect.stringMatching(/^pe_/), registration: { startsOn: expect.any(String) } });
    // Spent: the page refuses it too.
    expect((await page(activation, { path: `/activeren?token=${token}` })).statusCode).toBe(410);
  });
});

describe('/inloggen', () => {
  it('answers a known and an unknown address alike; only the known gets a link, which signs in once', async () => {
    const h = await holder(address('known'));
    const unknown = address('unknown');
    const ask = (email: string) => page(signIn, { path: '/inloggen', form: { email } });
    const [known, stranger] = [await ask(h.email!.toUpperCase()), await ask(unknown)];
    expect(known.statusCode).toBe(303);
    expect(known.location).toBe('/inloggen?verzonden=1');
    expect({ ...known.headers, body: known.body }).toEqual({ ...stranger.headers, body: stranger.body });
    const shown = await page(signIn, { path: '/inloggen?verzonden=1' });
    expect(shown.body).toContain(nl.signIn.sentTitle);

    const [mail] = await waitForMessages({ to: h.email });
    await whenActivationsIdle();
    expect(await sesMessages({ to: unknown })).toHaveLength(0);
    expect(mail.subject).toBe(nl.signIn.mailSubject);
    expect(mail.body.text).toContain(`/inloggen?token=`);
    expect(mail.body.html).toContain(nl.signIn.mailLink(`M. ${h.lastName}`).slice(0, 20));

    const path = `/inloggen?token=${tokenIn(mail.body.text)}`;
    const res = await page(signIn, { path });
    expect(res.statusCode).toBe(303);
    expect(res.location).toBe('/dossier');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const cookie = sessionCookieOf(res)!;
    expect(cookie.line).toMatch(/; HttpOnly/);
    expect(cookie.line).toMatch(/; SameSite=Lax/);
    expect((await dossierWith(cookie.id)).body).toContain(`dossier of ${h.participantId}`);
    expect((await sessionEvents(h.participantId)).map((e) => e.detail)).toEqual([{ via: 'sign-in-link', credential: 'web-session' }]);

    const again = await page(signIn, { path });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain(nl.signIn.usedTitle);
    expect(again.body).toContain('name="email"');
    expect(again.headers['referrer-policy']).toBe('no-referrer');
    expect(sessionCookieOf(again)).toBeUndefined();
  });

  it('a link is spent by one of two clicks at once, and never by a HEAD', async () => {
    const h = await holder(address('twice'));
    await page(signIn, { path: '/inloggen', form: { email: h.email! } });
    const [mail] = await waitForMessages({ to: h.email });
    const path = `/inloggen?token=${tokenIn(mail.body.text)}`;
    expect((await page(signIn, { path, method: 'HEAD' })).statusCode).toBe(200);
    const both = await Promise.all([0, 1].map(() => page(signIn, { path })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([303, 410]);
    expect(both.filter((r) => sessionCookieOf(r))).toHaveLength(1);
    expect(await sessionEvents(h.participantId)).toHaveLength(1);
  });

  it('a link stops working after 15 minutes', async () => {
    const h = await holder(address('late'));
    await page(signIn, { path: '/inloggen', form: { email: h.email! } });
    const [mail] = await waitForMessages({ to: h.email });
    const token = tokenIn(mail.body.text);
    const item = (await db().send(new GetCommand({ TableName: tableName(), Key: signInLinkKey(token) }))).Item!;
    expect(Date.parse(item.validUntil) - Date.parse(item.createdAt)).toBe(15 * 60_000);
    expect(item.expiresAt).toBe(Math.floor(Date.parse(item.validUntil) / 1000) + 86_400);
    expect(JSON.stringify(item)).not.toContain(token);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(item.validUntil) + 1000);
    const late = await page(signIn, { path: `/inloggen?token=${token}` });
    expect(late.statusCode).toBe(410);
    vi.setSystemTime(Date.parse(item.validUntil) - 1000);
    expect((await page(signIn, { path: `/inloggen?token=${token}` })).statusCode).toBe(303);
  });

  it('carries a same-site next through the form and the link; open-redirect attempts land on the home', async () => {
    const form = await page(signIn, { path: '/inloggen?next=%2Fdossier' });
    expect(form.body).toContain('<input type="hidden" name="next" value="/dossier"/>');
    const evil = ['//evil.example', 'https://evil.example', '/\\evil', '/\t/evil.example', 'javascript:alert(1)'];
    for (const next of evil) expect((await page(signIn, { path: `/inloggen?next=${encodeURIComponent(next)}` })).body).not.toContain('name="next"');

    const nexts = ['/dossier/verlengen', ...evil];
    const list = await imported(nexts.map((n, i) => ({ email: address(`next${i}`) })));
    const landed: (string | undefined)[] = [];
    for (const [i, next] of nexts.entries()) {
      await page(signIn, { path: '/inloggen', form: { email: list[i].email!, next } });
      const [mail] = await waitForMessages({ to: list[i].email });
      expect(mail.body.text).not.toContain('evil');
      landed.push((await page(signIn, { path: `/inloggen?token=${tokenIn(mail.body.text)}` })).location);
    }
    expect(landed).toEqual(['/dossier/verlengen', ...evil.map(() => '/dossier')]);
  });

  it('an address of several dossiers gets one e-mail with a link per dossier, each signing in to its own', async () => {
    const shared = address('family');
    const [a, b] = await imported([{ email: shared }, { email: shared.toUpperCase() }]);
    await page(signIn, { path: '/inloggen?lang=en', form: { email: shared } });
    await whenActivationsIdle();
    const mails = await sesMessages({ to: shared });
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(messages('en').signIn.mailSubject);
    const tokens = tokensIn(mails[0].body.text);
    expect(tokens).toHaveLength(2);
    const owners = [];
    for (const token of tokens) {
      const res = await page(signIn, { path: `/inloggen?token=${token}` });
      owners.push((await getWebSession(sessionCookieOf(res)!.id))!.ownerId);
    }
    expect(owners.sort()).toEqual([a.participantId, b.participantId].sort());
  });

  it('signing in ends the session the browser still held (no fixation)', async () => {
    const h = await holder(address('switch'));
    const before = await signedIn({ role: 'participant', ownerId: 'par_previous' });
    await page(signIn, { path: '/inloggen', form: { email: h.email! } });
    const [mail] = await waitForMessages({ to: h.email });
    const res = await page(signIn, { path: `/inloggen?token=${tokenIn(mail.body.text)}`, session: before });
    expect(res.statusCode).toBe(303);
    expect(sessionCookieOf(res)!.id).not.toBe(before.id);
    expect(await getWebSession(before.id)).toBeUndefined();
    expect((await dossierWith(before.id)).statusCode).toBe(303);
  });

  it('shows the form errors at the top and beside the field, keeping what was typed and the next', async () => {
    const res = await page(signIn, { path: '/inloggen', form: { email: 'niet-goed', next: '/dossier' } });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#email"');
    expect(res.body).toContain('id="email-fout"');
    expect(res.body).toContain('value="niet-goed"');
    expect(res.body).toContain('name="next" value="/dossier"');
    expect(res.body).toContain('<label class="utrecht-form-label" for="email">E-mailadres</label>');
    const en = await page(signIn, { path: '/inloggen?lang=en' });
    expect(en.body).toContain('<label class="utrecht-form-label" for="email">Email address</label>');
  });

  it('the 6th request for one address in an hour is the 429 page and sends nothing', async () => {
    const h = await holder(address('limit'));
    const answers = [];
    // Each from another client address (page() gives every call its own): the per-address limit.
    for (let i = 0; i < 6; i++) answers.push(await page(signIn, { path: '/inloggen', form: { email: i % 2 ? h.email!.toUpperCase() : h.email! } }));
    expect(answers.map((r) => r.statusCode)).toEqual([303, 303, 303, 303, 303, 429]);
    expect(answers[5].body).toContain(nl.errors.tooManyTitle);
    expect(answers[5].headers['retry-after']).toEqual(expect.any(String));
    await waitForMessages({ to: h.email }, 5);
    await whenActivationsIdle();
    expect(await sesMessages({ to: h.email })).toHaveLength(5);
  });

  it('in the cloud: the request goes onto the requests queue (nothing looked up), and the worker mails the link', async () => {
    const h = await holder(address('queued'));
    await whenActivationsIdle();
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    process.env.ACTIVATION_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/activations';
    let res;
    try {
      res = await page(signIn, { path: '/inloggen', form: { email: h.email!, next: '/dossier/verlengen' } });
    } finally {
      delete process.env.ACTIVATION_QUEUE_URL;
    }
    await whenActivationsIdle();
    const calls = sqs.commandCalls(SendMessageCommand);
    sqs.restore();
    expect(res.statusCode).toBe(303);
    expect(calls).toHaveLength(1);
    const body = calls[0].args[0].input.MessageBody!;
    // A random request id keys the e-mail's outbox item (SIGNINMAIL#<requestId>): a redelivery mails nothing.
    expect(JSON.parse(body)).toEqual({ kind: 'sign-in', requestId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), email: h.email, language: 'nl', next: '/dossier/verlengen' });
    expect(await sesMessages({ to: h.email })).toHaveLength(0);

    const out = await requestsWorker.handler({ Records: [{ messageId: 'm-1', body }, { messageId: 'm-2', body: '{"kind":"sign-in"}' }] } as unknown as SQSEvent);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm-2' }]);
    const [mail] = await sesMessages({ to: h.email });
    expect((await page(signIn, { path: `/inloggen?token=${tokenIn(mail.body.text)}` })).location).toBe('/dossier/verlengen');
    // SQS delivers the same message again: no second e-mail.
    expect((await requestsWorker.handler({ Records: [{ messageId: 'm-1', body }] } as unknown as SQSEvent)).batchItemFailures).toEqual([]);
    expect(await sesMessages({ to: h.email })).toHaveLength(1);
  });

  it('the pages share their rate-limit counters with the API routes of the same action', async () => {
    // Activation requests: four to the API and one from the page use up a diploma number's hour.
    const h = await holder(address('shared-limit'));
    const body = { diplomaNumber: h.diplomaNumber, birthDate: '1999-01-01', email: address('x') };
    for (let i = 0; i < 4; i++) expect((await invoke(requestActivation, { path: '/v1/activations', body })).statusCode).toBe(202);
    expect((await page(activation, { path: '/activeren', form: body })).statusCode).toBe(303);
    expect((await invoke(requestActivation, { path: '/v1/activations', body })).statusCode).toBe(429);
    expect((await page(activation, { path: '/activeren', form: { ...body, email: address('y') } })).statusCode).toBe(429);
    // Activation tokens: the page's GET counts on the same counter as POST /v1/sessions.
    const token = `guessed-token-${run}-0123456789`;
    for (let i = 0; i < 5; i++) expect((await invoke(createSession, { path: '/v1/sessions', body: { token } })).statusCode).toBe(401);
    const limited = await page(activation, { path: `/activeren?token=${token}` });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain(nl.errors.tooManyTitle);
    await whenActivationsIdle();
  });
});

describe('who an address belongs to: the e-mail index', () => {
  it('follows every write of an address on file: import, re-import, collective registration, approved claim', async () => {
    const first = address('index');
    const h = await holder(first);
    expect((await subjectsOf(first.toUpperCase())).map((s) => s.ownerId)).toEqual([h.participantId]);

    // A link mailed to the old address stops working when a re-import moves the address.
    await page(signIn, { path: '/inloggen', form: { email: first } });
    const [mail] = await waitForMessages({ to: first });
    const moved = address('moved');
    const reimport = await invoke(importDiplomas, {
      path: '/v1/diplomas',
      apiKey: await adminKey(),
      body: { diplomas: [{ diplomaNumber: h.diplomaNumber, type: 'uitzendprofessional', issuedOn: '2020-03-01', holder: { initials: 'M.', lastName: h.lastName, birthDate: h.birthDate, email: moved } }] },
    });
    expect(reimport.statusCode).toBe(200);
    expect(await subjectsOf(first)).toEqual([]);
    expect((await subjectsOf(moved)).map((s) => s.ownerId)).toEqual([h.participantId]);
    expect((await page(signIn, { path: `/inloggen?token=${tokenIn(mail.body.text)}` })).statusCode).toBe(410);

    // An employer's collective registration supplies the address: with a period started, and without (already registered).
    const employer = await newEmployer();
    // (At least 10 employees per list: 9 to register, 1 who already has a period and is only linked.)
    const toRegister = await holders(9);
    const [linked] = await holders(1, { issuedOn: recentIssue() });
    const reg = await register(employer, { employees: rowsOf([...toRegister, linked]) });
    expect(reg.statusCode, reg.body).toBe(201);
    for (const x of [toRegister[0], linked]) {
      const participantId = (await getDiploma(x.diplomaNumber))!.participantId;
      expect((await subjectsOf(x.email)).map((s) => s.ownerId)).toEqual([participantId]);
    }

    // An approved activation claim puts the claimed address on file.
    const noMail = await holder();
    const claimed = address('claimed');
    await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: noMail.diplomaNumber, birthDate: noMail.birthDate, email: claimed } });
    await whenActivationsIdle();
    expect(await subjectsOf(claimed)).toEqual([]);
    const claims = (await invoke(listClaims, { path: '/v1/activation-claims', query: { limit: '200' }, apiKey: await adminKey() })).json.items as { claimId: string; participantId: string }[];
    const claim = claims.find((c) => c.participantId === noMail.participantId)!;
    expect((await invoke(decideClaim, { path: `/v1/activation-claims/${claim.claimId}/decision`, apiKey: await adminKey(), body: { decision: 'approved', reason: 'Checked by phone' } })).statusCode).toBe(200);
    expect((await subjectsOf(claimed)).map((s) => s.ownerId)).toEqual([noMail.participantId]);
    await whenActivationsIdle();
  });
});

describe('/uitloggen', () => {
  it('ends the session on the server and clears the cookie; the old cookie no longer works', async () => {
    const me = await signedIn({ role: 'participant', ownerId: 'par_signout' });
    expect((await dossierWith(me.id)).statusCode).toBe(200);
    const res = await page(signOut, { path: '/uitloggen', session: me, form: {} });
    expect(res.statusCode).toBe(303);
    expect(res.location).toBe('/inloggen?uitgelogd=1');
    expect(res.setCookies.find((c) => c.startsWith(`${sessionCookieName()}=;`))).toMatch(/Max-Age=0/);
    expect(await getWebSession(me.id)).toBeUndefined();
    const stale = await dossierWith(me.id);
    expect(stale.statusCode).toBe(303);
    expect(stale.location).toBe('/inloggen?next=%2Fdossier');
    const note = await page(signIn, { path: '/inloggen?uitgelogd=1' });
    expect(note.body).toContain(nl.signIn.signedOut);
  });

  it('a sign-out without the CSRF token (or from another site) is 403 and ends nothing', async () => {
    const me = await signedIn({ role: 'participant', ownerId: 'par_forged' });
    const forged = await page(signOut, { path: '/uitloggen', session: me, form: {}, csrf: false });
    expect(forged.statusCode).toBe(403);
    const crossSite = await page(signOut, { path: '/uitloggen', session: me, form: {}, headers: { origin: 'https://evil.example' } });
    expect(crossSite.statusCode).toBe(403);
    expect(sessionCookieOf(forged)).toBeUndefined();
    expect((await getWebSession(me.id))?.ownerId).toBe('par_forged');
    expect((await dossierWith(me.id)).statusCode).toBe(200);
  });
});
