/**
 * Issue 16 part 1: /werkgever/inventarisatie (a CSV file or pasted rows → where each employee
 * stands, nothing written) and "Deze medewerkers registreren", which carries the registrable rows
 * over to the collective registration of /werkgever/registreren. On DynamoDB Local.
 */
import { describe, expect, it, vi } from 'vitest';
import * as inventoryPage from '../../functions/web/employer-inventory';
import * as registrationPage from '../../functions/web/employer-registration';
import { page, signedIn, type SignedIn } from './helpers';
import { listLinks } from '../../shared/data/employers';
import { addDays, addYears } from '../../shared/domain/dates';
import { CARRY_OVER_FIELD } from '../../shared/web/inventory';
import { holders, newEmployer, participantIdOf, periodsOf, recentIssue, today, type Employer, type Holder } from '../integration/employers.fixtures';

const dmy = (iso: string) => iso.split('-').reverse().join('-');
/** A CSV as Dutch Excel's "CSV UTF-8" saves it: BOM, `;`, CRLF, dd-mm-jjjj. */
const excelCsv = (rows: string[][]) => `\uFEFFDiplomanummer;Geboortedatum;E-mailadres\r\n${rows.map((r) => r.join(';')).join('\r\n')}\r\n`;
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ');
const tableRows = (html: string) =>
  [...html.matchAll(/<tr class="utrecht-table__row">(.*?)<\/tr>/g)]
    .map((m) => [...m[1].matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((c) => textOf(c[1]).trim()))
    .filter((cells) => cells.length);
/** The hidden field's rows, as the page wrote them. */
const carried = (html: string) => {
  const m = new RegExp(`name="${CARRY_OVER_FIELD}" value="([^"]*)"`).exec(html);
  return m ? (JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as { diplomaNumber: string; birthDate: string; email: string }[]) : undefined;
};

async function employerWithSession(): Promise<Employer & { session: SignedIn }> {
  const employer = await newEmployer();
  return { ...employer, session: await signedIn({ role: 'employer', ownerId: employer.employerId, userId: `usr_${employer.employerId.slice(-8)}` }) };
}

const upload = (session: SignedIn, content: string, path = '/werkgever/inventarisatie') => page(inventoryPage, { path, session, files: { Bestand: { filename: 'medewerkers.csv', content } } });

describe('/werkgever/inventarisatie', () => {
  it('shows the form: a file field Bestand and a field for pasted rows', async () => {
    const { session } = await employerWithSession();
    const res = await page(inventoryPage, { path: '/werkgever/inventarisatie', session });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1');
    expect(res.body).toMatch(/<label[^>]*for="Bestand"[^>]*>Bestand<\/label>/);
    expect(res.body).toContain('enctype="multipart/form-data"');
    expect(res.body).toMatch(/<textarea[^>]*name="Rijen"/);
  });

  it('a good file: every row in a table, counts per state, and the registrable rows carried on', async () => {
    const { session } = await employerWithSession();
    const fresh = await holders(10, { issuedOn: '2020-02-01' }); // never registered
    const [automatic] = await holders(1, { issuedOn: recentIssue() });
    const lapsedIssue = addDays(addYears(today, -2), -10);
    const [lapsed] = await holders(1, { issuedOn: lapsedIssue });
    const rows = [
      ...fresh.map((h) => [h.diplomaNumber, dmy(h.birthDate), h.email]),
      [automatic.diplomaNumber, dmy(automatic.birthDate), automatic.email],
      [lapsed.diplomaNumber, dmy(lapsed.birthDate), ''], // no address: cannot be carried over
      ['ONBEKEND01', '01-01-1990', ''],
      [fresh[0].diplomaNumber.replace(/\d$/, (d) => String((Number(d) + 1) % 10)) + 'X', '30-06-1988', ''],
    ];
    const res = await upload(session, excelCsv(rows));
    expect(res.statusCode).toBe(200);
    const table = tableRows(res.body);
    expect(table).toContainEqual(['Geregistreerd', '1']);
    expect(table).toContainEqual(['waarvan automatisch geregistreerd (diploma vanaf 2023)', '1']);
    expect(table).toContainEqual(['Verlopen', '1']);
    expect(table).toContainEqual(['Nooit geregistreerd', '10']);
    expect(table).toContainEqual(['Niet gevonden', '2']);
    expect(table).toContainEqual(['Totaal', '14']);
    expect(table).toContainEqual(['Diplomanummer', 'Gevonden', 'Diploma', 'PE-status', 'Geldig tot en met']);
    expect(table).toContainEqual([fresh[0].diplomaNumber, 'Ja', 'Uitzendprofessional, uitgereikt op 1 februari 2020', 'Nooit geregistreerd', '–']);
    const autoRow = table.find((r) => r[0] === automatic.diplomaNumber)!;
    expect(autoRow.slice(1, 4)).toEqual(['Ja', expect.stringContaining('Uitzendprofessional'), 'Geregistreerd (automatisch, diploma vanaf 2023)']);
    expect(autoRow[4]).toMatch(/^\d{1,2} \w+ \d{4}$/);
    expect(table.find((r) => r[0] === lapsed.diplomaNumber)!.slice(1, 4)).toEqual(['Ja', expect.stringContaining('Uitzendprofessional'), 'Verlopen']);
    expect(table).toContainEqual(['ONBEKEND01', 'Nee', '–', 'Niet gevonden', '–']);

    // Found, not registered today, with an address: the 10 fresh ones (not the lapsed one without).
    expect(carried(res.body)).toEqual(fresh.map((h) => ({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: h.email })));
    expect(res.body).toContain('Deze medewerkers registreren (10)');
    expect(textOf(res.body)).toContain('1 medewerker zonder e-mailadres kan niet mee');
    expect(res.body).toContain('action="/werkgever/registreren/inventarisatie"');
    // Nothing was registered.
    expect((await periodsOf(fresh)).map((p) => p.length)).toEqual(fresh.map(() => 0));
  });

  it('fewer than 10 registrable: says so, and offers no registration', async () => {
    const { session } = await employerWithSession();
    const list = await holders(3);
    const res = await upload(session, excelCsv(list.map((h) => [h.diplomaNumber, dmy(h.birthDate), h.email])));
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toContain('Een collectieve registratie vraagt minstens 10 medewerkers; hier kunnen er 3 geregistreerd worden.');
    expect(carried(res.body)).toBeUndefined();
  });

  it('pasted rows (tabs, no header, as Excel copies them) work like a file, and their bad lines are numbered as pasted', async () => {
    const { session } = await employerWithSession();
    const [h] = await holders(1, { issuedOn: recentIssue() });
    const ok = await page(inventoryPage, { path: '/werkgever/inventarisatie', session, form: { Rijen: `${h.diplomaNumber}\t${dmy(h.birthDate)}\n` } });
    expect(ok.statusCode).toBe(200);
    expect(tableRows(ok.body).find((r) => r[0] === h.diplomaNumber)?.[3]).toBe('Geregistreerd (automatisch, diploma vanaf 2023)');

    const pasted = `${h.diplomaNumber}\t${dmy(h.birthDate)}\n${h.diplomaNumber}\t${dmy(h.birthDate)}\nONBEKEND02\t31-02-1990\n`;
    const bad = await page(inventoryPage, { path: '/werkgever/inventarisatie', session, form: { Rijen: pasted } });
    expect(bad.statusCode).toBe(400);
    expect(tableRows(bad.body)).toEqual([
      ['Regel', 'Kolom', 'Wat is er mis'],
      ['2', 'Diplomanummer', `Diplomanummer ${h.diplomaNumber} staat ook op regel 1`],
      ['3', 'Geboortedatum', '31-02-1990 is geen geldige datum (dd-mm-jjjj)'],
    ]);
    expect(bad.body).toContain('href="#Rijen"');
    // What was pasted stays in the field.
    expect(bad.body).toContain('31-02-1990\n</textarea>');
  });

  it('a bad file: every bad row in a table, an error summary linking to the field, nothing else', async () => {
    const { session } = await employerWithSession();
    const [h] = await holders(1);
    const res = await upload(session, excelCsv([[h.diplomaNumber, dmy(h.birthDate), ''], ['AB', '31-02-1990', 'geen-adres']]));
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<a class="utrecht-link" href="#Bestand">3 fouten op 1 regel; er is niets opgezocht.<\/a>/);
    expect(tableRows(res.body)).toEqual([
      ['Regel', 'Kolom', 'Wat is er mis'],
      ['3', 'Diplomanummer', 'AB is geen geldig diplomanummer (4 tot 32 letters, cijfers of streepjes)'],
      ['3', 'Geboortedatum', '31-02-1990 is geen geldige datum (dd-mm-jjjj)'],
      ['3', 'E-mailadres', 'geen-adres is geen geldig e-mailadres'],
    ]);
    expect(res.body).not.toContain(h.diplomaNumber);

    const none = await page(inventoryPage, { path: '/werkgever/inventarisatie', session, form: {} });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#Bestand">Kies een bestand of plak de rijen</a>');
  });

  it('past the limit on unmatched rows: a 429 page in the site\'s look that says when to try again, and no row\'s outcome', async () => {
    vi.stubEnv('RATE_LIMIT_MISSES_MAX', '3');
    try {
      const { session } = await employerWithSession();
      const [h] = await holders(1);
      const rows = [[h.diplomaNumber, dmy(h.birthDate), h.email], ...['ONBEKEND11', 'ONBEKEND12', 'ONBEKEND13'].map((n) => [n, '01-01-1990', ''])];
      const res = await upload(session, excelCsv(rows));
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body).toMatch(/<h1[^>]*>Te veel rijen zonder diploma<\/h1>/);
      expect(res.body).toContain('utrecht-alert--error');
      expect(textOf(res.body)).toMatch(/over \d+ uur weer een inventarisatie/);
      expect(res.body).not.toContain(h.diplomaNumber);
      expect(tableRows(res.body)).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('in English on request', async () => {
    const { session } = await employerWithSession();
    const [h] = await holders(1);
    const res = await upload(session, excelCsv([[h.diplomaNumber, dmy(h.birthDate), '']]), '/werkgever/inventarisatie?lang=en');
    expect(res.statusCode).toBe(200);
    expect(tableRows(res.body)).toContainEqual([h.diplomaNumber, 'Yes', 'Uitzendprofessional, issued on 1 May 2021', 'Never registered', '–']);
  });
});

describe('Deze medewerkers registreren: the carry-over to the collective registration', () => {
  it("registers the carried rows for the session's own employer and shows the registration's outcome", async () => {
    const employer = await employerWithSession();
    const other = await employerWithSession();
    const list: Holder[] = await holders(10);
    const inventory = await upload(employer.session, excelCsv(list.map((h) => [h.diplomaNumber, dmy(h.birthDate), h.email])));
    const rows = carried(inventory.body)!;
    expect(rows).toHaveLength(10);

    const post = await page(registrationPage, { path: '/werkgever/registreren/inventarisatie', session: employer.session, form: { [CARRY_OVER_FIELD]: JSON.stringify(rows) } });
    expect(post.statusCode).toBe(303);
    expect(post.location).toMatch(/^\/werkgever\/registreren\?registratie=col_[0-9A-Za-z]+$/);
    const outcome = await page(registrationPage, { path: post.location!, session: employer.session });
    expect(outcome.statusCode).toBe(200);
    expect(textOf(outcome.body)).toContain('10 werknemers zijn geregistreerd');
    for (const periods of await periodsOf(list)) expect(periods.map((p) => [p.startsOn, p.payer])).toEqual([[today, { type: 'employer', id: employer.employerId }]]);
    const linked = (await listLinks(employer.employerId)).map((l) => l.participantId).sort();
    expect(linked).toEqual((await Promise.all(list.map((h) => participantIdOf(h.diplomaNumber)))).sort());
    // The other employer's session sees none of it: its outcome page is a 404, and it has no links.
    expect((await page(registrationPage, { path: post.location!, session: other.session })).statusCode).toBe(404);
    expect(await listLinks(other.employerId)).toEqual([]);

    // The inventory now says so.
    const after = await upload(employer.session, excelCsv(list.map((h) => [h.diplomaNumber, dmy(h.birthDate), h.email])));
    expect(tableRows(after.body)).toContainEqual(['Geregistreerd', '10']);
    expect(carried(after.body)).toBeUndefined();
  });

  it('fewer than 10 rows, or tampered rows, are refused like a bad file: nothing registered', async () => {
    const employer = await employerWithSession();
    const list = await holders(10);
    const rows = list.map((h) => ({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: h.email }));
    const few = await page(registrationPage, { path: '/werkgever/registreren/inventarisatie', session: employer.session, form: { [CARRY_OVER_FIELD]: JSON.stringify(rows.slice(0, 3)) } });
    expect(few.statusCode).toBe(400);
    expect(textOf(few.body)).toContain('Een collectieve registratie vraagt minstens 10 werknemers; dit bestand heeft er 3');
    const wrong = await page(registrationPage, {
      path: '/werkgever/registreren/inventarisatie',
      session: employer.session,
      form: { [CARRY_OVER_FIELD]: JSON.stringify(rows.map((r, i) => (i === 4 ? { ...r, birthDate: '1970-01-01' } : r))) },
    });
    expect(wrong.statusCode).toBe(400);
    expect(tableRows(wrong.body)).toContainEqual(['5', 'Diplomanummer', `Geen diploma met nummer ${rows[4].diplomaNumber} en geboortedatum 1970-01-01 in het register`]);
    const garbage = await page(registrationPage, { path: '/werkgever/registreren/inventarisatie', session: employer.session, form: { [CARRY_OVER_FIELD]: 'niet-json' } });
    expect(garbage.statusCode).toBe(400);
    expect((await periodsOf(list)).map((p) => p.length)).toEqual(list.map(() => 0));
    expect(await listLinks(employer.employerId)).toEqual([]);
  });

  it('tenancy: no session → sign-in, a provider → 404, a post without the CSRF token → 403', async () => {
    const provider = await signedIn({ role: 'provider', ownerId: 'prv_00000000000000000000000000', userId: 'usr_prov0001' });
    const employer = await employerWithSession();
    for (const [module, path] of [
      [inventoryPage, '/werkgever/inventarisatie'],
      [registrationPage, '/werkgever/registreren/inventarisatie'],
    ] as const) {
      const anonymous = await page(module, { path, form: {} });
      expect([303, 403]).toContain(anonymous.statusCode);
      expect((await page(module, { path, session: provider, form: {} })).statusCode).toBe(404);
      expect((await page(module, { path, session: employer.session, form: {}, csrf: false })).statusCode).toBe(403);
    }
    const get = await page(inventoryPage, { path: '/werkgever/inventarisatie' });
    expect(get.statusCode).toBe(303);
    expect(get.location).toBe('/inloggen?next=%2Fwerkgever%2Finventarisatie');
  });
});
