/**
 * A provider's planner in a real browser against `npm start` (issue 15, "Done when"): requests
 * recognition with the form (errors first; the form filled with the keyboard alone), the admin
 * approves it (through the API, as a fixture), adds a session and sees it in the catalogue,
 * reports attendance by pasted registration numbers, reads a webhook delivery and rotates the
 * key. axe-core on every page on the way. Paths and bold labels from WEB.md; the rest by role.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { api } from '../e2e/helpers';
import { createWebSession } from '../../shared/data/web-sessions';
import { getDiploma, getParticipant } from '../../shared/data/participants';
import { resetDb } from '../../shared/data/client';
import { STACK_FILE } from '../../infra/local/stack-file';
import { admitProvider, creditCompletion, daysFromToday, importDiplomas, today, type Holder, type Provider } from './fixtures';
import { axeCheck, isFocused, navigates, openSite, pathOf, visit, type Site } from './harness';

let site: Site;
let provider: Provider;
let context: BrowserContext;
let page: Page;

const run = Date.now().toString(36).toUpperCase();
const holder = (n: number, lastName: string): Holder => ({ diplomaNumber: `OPL-${run}-${n}`, initials: 'J.', lastName, birthDate: '1990-05-05', issuedOn: daysFromToday(-100) });
const holders = [holder(1, 'Presentie'), holder(2, 'Aanwezig'), holder(3, 'Webhook')];
const numbers: string[] = [];
const title = `Flexwet in de praktijk ${run}`;

beforeAll(async () => {
  site = await openSite();
  const { stack } = site;
  await importDiplomas(stack, holders);
  provider = await admitProvider(stack, 'Opleiders Browsertest', '66667777');
  // The stack's own table, for what only a sign-in would create: the provider user's web session.
  const info = JSON.parse(readFileSync(join(stack.dataDir, STACK_FILE), 'utf8')) as { dynamoEndpoint: string; tableName: string };
  process.env.DYNAMODB_ENDPOINT = info.dynamoEndpoint;
  process.env.TABLE_NAME = info.tableName;
  resetDb();
  for (const h of holders) numbers.push((await getParticipant((await getDiploma(h.diplomaNumber))!.participantId as string))!.registrationNumber as string);
  const { id } = await createWebSession({ role: 'provider', ownerId: provider.providerId, userId: `usr_${run}` });
  context = await site.newContext();
  await context.addCookies([{ name: 'pe_session', value: id, url: site.baseUrl }]);
  page = await context.newPage();
}, 180_000);
afterAll(async () => {
  await context?.close();
  await site?.close();
});

async function mainText(): Promise<string> {
  return (await page.getByRole('main').innerText()).replace(/\s+/g, ' ');
}

/** Tab (forward only) until `target` has the focus: the keyboard's way to a field. */
async function tabTo(target: ReturnType<Page['getByLabel']>, most = 12) {
  for (let presses = 0; !(await isFocused(target)); presses++) {
    if (presses >= most) throw new Error(`${most} presses of Tab did not reach ${target}`);
    await page.keyboard.press('Tab');
  }
}

let requestId: string;
let activityId: string;

describe('a provider in the browser', () => {
  it('opens the provider home with its menu', async () => {
    await visit(page, '/opleider');
    await axeCheck(page);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    for (const name of ['Erkenning aanvragen', 'Presentie melden', 'Koppeling (webhook)', 'Gebruikers']) {
      expect(await page.getByRole('navigation', { name: 'Wat wilt u doen?' }).getByRole('link', { name }).count(), name).toBe(1);
    }
    await navigates(page, () => page.getByRole('navigation', { name: 'Wat wilt u doen?' }).getByRole('link', { name: 'Erkenning aanvragen' }).click());
    expect(pathOf(page)).toBe('/opleider/aanvragen/nieuw');
    await axeCheck(page);
  });

  it('shows every bad field of an empty request at the top, linked to its field', async () => {
    await navigates(page, () => page.getByRole('button', { name: 'Aanvraag indienen' }).click());
    await axeCheck(page);
    const summary = page.getByRole('alert').filter({ hasText: 'Er is iets niet goed ingevuld' });
    expect(await summary.getByRole('link').count()).toBeGreaterThanOrEqual(8);
    await summary.getByRole('link', { name: 'Kies ten minste één onderwerp' }).click();
    expect(await isFocused(page.getByRole('checkbox').first())).toBe(true);
  });

  it('fills and submits the request with the keyboard alone', async () => {
    await visit(page, '/opleider/aanvragen/nieuw');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // the skip link
    await tabTo(page.getByLabel('Titel'), 20);
    await page.keyboard.type(title);
    await tabTo(page.getByLabel('Omschrijving', { exact: true }));
    await page.keyboard.type('De fasen, de ketenregeling en het gelijke loon.');
    await tabTo(page.getByLabel('Leerdoelen'));
    await page.keyboard.type('De deelnemer kent de fasen');
    await page.keyboard.press('Enter');
    await page.keyboard.type('De deelnemer past de ketenregeling toe');
    await tabTo(page.getByLabel('Soort activiteit'));
    await page.keyboard.type('Webinar');
    await tabTo(page.getByLabel('Aard'));
    await page.keyboard.type('Actualiserend');
    const topic = page.getByRole('checkbox', { name: /\(T02\)$/ });
    await tabTo(topic, 20);
    await page.keyboard.press('Space');
    await tabTo(page.getByLabel('Netto studietijd in minuten'), 20);
    await page.keyboard.type('120');
    await tabTo(page.getByLabel('Soort afronding'));
    await page.keyboard.type('Toets');
    await tabTo(page.getByLabel('Beschrijving van de afronding'));
    await page.keyboard.type('Tien vragen, zeven goed');
    expect(await page.getByLabel('Soort activiteit').inputValue()).toBe('webinar');
    expect(await page.getByLabel('Aard').inputValue()).toBe('updating');
    expect(await topic.isChecked()).toBe(true);
    await tabTo(page.getByRole('button', { name: 'Aanvraag indienen' }), 40);
    await navigates(page, () => page.keyboard.press('Enter'));
    const m = /^\/opleider\/aanvragen\/(req_[0-9A-Z]{26})\?ingediend=1$/.exec(pathOf(page));
    expect(m, pathOf(page)).not.toBeNull();
    requestId = m![1];
    expect(await mainText()).toContain('Ingediend, wacht op besluit');
    await axeCheck(page);
  });

  it('adds a session to the approved activity, and the catalogue shows it', async () => {
    const decided = await api(site.stack, 'POST', `/v1/recognition-requests/${requestId}/decision`, { key: site.stack.adminKey, expect: 200, body: { decision: 'approved' } });
    activityId = decided.json.activityId;
    await visit(page, '/opleider');
    await axeCheck(page);
    await navigates(page, () => page.locator(`a[href="/opleider/activiteiten/${activityId}"]`).click());
    expect(pathOf(page)).toBe(`/opleider/activiteiten/${activityId}`);
    await axeCheck(page);
    const add = page.getByRole('form', { name: 'Bijeenkomst toevoegen' });
    await add.getByLabel('Begindatum').fill(daysFromToday(14));
    await add.getByLabel('Plaats').fill('Amersfoort');
    await navigates(page, () => add.getByRole('button', { name: 'Bijeenkomst toevoegen' }).click());
    expect(await mainText()).toContain('De bijeenkomst is toegevoegd');
    await axeCheck(page);
    await visit(page, `/scholingskalender/${activityId}`);
    expect(await mainText()).toContain('Amersfoort');
    await axeCheck(page);
  });

  it('reports attendance by pasted registration numbers, with the outcome per row', async () => {
    await visit(page, '/opleider/presentie');
    await axeCheck(page);
    await page.getByLabel('Activiteit').selectOption({ label: title });
    await page.getByLabel('Datum', { exact: true }).fill(today());
    await page.getByLabel('Registratienummers').fill(`${numbers[0]}\n${numbers[1]}\nPE-000000`);
    await navigates(page, () => page.getByRole('button', { name: 'Presentie melden' }).click());
    await axeCheck(page);
    const table = page.getByRole('table', { name: 'Uitkomst per deelnemer' });
    expect(await table.getByRole('row').count()).toBe(4);
    const text = (await table.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain(`${numbers[0]}`);
    expect(text).toContain('Bijgeschreven: 2 punten');
    expect(text).toContain('Onbekende deelnemer');
  });

  it('shows a webhook delivery with its outcomes, and rotates the key: the secret once', async () => {
    await creditCompletion(site.stack, provider, activityId, holders[2].diplomaNumber, `browser-${run}`);
    await visit(page, '/opleider/koppeling');
    await axeCheck(page);
    expect(await mainText()).toContain(`/v1/webhooks/providers/${provider.providerId}/completions`);
    const deliveries = page.getByRole('table', { name: 'De laatste 50 meldingen aan de webhook, nieuwste eerst' });
    expect((await deliveries.innerText()).replace(/\s+/g, ' ')).toContain('1 bijgeschreven, 0 dubbel, 0 geweigerd');
    await deliveries.getByText('1 bijgeschreven').click();
    expect(await deliveries.getByText(`browser-${run}: bijgeschreven`).isVisible()).toBe(true);
    await axeCheck(page);
    await navigates(page, () => page.getByRole('button', { name: 'Nieuwe sleutel' }).click());
    await axeCheck(page);
    const secret = (await page.getByRole('main').locator('pre code').innerText()).trim();
    expect(secret).toMatch(/^whsec_/);
    expect(await mainText()).toContain('De vorige sleutel blijft werken tot');
    await visit(page, '/opleider/koppeling');
    expect(await page.content()).not.toContain(secret);
  });

  it('the colleagues page: one h1, no axe-core violations', async () => {
    await visit(page, '/opleider/gebruikers');
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await axeCheck(page);
  });
});
