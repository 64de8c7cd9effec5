/**
 * Issue 16 part 1 in a real browser against `npm start`: an HR person takes the inventory of a
 * CSV as Dutch Excel saves it (a bad file first: its rows in a table, then the good one: the
 * outcome per employee with counts per PE status), then registers the employees it found
 * registrable with "Deze medewerkers registreren" (the collective registration's outcome).
 * axe-core on every page on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api } from '../e2e/helpers';
import { daysFromToday, importDiplomas, setTariff, type Holder } from './fixtures';
import { axeCheck, navigates, openSite, pathOf, signedInContext, visit, type Site } from './harness';

let site: Site;
let page: Page;

const run = Date.now().toString(36).toUpperCase();
const staff: (Holder & { email: string })[] = Array.from({ length: 10 }, (_, i) => ({
  diplomaNumber: `INV-${run}-${i}`,
  initials: 'K.',
  lastName: `Inventaris${i}`,
  birthDate: `1991-05-0${(i % 9) + 1}`,
  email: `inventaris${i}.${run.toLowerCase()}@example.nl`,
}));
/** Issued recently: registered automatically at import. */
const automatic: Holder = { diplomaNumber: `INV-${run}-A`, initials: 'L.', lastName: 'Automatisch', birthDate: '1995-01-15', issuedOn: daysFromToday(-100) };
const dutch = (iso: string) => iso.split('-').reverse().join('-');
const csv = (rows: string[][]) => Buffer.from(`\uFEFFDiplomanummer;Geboortedatum;E-mailadres\r\n${rows.map((r) => r.join(';')).join('\r\n')}\r\n`, 'utf8');
const good = () => [
  ...staff.map((h) => [h.diplomaNumber, dutch(h.birthDate), h.email]),
  [automatic.diplomaNumber, dutch(automatic.birthDate), ''],
  [`INV-${run}-X`, '01-01-1990', ''],
];

async function mainText(p: Page): Promise<string> {
  return (await p.getByRole('main').innerText()).replace(/\s+/g, ' ');
}

async function tableRows(p: Page, caption: string): Promise<string[][]> {
  const table = p.locator('table').filter({ has: p.locator('caption', { hasText: caption }) });
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td, th')].map((c) => (c.textContent ?? '').trim())));
}

beforeAll(async () => {
  site = await openSite();
  const { stack } = site;
  await setTariff(stack);
  await importDiplomas(stack, [...staff.map(({ email: _email, ...h }) => h), automatic]);
  const employer = await api(stack, 'POST', '/v1/employers', {
    key: stack.adminKey,
    expect: 201,
    body: { name: 'Uitzendbureau Inventaris', kvkNumber: '66668888', invoiceEmail: 'facturen@inventaris.example.nl', address: { street: 'Damrak 2', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' } },
  });
  const context = await signedInContext(site, { role: 'employer', ownerId: employer.json.employerId, userId: `usr_inventory_${run.toLowerCase()}` });
  page = await context.newPage();
}, 180_000);
afterAll(async () => {
  await site?.close();
});

describe('an HR person takes stock of their staff before registering them', () => {
  it('a file with a bad row: the rows in a table, the summary links to the field', async () => {
    await visit(page, '/werkgever/inventarisatie');
    await axeCheck(page);
    const rows = good();
    rows[2] = [rows[2][0], '31-02-1991', rows[2][2]];
    await page.getByLabel('Bestand').setInputFiles({ name: 'medewerkers.csv', mimeType: 'text/csv', buffer: csv(rows) });
    await navigates(page, () => page.getByRole('button', { name: 'Inventariseren' }).click());

    expect(await mainText(page)).toContain('Er is niets opgezocht');
    expect(await tableRows(page, 'Fouten in de rijen')).toEqual([['4', 'Geboortedatum', '31-02-1991 is geen geldige datum (dd-mm-jjjj)']]);
    await page.getByRole('link', { name: '1 fout op 1 regel; er is niets opgezocht.' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('Bestand');
    await axeCheck(page);
  });

  it('the good file: the outcome per employee and the counts per PE status', async () => {
    await page.getByLabel('Bestand').setInputFiles({ name: 'medewerkers.csv', mimeType: 'text/csv', buffer: csv(good()) });
    await navigates(page, () => page.getByRole('button', { name: 'Inventariseren' }).click());

    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Uitkomst van de inventarisatie');
    const counts = await tableRows(page, 'Aantal medewerkers per PE-status');
    expect(counts).toEqual([
      ['Geregistreerd', '1'],
      ['waarvan automatisch geregistreerd (diploma vanaf 2023)', '1'],
      ['Verlopen', '0'],
      ['Nooit geregistreerd', '10'],
      ['Niet gevonden', '1'],
      ['Totaal', '12'],
    ]);
    const rows = await tableRows(page, 'Uitkomst per medewerker');
    expect(rows.map((r) => [r[0], r[1], r[3]])).toEqual([
      ...staff.map((h) => [h.diplomaNumber, 'Ja', 'Nooit geregistreerd']),
      [automatic.diplomaNumber, 'Ja', 'Geregistreerd (automatisch, diploma vanaf 2023)'],
      [`INV-${run}-X`, 'Nee', 'Niet gevonden'],
    ]);
    await axeCheck(page);
  });

  it('"Deze medewerkers registreren" registers the ten found ones, and the inventory then says so', async () => {
    await navigates(page, () => page.getByRole('button', { name: 'Deze medewerkers registreren (10)' }).click());
    expect(pathOf(page)).toMatch(/^\/werkgever\/registreren\?registratie=col_/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Uw werknemers zijn geregistreerd');
    const outcome = await tableRows(page, 'Resultaat per werknemer');
    expect(outcome.map((r) => [r[1], r[3]]).sort()).toEqual(staff.map((h) => [h.diplomaNumber, 'Geregistreerd (nieuwe periode, op uw factuur)']).sort());
    await axeCheck(page);

    await visit(page, '/werkgever/inventarisatie');
    await page.getByLabel('Of plak de rijen').fill(staff.map((h) => `${h.diplomaNumber}\t${dutch(h.birthDate)}`).join('\n'));
    await navigates(page, () => page.getByRole('button', { name: 'Inventariseren' }).click());
    expect((await tableRows(page, 'Aantal medewerkers per PE-status'))[0]).toEqual(['Geregistreerd', '10']);
    expect(await mainText(page)).toContain('Er is niemand die u nu kunt registreren.');
    await axeCheck(page);
  });
});
