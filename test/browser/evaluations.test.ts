/**
 * Issue 16 part 3 in a real browser against `npm start`: a participant rates a credited activity
 * from the dossier with the keyboard alone (link, radio group, comment, submit), sees the
 * confirmation and the rating; the provider sees it on /opleider/evaluaties (and the activity's
 * own page), without the participant's name; the employer of the participant sees the activity
 * on /werkgever/evaluaties, without the comment. axe-core on every page on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { api } from '../e2e/helpers';
import { getDiploma } from '../../shared/data/participants';
import { resetDb } from '../../shared/data/client';
import { readStackFile } from '../../infra/local/stack-file';
import { admitProvider, approvedActivity, creditCompletion, daysFromToday, importDiplomas, type Holder, type Provider } from './fixtures';
import { axeCheck, isFocused, navigates, openSite, pathOf, signedInContext, visit, type Site } from './harness';

let site: Site;
let provider: Provider;
let employerId: string;
let participantId: string;
/** A second credited participant, who rates with JavaScript off. */
let secondId: string;
let activityId: string;
const contexts: BrowserContext[] = [];

const run = Date.now().toString(36).toUpperCase();
// Issued after 2023: registered on import, so the period runs and the completion is credited.
const staff: Holder[] = Array.from({ length: 10 }, (_, i) => ({ diplomaNumber: `EVA-${run}-${i}`, initials: 'M.', lastName: `Beoordelaar${i}`, birthDate: '1991-03-0' + ((i % 9) + 1), issuedOn: daysFromToday(-100) }));
const title = `Inlenersbeloning in de praktijk ${run}`;
const comment = 'Heldere voorbeelden uit de praktijk';

beforeAll(async () => {
  site = await openSite();
  const { stack } = site;
  await importDiplomas(stack, staff);
  const employer = await api(stack, 'POST', '/v1/employers', {
    key: stack.adminKey,
    expect: 201,
    body: { name: 'Evaluatie Uitzend BV', kvkNumber: '34343434', invoiceEmail: 'facturen@evaluatie.example.nl', address: { street: 'Plein 2', postalCode: '1011 AB', city: 'Amsterdam', country: 'NL' } },
  });
  employerId = employer.json.employerId;
  // Links the ten to the employer (their periods run already).
  await api(stack, 'POST', `/v1/employers/${employerId}/collective-registrations`, {
    key: employer.json.apiKey,
    expect: 201,
    body: { employees: staff.map((h, i) => ({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: `eva${i}.${run.toLowerCase()}@example.nl` })) },
  });
  provider = await admitProvider(stack, 'Evaluatie Opleidingen', '45454545');
  activityId = (await approvedActivity(stack, provider, { title, description: 'Wat de inlener betaalt, betaalt u ook', activityType: 'training', topics: ['T02'], netStudyMinutes: 120 })).activityId;
  await creditCompletion(stack, provider, activityId, staff[0].diplomaNumber, `eva-${run}`);
  await creditCompletion(stack, provider, activityId, staff[1].diplomaNumber, `eva-${run}-2`);

  // The stack's own table, for the participant's id (its session is made by the harness).
  const info = readStackFile(stack.dataDir)!;
  const saved = { endpoint: process.env.DYNAMODB_ENDPOINT, table: process.env.TABLE_NAME };
  process.env.DYNAMODB_ENDPOINT = info.dynamoEndpoint;
  process.env.TABLE_NAME = info.tableName;
  resetDb();
  try {
    participantId = (await getDiploma(staff[0].diplomaNumber))!.participantId as string;
    secondId = (await getDiploma(staff[1].diplomaNumber))!.participantId as string;
  } finally {
    process.env.DYNAMODB_ENDPOINT = saved.endpoint;
    process.env.TABLE_NAME = saved.table;
    resetDb();
  }
}, 180_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await site?.close();
});

async function pageAs(subject: Parameters<typeof signedInContext>[1], options?: Parameters<typeof signedInContext>[2]): Promise<Page> {
  const context = await signedInContext(site, subject, options);
  contexts.push(context);
  return context.newPage();
}

const mainText = async (page: Page) => (await page.getByRole('main').innerText()).replace(/\s+/g, ' ');

/** Tab (forward only) until `target` has the focus: the keyboard's way to a control. */
async function tabTo(page: Page, target: Locator, most = 40) {
  for (let presses = 0; !(await isFocused(target)); presses++) {
    if (presses >= most) throw new Error(`${most} presses of Tab did not reach ${target}`);
    await page.keyboard.press('Tab');
  }
}

describe('evaluations in the browser', () => {
  let page: Page;

  it('the dossier links each credited activity to its rating page; the keyboard follows it', async () => {
    page = await pageAs({ role: 'participant', ownerId: participantId });
    await visit(page, '/dossier');
    await axeCheck(page);
    const link = page.getByRole('link', { name: `Beoordelen (${title})` });
    await tabTo(page, link, 60);
    await navigates(page, () => page.keyboard.press('Enter'));
    expect(pathOf(page)).toMatch(/^\/dossier\/beoordelen\/crd_/);
    await axeCheck(page);
    expect(await page.getByRole('group', { name: 'Uw beoordeling' }).count()).toBe(1);
  });

  it('sent without a rating: the error next to the group and at the top', async () => {
    await tabTo(page, page.getByRole('button', { name: 'Beoordeling versturen' }));
    await navigates(page, () => page.keyboard.press('Enter'));
    expect(await page.locator('#rating-fout').count()).toBe(1);
    await axeCheck(page);
  });

  it('rated with the keyboard (arrows in the group, the comment typed): the dossier confirms and shows the rating', async () => {
    // Tab into the group (its first choice), arrows to 4, Tab to the comment, type, Tab to send.
    await tabTo(page, page.getByRole('radio', { name: '1 – slecht' }));
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: '4 – goed' }).isChecked()).toBe(true);
    await tabTo(page, page.getByLabel('Toelichting (niet verplicht)'));
    await page.keyboard.type(comment);
    await tabTo(page, page.getByRole('button', { name: 'Beoordeling versturen' }));
    await navigates(page, () => page.keyboard.press('Enter'));

    expect(pathOf(page)).toBe('/dossier?beoordeeld=1');
    const text = await mainText(page);
    expect(text).toContain('Dank u wel. Uw beoordeling is opgeslagen.');
    expect(text).toContain('Uw beoordeling: 4 van 5');
    expect(await page.getByRole('link', { name: `Beoordelen (${title})` }).count()).toBe(0);
    await axeCheck(page);
  });

  it('the provider sees the rating and the comment, without the participant', async () => {
    const page = await pageAs({ role: 'provider', ownerId: provider.providerId, userId: `usr_eva_${run}` });
    await visit(page, '/opleider');
    await navigates(page, () => page.getByRole('navigation', { name: 'Wat wilt u doen?' }).getByRole('link', { name: 'Evaluaties' }).click());
    expect(pathOf(page)).toBe('/opleider/evaluaties');
    await axeCheck(page);
    const text = await mainText(page);
    expect(text).toContain(title);
    expect(text).toContain('Gemiddelde 4,0 van 5');
    expect(text).toContain('Aantal beoordelingen 1');
    expect(text).toContain(comment);
    expect(text).not.toContain('Beoordelaar0');

    await visit(page, `/opleider/evaluaties/${activityId}`);
    await axeCheck(page);
    expect(await mainText(page)).toContain(comment);
  });

  it('the employer sees the activity its employee rated, not the comment; the public page no average below 5', async () => {
    const page = await pageAs({ role: 'employer', ownerId: employerId, userId: `usr_eva_emp_${run}` });
    await visit(page, '/werkgever/evaluaties');
    await axeCheck(page);
    const text = await mainText(page);
    expect(text).toContain(title);
    expect(text).toContain('Minder dan 5 beoordelingen');
    expect(text).not.toContain(comment);

    await visit(page, `/scholingskalender/${activityId}`);
    await axeCheck(page);
    const shown = await mainText(page);
    expect(shown).toContain('Minder dan 5 beoordelingen');
    expect(shown).not.toContain(comment);
  });
});

describe('evaluations with JavaScript off', () => {
  it('rates through the plain link and form post, and the dossier confirms it', async () => {
    const page = await pageAs({ role: 'participant', ownerId: secondId }, { javaScriptEnabled: false });
    await visit(page, '/dossier');
    await navigates(page, () => page.getByRole('link', { name: `Beoordelen (${title})` }).click());
    expect(pathOf(page)).toMatch(/^\/dossier\/beoordelen\/crd_/);
    // Without a rating: the error, from the server.
    await navigates(page, () => page.getByRole('button', { name: 'Beoordeling versturen' }).click());
    expect(await page.locator('#rating-fout').count()).toBe(1);
    await page.getByRole('radio', { name: '5 – uitstekend' }).check();
    await navigates(page, () => page.getByRole('button', { name: 'Beoordeling versturen' }).click());
    expect(pathOf(page)).toBe('/dossier?beoordeeld=1');
    const text = await mainText(page);
    expect(text).toContain('Dank u wel. Uw beoordeling is opgeslagen.');
    expect(text).toContain('Uw beoordeling: 5 van 5');
  });
});
