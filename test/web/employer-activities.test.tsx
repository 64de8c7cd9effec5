/**
 * Issue 15 point 2 (second half): the employer's pages for collective registration
 * (/werkgever/registreren, its example file), internal activities and recognition requests
 * (/werkgever/activiteiten) and crediting an internal activity (/werkgever/activiteiten/{id}/toekennen),
 * on DynamoDB Local, through the same services as the API; tenancy on every route (point 5).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as registrationPage from '../../functions/web/employer-registration';
import * as examplePage from '../../functions/web/employer-registration-example';
import * as activitiesPage from '../../functions/web/employer-activities';
import * as creditPage from '../../functions/web/employer-credit';
import * as putTariff from '../../functions/http/put-tariff';
import { adminKey, invoke } from '../setup/helpers';
import { page, signedIn, type SignedIn } from './helpers';
import { CSRF_FIELD, sessionCookieName } from '../../shared/web/session';
import { lookupApiKey, type ApiKeyRecord } from '../../shared/data/api-keys';
import { listLinks } from '../../shared/data/employers';
import { payerMonthFees } from '../../shared/data/fees';
import { getParticipant, listRegistrations } from '../../shared/data/participants';
import { decide, submitRequest } from '../../shared/services/recognition';
import { listCredits } from '../../shared/services/participants';
import { parseCsv } from '../../shared/services/csv';
import { addDays } from '../../shared/domain/dates';
import { holders, newEmployer, participantIdOf, periodsOf, register, rowsOf, today, type Employer, type Holder } from '../integration/employers.fixtures';

const dutchDate = (iso: string) => iso.split('-').reverse().join('-');
/** A CSV as Dutch Excel's "CSV UTF-8" saves it: BOM, `;`, CRLF, dd-mm-jjjj. */
const excelCsv = (rows: string[][]) => `\uFEFFDiplomanummer;Geboortedatum;E-mailadres\r\n${rows.map((r) => r.join(';')).join('\r\n')}\r\n`;
const rowsFor = (list: Holder[]) => list.map((h) => [h.diplomaNumber, dutchDate(h.birthDate), h.email]);
/** The visible text of the page, tags dropped. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ');
/** The cells of each body row of the page's tables. */
const tableRows = (html: string) =>
  [...html.matchAll(/<tr class="utrecht-table__row">(.*?)<\/tr>/g)]
    .map((m) => [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => textOf(c[1]).trim()))
    .filter((cells) => cells.length);

const month = today.slice(0, 7);

async function employerWithSession(): Promise<Employer & { session: SignedIn; caller: ApiKeyRecord }> {
  const employer = await newEmployer();
  const session = await signedIn({ role: 'employer', ownerId: employer.employerId, userId: `usr_${employer.employerId.slice(-8)}` });
  return { ...employer, session, caller: (await lookupApiKey(employer.apiKey))! };
}

function upload(session: SignedIn, content: string | Buffer, extra: { csrf?: string | false; headers?: Record<string, string> } = {}) {
  return page(registrationPage, { path: '/werkgever/registreren', session, files: { Bestand: { filename: 'medewerkers.csv', content } }, ...extra });
}

/** Nothing of a collective registration was written for these holders and this employer. */
async function expectNothingWritten(employer: Employer, list: Holder[]) {
  expect((await periodsOf(list)).map((p) => p.length)).toEqual(list.map(() => 0));
  expect(await listLinks(employer.employerId)).toEqual([]);
  expect(await payerMonthFees(month, { type: 'employer', id: employer.employerId })).toEqual([]);
}

/** An internal activity of this employer, approved by the admin through the recognition service. */
async function internalActivity(owner: ApiKeyRecord, internal = true) {
  const req = await submitRequest(owner, {
    title: `Veilig werken op de bouwplaats ${Date.now().toString(36)}`,
    description: 'Interne training over veiligheid',
    learningGoals: ['De uitzendkracht kent de veiligheidsregels'],
    activityType: 'training',
    nature: 'updating',
    topics: ['T02'],
    netStudyMinutes: 90,
    completion: { type: 'test', description: 'Toets van 10 vragen' },
    internal,
  } as never);
  const admin = (await lookupApiKey(await adminKey()))!;
  const decided = (await decide(admin, req.requestId, { decision: 'approved' }, addDays(today, -100))) as { activityId: string; points: number };
  return { requestId: req.requestId, ...decided };
}

beforeAll(async () => {
  const res = await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: await adminKey(), body: { amountCents: 4995, vatRatePercent: 21, validFrom: '2020-01-01' } });
  expect(res.statusCode).toBe(200);
});

describe('/werkgever/registreren', () => {
  it('shows the form with the file field Bestand, the rules, and an example file that the upload itself reads', async () => {
    const { session } = await employerWithSession();
    const res = await page(registrationPage, { path: '/werkgever/registreren', session });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<form[^>]*enctype="multipart\/form-data"/);
    expect(res.body).toMatch(/<label class="utrecht-form-label" for="Bestand">Bestand<\/label>/);
    expect(res.body).toContain('type="file"');
    expect(textOf(res.body)).toContain('minstens 10 en hoogstens 1000 werknemers');
    expect(res.body).toContain('href="/werkgever/registreren/voorbeeld.csv"');
    expect(res.body.match(/<h1[\s>]/g)).toHaveLength(1);

    const english = await page(registrationPage, { path: '/werkgever/registreren?lang=en', session });
    expect(english.body).toMatch(/for="Bestand">File<\/label>/);

    const example = await page(examplePage, { path: '/werkgever/registreren/voorbeeld.csv', session });
    expect(example.statusCode).toBe(200);
    expect(example.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(example.headers['content-disposition']).toMatch(/^attachment; filename="[\w.-]+\.csv"$/);
    expect(example.rawBody.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const table = parseCsv(example.rawBody.toString('utf8'));
    expect(table.header).toEqual(['Diplomanummer', 'Geboortedatum', 'E-mailadres']);
    expect(table.records[0].fields[1]).toMatch(/^\d{2}-\d{2}-\d{4}$/);
  });

  it('registers a good Dutch Excel file (BOM, semicolons, dd-mm-jjjj) and shows the outcome per employee', async () => {
    const employer = await employerWithSession();
    const fresh = await holders(9);
    const [running] = await holders(1, { issuedOn: addDays(today, -200) }); // an automatic period: linked, not registered
    const list = [...fresh, running];

    const res = await upload(employer.session, excelCsv(rowsFor(list)));

    expect(res.statusCode, res.body).toBe(303);
    expect(res.location).toMatch(/^\/werkgever\/registreren\?registratie=col_[0-9A-Za-z]+$/);
    const outcome = await page(registrationPage, { path: res.location!, session: employer.session });
    expect(outcome.statusCode).toBe(200);
    const rows = tableRows(outcome.body);
    expect(rows).toHaveLength(10);
    for (const h of list) {
      const p = (await getParticipant(await participantIdOf(h.diplomaNumber)))!;
      const row = rows.find((r) => r[1] === h.diplomaNumber)!;
      expect(row[2]).toBe(p.registrationNumber);
      expect(row[3]).toBe(h === running ? 'Gekoppeld (had al een lopende registratie)' : 'Geregistreerd (nieuwe periode, op uw factuur)');
      expect(row[0]).toContain(h.lastName);
    }
    expect(textOf(outcome.body)).toContain('9 werknemers zijn geregistreerd en 1 werknemer had al een lopende registratie en is gekoppeld.');
    expect((await periodsOf(fresh)).map((p) => p.map((r) => r.startsOn))).toEqual(fresh.map(() => [today]));
    expect(await payerMonthFees(month, { type: 'employer', id: employer.employerId })).toHaveLength(9);
  });

  it('the same file twice registers once: the second upload shows the first outcome, said to be a repeat', async () => {
    const employer = await employerWithSession();
    const list = await holders(10);
    const csv = excelCsv(rowsFor(list));

    const [first, second] = await Promise.all([upload(employer.session, csv), upload(employer.session, csv)]);
    const third = await upload(employer.session, csv);

    for (const res of [first, second, third]) expect(res.statusCode, res.body).toBe(303);
    const id = (l: string) => new URL(l, 'http://x').searchParams.get('registratie');
    expect(id(second.location!)).toBe(id(first.location!));
    expect(third.location).toBe(`${first.location}&herhaald=1`);
    const repeat = await page(registrationPage, { path: third.location!, session: employer.session });
    expect(textOf(repeat.body)).toContain('Dit bestand had u al eerder geüpload');
    expect((await periodsOf(list)).map((p) => p.length)).toEqual(list.map(() => 1));
    expect(await payerMonthFees(month, { type: 'employer', id: employer.employerId })).toHaveLength(10);
  });

  it('shows every bad row in a table (line, column, what is wrong) and registers nobody', async () => {
    const employer = await employerWithSession();
    const list = await holders(11);
    const rows = rowsFor(list);
    rows[2] = ['ONBEKEND-123', rows[2][1], rows[2][2]]; // line 4: not in the register
    rows[5] = [rows[5][0], '31-02-1990', rows[5][2]]; // line 7: no such date
    rows[8] = [rows[8][0], rows[8][1], 'geen-adres']; // line 10: not an e-mail address
    rows[9] = [rows[9][0], '01-01-1970', rows[9][2]]; // line 11: not the holder's birth date

    const res = await upload(employer.session, excelCsv(rows));

    expect(res.statusCode).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain('Er is niemand geregistreerd');
    expect(tableRows(res.body)).toEqual([
      // An unknown number and a wrong birth date: one message, on the diploma number (no existence oracle).
      ['4', 'Diplomanummer', `Geen diploma met nummer ONBEKEND-123 en geboortedatum ${rows[2][1]} in het register`],
      ['7', 'Geboortedatum', '31-02-1990 is geen geldige datum (dd-mm-jjjj)'],
      ['10', 'E-mailadres', 'geen-adres is geen geldig e-mailadres'],
      ['11', 'Diplomanummer', `Geen diploma met nummer ${rows[9][0]} en geboortedatum 01-01-1970 in het register`],
    ]);
    await expectNothingWritten(employer, list);

    // In English on an English page.
    const english = await page(registrationPage, { path: '/werkgever/registreren?lang=en', session: employer.session, files: { Bestand: { filename: 'staff.csv', content: excelCsv(rows) } } });
    expect(english.statusCode).toBe(400);
    expect(tableRows(english.body)[0]).toEqual(['4', 'Diploma number', `No diploma with number ONBEKEND-123 and birth date ${rows[2][1]} in the register`]);
    await expectNothingWritten(employer, list);
  });

  it('fewer than 10 rows: the API’s rule, explained, and nothing registered; a wrong header and no file are explained too', async () => {
    const employer = await employerWithSession();
    const list = await holders(3);

    const res = await upload(employer.session, excelCsv(rowsFor(list)));

    expect(res.statusCode).toBe(400);
    expect(tableRows(res.body)).toEqual([['–', 'Hele bestand', 'Een collectieve registratie vraagt minstens 10 werknemers; dit bestand heeft er 3']]);
    expect(textOf(res.body)).toContain('Voor minder dan 10 werknemers is een collectieve registratie niet mogelijk');
    await expectNothingWritten(employer, list);

    const header = await upload(employer.session, `Diplomanummer;Geboortedatum;Telefoon\r\n${rowsFor(list).map((r) => r.join(';')).join('\r\n')}\r\n`);
    expect(header.statusCode).toBe(400);
    expect(tableRows(header.body)).toEqual(
      expect.arrayContaining([
        ['1', 'Kopregel', 'Kolom E-mailadres ontbreekt'],
        ['1', 'Kopregel', 'Onbekende kolom Telefoon'],
      ]),
    );

    const none = await page(registrationPage, { path: '/werkgever/registreren', session: employer.session, form: {} });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#Bestand"');
    expect(none.body).toContain('aria-invalid="true"');
    await expectNothingWritten(employer, list);
  });

  it('reads a file Excel saved as Windows-1252: an é arrives as é (in the bad row it quotes), and a good one registers', async () => {
    const employer = await employerWithSession();
    const list = await holders(10);
    const rows = rowsFor(list);
    rows[3] = [rows[3][0], rows[3][1], 'rené.bakker@example.nl'];
    // Excel's "CSV (gescheiden door lijstscheidingsteken)": Windows-1252, no BOM.
    const latin = (s: string) => Buffer.from(s.replace(/^\uFEFF/, ''), 'latin1');

    const bad = await upload(employer.session, latin(excelCsv(rows)));
    expect(bad.statusCode).toBe(400);
    expect(tableRows(bad.body)).toEqual([['5', 'E-mailadres', 'rené.bakker@example.nl is geen geldig e-mailadres']]);
    await expectNothingWritten(employer, list);

    const good = await upload(employer.session, latin(excelCsv(rowsFor(list))));
    expect(good.statusCode, good.body).toBe(303);
    expect((await periodsOf(list)).map((p) => p.length)).toEqual(list.map(() => 1));
  });

  it("reads an upload as Chromium encodes it: the multipart boundary has capitals, and is case-sensitive", async () => {
    const employer = await employerWithSession();
    const list = await holders(10);
    const boundary = '----WebKitFormBoundaryQx7ZpLm3Kd9AbCdE';
    const part = (headers: string, content: string | Buffer) => Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]);
    const body = Buffer.concat([
      part(`Content-Disposition: form-data; name="${CSRF_FIELD}"`, employer.session.session.csrf),
      part('Content-Disposition: form-data; name="Bestand"; filename="medewerkers.csv"\r\nContent-Type: text/csv', excelCsv(rowsFor(list))),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const res = await invoke(registrationPage, {
      method: 'POST',
      path: '/werkgever/registreren',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: `${sessionCookieName()}=${employer.session.id}` },
      body,
    });
    expect(res.statusCode, res.body).toBe(303);
    expect((await periodsOf(list)).map((p) => p.length)).toEqual(list.map(() => 1));
  });

  it('refuses a post without the CSRF token with 403 and registers nobody', async () => {
    const employer = await employerWithSession();
    const list = await holders(10);
    const res = await upload(employer.session, excelCsv(rowsFor(list)), { csrf: false });
    expect(res.statusCode).toBe(403);
    const forged = await upload(employer.session, excelCsv(rowsFor(list)), { csrf: 'not-the-token' });
    expect(forged.statusCode).toBe(403);
    await expectNothingWritten(employer, list);
  });

  it("tenancy: another employer's registration id is the 404 page; other roles get 404; no session → sign in", async () => {
    const mine = await employerWithSession();
    const other = await employerWithSession();
    const list = await holders(10);
    const done = await register(other, { employees: rowsOf(list) });
    expect(done.statusCode).toBe(201);
    const theirs = `/werkgever/registreren?registratie=${done.json.collectiveRegistrationId}`;
    expect((await page(registrationPage, { path: theirs, session: other.session })).statusCode).toBe(200);
    const res = await page(registrationPage, { path: theirs, session: mine.session });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(list[0].diplomaNumber);

    const participant = await signedIn({ role: 'participant', ownerId: await participantIdOf(list[0].diplomaNumber) });
    const provider = await signedIn({ role: 'provider', ownerId: 'prv_01JTESTPROVIDER000000000000', userId: 'usr_prv' });
    const admin = await signedIn({ role: 'admin', ownerId: 'admin', userId: 'usr_admin' });
    const another = await holders(10);
    for (const session of [participant, provider, admin]) {
      for (const [module, path] of [
        [registrationPage, '/werkgever/registreren'],
        [registrationPage, theirs],
        [examplePage, '/werkgever/registreren/voorbeeld.csv'],
      ] as const) {
        expect((await page(module, { path, session })).statusCode, path).toBe(404);
      }
      expect((await upload(session, excelCsv(rowsFor(another)))).statusCode).toBe(404);
    }
    expect((await periodsOf(another)).map((p) => p.length)).toEqual(another.map(() => 0));
    for (const [module, path] of [
      [registrationPage, '/werkgever/registreren'],
      [examplePage, '/werkgever/registreren/voorbeeld.csv'],
    ] as const) {
      const stranger = await page(module, { path });
      expect(stranger.statusCode).toBe(303);
      expect(stranger.location).toBe(`/inloggen?next=${encodeURIComponent(path)}`);
    }
    // A post without a session changes nothing.
    const post = await page(registrationPage, { path: '/werkgever/registreren', files: { Bestand: { filename: 'x.csv', content: excelCsv(rowsFor(another)) } } });
    expect(post.statusCode).toBe(403);
    expect((await periodsOf(another)).map((p) => p.length)).toEqual(another.map(() => 0));
  });
});

describe('/werkgever/activiteiten and crediting an internal activity', () => {
  let employer: Awaited<ReturnType<typeof employerWithSession>>;
  let activity: Awaited<ReturnType<typeof internalActivity>>;
  let staff: Holder[];
  let pending: string;

  beforeAll(async () => {
    employer = await employerWithSession();
    staff = await holders(10);
    expect((await register(employer, { employees: rowsOf(staff) })).statusCode).toBe(201);
    activity = await internalActivity(employer.caller);
    pending = (
      await submitRequest(employer.caller, {
        title: 'Omgaan met agressie',
        description: 'Interne workshop',
        learningGoals: ['De uitzendkracht herkent agressie'],
        activityType: 'workshop',
        nature: 'deepening',
        topics: ['T02'],
        netStudyMinutes: 60,
        completion: { type: 'final-assignment', description: 'Eindopdracht' },
        internal: true,
      } as never)
    ).requestId;
  });

  const registrationNumberOf = async (h: Holder) => (await getParticipant(await participantIdOf(h.diplomaNumber)))!.registrationNumber;
  const creditPath = () => `/werkgever/activiteiten/${activity.activityId}/toekennen`;

  it('lists the internal activities (with a link to credit them) and the recognition requests with their status', async () => {
    const res = await page(activitiesPage, { path: '/werkgever/activiteiten', session: employer.session });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`href="${creditPath()}"`);
    expect(res.body).toContain('href="/werkgever/aanvragen/nieuw"');
    expect(res.body).toContain(`href="/werkgever/aanvragen/${activity.requestId}"`);
    expect(res.body).toContain(`href="/werkgever/aanvragen/${pending}"`);
    const rows = tableRows(res.body);
    expect(rows.find((r) => r[0].startsWith('Veilig werken'))?.[1]).toBe('1,5');
    expect(rows.find((r) => r[0] === 'Omgaan met agressie')?.slice(1)).toEqual(['Intern', expect.any(String), 'Ingediend, wacht op beoordeling']);
    expect(rows.filter((r) => r[0].startsWith('Veilig werken')).map((r) => r.at(-1))).toContain('Goedgekeurd');
    expect(res.body.match(/<h1[\s>]/g)).toHaveLength(1);

    // Another employer sees none of it.
    const other = await employerWithSession();
    const theirs = await page(activitiesPage, { path: '/werkgever/activiteiten', session: other.session });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain(activity.activityId);
    expect(theirs.body).not.toContain(pending);
  });

  it('credits the activity to two chosen employees; a second time shows duplicates and gives no extra points', async () => {
    const form = await page(creditPage, { path: creditPath(), session: employer.session });
    expect(form.statusCode).toBe(200);
    const [a, b] = await Promise.all(staff.slice(0, 2).map(registrationNumberOf));
    expect(form.body).toContain(`id="werknemer-${a}"`);
    expect(form.body).toMatch(/<label class="utrecht-form-label" for="completedOn">Datum<\/label>/);
    expect(form.body).toContain('<legend class="utrecht-form-fieldset__legend">Werknemers</legend>');

    const post = () => page(creditPage, { path: creditPath(), session: employer.session, form: { completedOn: today, [`werknemer-${a}`]: '1', [`werknemer-${b}`]: '1' } });
    const first = await post();
    expect(first.statusCode, first.body).toBe(200);
    expect(tableRows(first.body).map((r) => r.slice(1))).toEqual([
      [a, 'Toegekend (1,5 punten)'],
      [b, 'Toegekend (1,5 punten)'],
    ]);
    const second = await post();
    expect(tableRows(second.body).map((r) => r.slice(1))).toEqual([
      [a, 'Was al toegekend; geen extra punten'],
      [b, 'Was al toegekend; geen extra punten'],
    ]);
    for (const h of staff.slice(0, 2)) {
      const pid = await participantIdOf(h.diplomaNumber);
      expect((await listRegistrations(pid))[0].points).toBe(1.5);
      expect((await listCredits(pid)).filter((c) => c.activityId === activity.activityId)).toHaveLength(1);
    }
    const third = await participantIdOf(staff[2].diplomaNumber);
    expect(await listCredits(third)).toEqual([]);
  });

  it('a date in the future, a malformed date or no employee chosen: the form again with its errors, nothing credited', async () => {
    const c = await registrationNumberOf(staff[3]);
    const future = await page(creditPage, { path: creditPath(), session: employer.session, form: { completedOn: addDays(today, 1), [`werknemer-${c}`]: '1' } });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('href="#completedOn"');
    expect(textOf(future.body)).toContain('De datum ligt in de toekomst');
    const none = await page(creditPage, { path: creditPath(), session: employer.session, form: { completedOn: 'gisteren' } });
    expect(none.statusCode).toBe(400);
    expect(textOf(none.body)).toContain('Datum is niet goed ingevuld');
    expect(textOf(none.body)).toContain('Kies minstens één werknemer');
    expect(await listCredits(await participantIdOf(staff[3].diplomaNumber))).toEqual([]);
  });

  it('refuses a post without the CSRF token with 403 and credits nothing', async () => {
    const d = await registrationNumberOf(staff[4]);
    const res = await page(creditPage, { path: creditPath(), session: employer.session, form: { completedOn: today, [`werknemer-${d}`]: '1' }, csrf: false });
    expect(res.statusCode).toBe(403);
    expect(await listCredits(await participantIdOf(staff[4].diplomaNumber))).toEqual([]);
  });

  it("tenancy: another employer's activity and a provider's public one are the 404 page; other roles 404; no session → sign in", async () => {
    const other = await employerWithSession();
    const theirs = await internalActivity(other.caller);
    const e = await registrationNumberOf(staff[5]);
    for (const id of [theirs.activityId, 'act_01JNOSUCHACTIVITY0000000000']) {
      const path = `/werkgever/activiteiten/${id}/toekennen`;
      expect((await page(creditPage, { path, session: employer.session })).statusCode, path).toBe(404);
      expect((await page(creditPage, { path, session: employer.session, form: { completedOn: today, [`werknemer-${e}`]: '1' } })).statusCode, path).toBe(404);
    }
    // A provider's public activity: not the employer's to credit.
    const createProvider = await import('../../functions/http/create-provider');
    const prv = await invoke(createProvider, { path: '/v1/providers', apiKey: await adminKey(), body: { name: `Opleider ${Date.now().toString(36)}`, kvkNumber: '12345678', contactEmail: `opl${Date.now().toString(36)}@example.nl` } });
    const provider = (await lookupApiKey(prv.json.apiKey))!;
    const publicOne = await internalActivity(provider, false);
    const publicPath = `/werkgever/activiteiten/${publicOne.activityId}/toekennen`;
    expect((await page(creditPage, { path: publicPath, session: employer.session })).statusCode).toBe(404);
    expect((await page(creditPage, { path: publicPath, session: employer.session, form: { completedOn: today, [`werknemer-${e}`]: '1' } })).statusCode).toBe(404);
    expect(await listCredits(await participantIdOf(staff[5].diplomaNumber))).toEqual([]);

    // The other employer cannot credit our activity to our employees, nor to its own.
    const path = creditPath();
    expect((await page(creditPage, { path, session: other.session, form: { completedOn: today, [`werknemer-${e}`]: '1' } })).statusCode).toBe(404);
    expect(await listCredits(await participantIdOf(staff[5].diplomaNumber))).toEqual([]);

    const participant = await signedIn({ role: 'participant', ownerId: await participantIdOf(staff[5].diplomaNumber) });
    const providerSession = await signedIn({ role: 'provider', ownerId: provider.ownerId, userId: 'usr_prv2' });
    for (const session of [participant, providerSession]) {
      expect((await page(activitiesPage, { path: '/werkgever/activiteiten', session })).statusCode).toBe(404);
      expect((await page(creditPage, { path, session })).statusCode).toBe(404);
      expect((await page(creditPage, { path, session, form: { completedOn: today, [`werknemer-${e}`]: '1' } })).statusCode).toBe(404);
    }
    expect(await listCredits(await participantIdOf(staff[5].diplomaNumber))).toEqual([]);
    for (const [module, p] of [
      [activitiesPage, '/werkgever/activiteiten'],
      [creditPage, path],
    ] as const) {
      const stranger = await page(module, { path: p });
      expect(stranger.statusCode).toBe(303);
      expect(stranger.location).toBe(`/inloggen?next=${encodeURIComponent(p)}`);
    }
    expect((await page(creditPage, { path, form: { completedOn: today, [`werknemer-${e}`]: '1' } })).statusCode).toBe(403);
    expect(await listCredits(await participantIdOf(staff[5].diplomaNumber))).toEqual([]);
  });
});
