/**
 * Issue 15, point 2 (first half) and point 5: the employer's overview pages — /werkgever (filters,
 * totals, the chart and its text alternative, paging), an employee's history, the report with its
 * CSV and Excel downloads, the invoices with PDF and UBL, the organisation's settings — on
 * DynamoDB Local, set up through the services and data modules the API uses; and the tenancy of
 * every page route: another employer's ids, another role's session and no session.
 */
import { linkSetOf } from '../../shared/data/employee-state';
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import * as overviewPage from '../../functions/web/employer-overview';
import * as historyPage from '../../functions/web/employee-history';
import * as reportPage from '../../functions/web/employer-report';
import * as reportFile from '../../functions/web/employer-report-file';
import * as invoicesPage from '../../functions/web/employer-invoices';
import * as invoiceFile from '../../functions/web/employer-invoice-file';
import * as settingsPage from '../../functions/web/employer-settings';
import * as putTariff from '../../functions/http/put-tariff';
import { adminKey, invoke } from '../setup/helpers';
import { page, signedIn, type SignedIn } from './helpers';
import { linkEmployee } from '../../shared/data/employers';
import { creditIdFor, creditItems, type Credit } from '../../shared/data/credits';
import { getParticipant } from '../../shared/data/participants';
import { transact } from '../../shared/data/client';
import { lookupApiKey } from '../../shared/data/api-keys';
import { getEmployer } from '../../shared/data/organisations';
import { listPayerInvoices } from '../../shared/data/invoices';
import { loadTariffs } from '../../shared/data/tariffs';
import { createCreditNote } from '../../shared/services/invoicing/credit-notes';
import { invoiceEmployerMonth } from '../../shared/services/invoicing/collective';
import { revokeCredit } from '../../shared/services/crediting';
import { addDays, addMonths, addYears, dutchDate } from '../../shared/domain/dates';
import { holders, newEmployer, participantIdOf, register, rowsOf, setPoints, today, type Employer } from '../integration/employers.fixtures';
import { makeParticipant, startPaid } from '../integration/invoicing.fixtures';

const admin = { role: 'admin', id: 'test' };
let seq = 0;

/** The visible text of the page, tags dropped (what a reader sees, in order). */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ');
const h1s = (html: string) => html.match(/<h1[\s>]/g)?.length ?? 0;


/** A completion credited to the period, as the crediting transaction writes it. */
async function credit(participantId: string, startsOn: string, title: string, points: number, completedOn: string): Promise<Credit> {
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
  return c;
}

const link = (employerId: string, participantId: string) =>
  linkEmployee(employerId, participantId, admin, today);

/** An employer's invoice of one (far) month with `n` paid periods, and optionally its credit note. */
async function invoiceOf(employerId: string, month: string, n: number) {
  const now = new Date(`${month}-10T10:00:00Z`);
  for (let i = 0; i < n; i++) {
    const p = await makeParticipant(`Factuur${++seq}`);
    await startPaid(p.participantId, { type: 'employer', id: employerId }, `${month}-10`, now);
  }
  const clock = { now: () => new Date(`${addMonths(`${month}-01`, 1)}T06:00:00Z`) };
  const outcome = await invoiceEmployerMonth(month, employerId, await loadTariffs(), clock);
  expect(outcome.outcome).toBe('issued');
  return { invoiceId: (outcome as { invoiceId: string }).invoiceId, invoiceNumber: (outcome as { invoiceNumber: string }).invoiceNumber, clock };
}

let a: Employer;
let b: Employer;
let ids: { fresh: string[]; atRisk: string; full: string; lapsed: string; otherEmployee: string };
let sa: SignedIn;
let sb: SignedIn;
let participantSession: SignedIn;
let providerSession: SignedIn;
let invoiceA: { invoiceId: string; invoiceNumber: string };
let creditNoteA: { invoiceId: string; invoiceNumber: string };
let invoiceB: { invoiceId: string };
const atRiskStart = addMonths(today, -20);

beforeAll(async () => {
  const tariff = await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: await adminKey(), body: { amountCents: 4995, vatRatePercent: 21, validFrom: '2020-01-01' } });
  expect(tariff.statusCode).toBe(200);
  [a, b] = [await newEmployer('Alfa Uitzend BV'), await newEmployer('Beta Payroll BV')];
  const fresh = await holders(8);
  const [atRisk] = await holders(1, { issuedOn: atRiskStart });
  const [full] = await holders(1, { issuedOn: atRiskStart });
  const [lapsed] = await holders(1, { issuedOn: addYears(today, -3) });
  const [other] = await holders(1, { issuedOn: addYears(today, -3) });
  expect((await register(a, { employees: rowsOf([...fresh, atRisk, full]) })).statusCode).toBe(201);
  ids = {
    fresh: await Promise.all(fresh.map((h) => participantIdOf(h.diplomaNumber))),
    atRisk: await participantIdOf(atRisk.diplomaNumber),
    full: await participantIdOf(full.diplomaNumber),
    lapsed: await participantIdOf(lapsed.diplomaNumber),
    otherEmployee: await participantIdOf(other.diplomaNumber),
  };
  await link(a.employerId, ids.lapsed);
  await link(b.employerId, ids.otherEmployee);
  await setPoints(ids.fresh[0], today, 7.5);
  // 2 points, then the credits add 1.5 and 2 and the revocation takes its 2 back: 3.5.
  await setPoints(ids.atRisk, atRiskStart, 2);
  await setPoints(ids.full, atRiskStart, 12);
  await credit(ids.atRisk, atRiskStart, 'Arbeidsrecht: de basis', 1.5, addMonths(today, -10));
  const revoked = await credit(ids.atRisk, atRiskStart, 'Privacy (AVG)', 2, addMonths(today, -1));
  await revokeCredit(revoked.creditId, 'Geen presentie', (await lookupApiKey(await adminKey()))!);

  const first = await invoiceOf(a.employerId, '2036-03', 2);
  invoiceA = first;
  await createCreditNote(first.invoiceId, 'Dubbel gefactureerd', admin, first.clock);
  const docs = (await listPayerInvoices({ type: 'employer', id: a.employerId }, 10)).items;
  const note = docs.find((d) => d.documentType === 'credit-note')!;
  creditNoteA = { invoiceId: note.invoiceId, invoiceNumber: note.invoiceNumber };
  invoiceB = await invoiceOf(b.employerId, '2036-04', 1);

  sa = await signedIn({ role: 'employer', ownerId: a.employerId, userId: 'usr_a' });
  sb = await signedIn({ role: 'employer', ownerId: b.employerId, userId: 'usr_b' });
  participantSession = await signedIn({ role: 'participant', ownerId: ids.fresh[1] });
  providerSession = await signedIn({ role: 'provider', ownerId: 'prv_test', userId: 'usr_p' });
});

describe('/werkgever', () => {
  it('lists every employee with status, points "x van 12" and the last valid day in words, each linking to their history', async () => {
    const res = await page(overviewPage, { path: '/werkgever', session: sa });
    expect(res.statusCode).toBe(200);
    expect(h1s(res.body)).toBe(1);
    const text = textOf(res.body);
    expect(text).toContain('Ingelogd als Alfa Uitzend BV');
    for (const id of [...ids.fresh, ids.atRisk, ids.full, ids.lapsed]) expect(res.body).toContain(`href="/werkgever/medewerkers/${id}"`);
    expect(res.body).not.toContain(ids.otherEmployee);
    // The fresh employee with 7.5 points: active, 7,5 of 12, valid until the day before two years from today.
    expect(text).toMatch(new RegExp(`PE-[A-Z0-9-]+ Actief 7,5 van 12 ${dutchDate(addDays(addYears(today, 2), -1))}`));
    expect(text).toMatch(new RegExp(`Actief, met risico 3,5 van 12 ${dutchDate(addDays(addYears(atRiskStart, 2), -1))}`));
    expect(text).toMatch(/Verlopen 0 van 12/);
  });

  it('has the employer menu, including the pages other parts build', async () => {
    const res = await page(overviewPage, { path: '/werkgever', session: sa });
    for (const href of ['/werkgever/registreren', '/werkgever/rapportage', '/werkgever/facturen', '/werkgever/activiteiten', '/werkgever/gebruikers', '/werkgever/instellingen']) {
      expect(res.body).toContain(`href="${href}"`);
    }
    expect(res.body).toMatch(/<a class="utrecht-link" href="\/werkgever" aria-current="page">/);
  });

  it('filters: at risk shows only the employee at risk, lapsed only the lapsed one; totals stay over all', async () => {
    const risk = await page(overviewPage, { path: '/werkgever?status=at-risk', session: sa });
    expect(risk.statusCode).toBe(200);
    const listed = (html: string) => [...html.matchAll(/href="\/werkgever\/medewerkers\/(par_[0-9A-Z]+)"/g)].map((m) => m[1]);
    expect(listed(risk.body)).toEqual([ids.atRisk]);
    expect(risk.body).toMatch(/<option value="at-risk" selected/);
    expect(textOf(risk.body)).toContain('Medewerkers 11');
    const lapsed = await page(overviewPage, { path: '/werkgever?status=lapsed', session: sa });
    expect(listed(lapsed.body)).toEqual([ids.lapsed]);
    const all = await page(overviewPage, { path: '/werkgever?status=nonsense', session: sa });
    expect(listed(all.body)).toHaveLength(11);
  });

  it('shows totals and a chart whose text alternative and table carry the same numbers', async () => {
    const res = await page(overviewPage, { path: '/werkgever', session: sa });
    const text = textOf(res.body);
    // 11 employees: 10 registered (9 on track + 1 at risk), 1 lapsed.
    expect(text).toContain('Medewerkers 11 Ingeschreven (actief of verlengd) 10 Op schema 9 Met risico 1 Verlopen 1');
    const svg = /<svg[^>]*>[\s\S]*?<\/svg>/.exec(res.body)![0];
    expect(svg).toMatch(/role="img"/);
    const labelledBy = /aria-labelledby="([^"]+)"/.exec(svg)![1].split(' ');
    for (const id of labelledBy) expect(svg).toContain(`id="${id}"`);
    expect(svg).toMatch(/<title id="[^"]+">Aantal medewerkers per situatie<\/title>/);
    expect(svg).toContain('<desc id="medewerkers-grafiek-uitleg">Staafdiagram. Op schema: 9; Met risico: 1; Verlopen: 1; Niet ingeschreven of nog niet begonnen: 0.</desc>');
    // Each bar names itself in text (no meaning in colour alone).
    for (const label of ['Op schema', 'Met risico', 'Verlopen']) expect(svg).toContain(`>${label}</text>`);
    expect(text).toContain('De cijfers van het diagram Situatie Aantal medewerkers Op schema 9 Met risico 1 Verlopen 1 Niet ingeschreven of nog niet begonnen 0');
  });

  it('in English on request', async () => {
    const res = await page(overviewPage, { path: '/werkgever?lang=en', session: sa });
    const text = textOf(res.body);
    expect(text).toContain('Employees 11');
    expect(text).toMatch(/Active 7.5 of 12/);
    expect(res.body).toContain('<desc id="medewerkers-grafiek-uitleg">Bar chart. On track: 9; At risk: 1; Lapsed: 1; Not registered or not started yet: 0.</desc>');
  });

  it('pages with a cursor signed for this filter; a forged one, or one of another filter, is a 400 page', async () => {
    const c = await newEmployer('Gamma Detachering BV');
    const people = [];
    for (let i = 0; i < 52; i += 13) people.push(...(await Promise.all(Array.from({ length: 13 }, () => makeParticipant(`Gamma${++seq}`)))));
    for (let i = 0; i < people.length; i += 13) await Promise.all(people.slice(i, i + 13).map((p) => link(c.employerId, p.participantId)));
    const sc = await signedIn({ role: 'employer', ownerId: c.employerId, userId: 'usr_c' });
    const first = await page(overviewPage, { path: '/werkgever', session: sc });
    const listed = (html: string) => [...html.matchAll(/href="\/werkgever\/medewerkers\/(par_[0-9A-Z]+)"/g)].map((m) => m[1]);
    expect(listed(first.body)).toHaveLength(50);
    const next = /href="(\/werkgever\?cursor=[^"]+)">Volgende medewerkers/.exec(first.body)![1].replace(/&amp;/g, '&');
    const second = await page(overviewPage, { path: next, session: sc });
    expect(second.statusCode).toBe(200);
    expect(listed(second.body)).toHaveLength(2);
    expect(new Set([...listed(first.body), ...listed(second.body)]).size).toBe(52);
    expect(second.body).not.toContain('Volgende medewerkers');

    const cursor = new URL(next, 'http://x').searchParams.get('cursor')!;
    const otherFilter = await page(overviewPage, { path: `/werkgever?status=lapsed&cursor=${encodeURIComponent(cursor)}`, session: sc });
    expect(otherFilter.statusCode).toBe(400);
    expect(textOf(otherFilter.body)).toContain('Deze link naar de volgende medewerkers klopt niet (meer).');
    const otherEmployer = await page(overviewPage, { path: next, session: sa });
    expect(otherEmployer.statusCode).toBe(400);
    const forged = await page(overviewPage, { path: '/werkgever?cursor=eyJhZnRlciI6InBhcl8wIn0.AAAA', session: sc });
    expect(forged.statusCode).toBe(400);
  });
});

describe('/werkgever/medewerkers/{participantId}', () => {
  it("shows the employee's periods and credited activities, the revoked one as such", async () => {
    const res = await page(historyPage, { path: `/werkgever/medewerkers/${ids.atRisk}`, session: sa });
    expect(res.statusCode).toBe(200);
    expect(h1s(res.body)).toBe(1);
    const text = textOf(res.body);
    expect(text).toMatch(/Historie van A\. Bakker\d+/);
    expect(text).toContain(`${dutchDate(atRiskStart)} ${dutchDate(addDays(addYears(atRiskStart, 2), -1))} Actief 3,5 van 12`);
    expect(text).toContain(`Arbeidsrecht: de basis ${dutchDate(addMonths(today, -10))} 1,5 Toegekend`);
    expect(text).toContain(`Privacy (AVG) ${dutchDate(addMonths(today, -1))} 2 Ingetrokken op ${dutchDate(today)}: telt niet mee`);
  });

  it("another employer's employee, an unknown or a malformed id is the 404 page", async () => {
    for (const id of [ids.otherEmployee, 'par_00000000000000000000000000', 'nope']) {
      const res = await page(historyPage, { path: `/werkgever/medewerkers/${id}`, session: sa });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    }
    const theirs = await page(historyPage, { path: `/werkgever/medewerkers/${ids.atRisk}`, session: sb });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).not.toContain('Arbeidsrecht');
  });
});

describe('/werkgever/rapportage', () => {
  it('shows the totals and links to the CSV and the workbook', async () => {
    const res = await page(reportPage, { path: '/werkgever/rapportage', session: sa });
    expect(res.statusCode).toBe(200);
    expect(h1s(res.body)).toBe(1);
    expect(res.body).toContain('href="/werkgever/rapportage/csv"');
    expect(res.body).toContain('href="/werkgever/rapportage/xlsx"');
    expect(textOf(res.body)).toContain('Met risico 1');
  });

  it('the CSV: every employee, column names in the page language', async () => {
    const res = await page(reportFile, { path: '/werkgever/rapportage/csv', session: sa });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="rapportage-alfa-uitzend-bv-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('Registratienummer;Naam;Titel;Startdatum;Einddatum;Status;Punten behaald;Punten ontbrekend;Gekoppeld op;Risico;Deelnemer-ID;Leerlijn;Leerlijn open');
    expect(lines).toHaveLength(12);
    expect(res.body).not.toContain(ids.otherEmployee);
    const en = await page(reportFile, { path: '/werkgever/rapportage/csv?lang=en', session: sa });
    expect(en.body.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toMatch(/^Registration number;Name;Title;/);
  });

  it('the workbook is a real xlsx with the same rows', async () => {
    const res = await page(reportFile, { path: '/werkgever/rapportage/xlsx', session: sa });
    expect(res.statusCode).toBe(200);
    expect(res.rawBody.subarray(0, 2).toString('latin1')).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawBody as never);
    const sheet = wb.worksheets[0];
    expect(sheet.name).toBe('Rapportage');
    expect(sheet.getRow(1).getCell(1).value).toBe('Registratienummer');
    const ids2 = new Set<string>();
    sheet.eachRow((row, n) => {
      const v = row.getCell(11).value;
      if (n > 1 && typeof v === 'string' && v.startsWith('par_')) ids2.add(v);
    });
    expect(ids2).toEqual(new Set([...ids.fresh, ids.atRisk, ids.full, ids.lapsed]));
  });

  it('another format is the 404 page', async () => {
    const res = await page(reportFile, { path: '/werkgever/rapportage/pdf', session: sa });
    expect(res.statusCode).toBe(404);
  });
});

describe('/werkgever/facturen', () => {
  it('lists the invoice and the credit note with number, period, date, amount and status, each with PDF and UBL', async () => {
    const res = await page(invoicesPage, { path: '/werkgever/facturen', session: sa });
    expect(res.statusCode).toBe(200);
    expect(h1s(res.body)).toBe(1);
    const text = textOf(res.body);
    // Two periods of € 49,95 + 21 % VAT: € 120,88; the credit note negates it.
    expect(text).toContain(`${invoiceA.invoiceNumber} Factuur 1 maart 2036 tot en met 31 maart 2036`);
    expect(text).toContain('€ 120,88');
    expect(text).toContain(`${creditNoteA.invoiceNumber} Creditnota`);
    expect(text).toContain('€ -120,88');
    for (const doc of [invoiceA, creditNoteA]) {
      expect(res.body).toContain(`href="/werkgever/facturen/${doc.invoiceId}/pdf"`);
      expect(res.body).toContain(`href="/werkgever/facturen/${doc.invoiceId}/ubl"`);
    }
    expect(res.body).not.toContain(invoiceB.invoiceId);
  });

  it('downloads the PDF and the UBL e-invoice (and the credit note as a UBL CreditNote)', async () => {
    const pdf = await page(invoiceFile, { path: `/werkgever/facturen/${invoiceA.invoiceId}/pdf`, session: sa });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawBody.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="factuur-${invoiceA.invoiceNumber}.pdf"`);
    const ubl = await page(invoiceFile, { path: `/werkgever/facturen/${invoiceA.invoiceId}/ubl`, session: sa });
    expect(ubl.statusCode).toBe(200);
    expect(ubl.headers['content-type']).toMatch(/^application\/xml/);
    expect(ubl.body).toMatch(/^<\?xml/);
    expect(ubl.body).toContain('<Invoice');
    expect(ubl.body).toContain(`<cbc:ID>${invoiceA.invoiceNumber}</cbc:ID>`);
    const note = await page(invoiceFile, { path: `/werkgever/facturen/${creditNoteA.invoiceId}/ubl`, session: sa });
    expect(note.body).toContain('<CreditNote');
  });

  it("another employer's invoice, an unknown or malformed id, or another format is the 404 page", async () => {
    for (const path of [
      `/werkgever/facturen/${invoiceB.invoiceId}/pdf`,
      `/werkgever/facturen/${invoiceB.invoiceId}/ubl`,
      '/werkgever/facturen/inv_00000000000000000000000000/pdf',
      '/werkgever/facturen/nope/pdf',
      `/werkgever/facturen/${invoiceA.invoiceId}/docx`,
    ]) {
      const res = await page(invoiceFile, { path, session: sa });
      expect(res.statusCode, path).toBe(404);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    }
  });
});

describe('/werkgever/instellingen', () => {
  it('shows the settings form with the current values', async () => {
    const res = await page(settingsPage, { path: '/werkgever/instellingen', session: sa });
    expect(res.statusCode).toBe(200);
    expect(h1s(res.body)).toBe(1);
    expect(res.body).toContain('value="facturen@flex.nl"');
    expect(res.body).toContain('value="Damrak 1"');
    for (const label of ['E-mailadres HR-contactpersoon', 'E-mailadres voor facturen', 'Uw referentie op facturen', 'Peppol-schema', 'Peppol-nummer', 'Straat en huisnummer', 'Postcode', 'Plaats', 'Land']) {
      expect(res.body).toContain(`>${label}</label>`);
    }
  });

  it('bad fields: errors at the top linked to the fields and beside them, values kept, nothing saved', async () => {
    const before = await getEmployer(b.employerId, true);
    const res = await page(settingsPage, {
      path: '/werkgever/instellingen',
      session: sb,
      form: { contactEmail: 'hr-at-beta', invoiceEmail: '', buyerReference: 'PO-1', peppolScheme: '9999', peppolValue: 'x', street: 'Kade 2', postalCode: '3011 AA', city: 'Rotterdam', country: 'Nederland' },
    });
    expect(res.statusCode).toBe(400);
    const summary = /<div class="utrecht-alert utrecht-alert--error" role="alert"[\s\S]*?<\/ul>/.exec(res.body)![0];
    for (const field of ['contactEmail', 'invoiceEmail', 'peppolScheme', 'country']) {
      expect(summary).toContain(`href="#${field}"`);
      expect(res.body).toContain(`id="${field}-fout"`);
      expect(res.body).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
    }
    expect(textOf(summary)).toContain('Vul e-mailadres voor facturen in');
    expect(res.body).toContain('value="hr-at-beta"');
    expect(res.body).toContain('value="Kade 2"');
    expect(await getEmployer(b.employerId, true)).toEqual(before);
  });

  it('a good form is saved by the API service (303 with a status message)', async () => {
    const form = { contactEmail: 'hr@beta.example.nl', invoiceEmail: 'ap@beta.example.nl', buyerReference: 'PO-2036-17', peppolScheme: '0106', peppolValue: '12345678', street: 'Kade 2', postalCode: '3011 AA', city: 'Rotterdam', country: 'nl' };
    const res = await page(settingsPage, { path: '/werkgever/instellingen', session: sb, form });
    expect(res.statusCode).toBe(303);
    expect(res.location).toBe('/werkgever/instellingen?opgeslagen=1');
    const saved = (await getEmployer(b.employerId, true))!;
    expect(saved).toMatchObject({
      contactEmail: 'hr@beta.example.nl',
      invoiceEmail: 'ap@beta.example.nl',
      buyerReference: 'PO-2036-17',
      peppolId: { scheme: '0106', value: '12345678' },
      address: { street: 'Kade 2', postalCode: '3011 AA', city: 'Rotterdam', country: 'NL' },
    });
    const shown = await page(settingsPage, { path: res.location!, session: sb });
    expect(textOf(shown.body)).toContain('De instellingen zijn opgeslagen.');
    // Emptied optional fields are cleared.
    const cleared = await page(settingsPage, { path: '/werkgever/instellingen', session: sb, form: { ...form, contactEmail: '', buyerReference: '', peppolScheme: '', peppolValue: '' } });
    expect(cleared.statusCode).toBe(303);
    const after = (await getEmployer(b.employerId, true))!;
    expect(after.contactEmail).toBeUndefined();
    expect(after.buyerReference).toBeUndefined();
    expect(after.peppolId).toBeUndefined();
  });

  it('concurrent saves: each lands whole (303) or says to try again (409), never half', async () => {
    const form = (i: number) => ({ contactEmail: `hr${i}@beta.example.nl`, invoiceEmail: `ap${i}@beta.example.nl`, buyerReference: `PO-${i}`, peppolScheme: '', peppolValue: '', street: `Kade ${i}`, postalCode: '3011 AA', city: 'Rotterdam', country: 'NL' });
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => page(settingsPage, { path: '/werkgever/instellingen', session: sb, form: form(i) })));
    for (const r of results) {
      expect([303, 409]).toContain(r.statusCode);
      if (r.statusCode === 409) expect(textOf(r.body)).toContain('probeer het opnieuw');
    }
    const saved = (await getEmployer(b.employerId, true))!;
    const i = Number(saved.buyerReference!.slice(3));
    expect(saved).toMatchObject({ contactEmail: `hr${i}@beta.example.nl`, invoiceEmail: `ap${i}@beta.example.nl`, address: { street: `Kade ${i}` } });
  });
});

describe('tenancy of every employer page route', () => {
  const routes = () => [
    { module: overviewPage, path: '/werkgever' },
    { module: historyPage, path: `/werkgever/medewerkers/${ids.atRisk}` },
    { module: reportPage, path: '/werkgever/rapportage' },
    { module: reportFile, path: '/werkgever/rapportage/csv' },
    { module: reportFile, path: '/werkgever/rapportage/xlsx' },
    { module: invoicesPage, path: '/werkgever/facturen' },
    { module: invoiceFile, path: `/werkgever/facturen/${invoiceA.invoiceId}/pdf` },
    { module: invoiceFile, path: `/werkgever/facturen/${invoiceA.invoiceId}/ubl` },
    { module: settingsPage, path: '/werkgever/instellingen' },
  ];

  it("another employer's user never sees this employer's data", async () => {
    for (const { module, path } of routes()) {
      const res = await page(module, { path, session: sb });
      if (path.includes(ids.atRisk) || path.includes(invoiceA.invoiceId)) {
        expect(res.statusCode, path).toBe(404);
      } else {
        expect(res.statusCode, path).toBe(200);
        expect(res.body, path).not.toContain(ids.atRisk);
        expect(res.body, path).not.toContain(invoiceA.invoiceId);
        expect(res.body, path).not.toContain('Alfa Uitzend');
        expect(res.body, path).not.toContain('facturen@flex.nl');
      }
    }
  });

  it("a participant's or a provider's session gets the 404 page", async () => {
    for (const session of [participantSession, providerSession]) {
      for (const { module, path } of routes()) {
        const res = await page(module, { path, session });
        expect(res.statusCode, `${session.session.role} ${path}`).toBe(404);
        expect(res.headers['content-type']).toMatch(/text\/html/);
      }
      const post = await page(settingsPage, { path: '/werkgever/instellingen', session, form: { invoiceEmail: 'x@example.nl' } });
      expect(post.statusCode).toBe(404);
    }
  });

  it('without a session: a redirect to sign-in that comes back (a post: 403, nothing changed)', async () => {
    for (const { module, path } of routes()) {
      const res = await page(module, { path });
      expect(res.statusCode, path).toBe(303);
      expect(res.location).toBe(`/inloggen?next=${encodeURIComponent(path)}`);
    }
    const before = await getEmployer(a.employerId, true);
    const post = await page(settingsPage, { path: '/werkgever/instellingen', form: { invoiceEmail: 'x@example.nl' } });
    expect(post.statusCode).toBe(403);
    expect(await getEmployer(a.employerId, true)).toEqual(before);
  });
});
