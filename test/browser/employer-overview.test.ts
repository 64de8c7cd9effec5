/**
 * An HR person's overview journey in a real browser against `npm start` (issue 15, point 2 and
 * "Done when": sees who is at risk, downloads the audit report and the invoice): the staff
 * overview, the filter "at risk", an employee's history, the report as CSV, an invoice's PDF, and
 * the settings form with an error; the filter done with the keyboard alone; axe-core on every
 * page. The employer and its staff come through the stack's own API; the signed-in user is a web
 * session written to the stack's table (sign-in by e-mail for users is another part's).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { api } from '../e2e/helpers';
import { readStackFile } from '../../infra/local/stack-file';
import { resetDb } from '../../shared/data/client';
import { createWebSession } from '../../shared/data/web-sessions';
import { loadTariffs } from '../../shared/data/tariffs';
import { invoiceEmployerMonth } from '../../shared/services/invoicing/collective';
import { addMonths } from '../../shared/domain/dates';
import { importDiplomas, setTariff, today, type Holder } from './fixtures';
import { axeCheck, chooseOption, isFocused, navigates, openSite, pathOf, submitOf, visit, type Site, downloadedFile } from './harness';

let site: Site;
let context: BrowserContext;
let employerId: string;
let invoiceNumber: string;

const run = Date.now().toString(36).toUpperCase();
const holder = (n: number, lastName: string, issuedOn?: string): Holder => ({
  diplomaNumber: `EMPB-${run}-${n}`,
  initials: 'J.',
  lastName,
  birthDate: '1990-02-02',
  ...(issuedOn ? { issuedOn } : {}),
});
// Nine registered by the collective registration today; one whose period (from its recent diploma)
// ends within six months with no points: at risk.
const staff = Array.from({ length: 9 }, (_, i) => holder(i + 1, `Medewerker${i + 1}`));
const risky = holder(10, 'Risicovol', addMonths(today(), -20));

beforeAll(async () => {
  site = await openSite();
  const { stack } = site;
  await setTariff(stack);
  await importDiplomas(stack, [...staff, risky]);
  const admitted = await api(stack, 'POST', '/v1/employers', {
    key: stack.adminKey,
    expect: 201,
    body: { name: 'Browser Uitzend BV', kvkNumber: '12312312', invoiceEmail: 'facturen@browser-uitzend.example.nl', address: { street: 'Plein 1', postalCode: '1011 AB', city: 'Amsterdam', country: 'NL' } },
  });
  employerId = admitted.json.employerId;
  await api(stack, 'POST', `/v1/employers/${employerId}/collective-registrations`, {
    key: admitted.json.apiKey,
    expect: 201,
    body: { employees: [...staff, risky].map((h, i) => ({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: `medewerker${i}.${run.toLowerCase()}@example.nl` })) },
  });

  // The stack's own table: this month's invoice, and the HR user's session.
  const info = readStackFile(stack.dataDir)!;
  process.env.DYNAMODB_ENDPOINT = info.dynamoEndpoint;
  process.env.TABLE_NAME = info.tableName;
  resetDb();
  const issued = await invoiceEmployerMonth(today().slice(0, 7), employerId, await loadTariffs());
  expect(issued.outcome).toBe('issued');
  invoiceNumber = (issued as { invoiceNumber: string }).invoiceNumber;
  const { id } = await createWebSession({ role: 'employer', ownerId: employerId, userId: 'usr_browser' });
  context = await site.newContext();
  await context.addCookies([{ name: 'pe_session', value: id, url: site.baseUrl }]);
}, 180_000);
afterAll(async () => {
  await site?.close();
});

async function mainText(page: Page): Promise<string> {
  return (await page.getByRole('main').innerText()).replace(/\s+/g, ' ');
}

/** The names in the staff table (the links to their history). */
async function listed(page: Page): Promise<string[]> {
  return page.locator('table a[href^="/werkgever/medewerkers/"]').allTextContents();
}

describe('the employer overview in the browser', () => {
  it('overview → at risk → an employee’s history → the report as CSV → an invoice PDF → settings', async () => {
    const page = await context.newPage();
    await visit(page, '/werkgever');
    await axeCheck(page);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Medewerkers');
    expect(await listed(page)).toHaveLength(10);
    const chart = page.getByRole('img', { name: /Aantal medewerkers per situatie/ });
    expect(await chart.count()).toBe(1);
    expect(await mainText(page)).toContain('Op schema 9 Met risico 1 Verlopen 0');

    // The filter: at risk.
    await chooseOption(page.getByLabel('Toon'), /Met risico/);
    await navigates(page, () => submitOf(page, page.getByLabel('Toon')).click());
    expect(pathOf(page)).toBe('/werkgever?status=at-risk');
    await axeCheck(page);
    expect(await listed(page)).toEqual(['J. Risicovol']);

    // Their history.
    await navigates(page, () => page.getByRole('link', { name: 'J. Risicovol' }).click());
    expect(pathOf(page)).toMatch(/^\/werkgever\/medewerkers\/par_[0-9A-Z]{26}$/);
    await axeCheck(page);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Historie van J. Risicovol');
    expect(await mainText(page)).toContain('Actief 0 van 12');

    // The report, downloaded as CSV.
    await navigates(page, () => page.getByRole('navigation', { name: 'Werkgever' }).getByRole('link', { name: 'Rapportage' }).click());
    expect(pathOf(page)).toBe('/werkgever/rapportage');
    await axeCheck(page);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Rapportage als CSV/ }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^rapportage-browser-uitzend-bv-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = readFileSync(await downloadedFile(csv), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(rows[0]).toMatch(/^Registratienummer;Naam;/);
    expect(rows).toHaveLength(11);

    // The invoice, downloaded as PDF.
    await navigates(page, () => page.getByRole('navigation', { name: 'Werkgever' }).getByRole('link', { name: 'Facturen' }).click());
    await axeCheck(page);
    expect(await mainText(page)).toContain(invoiceNumber);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: `PDF van ${invoiceNumber}` }).click()]);
    expect(pdf.suggestedFilename()).toBe(`factuur-${invoiceNumber}.pdf`);
    expect(readFileSync(await downloadedFile(pdf)).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // Settings: a mistake is shown at the top and beside the field; fixed, it is saved.
    await navigates(page, () => page.getByRole('navigation', { name: 'Werkgever' }).getByRole('link', { name: 'Instellingen' }).click());
    await axeCheck(page);
    await page.getByLabel('E-mailadres voor facturen').fill('geen-adres');
    await navigates(page, () => page.getByRole('button', { name: 'Opslaan' }).click());
    await axeCheck(page);
    expect(await page.getByRole('alert').first().innerText()).toContain('E-mailadres voor facturen is niet goed ingevuld');
    expect(await page.getByLabel('E-mailadres voor facturen').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('E-mailadres voor facturen').fill('crediteuren@browser-uitzend.example.nl');
    await page.getByLabel('Uw referentie op facturen').fill('PO-4711');
    await navigates(page, () => page.getByRole('button', { name: 'Opslaan' }).click());
    expect(pathOf(page)).toBe('/werkgever/instellingen?opgeslagen=1');
    await axeCheck(page);
    expect(await mainText(page)).toContain('De instellingen zijn opgeslagen.');
    expect(await page.getByLabel('Uw referentie op facturen').inputValue()).toBe('PO-4711');
    await page.close();
  }, 120_000);

  it('the colleagues page and the recognition request form: one h1, no axe-core violations', async () => {
    const page = await context.newPage();
    for (const path of ['/werkgever/gebruikers', '/werkgever/aanvragen/nieuw']) {
      await visit(page, path);
      expect(await page.getByRole('heading', { level: 1 }).count(), path).toBe(1);
      await axeCheck(page);
    }
  });

  it('the filter with the keyboard alone', async () => {
    const page = await context.newPage();
    await visit(page, '/werkgever');
    const select = page.getByLabel('Toon');
    // Tab from the top of the page to the filter (bounded: the page has a few dozen stops).
    for (let i = 0; i < 60 && !(await isFocused(select)); i++) await page.keyboard.press('Tab');
    expect(await isFocused(select)).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await select.inputValue()).toBe('at-risk');
    await page.keyboard.press('Tab');
    expect(await isFocused(page.getByRole('button', { name: 'Toon medewerkers' }))).toBe(true);
    await navigates(page, () => page.keyboard.press('Enter'));
    expect(pathOf(page)).toBe('/werkgever?status=at-risk');
    expect(await listed(page)).toEqual(['J. Risicovol']);
    // On to the history by keyboard too.
    const name = page.getByRole('link', { name: 'J. Risicovol' });
    for (let i = 0; i < 60 && !(await isFocused(name)); i++) await page.keyboard.press('Tab');
    expect(await isFocused(name)).toBe(true);
    await navigates(page, () => page.keyboard.press('Enter'));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Historie van J. Risicovol');
    await axeCheck(page);
    await page.close();
  }, 60_000);
});
