/**
 * Issue 14, points 4 and 7: the participant's dossier in the browser — /dossier (with its
 * settings form), /dossier/verlengen and /dossier/facturen/{invoiceId} — on DynamoDB Local, set up
 * through the services and data modules the API uses; and the dossier page's DynamoDB calls,
 * counted on the client the pages use.
 */
import { linkSetOf } from '../../shared/data/employee-state';
import { beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as dossierPage from '../../functions/web/dossier';
import * as renewalPage from '../../functions/web/renewal';
import * as invoicePdf from '../../functions/web/invoice-pdf';
import * as putTariff from '../../functions/http/put-tariff';
import { adminKey, invoke } from '../setup/helpers';
import { page, signedIn, type SignedIn } from './helpers';
import { db, tableName } from '../../shared/data/client';
import { lookupApiKey } from '../../shared/data/api-keys';
import { creditIdFor, creditItems, type Credit } from '../../shared/data/credits';
import { getParticipant, listRegistrations, participantPk } from '../../shared/data/participants';
import { transact } from '../../shared/data/client';
import { listEvents } from '../../shared/data/audit';
import { payerMonthFees } from '../../shared/data/fees';
import { revokeCredit } from '../../shared/services/crediting';
import { invoiceParticipantFee } from '../../shared/services/invoicing/individual';
import { runMonthlyInvoices } from '../../shared/services/invoicing/monthly-run';
import { listPayerInvoices } from '../../shared/data/invoices';
import { addDays, addYears, daysBetween, dutchDate, englishDate } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { makeEmployer, makeParticipant, startPaid } from '../integration/invoicing.fixtures';
import { holders, newEmployer, register, rowsOf } from '../integration/employers.fixtures';

const today = todayInAmsterdam();
const month = today.slice(0, 7);
let seq = 0;

beforeAll(async () => {
  const res = await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: await adminKey(), body: { amountCents: 4995, vatRatePercent: 21, validFrom: '2020-01-01' } });
  expect(res.statusCode).toBe(200);
});

/** A participant paying its own period (started `daysAgo` days ago), with its invoice issued, signed in. */
async function participantWithPeriod(lastName: string, daysAgo = 300) {
  const p = await makeParticipant(lastName, `${lastName.toLowerCase()}.${Date.now().toString(36)}${++seq}@example.nl`);
  const startsOn = addDays(today, -daysAgo);
  const fee = await startPaid(p.participantId, { type: 'participant', id: p.participantId }, startsOn, new Date());
  const issued = await invoiceParticipantFee(fee.registrationId);
  expect(issued.outcome).toBe('issued');
  const session = await signedIn({ role: 'participant', ownerId: p.participantId });
  return { ...p, startsOn, endsOn: addYears(startsOn, 2), invoiceId: (issued as { invoiceId: string }).invoiceId, session };
}

/** A completion credited to the period, as the crediting transaction writes it. */
async function credit(participantId: string, startsOn: string, title: string, points: number, completedOn: string): Promise<string> {
  const externalId = `ext-${Date.now().toString(36)}-${++seq}`;
  const c: Credit = {
    creditId: creditIdFor('prv_test', externalId),
    participantId,
    registrationStartsOn: startsOn,
    activityId: `act_${seq}`,
    activityTitle: title,
    points,
    completedOn,
    senderId: 'prv_test',
    senderRole: 'provider',
    externalId,
    createdAt: new Date().toISOString(),
  };
  await transact(creditItems(c, { role: 'provider', id: 'prv_test' }, new Date(), linkSetOf((await getParticipant(c.participantId, true)) ?? {})));
  return c.creditId;
}

async function setPoints(participantId: string, startsOn: string, points: number) {
  await db().send(
    new UpdateCommand({ TableName: tableName(), Key: { pk: participantPk(participantId), sk: `REG#${startsOn}` }, UpdateExpression: 'SET points = :p', ExpressionAttributeValues: { ':p': points } }),
  );
}

const view = (session: SignedIn, path = '/dossier') => page(dossierPage, { path, session });
const h1s = (html: string) => html.match(/<h1[\s>]/g)?.length ?? 0;
/** The visible text of the page, tags dropped (what a reader sees, in order). */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ');

describe('/dossier', () => {
  let me: Awaited<ReturnType<typeof participantWithPeriod>>;

  beforeAll(async () => {
    me = await participantWithPeriod('Dossier');
    await credit(me.participantId, me.startsOn, 'Arbeidsrecht actueel', 8, addDays(today, -200));
    await credit(me.participantId, me.startsOn, 'Cao voor uitzendkrachten', 2.5, addDays(today, -100));
    const revoked = await credit(me.participantId, me.startsOn, 'Flexwet in de praktijk', 3, addDays(today, -50));
    await revokeCredit(revoked, 'Niet aanwezig geweest', (await lookupApiKey(await adminKey()))!);
  });

  it('shows name, title, status, the period with its last valid day, points as text and bar, days left, credits (revoked marked) and invoices', async () => {
    const res = await view(me.session);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    const text = textOf(html);
    expect(h1s(html)).toBe(1);
    expect(html).toContain('<h1 class="utrecht-heading-1">Mijn dossier</h1>');
    expect(text).toContain(me.name);
    expect(text).toContain(me.registrationNumber);
    expect(text).toContain('Register-Uitzendprofessional');
    expect(text).toMatch(/Status Actief/);
    const lastDay = addDays(me.endsOn, -1);
    expect(text).toContain(`Geldig tot en met ${dutchDate(lastDay)}`);
    expect(text).toContain(`${dutchDate(me.startsOn)} tot en met ${dutchDate(lastDay)}`);
    // 8 + 2,5; the revoked 3 do not count. Text and bar say the same.
    expect(text).toContain('10,5 van 12 punten');
    expect(html).toMatch(/<progress class="pe-progress" id="voortgang" max="12" value="10.5">/);
    expect(text).toContain('U heeft nog 1,5 punten nodig om te kunnen verlengen.');
    expect(text).toContain(`Nog ${daysBetween(today, me.endsOn)} dagen`);
    // Not renewable with 10,5 points: no Verlengen.
    expect(html).not.toContain('href="/dossier/verlengen"');

    // Credits, newest first; the revoked one says so in words.
    expect(html).toContain('<caption class="utrecht-table__caption">Activiteiten waarvoor u punten heeft gekregen</caption>');
    const rows = [...html.matchAll(/<tr class="utrecht-table__row">(.*?)<\/tr>/g)].map((m) => textOf(m[1]));
    const creditRows = rows.filter((r) => /Arbeidsrecht|Cao voor|Flexwet/.test(r));
    expect(creditRows.map((r) => r.trim())).toEqual([
      // The last column (issue 16 part 3): the link to rate, named after the activity; nothing for a revoked one.
      `Flexwet in de praktijk ${dutchDate(addDays(today, -50))} 3 Ingetrokken op ${dutchDate(today)}: deze punten tellen niet mee . Reden: Niet aanwezig geweest –`,
      `Cao voor uitzendkrachten ${dutchDate(addDays(today, -100))} 2,5 Toegekend Beoordelen (Cao voor uitzendkrachten)`,
      `Arbeidsrecht actueel ${dutchDate(addDays(today, -200))} 8 Toegekend Beoordelen (Arbeidsrecht actueel)`,
    ]);

    // The invoice of the period: number, date, amount and the download link.
    const invoiceRow = rows.find((r) => r.includes('Factuur'))!;
    expect(invoiceRow).toMatch(new RegExp(`PE-\\d{4}-\\d{6} Factuur ${dutchDate(today)} € 60,44 PDF van PE-\\d{4}-\\d{6}`));
    expect(html).toContain(`href="/dossier/facturen/${me.invoiceId}"`);

    // The address on file, read-only, and how to change it; the settings form with its CSRF token.
    expect(text).toContain((await getParticipant(me.participantId))!.email!);
    // It changes only through a confirmation link (issue 16 part 5): the form that asks for one posts elsewhere.
    expect(text).toContain('het gaat in zodra u het bevestigt');
    expect(html.match(/<form[^>]+>/g)!.filter((f) => f.includes('action="/dossier/e-mailadres"'))).toHaveLength(1);
    expect(html).toContain(`name="csrf" value="${me.session.session.csrf}"`);
    expect(html).toMatch(/<form class="utrecht-form" action="\/dossier" method="post"/);
    expect(html).toContain('<option value="nl" selected>Nederlands</option>');
    // Small, and no inline CSS.
    expect(html).not.toMatch(/style=|<style/);
    expect(Buffer.byteLength(html)).toBeLessThan(30_000);
  });

  it('speaks English with ?lang=en', async () => {
    const res = await view(me.session, '/dossier?lang=en');
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('<h1 class="utrecht-heading-1">My dossier</h1>');
    expect(text).toContain(`Valid up to and including ${englishDate(addDays(me.endsOn, -1))}`);
    expect(text).toContain('10.5 of 12 points');
    expect(text).toContain('Status Active');
    expect(text).toContain('Revoked on');
    expect(text).toContain('€60.44');
  });

  it("shows another participant its own dossier, never this one; one without a period gets an explanation", async () => {
    const other = await makeParticipant('Anderen');
    const session = await signedIn({ role: 'participant', ownerId: other.participantId });
    const res = await view(session);
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain(other.name);
    expect(text).toContain(other.registrationNumber);
    expect(text).toContain('U heeft nog geen registratieperiode');
    expect(text).toContain('Er staan geen facturen op uw naam.');
    expect(res.body).not.toContain(me.registrationNumber);
    expect(res.body).not.toContain(me.invoiceId);
    expect(res.body).not.toContain('Arbeidsrecht actueel');
  });

  it('answers an employer or admin session with the 404 page, and no session with the way to sign in', async () => {
    for (const subject of [{ role: 'employer' as const, ownerId: 'emp_00000000000000000000000000' }, { role: 'admin' as const, ownerId: 'admin' }]) {
      const res = await view(await signedIn(subject));
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Pagina niet gevonden');
      expect(res.body).not.toContain('Mijn dossier</h1>');
    }
    const stranger = await page(dossierPage, { path: '/dossier' });
    expect(stranger.statusCode).toBe(303);
    expect(stranger.location).toBe('/inloggen?next=%2Fdossier');
  });

  it('makes at most 3 DynamoDB calls for one view, the session GetItem included', async () => {
    const sent: string[] = [];
    let counting = false;
    db().middlewareStack.add(
      (next, context) => async (args) => {
        if (counting) sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'dossierCallCounter' },
    );
    try {
      const session = await signedIn({ role: 'participant', ownerId: me.participantId });
      counting = true;
      const res = await view(session);
      counting = false;
      expect(res.statusCode).toBe(200);
      // Everything is there: the period, the points, the credits and the invoice.
      expect(textOf(res.body)).toContain('10,5 van 12 punten');
      expect(res.body).toContain('Flexwet in de praktijk');
      expect(res.body).toContain(`/dossier/facturen/${me.invoiceId}`);
      expect(sent.length, sent.join(', ')).toBeLessThanOrEqual(3);
      // The session's GetItem, then the participant's partition and its index, together.
      expect(sent.sort()).toEqual(['GetItemCommand', 'QueryCommand', 'QueryCommand']);
    } finally {
      counting = false;
      db().middlewareStack.remove('dossierCallCounter');
    }
  });
});

describe('the settings form', () => {
  it('changes language and invoice address (with the audit event) and comes back with a message', async () => {
    const p = await participantWithPeriod('Instelling');
    const res = await page(dossierPage, {
      path: '/dossier',
      session: p.session,
      form: { language: 'en', addressName: 'Instelling Advies', street: 'Damrak 1', postalCode: '1012lg', city: 'Amsterdam', country: 'nl' },
    });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.location).toBe('/dossier?opgeslagen=1');
    const profile = (await getParticipant(p.participantId, true))!;
    expect(profile.language).toBe('en');
    expect(profile.invoiceAddress).toEqual({ name: 'Instelling Advies', street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' });
    const events = (await listEvents(participantPk(p.participantId), 50)).items.filter((e) => e.action === 'participant.updated');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { role: 'participant', id: p.participantId }, after: { language: 'en', invoiceAddress: profile.invoiceAddress } });

    const back = await view(p.session, '/dossier?opgeslagen=1');
    expect(back.body).toContain('Uw voorkeuren zijn opgeslagen.');
    expect(back.body).toContain('<option value="en" selected>English</option>');
    expect(back.body).toContain('value="1012 LG"');

    // All address fields emptied: the address goes.
    const removed = await page(dossierPage, { path: '/dossier', session: p.session, form: { language: 'en', addressName: '', street: '', postalCode: '', city: '', country: 'NL' } });
    expect(removed.statusCode).toBe(303);
    expect((await getParticipant(p.participantId, true))!.invoiceAddress).toBeUndefined();
  });

  it('shows a bad postal code in the summary and beside the field, keeps what was typed, and changes nothing', async () => {
    const p = await participantWithPeriod('Postcode');
    const before = (await getParticipant(p.participantId, true))!;
    const res = await page(dossierPage, { path: '/dossier', session: p.session, form: { language: 'en', addressName: '', street: 'Kerkstraat 12', postalCode: '12AB', city: 'Utrecht', country: 'NL' } });
    expect(res.statusCode).toBe(400);
    const html = res.body;
    expect(h1s(html)).toBe(1);
    expect(html).toContain('Er is iets niet goed ingevuld');
    expect(html).toContain('<a class="utrecht-link" href="#postalCode">Postcode is niet goed ingevuld</a>');
    expect(html).toContain('<div class="utrecht-form-field-error-message" id="postalCode-fout">Postcode is niet goed ingevuld</div>');
    expect(html).toMatch(/<input[^>]*id="postalCode"[^>]*value="12AB"[^>]*aria-invalid="true"/);
    expect(html).toContain('value="Kerkstraat 12"');
    expect(html).toContain('value="Utrecht"');
    expect(html).toContain('<option value="en" selected>English</option>');
    expect(html).not.toContain('Uw voorkeuren zijn opgeslagen.');
    const after = (await getParticipant(p.participantId, true))!;
    expect(after.profileVersion).toBe(before.profileVersion);
    expect(after.language).toBe('nl');

    // Every missing field at once, each linked and each beside its field.
    const empty = await page(dossierPage, { path: '/dossier', session: p.session, form: { language: 'nl', addressName: 'Alleen een naam', street: '', postalCode: '', city: '', country: 'NL' } });
    expect(empty.statusCode).toBe(400);
    for (const [field, label] of [['street', 'straat en huisnummer'], ['postalCode', 'postcode'], ['city', 'plaats']]) {
      expect(empty.body).toContain(`href="#${field}">Vul ${label} in</a>`);
      expect(empty.body).toContain(`id="${field}-fout">Vul ${label} in</div>`);
    }
    expect(empty.body).toContain('value="Alleen een naam"');
  });

  it('refuses a post without the CSRF token with 403, changing nothing', async () => {
    const p = await participantWithPeriod('Vervalst');
    const res = await page(dossierPage, { path: '/dossier', session: p.session, csrf: false, form: { language: 'en', street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' } });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Niet toegestaan');
    const profile = (await getParticipant(p.participantId, true))!;
    expect(profile.language).toBe('nl');
    expect(profile.invoiceAddress).toBeUndefined();
    expect((await listEvents(participantPk(p.participantId), 50)).items.filter((e) => e.action === 'participant.updated')).toEqual([]);
  });
});

describe('/dossier/verlengen', () => {
  it('confirms what renewing means, renews on the POST, and shows the new period in the dossier', async () => {
    const p = await participantWithPeriod('Verlenger');
    await setPoints(p.participantId, p.startsOn, 12);
    const dossier = await view(p.session);
    expect(dossier.body).toContain('href="/dossier/verlengen"');
    expect(textOf(dossier.body)).toContain('Verlengen');

    const confirm = await page(renewalPage, { path: '/dossier/verlengen', session: p.session });
    expect(confirm.statusCode).toBe(200);
    const text = textOf(confirm.body);
    expect(h1s(confirm.body)).toBe(1);
    expect(text).toContain('Registratie verlengen');
    const nextLastDay = addDays(addYears(p.endsOn, 2), -1);
    expect(text).toContain(`van ${dutchDate(p.endsOn)} tot en met ${dutchDate(nextLastDay)}`);
    expect(text).toContain(`Uw huidige periode blijft geldig tot en met ${dutchDate(addDays(p.endsOn, -1))}`);
    expect(text).toContain('U betaalt de verlenging zelf.');
    expect(text).toContain('€ 49,95 exclusief btw, € 60,44 inclusief 21% btw');
    expect(confirm.body).toMatch(/<form class="utrecht-form" action="\/dossier\/verlengen" method="post"/);
    expect(confirm.body).toContain(`name="csrf" value="${p.session.session.csrf}"`);
    expect(confirm.body).toContain('<a class="utrecht-link" href="/dossier">');
    // Looking changes nothing.
    expect(await listRegistrations(p.participantId)).toHaveLength(1);

    const renewed = await page(renewalPage, { path: '/dossier/verlengen', session: p.session, form: {} });
    expect(renewed.statusCode, renewed.body).toBe(303);
    expect(renewed.location).toBe('/dossier?verlengd=1');
    const periods = await listRegistrations(p.participantId);
    expect(periods.map((r) => r.startsOn).sort()).toEqual([p.startsOn, p.endsOn]);

    const after = await view(p.session, '/dossier?verlengd=1');
    const afterText = textOf(after.body);
    expect(afterText).toContain(`Uw registratie is verlengd. De nieuwe periode loopt van ${dutchDate(p.endsOn)} tot en met ${dutchDate(nextLastDay)}.`);
    expect(afterText).toMatch(/Status Verlengd/);
    expect(after.body).not.toContain('href="/dossier/verlengen"');
    // The renewal's own invoice is in the list too.
    expect(after.body.match(/href="\/dossier\/facturen\/inv_/g)).toHaveLength(2);

    // Once renewed, the confirmation page says so in words.
    const again = await page(renewalPage, { path: '/dossier/verlengen', session: p.session });
    expect(again.statusCode).toBe(200);
    expect(textOf(again.body)).toContain('Uw huidige periode is al verlengd.');
    expect(again.body).not.toContain('action="/dossier/verlengen"');
  });

  it('renews once when the confirmation is posted twice at the same time', async () => {
    const p = await participantWithPeriod('Dubbelklik');
    await setPoints(p.participantId, p.startsOn, 12);
    const post = () => page(renewalPage, { path: '/dossier/verlengen', session: p.session, form: {} });
    const answers = await Promise.all([post(), post(), post()]);
    for (const a of answers) {
      expect(a.statusCode, a.body).toBe(303);
      expect(a.location).toBe('/dossier?verlengd=1');
    }
    expect(await listRegistrations(p.participantId)).toHaveLength(2);
    const fees = (await payerMonthFees(month, { type: 'participant', id: p.participantId })).filter((f) => f.kind === 'renewal');
    expect(fees).toHaveLength(1);
  });

  it('explains in words why renewing is not possible: points missing (GET and POST), no running period', async () => {
    const p = await participantWithPeriod('Tekort');
    await setPoints(p.participantId, p.startsOn, 10.5);
    const look = await page(renewalPage, { path: '/dossier/verlengen', session: p.session });
    expect(look.statusCode).toBe(200);
    expect(textOf(look.body)).toContain('Verlengen is nu niet mogelijk');
    expect(textOf(look.body)).toContain('U heeft in deze periode 10,5 van 12 punten. U heeft nog 1,5 punten nodig voordat u kunt verlengen.');
    expect(look.body).not.toContain('action="/dossier/verlengen"');
    const post = await page(renewalPage, { path: '/dossier/verlengen', session: p.session, form: {} });
    expect(post.statusCode).toBe(409);
    expect(textOf(post.body)).toContain('U heeft nog 1,5 punten nodig');
    expect(await listRegistrations(p.participantId)).toHaveLength(1);

    const none = await makeParticipant('Zonder');
    const session = await signedIn({ role: 'participant', ownerId: none.participantId });
    const noPeriod = await page(renewalPage, { path: '/dossier/verlengen', session });
    expect(noPeriod.statusCode).toBe(200);
    expect(textOf(noPeriod.body)).toContain('U heeft op dit moment geen lopende registratieperiode die u kunt verlengen.');
    const noPeriodPost = await page(renewalPage, { path: '/dossier/verlengen', session, form: {} });
    expect(noPeriodPost.statusCode).toBe(409);
    expect(textOf(noPeriodPost.body)).toContain('geen lopende registratieperiode');

    const en = await page(renewalPage, { path: '/dossier/verlengen?lang=en', session: p.session });
    expect(textOf(en.body)).toContain('You have 10.5 of 12 points in this period. You need 1.5 more points before you can renew.');
  });

  it('says when the employer pays the renewal', async () => {
    const employer = await newEmployer('Flex Verlengt');
    const res = await register(employer, { employees: rowsOf(await holders(10)) });
    expect(res.statusCode, res.body).toBe(201);
    const { participantId } = res.json.participants[0];
    const [period] = await listRegistrations(participantId);
    await setPoints(participantId, period.startsOn, 12);
    const confirm = await page(renewalPage, { path: '/dossier/verlengen', session: await signedIn({ role: 'participant', ownerId: participantId }) });
    expect(confirm.statusCode).toBe(200);
    expect(textOf(confirm.body)).toContain('Uw werkgever betaalt de verlenging');
    expect(textOf(confirm.body)).not.toContain('U betaalt de verlenging zelf');
  });
});

describe('/dossier/facturen/{invoiceId}', () => {
  it("gives the owner its invoice as a PDF, and anyone else's, an unknown or a malformed id the 404 page", async () => {
    const owner = await participantWithPeriod('Factuur');
    const res = await page(invoicePdf, { path: `/dossier/facturen/${owner.invoiceId}`, session: owner.session });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="factuur-PE-\d{4}-\d{6}\.pdf"$/);
    expect(res.rawBody.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const other = await participantWithPeriod('Nieuwsgierig');
    for (const path of [`/dossier/facturen/${owner.invoiceId}`, '/dossier/facturen/inv_00000000000000000000000000', '/dossier/facturen/factuur-1']) {
      const refused = await page(invoicePdf, { path, session: other.session });
      expect(refused.statusCode, path).toBe(404);
      expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(refused.body).toContain('Pagina niet gevonden');
    }
    // Its own still works.
    expect((await page(invoicePdf, { path: `/dossier/facturen/${other.invoiceId}`, session: other.session })).statusCode).toBe(200);
  });

  it("keeps the employer's invoice from the employee whose period is on it", async () => {
    const employer = await makeEmployer('Werkgever');
    const employee = await makeParticipant('Werknemer');
    await startPaid(employee.participantId, { type: 'employer', id: employer.employerId }, '2045-04-01', new Date('2045-04-01T10:00:00Z'));
    await runMonthlyInvoices('2045-05-01', { now: () => new Date('2045-05-01T10:00:00Z') });
    const [collective] = (await listPayerInvoices({ type: 'employer', id: employer.employerId }, 5)).items;
    const res = await page(invoicePdf, { path: `/dossier/facturen/${collective.invoiceId}`, session: await signedIn({ role: 'participant', ownerId: employee.participantId }) });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Pagina niet gevonden');
    // Nor is it in the employee's dossier.
    const dossier = await view(await signedIn({ role: 'participant', ownerId: employee.participantId }));
    expect(dossier.body).not.toContain(collective.invoiceId);
  });
});
