/**
 * The staff's pages (/beheer…, issue 15 point 4) against DynamoDB Local and the SES emulator,
 * through the same services as the admin API: the dashboard's numbers, a decision (with and
 * without its required Toelichting, and a second one), activation claims, the diploma import
 * (every bad row shown, nothing written), organisations and their keys, participant search and
 * audit trail, tariffs, job dry runs — and for every /beheer route the other roles (404), no
 * session (303 /inloggen) and a post without CSRF (403, nothing written).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as createProvider from '../../functions/http/create-provider';
import * as submit from '../../functions/http/submit-recognition-request';
import * as importDiplomasRoute from '../../functions/http/import-diplomas';
import * as requestActivation from '../../functions/http/request-activation';
import * as home from '../../functions/web/staff-home';
import * as requestPage from '../../functions/web/staff-request';
import * as claimsPage from '../../functions/web/staff-claims';
import * as diplomasPage from '../../functions/web/staff-diplomas';
import * as organisationsPage from '../../functions/web/staff-organisations';
import * as participantsPage from '../../functions/web/staff-participants';
import * as tariffsPage from '../../functions/web/staff-tariffs';
import * as jobsPage from '../../functions/web/staff-jobs';
import { adminKey, invoke, sesMessages, waitForMessages } from '../setup/helpers';
import { page, signedIn, type SignedIn } from './helpers';
import { pageRoutes } from '../../shared/routes';
import { getRequest } from '../../shared/data/recognition';
import { getActivity } from '../../shared/data/activities';
import { activityIdFor } from '../../shared/services/recognition';
import { getActivationClaim, type ActivationClaim } from '../../shared/data/activation-claims';
import { getDiploma, getParticipant, participantPk } from '../../shared/data/participants';
import { lookupApiKey } from '../../shared/data/api-keys';
import { listOrganisations } from '../../shared/data/organisations';
import { loadTariffs } from '../../shared/data/tariffs';
import { listEvents } from '../../shared/data/audit';
import { listActivationClaims } from '../../shared/services/activation-claims';
import { whenActivationsIdle } from '../../shared/services/activation';
import { addDays, addYears } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { messages } from '../../shared/i18n';

const nl = messages('nl');
const today = todayInAmsterdam();
const uniq = () => randomBytes(4).toString('hex').toUpperCase();

/** The page's text as a reader sees it: tags dropped, entities decoded, white space folded. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The value next to a label of a DataList. */
function valueOf(html: string, label: string): string {
  const i = html.indexOf(`>${label}</dt>`);
  expect(i, `no ${label} on the page`).toBeGreaterThan(-1);
  const dd = /<dd[^>]*>([\s\S]*?)<\/dd>/.exec(html.slice(i))!;
  return text(dd[1]).trim();
}

let adminSession: SignedIn | undefined;
const admin = async () => (adminSession ??= await signedIn({ role: 'admin', ownerId: 'admin' }));

async function newProvider() {
  const res = await invoke(createProvider, { path: '/v1/providers', apiKey: await adminKey(), body: { name: `Opleider ${uniq()} BV`, kvkNumber: '12345678', contactEmail: `opl-${uniq()}@opleider.test` } });
  expect(res.statusCode).toBe(201);
  return { id: res.json.providerId as string, key: res.json.apiKey as string };
}

async function newRequest(providerKey: string, title = `Arbeidsrecht ${uniq()}`) {
  const res = await invoke(submit, {
    path: '/v1/recognition-requests',
    apiKey: providerKey,
    body: {
      title,
      description: 'Een middag over de fasen van de uitzendovereenkomst.',
      learningGoals: ['De deelnemer kent de fasen'],
      activityType: 'training',
      nature: 'updating',
      topics: ['T02'],
      netStudyMinutes: 180,
      completion: { type: 'test', description: 'Toets van 10 vragen' },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { requestId: res.json.requestId as string, title };
}

let seq = 0;
/** A diploma holder (an old diploma: no automatic period unless `issuedOn` is from 2023 on). */
async function holder(opts: { email?: string; issuedOn?: string; lastName?: string } = {}) {
  seq++;
  const h = { diplomaNumber: `STF${uniq()}${seq}`, birthDate: '1985-02-14', lastName: opts.lastName ?? `Jansen${uniq()}`, email: opts.email };
  const res = await invoke(importDiplomasRoute, {
    path: '/v1/diplomas',
    apiKey: await adminKey(),
    body: { diplomas: [{ diplomaNumber: h.diplomaNumber, type: 'uitzendprofessional', issuedOn: opts.issuedOn ?? '2020-03-01', holder: { initials: 'K.', lastName: h.lastName, birthDate: h.birthDate, ...(h.email ? { email: h.email } : {}) } }] },
  });
  expect(res.statusCode, res.body).toBe(200);
  const participantId = (await getDiploma(h.diplomaNumber))!.participantId as string;
  const participant = (await getParticipant(participantId))!;
  return { ...h, participantId, registrationNumber: participant.registrationNumber };
}

async function claimFor(h: { diplomaNumber: string; birthDate: string }, email: string): Promise<ActivationClaim> {
  const res = await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email } });
  expect(res.statusCode).toBe(202);
  await whenActivationsIdle();
  const pending = await listActivationClaims('pending', { limit: 200, next: () => undefined });
  const claim = pending.items.find((c) => c.diplomaNumber === h.diplomaNumber && c.email === email);
  expect(claim).toBeDefined();
  return claim!;
}

describe('/beheer: the dashboard', () => {
  it('shows the numbers from the indexes and the review queue, oldest first, with counts per status', async () => {
    const me = await admin();
    const provider = await newProvider();
    const first = await newRequest(provider.key, `Eerste ${uniq()}`);
    const second = await newRequest(provider.key, `Tweede ${uniq()}`);
    // Running registrations: one from 2025 (ends in over a year), one ending in 30 days.
    await holder({ issuedOn: addDays(addYears(today, -1), -10) });
    await holder({ issuedOn: addDays(addYears(today, -2), 30) });
    // Not running: an old diploma without activation.
    await holder();

    const res = await page(home, { path: '/beheer', session: me });
    expect(res.statusCode, res.body).toBe(200);
    const h = nl.staff.home;
    expect(valueOf(res.body, h.active)).toBe('2');
    expect(valueOf(res.body, h.lapsing)).toBe('1');
    expect(valueOf(res.body, h.waiting)).toMatch(/^2 — De oudste wacht 0 dagen/);
    expect(valueOf(res.body, h.unsent)).toBe('0');
    expect(text(res.body)).toContain(h.notCountedUnpaid);
    // Counts per status, and the queue in order of waiting.
    expect(text(res.body)).toMatch(/Ingediend 2 Goedgekeurd 0 Afgewezen 0 Wijzigingen gevraagd 0/);
    const a = res.body.indexOf(`/beheer/aanvragen/${first.requestId}`);
    const b = res.body.indexOf(`/beheer/aanvragen/${second.requestId}`);
    expect(a).toBeGreaterThan(-1);
    expect(b).toBeGreaterThan(a);
    expect(text(res.body)).toMatch(/Opleider [0-9A-F]{8} BV \(Opleider\)/);
    // Another status; a tampered cursor is explained, not a 500.
    expect(text((await page(home, { path: '/beheer?status=approved', session: me })).body)).toContain(h.queueEmpty);
    const tampered = await page(home, { path: '/beheer?cursor=abc.def', session: me });
    expect(tampered.statusCode).toBe(200);
    expect(text(tampered.body)).toContain(h.badCursor);
  });
});

describe('/beheer/aanvragen/{requestId}: a decision', () => {
  it('shows the request, its history and Besluit as radio buttons in a fieldset with a legend', async () => {
    const me = await admin();
    const { requestId, title } = await newRequest((await newProvider()).key);
    const res = await page(requestPage, { path: `/beheer/aanvragen/${requestId}`, session: me });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<fieldset[^>]*><legend[^>]*>Besluit<\/legend>/);
    for (const label of ['Goedkeuren', 'Afwijzen', 'Wijzigingen vragen']) expect(res.body).toContain(`>${label}</label>`);
    expect(res.body).toMatch(/<label class="utrecht-form-label" for="reason">Toelichting<\/label>/);
    expect(res.body).toContain('<textarea');
    expect(text(res.body)).toContain(title);
    expect(text(res.body)).toContain('T02 Arbeidsrecht');
    expect(valueOf(res.body, nl.staff.request.owner)).toMatch(/^Opleider [0-9A-F]{8} BV \(Opleider\)$/);
    expect(text(res.body)).toMatch(/Ingediend/);
  });

  it('Afwijzen or Wijzigingen vragen without a Toelichting: the error summary, values kept, nothing decided', async () => {
    const me = await admin();
    const { requestId } = await newRequest((await newProvider()).key);
    for (const decision of ['rejected', 'changes-requested']) {
      const res = await page(requestPage, { path: `/beheer/aanvragen/${requestId}`, session: me, form: { decision, reason: '   ', recognizedUntil: '' } });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('role="alert"');
      expect(res.body).toContain(`href="#reason">${nl.staff.request.reasonRequired}</a>`);
      expect(res.body).toMatch(new RegExp(`value="${decision}" checked`));
      expect(res.body).toContain('aria-invalid="true"');
    }
    // No choice at all: Besluit is named.
    const none = await page(requestPage, { path: `/beheer/aanvragen/${requestId}`, session: me, form: { reason: 'Iets' } });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain(`href="#decision">${nl.staff.request.decisionRequired}</a>`);
    expect(none.body).toContain('>Iets</textarea>');
    const stored = (await getRequest(requestId, true))!;
    expect(stored.status).toBe('submitted');
    expect(stored.history).toHaveLength(1);
  });

  it('Goedkeuren creates the activity; a second decision is a 409 explained in words', async () => {
    const me = await admin();
    const { requestId } = await newRequest((await newProvider()).key);
    const until = addYears(today, 1);
    const ok = await page(requestPage, { path: `/beheer/aanvragen/${requestId}`, session: me, form: { decision: 'approved', reason: '', recognizedUntil: until } });
    expect(ok.statusCode, ok.body).toBe(303);
    expect(ok.location).toBe(`/beheer/aanvragen/${requestId}?besloten=approved`);
    const activity = await getActivity(activityIdFor(requestId));
    expect(activity).toMatchObject({ requestId, points: 3, recognizedUntil: until });
    const after = await page(requestPage, { path: ok.location!, session: me });
    expect(text(after.body)).toContain(nl.staff.request.decided('Goedkeuren'));
    expect(text(after.body)).toContain(nl.staff.request.notWaiting);
    expect(after.body).not.toContain('<fieldset');

    const again = await page(requestPage, { path: `/beheer/aanvragen/${requestId}`, session: me, form: { decision: 'rejected', reason: 'Toch niet' } });
    expect(again.statusCode).toBe(409);
    expect(text(again.body)).toContain(nl.staff.request.conflict('Goedgekeurd'));
    expect((await getRequest(requestId, true))!.status).toBe('approved');
  });

  it('Wijzigingen vragen with a Toelichting is recorded with it; an unknown request is the 404 page', async () => {
    const me = await admin();
    const { requestId } = await newRequest((await newProvider()).key);
    const res = await page(requestPage, { path: `/beheer/aanvragen/${requestId}`, session: me, form: { decision: 'changes-requested', reason: 'Voeg een toets toe.' } });
    expect(res.statusCode).toBe(303);
    const stored = (await getRequest(requestId, true))!;
    expect(stored.status).toBe('changes-requested');
    expect(stored.history.at(-1)).toMatchObject({ transition: 'changes-requested', reason: 'Voeg een toets toe.' });
    expect((await page(requestPage, { path: '/beheer/aanvragen/req_00000000000000000000000000', session: me })).statusCode).toBe(404);
  });
});

describe('/beheer/activeringen: activation claims', () => {
  it('lists the pending claims; reject needs a reason; approve mails the link to the claimed address', async () => {
    const me = await admin();
    const h = await holder();
    const rejectMe = await claimFor(h, `fraude.${uniq()}@example.nl`.toLowerCase());
    const approveMe = await claimFor(h, `echt.${uniq()}@example.nl`.toLowerCase());

    const list = await page(claimsPage, { path: '/beheer/activeringen', session: me });
    expect(list.statusCode).toBe(200);
    expect(list.body.indexOf(rejectMe.email)).toBeGreaterThan(-1);
    expect(list.body.indexOf(approveMe.email)).toBeGreaterThan(list.body.indexOf(rejectMe.email));

    const noReason = await page(claimsPage, { path: '/beheer/activeringen', session: me, form: { claimId: rejectMe.claimId, decision: 'rejected', [`reason-${rejectMe.claimId}`]: '' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain(`href="#reason-${rejectMe.claimId}">${nl.staff.claims.reasonRequired}</a>`);
    expect((await getActivationClaim(rejectMe.claimId, true))!.status).toBe('pending');

    const rejected = await page(claimsPage, { path: '/beheer/activeringen', session: me, form: { claimId: rejectMe.claimId, decision: 'rejected', [`reason-${rejectMe.claimId}`]: 'Niet de houder' } });
    expect(rejected.statusCode).toBe(303);
    expect(rejected.location).toBe('/beheer/activeringen?besloten=rejected');
    expect(await getActivationClaim(rejectMe.claimId, true)).toMatchObject({ status: 'rejected', reason: 'Niet de houder' });
    expect(await sesMessages({ to: rejectMe.email })).toEqual([]);

    const approved = await page(claimsPage, { path: '/beheer/activeringen', session: me, form: { claimId: approveMe.claimId, decision: 'approved' } });
    expect(approved.statusCode).toBe(303);
    expect(approved.location).toBe('/beheer/activeringen?besloten=approved');
    expect((await getActivationClaim(approveMe.claimId, true))!.status).toBe('approved');
    const [mail] = await waitForMessages({ to: approveMe.email });
    expect(mail.body.text ?? mail.body.html ?? '').toMatch(/token=/);
    expect(text((await page(claimsPage, { path: approved.location!, session: me })).body)).toContain(nl.staff.claims.approved);

    // Deciding it again: explained, nothing changes.
    const twice = await page(claimsPage, { path: '/beheer/activeringen', session: me, form: { claimId: approveMe.claimId, decision: 'rejected', [`reason-${approveMe.claimId}`]: 'x' } });
    expect(twice.statusCode).toBe(409);
    expect(text(twice.body)).toContain(nl.staff.claims.already('goedgekeurd'));
    const decided = await page(claimsPage, { path: '/beheer/activeringen?status=rejected', session: me });
    expect(text(decided.body)).toContain('Niet de houder');
  });
});

describe('/beheer/diplomas: the import', () => {
  const header = 'Diplomanummer;Diplomatype;Datum diploma;Voorletters;Tussenvoegsel;Achternaam;Geboortedatum;E-mailadres';

  it('a CSV with bad rows: every bad row in a table, and nothing written', async () => {
    const me = await admin();
    const n = uniq();
    const csv = [
      header,
      `GOOD${n}1;uitzendprofessional;01-03-2020;J.;de;Vries;14-02-1985;`,
      `x;uitzendprofessional;01-03-2020;J.;;Bakker;14-02-1985;`,
      `BAD${n}3;kapper;01-03-2020;J.;;Smit;14-02-1985;geen-adres`,
      `GOOD${n}1;uitzendprofessional;01-03-2020;J.;de;Vries;14-02-1985;`,
    ].join('\r\n');
    const res = await page(diplomasPage, { path: '/beheer/diplomas', session: me, files: { Bestand: { filename: 'diplomas.csv', content: csv } } });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(`href="#Bestand"`);
    const shown = text(res.body);
    expect(shown).toContain(nl.staff.diplomas.errorsHeading);
    expect(shown).toContain('regel 3 Diplomanummer Diplomanummer "x" is niet geldig');
    expect(shown).toContain('regel 4 Diplomatype Diplomatype "kapper" is niet geldig');
    expect(shown).toContain('regel 4 E-mailadres E-mailadres "geen-adres" is niet geldig');
    expect(await getDiploma(`GOOD${n}1`)).toBeUndefined();
    // The register's own row checks too (a duplicate), once the cells are right.
    const dup = [header, `GOOD${n}1;uitzendprofessional;01-03-2020;J.;de;Vries;14-02-1985;`, `GOOD${n}1;uitzendprofessional;01-03-2020;J.;de;Vries;14-02-1985;`].join('\n');
    const res2 = await page(diplomasPage, { path: '/beheer/diplomas', session: me, files: { Bestand: { filename: 'd.csv', content: dup } } });
    expect(res2.statusCode).toBe(400);
    expect(text(res2.body)).toContain('regel 3 Diplomanummer Dit diplomanummer staat ook op regel 2');
    expect(await getDiploma(`GOOD${n}1`)).toBeUndefined();
    // A missing column: named.
    const res3 = await page(diplomasPage, { path: '/beheer/diplomas', session: me, files: { Bestand: { filename: 'd.csv', content: 'Diplomanummer;Achternaam\nA1234;Vries' } } });
    expect(res3.statusCode).toBe(400);
    expect(text(res3.body)).toContain('Kolom Diplomatype ontbreekt');
    // No file at all.
    const none = await page(diplomasPage, { path: '/beheer/diplomas', session: me, form: {} });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain(`href="#Bestand">${nl.staff.diplomas.fileRequired}</a>`);
  });

  it('a good CSV (the example file) and a JSON file: imported, with the outcome', async () => {
    const me = await admin();
    const example = await page(diplomasPage, { path: '/beheer/diplomas/voorbeeld.csv', session: me });
    expect(example.statusCode).toBe(200);
    expect(example.headers['content-type']).toMatch(/^text\/csv/);
    const csv = example.rawBody.toString('utf8');
    expect(csv).toMatch(/^\uFEFFDiplomanummer;Diplomatype;Datum diploma;Voorletters;Tussenvoegsel;Achternaam;Geboortedatum;E-mailadres;Taal\r\n/);
    const res = await page(diplomasPage, { path: '/beheer/diplomas', session: me, files: { Bestand: { filename: 'voorbeeld.csv', content: csv } } });
    expect(res.statusCode, text(res.body)).toBe(303);
    expect(res.location).toBe('/beheer/diplomas?aangemaakt=2&bijgewerkt=0&ongewijzigd=0&registraties=1');
    const outcome = text((await page(diplomasPage, { path: res.location!, session: me })).body);
    expect(outcome).toContain(`${nl.staff.diplomas.created} 2`);
    expect(outcome).toContain(`${nl.staff.diplomas.registrationsCreated} 1`);
    expect(await getDiploma('SEU-2023-000101')).toBeDefined();
    // Again: unchanged.
    const again = await page(diplomasPage, { path: '/beheer/diplomas', session: me, files: { Bestand: { filename: 'voorbeeld.csv', content: csv } } });
    expect(again.location).toBe('/beheer/diplomas?aangemaakt=0&bijgewerkt=0&ongewijzigd=2&registraties=0');

    const n = uniq();
    const json = JSON.stringify({ diplomas: [{ diplomaNumber: `JSON${n}`, type: 'backofficeprofessional', issuedOn: '2019-05-01', holder: { initials: 'A.', lastName: 'Bos', birthDate: '1980-01-01' } }] });
    const j = await page(diplomasPage, { path: '/beheer/diplomas', session: me, files: { Bestand: { filename: 'd.json', content: json, contentType: 'application/json' } } });
    expect(j.location).toBe('/beheer/diplomas?aangemaakt=1&bijgewerkt=0&ongewijzigd=0&registraties=0');
    const badJson = JSON.stringify({ diplomas: [{ diplomaNumber: `JSONX${n}`, type: 'x', issuedOn: '2019-05-01', holder: { initials: 'A.', lastName: 'Bos', birthDate: '1980-01-01' } }] });
    const bj = await page(diplomasPage, { path: '/beheer/diplomas', session: me, files: { Bestand: { filename: 'd.json', content: badJson } } });
    expect(bj.statusCode).toBe(400);
    expect(text(bj.body)).toContain('rij 1 Diplomatype');
    expect(await getDiploma(`JSONX${n}`)).toBeUndefined();
  });
});

describe('/beheer/organisaties', () => {
  it('admits a provider and an employer (keys shown once), issues and revokes a key', async () => {
    const me = await admin();
    const name = `Leerhuis ${uniq()} BV`;
    const bad = await page(organisationsPage, { path: '/beheer/organisaties', session: me, form: { action: 'admit-provider', prvName: name, prvKvk: '123', prvEmail: 'geen' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#prvKvk"');
    expect(bad.body).toContain('href="#prvEmail"');
    expect(bad.body).toContain(`value="${name}"`);
    expect((await listOrganisations('provider')).some((p) => p.name === name)).toBe(false);

    const admitted = await page(organisationsPage, { path: '/beheer/organisaties', session: me, form: { action: 'admit-provider', prvName: name, prvKvk: '12345678', prvEmail: 'info@leerhuis.test' } });
    expect(admitted.statusCode).toBe(200);
    const apiKey = /<code class="pe-secret">([^<]+)<\/code>/.exec(admitted.body)![1];
    expect(admitted.body).toMatch(/whsec_/);
    const record = (await lookupApiKey(apiKey))!;
    expect(record.role).toBe('provider');
    const provider = (await listOrganisations('provider')).find((p) => p.name === name)!;
    expect(record.ownerId).toBe(provider.providerId);
    // The listing shows it, never the key itself.
    const listing = await page(organisationsPage, { path: '/beheer/organisaties', session: me });
    expect(listing.body).toContain(name);
    expect(listing.body).toContain(record.keyId);
    expect(listing.body).not.toContain(apiKey);

    const issued = await page(organisationsPage, { path: '/beheer/organisaties', session: me, form: { action: 'issue-key', kind: 'provider', orgId: provider.providerId, orgName: name } });
    expect(issued.statusCode).toBe(200);
    const second = /<code class="pe-secret">([^<]+)<\/code>/.exec(issued.body)![1];
    expect((await lookupApiKey(second))!.ownerId).toBe(provider.providerId);

    const revoked = await page(organisationsPage, { path: '/beheer/organisaties', session: me, form: { action: 'revoke-key', orgId: provider.providerId, keyId: record.keyId } });
    expect(revoked.statusCode).toBe(303);
    expect(await lookupApiKey(apiKey)).toBeUndefined();
    expect(await lookupApiKey(second)).toBeDefined();
    expect(text((await page(organisationsPage, { path: revoked.location!, session: me })).body)).toContain(nl.staff.organisations.revoked(record.keyId));
    // Someone else's key through this organisation's form: refused.
    const other = await newProvider();
    const otherKey = (await lookupApiKey(other.key))!;
    const crafted = await page(organisationsPage, { path: '/beheer/organisaties', session: me, form: { action: 'revoke-key', orgId: provider.providerId, keyId: otherKey.keyId } });
    expect(crafted.statusCode).toBe(404);
    expect(await lookupApiKey(other.key)).toBeDefined();

    const employerName = `Flex ${uniq()} BV`;
    const employer = await page(organisationsPage, {
      path: '/beheer/organisaties',
      session: me,
      form: { action: 'admit-employer', empName: employerName, empKvk: '87654321', empInvoiceEmail: 'facturen@flex.test', empStreet: 'Damrak 1', empPostalCode: '1012 LG', empCity: 'Amsterdam', empCountry: 'nl' },
    });
    expect(employer.statusCode, text(employer.body)).toBe(200);
    const employerKey = /<code class="pe-secret">([^<]+)<\/code>/.exec(employer.body)![1];
    expect((await lookupApiKey(employerKey))!.role).toBe('employer');
    expect((await listOrganisations('employer')).find((e) => e.name === employerName)).toMatchObject({ address: { country: 'NL', city: 'Amsterdam' } });
    const noAddress = await page(organisationsPage, { path: '/beheer/organisaties', session: me, form: { action: 'admit-employer', empName: 'X', empKvk: '87654321', empInvoiceEmail: 'f@flex.test' } });
    expect(noAddress.statusCode).toBe(400);
    expect(noAddress.body).toContain('href="#empStreet"');
    expect(noAddress.body).toContain('href="#empCity"');
  });

  it("invites an organisation's first user: the invitation's link signs them in as that employer; the same address again is refused", async () => {
    const me = await admin();
    const employerName = `Uitzend ${uniq()} BV`;
    await page(organisationsPage, {
      path: '/beheer/organisaties',
      session: me,
      form: { action: 'admit-employer', empName: employerName, empKvk: '87654322', empInvoiceEmail: 'facturen@uitzend.test', empStreet: 'Damrak 2', empPostalCode: '1012 LG', empCity: 'Amsterdam', empCountry: 'NL' },
    });
    const employerId = (await listOrganisations('employer')).find((e) => e.name === employerName)!.employerId;
    const prefix = `invite-${employerId}-`;
    const form = (email: string, name: string) => ({ action: 'invite-user', kind: 'employer', orgId: employerId, orgName: employerName, [`${prefix}email`]: email, [`${prefix}name`]: name });
    const bad = await page(organisationsPage, { path: '/beheer/organisaties', session: me, form: form('geen-adres', '') });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain(`href="#${prefix}email"`);
    expect(bad.body).toContain(`href="#${prefix}name"`);
    const address = `hr.${uniq()}@uitzend.test`;
    const invited = await page(organisationsPage, { path: '/beheer/organisaties', session: me, form: form(address, 'Hanna de Roos') });
    expect(invited.statusCode, text(invited.body)).toBe(200);
    const [mail] = await waitForMessages({ to: address });
    expect(mail.body.text).toMatch(/\/inloggen\?token=/);
    const again = await page(organisationsPage, { path: '/beheer/organisaties', session: me, form: form(address, 'Hanna de Roos') });
    expect(again.statusCode).toBe(409);
    // Another organisation's id that does not exist: nothing invited, the page says so.
    const unknown = await page(organisationsPage, { path: '/beheer/organisaties', session: me, form: { ...form(`x.${uniq()}@uitzend.test`, 'X'), orgId: 'emp_unknown', [`invite-emp_unknown-email`]: `x.${uniq()}@uitzend.test`, [`invite-emp_unknown-name`]: 'X' } });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('/beheer/deelnemers', () => {
  it('finds a participant by registration number, diploma number and name, and shows the dossier and audit trail', async () => {
    const me = await admin();
    const surname = `Zoekmans${uniq().toLowerCase()}`;
    const h = await holder({ issuedOn: addYears(today, -1), lastName: surname });
    const link = `/beheer/deelnemers/${h.participantId}`;
    for (const q of [h.registrationNumber, h.diplomaNumber, surname, `K. ${surname}`, `${surname}, K.`]) {
      const res = await page(participantsPage, { path: `/beheer/deelnemers?q=${encodeURIComponent(q)}`, session: me });
      expect(res.statusCode).toBe(200);
      expect(res.body, q).toContain(`href="${link}"`);
    }
    const byNumber = text((await page(participantsPage, { path: `/beheer/deelnemers?q=${h.diplomaNumber}`, session: me })).body);
    expect(byNumber).toContain('diplomanummer');
    expect(text((await page(participantsPage, { path: '/beheer/deelnemers?q=Niemandnietbekend', session: me })).body)).toContain(nl.staff.participants.none('Niemandnietbekend'));
    expect((await page(participantsPage, { path: '/beheer/deelnemers?q=', session: me })).statusCode).toBe(400);

    const dossier = await page(participantsPage, { path: link, session: me });
    expect(dossier.statusCode).toBe(200);
    const shown = text(dossier.body);
    expect(shown).toContain(h.registrationNumber);
    expect(shown).toContain('Register-Uitzendprofessional');
    const events = await listEvents(participantPk(h.participantId), 50);
    expect(events.items.length).toBeGreaterThan(0);
    for (const e of events.items) expect(shown).toContain(e.action);
    // A tampered cursor: explained, the first page shown.
    const tampered = await page(participantsPage, { path: `${link}?cursor=xyz.abc`, session: me });
    expect(tampered.statusCode).toBe(200);
    expect(text(tampered.body)).toContain(nl.staff.home.badCursor);
    expect((await page(participantsPage, { path: '/beheer/deelnemers/par_00000000000000000000000000', session: me })).statusCode).toBe(404);
  });
});

describe('/beheer/tarieven', () => {
  it('sets a tariff from a date with a decimal comma; a bad amount is named and nothing is set', async () => {
    const me = await admin();
    const before = (await loadTariffs()).length;
    const bad = await page(tariffsPage, { path: '/beheer/tarieven', session: me, form: { amount: 'veel', vat: '21', validFrom: '2030-01-01' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#amount"');
    expect(bad.body).toContain('value="veel"');
    expect(await loadTariffs()).toHaveLength(before);

    const res = await page(tariffsPage, { path: '/beheer/tarieven', session: me, form: { amount: '€ 1.045,50', vat: '21', validFrom: '2030-01-01' } });
    expect(res.statusCode).toBe(303);
    expect((await loadTariffs()).find((x) => x.validFrom === '2030-01-01')).toMatchObject({ amountCents: 104550, vatRatePercent: 21 });
    const shown = text((await page(tariffsPage, { path: res.location!, session: me })).body);
    expect(shown).toContain(nl.staff.tariffs.saved('€ 1.045,50', '1 januari 2030'));
    expect(shown).toContain('€ 1.045,50');
    const dot = await page(tariffsPage, { path: '/beheer/tarieven', session: me, form: { amount: '45.00', vat: '9', validFrom: '2031-01-01' } });
    expect(dot.statusCode).toBe(303);
    expect((await loadTariffs()).find((x) => x.validFrom === '2031-01-01')).toMatchObject({ amountCents: 4500, vatRatePercent: 9 });
  });
});

describe('/beheer/taken', () => {
  it('a dry run shows the summary and writes and sends nothing; a date after today is refused', async () => {
    const me = await admin();
    const email = `notice.${uniq()}@example.nl`.toLowerCase();
    // A period ending in 7 days: a notice is due.
    const h = await holder({ issuedOn: addDays(addYears(today, -2), 7), email });
    const eventsBefore = (await listEvents(participantPk(h.participantId), 100)).items.length;
    const form = await page(jobsPage, { path: '/beheer/taken', session: me });
    expect(form.body).toMatch(/id="dryRun"[^>]*checked/);
    const dry = await page(jobsPage, { path: '/beheer/taken', session: me, form: { job: 'expiry-notices', asOf: '', dryRun: '1' } });
    expect(dry.statusCode).toBe(200);
    const shown = text(dry.body);
    expect(shown).toContain(nl.staff.jobs.dryRunDone);
    expect(shown).toMatch(/wouldSend 1/);
    expect(await sesMessages({ to: email })).toEqual([]);
    expect((await listEvents(participantPk(h.participantId), 100)).items.length).toBe(eventsBefore);

    const future = await page(jobsPage, { path: '/beheer/taken', session: me, form: { job: 'expiry-notices', asOf: addDays(today, 1), dryRun: '1' } });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('href="#asOf"');
  });
});

describe('tenancy and CSRF: every /beheer route', () => {
  const staffRoutes = pageRoutes.filter((r) => r.id.startsWith('page-staff-'));
  const pathOf = (p: string) => p.replace('{requestId}', 'req_00000000000000000000000000').replace('{participantId}', 'par_00000000000000000000000000');
  const modules: Record<string, { handler: unknown }> = {
    'web/staff-home': home,
    'web/staff-request': requestPage,
    'web/staff-claims': claimsPage,
    'web/staff-diplomas': diplomasPage,
    'web/staff-organisations': organisationsPage,
    'web/staff-participants': participantsPage,
    'web/staff-tariffs': tariffsPage,
    'web/staff-jobs': jobsPage,
  };
  const load = async (handler: string) => {
    expect(modules[handler], handler).toBeDefined();
    return modules[handler];
  };

  it('covers every staff route of the table', () => {
    expect(staffRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        'GET /beheer', 'GET /beheer/aanvragen/{requestId}', 'POST /beheer/aanvragen/{requestId}', 'GET /beheer/activeringen', 'POST /beheer/activeringen',
        'GET /beheer/diplomas', 'POST /beheer/diplomas', 'GET /beheer/diplomas/voorbeeld.csv', 'GET /beheer/organisaties', 'POST /beheer/organisaties',
        'GET /beheer/deelnemers', 'GET /beheer/deelnemers/{participantId}', 'GET /beheer/tarieven', 'POST /beheer/tarieven', 'GET /beheer/taken', 'POST /beheer/taken',
        // issue 16 part 6: the erasure form
        'POST /beheer/deelnemers/{participantId}/verwijderen',
      ].sort(),
    );
  });

  it('an employer, a provider and a participant get the 404 page; no session: 303 /inloggen?next= (a post: 403)', async () => {
    const others = [
      await signedIn({ role: 'employer', ownerId: 'emp_1', userId: 'usr_x' }),
      await signedIn({ role: 'provider', ownerId: 'prv_1', userId: 'usr_y' }),
      await signedIn({ role: 'participant', ownerId: (await holder()).participantId }),
    ];
    for (const route of staffRoutes) {
      const module = await load(route.handler);
      const path = pathOf(route.path);
      for (const session of others) {
        const res = await page(module, { method: route.method as 'GET' | 'POST', path, session, ...(route.method === 'POST' ? { form: { action: 'admit-provider' } } : {}) });
        expect(res.statusCode, `${route.method} ${path} as ${session.session.role}`).toBe(404);
        expect(res.body).toContain(nl.errors.notFoundTitle);
      }
      const stranger = await page(module, { method: route.method as 'GET' | 'POST', path, ...(route.method === 'POST' ? { form: {} } : {}) });
      if (route.method === 'GET') {
        expect(stranger.statusCode, `${path}`).toBe(303);
        expect(stranger.location).toBe(`/inloggen?next=${encodeURIComponent(path)}`);
      } else {
        expect(stranger.statusCode, `${route.method} ${path}`).toBe(403);
      }
    }
  });

  it('a post without the CSRF token: 403, nothing written', async () => {
    const me = await admin();
    const { requestId } = await newRequest((await newProvider()).key);
    const name = `Zonder CSRF ${uniq()}`;
    const posts: [{ handler: unknown }, string, Record<string, string>][] = [
      [requestPage, `/beheer/aanvragen/${requestId}`, { decision: 'approved' }],
      [organisationsPage, '/beheer/organisaties', { action: 'admit-provider', prvName: name, prvKvk: '12345678', prvEmail: 'x@y.test' }],
      [tariffsPage, '/beheer/tarieven', { amount: '99,00', vat: '21', validFrom: '2040-01-01' }],
      [jobsPage, '/beheer/taken', { job: 'expiry-notices', dryRun: '1' }],
      [claimsPage, '/beheer/activeringen', { claimId: 'clm_X', decision: 'approved' }],
    ];
    for (const [module, path, form] of posts) {
      const res = await page(module, { path, session: me, form, csrf: false });
      expect(res.statusCode, path).toBe(403);
      const forged = await page(module, { path, session: me, form, csrf: 'not-the-token' });
      expect(forged.statusCode, path).toBe(403);
    }
    const diploma = `CSRF${uniq()}`;
    const upload = await page(diplomasPage, {
      path: '/beheer/diplomas',
      session: me,
      csrf: false,
      files: { Bestand: { filename: 'd.csv', content: `Diplomanummer;Diplomatype;Datum diploma;Voorletters;Achternaam;Geboortedatum\n${diploma};uitzendprofessional;01-03-2020;J.;Vries;14-02-1985` } },
    });
    expect(upload.statusCode).toBe(403);
    expect(await getDiploma(diploma)).toBeUndefined();
    expect((await getRequest(requestId, true))!.status).toBe('submitted');
    expect((await listOrganisations('provider')).some((p) => p.name === name)).toBe(false);
    expect((await loadTariffs()).some((x) => x.validFrom === '2040-01-01')).toBe(false);
  });
});
