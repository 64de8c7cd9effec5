/**
 * Issue 16 part 5 on the pages, against DynamoDB Local and the SES emulator: after a hard bounce
 * (delivered to the SES events function as SNS would), the dossier's warning and its form
 * **Nieuw e-mailadres**; the confirmation mail to the new address and its one-time link (single
 * use, expiry, an old link after a newer change, someone else's link, an activation token); the
 * employer overview's list and the API report's field; tenancy and the rate limit.
 */
import { describe, expect, it } from 'vitest';
import * as dossierPage from '../../functions/web/dossier';
import * as emailChangePage from '../../functions/web/email-change';
import * as activationPage from '../../functions/web/activation';
import * as overviewPage from '../../functions/web/employer-overview';
import * as getReport from '../../functions/http/get-employer-report';
import * as sesEvents from '../../functions/events/ses-events';
import { bounceNotification, complaintNotification, snsEnvelope } from '../setup/ses-events';
import { invoke, sesMessages, waitForMessages } from '../setup/helpers';
import { page, signedIn } from './helpers';
import { getParticipant, participantPk, participantsByEmail } from '../../shared/data/participants';
import { getAddressMark } from '../../shared/data/deliverability';
import { createActivationToken } from '../../shared/data/tokens';
import { linkEmployee } from '../../shared/data/employers';
import { listEvents } from '../../shared/data/audit';
import { makeParticipant } from '../integration/invoicing.fixtures';
import { newEmployer, today } from '../integration/employers.fixtures';

let seq = 0;
const address = (tag: string) => `${tag}.${Date.now().toString(36)}${++seq}@web-bounce.example.nl`;
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ');
const bounce = (email: string) => sesEvents.handler(snsEnvelope(bounceNotification([email])));

async function bounced(lastName: string) {
  const email = address(lastName.toLowerCase());
  const p = await makeParticipant(lastName, email);
  await bounce(email);
  const session = await signedIn({ role: 'participant', ownerId: p.participantId });
  return { ...p, email, session };
}

/** Asks for a new address on the dossier's form; returns the confirmation link mailed to it. */
async function askNewAddress(session: Awaited<ReturnType<typeof signedIn>>, email: string): Promise<string> {
  const res = await page(emailChangePage, { path: '/dossier/e-mailadres', session, form: { email } });
  expect(res.statusCode).toBe(303);
  expect(res.location).toBe('/dossier?e-mailadres=verstuurd');
  const [mail] = await waitForMessages({ to: email });
  expect(mail.subject).toBe('Bevestig uw nieuwe e-mailadres');
  const link = /https?:\/\/[^\s"<>]+\/dossier\/e-mailadres\?token=[A-Za-z0-9_-]+/.exec(mail.body.text ?? '')?.[0];
  expect(link).toBeDefined();
  return link!;
}

const follow = (link: string, session?: Awaited<ReturnType<typeof signedIn>>) => {
  const url = new URL(link);
  return page(emailChangePage, { path: `${url.pathname}${url.search}`, session });
};

describe('the dossier after a bounce', () => {
  it('warns, names when, and offers the form **Nieuw e-mailadres** (the mark comes with the profile the dossier reads anyway)', async () => {
    const me = await bounced('Terugkeer');
    const res = await page(dossierPage, { path: '/dossier', session: me.session });
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain('Uw e-mailadres is niet bereikbaar');
    expect(text).toMatch(/kwam op \d{1,2} \w+ \d{4} terug als onbestelbaar/);
    expect(res.body).toMatch(/<form class="utrecht-form" action="\/dossier\/e-mailadres" method="post"/);
    expect(res.body).toMatch(/<label[^>]+for="email"[^>]*>Nieuw e-mailadres<\/label>/);
    expect(text).toContain('Nieuw e-mailadres');

    const other = await makeParticipant('Bereikbaar', address('fine'));
    const fine = await page(dossierPage, { path: '/dossier', session: await signedIn({ role: 'participant', ownerId: other.participantId }) });
    expect(textOf(fine.body)).not.toContain('niet bereikbaar');
  });

  it('says so for a complaint too', async () => {
    const email = address('klacht');
    const p = await makeParticipant('Klager', email);
    await sesEvents.handler(snsEnvelope(complaintNotification([email])));
    const res = await page(dossierPage, { path: '/dossier', session: await signedIn({ role: 'participant', ownerId: p.participantId }) });
    expect(textOf(res.body)).toContain('als ongewenst gemeld');
  });
});

describe('a new address, after confirmation', () => {
  it('mails a one-time link to the NEW address; following it sets the address in one go, clears the mark, moves the e-mail index, tells the old address', async () => {
    const me = await bounced('Verhuisd');
    const fresh = address('nieuw');
    const link = await askNewAddress(me.session, fresh);
    // Nothing changes before the link is followed.
    expect((await getParticipant(me.participantId, true))!.email).toBe(me.email);
    const dossier = await page(dossierPage, { path: '/dossier?e-mailadres=verstuurd', session: me.session });
    expect(textOf(dossier.body)).toContain('bevestigingslink naar het nieuwe adres gestuurd');

    // The link alone (another device, no session) is enough.
    const confirmed = await follow(link);
    expect(confirmed.statusCode).toBe(200);
    expect(textOf(confirmed.body)).toContain('Uw e-mailadres is gewijzigd');
    const after = (await getParticipant(me.participantId, true))!;
    expect(after.email).toBe(fresh);
    expect(after.emailUndeliverable).toBeUndefined();
    expect((await participantsByEmail(fresh, 10)).map((p) => p.participantId)).toContain(me.participantId);
    expect((await participantsByEmail(me.email, 10)).map((p) => p.participantId)).not.toContain(me.participantId);
    const { items: events } = await listEvents(participantPk(me.participantId), 100);
    expect(events.filter((e) => e.action === 'participant.email-changed')).toEqual([
      expect.objectContaining({ before: { email: me.email }, after: { email: fresh }, detail: { via: 'confirmation-link', undeliverableCleared: true } }),
    ]);
    // The old address bounced: no notice goes there (it would bounce again); its mark stays.
    expect(await sesMessages({ to: me.email })).toHaveLength(0);
    expect(await getAddressMark(me.email)).toBeDefined();

    // The warning is gone.
    expect(textOf((await page(dossierPage, { path: '/dossier', session: me.session })).body)).not.toContain('niet bereikbaar');
    // Single use.
    expect((await follow(link)).statusCode).toBe(410);
  });

  it('tells a reachable old address that it was changed', async () => {
    const email = address('oud');
    const p = await makeParticipant('Wisselaar', email);
    const session = await signedIn({ role: 'participant', ownerId: p.participantId });
    const fresh = address('ander');
    expect((await follow(await askNewAddress(session, fresh), session)).statusCode).toBe(200);
    const [notice] = await waitForMessages({ to: email });
    expect(notice.subject).toBe('Uw e-mailadres in het PE-register is gewijzigd');
    expect(notice.body.text).not.toContain('token=');
  });

  it('a new address that is itself marked: the mail goes anyway, and following its link clears that mark too', async () => {
    const me = await bounced('Dubbel');
    const alsoBounced = address('ookterug');
    await bounce(alsoBounced);
    expect((await follow(await askNewAddress(me.session, alsoBounced))).statusCode).toBe(200);
    expect(await getAddressMark(alsoBounced)).toBeUndefined();
    expect((await getParticipant(me.participantId, true))!.emailUndeliverable).toBeUndefined();
  });

  it('refuses an expired link, an older link after a newer change, and the address on file itself', async () => {
    const me = await bounced('Verlopen');
    const expired = await createActivationToken({
      participantId: me.participantId,
      email: address('laat'),
      language: 'nl',
      purpose: 'email-change',
      validMinutes: 60,
      detail: { previousEmail: me.email },
      now: new Date(Date.now() - 2 * 3600_000),
    });
    expect((await follow(`http://localhost/dossier/e-mailadres?token=${expired}`)).statusCode).toBe(410);

    const first = await askNewAddress(me.session, address('eerste'));
    const second = address('tweede');
    expect((await follow(await askNewAddress(me.session, second))).statusCode).toBe(200);
    // The first link was asked from the address that is no longer on file: it cannot undo the change.
    expect((await follow(first)).statusCode).toBe(410);
    expect((await getParticipant(me.participantId, true))!.email).toBe(second);

    // The address on file (and reachable now): a form error, no mail.
    const same = await page(emailChangePage, { path: '/dossier/e-mailadres', session: me.session, form: { email: second.toUpperCase() } });
    expect(same.statusCode).toBe(400);
    expect(textOf(same.body)).toContain('Dit is al uw e-mailadres.');
    const bad = await page(emailChangePage, { path: '/dossier/e-mailadres', session: me.session, form: { email: 'geen-adres' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('aria-invalid="true"');
  });

  it("someone else's link changes only its own participant's address; the link never signs in, and the two kinds of token do not mix", async () => {
    const a = await bounced('Eigenaar');
    const b = await makeParticipant('Vreemde', address('b'));
    const bSession = await signedIn({ role: 'participant', ownerId: b.participantId });
    const fresh = address('van-a');
    const link = await askNewAddress(a.session, fresh);
    const res = await follow(link, bSession);
    expect(res.statusCode).toBe(200);
    expect(res.setCookies.filter((c) => c.startsWith('pe_session='))).toEqual([]);
    // Signed in as B, the page does not send B to "my dossier" as if it were theirs.
    expect(res.body).toContain('href="/inloggen?next=%2Fdossier"');
    expect((await getParticipant(a.participantId, true))!.email).toBe(fresh);
    expect((await getParticipant(b.participantId, true))!.email).not.toBe(fresh);

    // An address-change link does not activate (sign in), and an activation token does not change an address.
    const another = await askNewAddress(a.session, address('weer'));
    const token = new URL(another).searchParams.get('token')!;
    expect((await page(activationPage, { path: `/activeren?token=${token}` })).statusCode).toBe(410);
    const activation = await createActivationToken({ participantId: a.participantId, email: address('act'), language: 'nl' });
    expect((await follow(`http://localhost/dossier/e-mailadres?token=${activation}`)).statusCode).toBe(410);
  });

  it('tenancy: no session → 403 on the form post, another role → 404; a GET without a token goes to the dossier', async () => {
    const res = await page(emailChangePage, { path: '/dossier/e-mailadres', form: { email: address('x') } });
    expect(res.statusCode).toBe(403);
    const employerSession = await signedIn({ role: 'employer', ownerId: 'emp_x', userId: 'usr_x' });
    expect((await page(emailChangePage, { path: '/dossier/e-mailadres', session: employerSession, form: { email: address('y') } })).statusCode).toBe(404);
    const bare = await page(emailChangePage, { path: '/dossier/e-mailadres' });
    expect(bare.statusCode).toBe(303);
    expect(bare.location).toBe('/dossier');
  });

  it('is rate-limited per address: the 6th link for one address within the hour is the 429 page and sends nothing', async () => {
    const p = await makeParticipant('Haastig', address('haast'));
    const session = await signedIn({ role: 'participant', ownerId: p.participantId });
    const target = address('doel');
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await page(emailChangePage, { path: '/dossier/e-mailadres', session, form: { email: target }, sourceIp: `198.51.100.${(seq % 200) + 1}` })).statusCode);
    expect(codes).toEqual([303, 303, 303, 303, 303, 429]);
    expect(await sesMessages({ to: target })).toHaveLength(5);
  });
});

describe('the employer sees it', () => {
  it('/werkgever: "N medewerkers zijn niet bereikbaar per e-mail" with names linking to their history; the API report says emailUndeliverable; another employer sees nothing', async () => {
    const employer = await newEmployer('Bereik Uitzend BV');
    const other = await newEmployer('Ander Uitzend BV');
    const people = [await bounced('Eerst'), await bounced('Tweeds'), await makeParticipant('Gewoon', address('gewoon'))];
    for (const p of people) await linkEmployee(employer.employerId, p.participantId, { role: 'admin', id: 't' }, today);
    const session = await signedIn({ role: 'employer', ownerId: employer.employerId, userId: 'usr_a' });
    const res = await page(overviewPage, { path: '/werkgever', session });
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain('2 medewerkers zijn niet bereikbaar per e-mail');
    for (const p of people.slice(0, 2)) expect(res.body).toContain(`<a class="utrecht-link" href="/werkgever/medewerkers/${p.participantId}">${p.name}</a>`);
    // At the top: before the totals.
    expect(text.indexOf('niet bereikbaar per e-mail')).toBeLessThan(text.indexOf('Totalen') === -1 ? Infinity : text.indexOf('Totalen'));

    const report = await invoke(getReport, { path: `/v1/employers/${employer.employerId}/report`, apiKey: employer.apiKey });
    expect(report.statusCode).toBe(200);
    const flagged = report.json.employees.filter((r: { emailUndeliverable?: boolean }) => r.emailUndeliverable === true).map((r: { participantId: string }) => r.participantId);
    expect(flagged.sort()).toEqual(people.slice(0, 2).map((p) => p.participantId).sort());

    const otherSession = await signedIn({ role: 'employer', ownerId: other.employerId, userId: 'usr_b' });
    expect(textOf((await page(overviewPage, { path: '/werkgever', session: otherSession })).body)).not.toContain('niet bereikbaar per e-mail');
  });
});
