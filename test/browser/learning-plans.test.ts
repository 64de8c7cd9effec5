/**
 * Issue 16 part 2 in a real browser against `npm start`: an HR person makes a learning plan
 * (first with a mistake, shown in the error summary), puts an employee on it, and sees what the
 * employee's credited activity covers and what is still open — on /werkgever/leerlijnen and in
 * the overview's column. axe-core on every page. The employer, its staff, an approved activity
 * and a signed completion come through the stack's own API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { api } from '../e2e/helpers';
import { addDays } from '../../shared/domain/dates';
import { admitProvider, approvedActivity, creditCompletion, importDiplomas, setTariff, today, type Holder } from './fixtures';
import { axeCheck, chooseOption, fillDate, navigates, openSite, pathOf, signedInContext, submitOf, visit, type Site } from './harness';

let site: Site;
let context: BrowserContext;

const run = Date.now().toString(36).toUpperCase();
const staff: Holder[] = Array.from({ length: 10 }, (_, i) => ({ diplomaNumber: `LPB-${run}-${i + 1}`, initials: 'J.', lastName: `Leerling${i + 1}`, birthDate: '1991-03-03' }));

beforeAll(async () => {
  site = await openSite();
  const { stack } = site;
  await setTariff(stack);
  await importDiplomas(stack, staff);
  const admitted = await api(stack, 'POST', '/v1/employers', {
    key: stack.adminKey,
    expect: 201,
    body: { name: 'Leerlijn Uitzend BV', kvkNumber: '45645645', invoiceEmail: 'facturen@leerlijn.example.nl', address: { street: 'Plein 2', postalCode: '1011 AB', city: 'Amsterdam', country: 'NL' } },
  });
  const employerId = admitted.json.employerId as string;
  await api(stack, 'POST', `/v1/employers/${employerId}/collective-registrations`, {
    key: admitted.json.apiKey,
    expect: 201,
    body: { employees: staff.map((h, i) => ({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: `leerling${i}.${run.toLowerCase()}@example.nl` })) },
  });
  // The first employee completed an activity on privacy (T11) today.
  const provider = await admitProvider(stack, 'Leerlijn Academie', '78978978');
  const { activityId } = await approvedActivity(stack, provider, { title: 'AVG in de praktijk', description: 'Privacy bij werving en selectie', activityType: 'e-learning', topics: ['T11'], netStudyMinutes: 90 });
  await creditCompletion(stack, provider, activityId, staff[0].diplomaNumber, `lp-${run}`);
  context = await signedInContext(site, { role: 'employer', ownerId: employerId, userId: 'usr_lpbrowser' });
}, 180_000);
afterAll(async () => {
  await site?.close();
});

const mainText = async (page: Page) => (await page.getByRole('main').innerText()).replace(/\s+/g, ' ');

describe('learning plans in the browser', () => {
  it('make a plan, put an employee on it, see what is covered and what is open', async () => {
    const page = await context.newPage();
    await visit(page, '/werkgever/leerlijnen');
    await axeCheck(page);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Leerlijnen');
    expect(await mainText(page)).toContain('U heeft nog geen leerlijnen.');

    await navigates(page, () => page.getByRole('link', { name: 'Nieuwe leerlijn' }).click());
    expect(pathOf(page)).toBe('/werkgever/leerlijnen/plan');
    await axeCheck(page);
    const name = page.getByLabel('Naam', { exact: true });
    await page.getByLabel('Code', { exact: true }).fill('intercedenten');
    await page.getByLabel(/^T11 /).check();
    await page.getByLabel(/^T12 /).check();
    await chooseOption(page.getByLabel('Onderwerp (regel 1)', { exact: true }), /^T03 /);
    const before = addDays(today(), 60);
    await fillDate(page.getByLabel('Gedaan vóór (regel 1)', { exact: true }), before);
    await page.getByLabel('Reden (regel 1)', { exact: true }).fill('Nieuwe cao');
    // The name forgotten: the summary says so and leads to the field.
    await navigates(page, () => submitOf(page, name).click());
    await axeCheck(page);
    const summaryLink = page.locator('a[href="#name"]');
    expect(await summaryLink.count()).toBe(1);
    await summaryLink.click();
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true);
    await name.fill('Intercedenten');
    await navigates(page, () => submitOf(page, name).click());
    expect(pathOf(page)).toBe('/werkgever/leerlijnen?opgeslagen=1');
    await axeCheck(page);
    expect(await mainText(page)).toContain('De leerlijn is opgeslagen.');

    // Put the first employee on it.
    await chooseOption(page.getByLabel('Medewerker', { exact: true }), /^J\. Leerling1 \(/);
    await chooseOption(page.getByLabel('Leerlijn', { exact: true }), /^Intercedenten$/);
    await navigates(page, () => submitOf(page, page.getByLabel('Medewerker', { exact: true })).click());
    expect(pathOf(page)).toBe('/werkgever/leerlijnen?toegewezen=1');
    await axeCheck(page);
    const progress = page.getByRole('table', { name: /Open en gedane onderdelen/ });
    const row = (await progress.getByRole('row').filter({ hasText: /J\. Leerling1(?!\d)/ }).innerText()).replace(/\s+/g, ' ');
    expect(row).toContain('T12 Discriminatie en gelijke kansen in werving en selectie: in deze registratieperiode');
    expect(row).toContain('T03 Cao voor uitzendkrachten: uiterlijk');
    expect(row).toMatch(/T11 Privacy \(AVG\) in werving en selectie: in deze registratieperiode, gedaan op/);

    // The overview counts what is open.
    await navigates(page, () => page.getByRole('navigation', { name: 'Werkgever' }).getByRole('link', { name: 'Medewerkers', exact: true }).click());
    await axeCheck(page);
    const overviewRow = (await page.getByRole('row').filter({ hasText: /J\. Leerling1(?!\d)/ }).innerText()).replace(/\s+/g, ' ');
    expect(overviewRow).toContain('2 onderdelen open');
  }, 120_000);
});
