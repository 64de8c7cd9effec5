/**
 * An HR person's journey in a real browser against `npm start` (issue 15 points 2 and 6): upload
 * the staff's CSV with bad rows (the table names them, nobody is registered), then the corrected
 * file (the outcome per employee), then credit the employer's internal activity to two of them.
 * axe-core on every page on the way. Paths and bold labels from WEB.md; other selectors by role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api } from '../e2e/helpers';
import { readStackFile } from '../../infra/local/stack-file';
import { resetDb } from '../../shared/data/client';
import { createWebSession } from '../../shared/data/web-sessions';
import { importDiplomas, setTariff, today, type Holder } from './fixtures';
import { axeCheck, fillDate, navigates, openSite, pathOf, visit, type Site } from './harness';

let site: Site;
let employerId: string;
let activityId: string;
let page: Page;

const run = Date.now().toString(36).toUpperCase();
const staff: (Holder & { email: string })[] = Array.from({ length: 10 }, (_, i) => ({
  diplomaNumber: `HR-${run}-${i}`,
  initials: 'J.',
  lastName: `Medewerker${i}`,
  birthDate: '1990-04-0' + ((i % 9) + 1),
  email: `medewerker${i}.${run.toLowerCase()}@example.nl`,
}));
const dutch = (iso: string) => iso.split('-').reverse().join('-');
const csv = (rows: string[][]) => Buffer.from(`\uFEFFDiplomanummer;Geboortedatum;E-mailadres\r\n${rows.map((r) => r.join(';')).join('\r\n')}\r\n`, 'utf8');
const good = () => staff.map((h) => [h.diplomaNumber, dutch(h.birthDate), h.email]);

/** A web session in the stack's own DynamoDB, as the employer user's sign-in would make it. */
async function employerSession(dataDir: string, ownerId: string): Promise<string> {
  const info = readStackFile(dataDir);
  if (!info) throw new Error('the stack file is missing');
  const saved = { endpoint: process.env.DYNAMODB_ENDPOINT, table: process.env.TABLE_NAME };
  process.env.DYNAMODB_ENDPOINT = info.dynamoEndpoint;
  process.env.TABLE_NAME = info.tableName;
  resetDb();
  try {
    return (await createWebSession({ role: 'employer', ownerId, userId: `usr_browser_${run.toLowerCase()}` })).id;
  } finally {
    process.env.DYNAMODB_ENDPOINT = saved.endpoint;
    process.env.TABLE_NAME = saved.table;
    resetDb();
  }
}

async function mainText(p: Page): Promise<string> {
  return (await p.getByRole('main').innerText()).replace(/\s+/g, ' ');
}

/** The body rows of the table with this caption, cell texts trimmed. */
async function tableRows(p: Page, caption: string): Promise<string[][]> {
  const table = p.locator('table').filter({ has: p.locator('caption', { hasText: caption }) });
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
}

beforeAll(async () => {
  site = await openSite();
  const { stack } = site;
  await setTariff(stack);
  await importDiplomas(stack, staff.map(({ email: _email, ...h }) => h));
  const employer = await api(stack, 'POST', '/v1/employers', {
    key: stack.adminKey,
    expect: 201,
    body: { name: 'Uitzendbureau Browsertest', kvkNumber: '66667777', invoiceEmail: 'facturen@browsertest.example.nl', address: { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' } },
  });
  employerId = employer.json.employerId;
  // The internal activity, through the API: the employer's request, approved by the admin.
  const submitted = await api(stack, 'POST', '/v1/recognition-requests', {
    key: employer.json.apiKey,
    expect: 201,
    body: {
      title: 'Veilig werken met heftrucks',
      description: 'Interne training in het eigen magazijn',
      learningGoals: ['Kent de veiligheidsregels voor heftrucks'],
      activityType: 'training',
      nature: 'updating',
      topics: ['T02'],
      netStudyMinutes: 120,
      completion: { type: 'test', description: 'Praktijktoets' },
      internal: true,
    },
  });
  const decided = await api(stack, 'POST', `/v1/recognition-requests/${submitted.json.requestId}/decision`, { key: stack.adminKey, expect: 200, body: { decision: 'approved' } });
  activityId = decided.json.activityId;
  const context = await site.newContext();
  await context.addCookies([{ name: 'pe_session', value: await employerSession(stack.dataDir, employerId), url: site.baseUrl }]);
  page = await context.newPage();
}, 180_000);
afterAll(async () => {
  await site?.close();
});

describe('an HR person registers their staff from a file and credits an internal activity', () => {
  it('a file with bad rows: every bad row in a table, nobody registered', async () => {
    await visit(page, '/werkgever/registreren');
    await axeCheck(page);
    const rows = good();
    rows[1] = [rows[1][0], '31-02-1990', rows[1][2]];
    rows[6] = ['ONBEKEND-1', rows[6][1], rows[6][2]];
    await page.getByLabel('Bestand').setInputFiles({ name: 'medewerkers.csv', mimeType: 'text/csv', buffer: csv(rows) });
    await navigates(page, () => page.getByRole('button', { name: 'Registreren' }).click());

    expect(await mainText(page)).toContain('Er is niemand geregistreerd');
    expect(await tableRows(page, 'Fouten in het bestand')).toEqual([
      ['3', 'Geboortedatum', '31-02-1990 is geen geldige datum (dd-mm-jjjj)'],
      ['8', 'Diplomanummer', `Geen diploma met nummer ONBEKEND-1 en geboortedatum ${rows[6][1]} in het register`],
    ]);
    await axeCheck(page);
  });

  it('the corrected file: the outcome per employee', async () => {
    await page.getByLabel('Bestand').setInputFiles({ name: 'medewerkers.csv', mimeType: 'text/csv', buffer: csv(good()) });
    await navigates(page, () => page.getByRole('button', { name: 'Registreren' }).click());

    expect(pathOf(page)).toMatch(/^\/werkgever\/registreren\?registratie=col_/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Uw werknemers zijn geregistreerd');
    const rows = await tableRows(page, 'Resultaat per werknemer');
    expect(rows.map((r) => [r[1], r[3]]).sort()).toEqual(staff.map((h) => [h.diplomaNumber, 'Geregistreerd (nieuwe periode, op uw factuur)']).sort());
    expect(rows.every((r) => /\S/.test(r[2]))).toBe(true);
    await axeCheck(page);
  });

  it('credits the internal activity to two employees; a second time they are duplicates', async () => {
    await visit(page, '/werkgever/activiteiten');
    await axeCheck(page);
    await navigates(page, () => page.getByRole('link', { name: 'Toekennen: Veilig werken met heftrucks' }).click());
    expect(pathOf(page)).toBe(`/werkgever/activiteiten/${activityId}/toekennen`);
    await axeCheck(page);

    await fillDate(page.getByLabel('Datum'), today());
    await page.getByLabel(/Medewerker0\b/).check();
    await page.getByLabel(/Medewerker1\b/).check();
    await navigates(page, () => page.getByRole('button', { name: 'Toekennen' }).click());

    const outcome = await tableRows(page, 'Resultaat per werknemer');
    expect(outcome.map((r) => [r[0].replace(/^J\. /, ''), r[2]])).toEqual([
      ['Medewerker0', 'Toegekend (2 punten)'],
      ['Medewerker1', 'Toegekend (2 punten)'],
    ]);
    await axeCheck(page);

    await navigates(page, () => page.getByRole('link', { name: 'Nog eens toekennen' }).click());
    await fillDate(page.getByLabel('Datum'), today());
    await page.getByLabel(/Medewerker0\b/).check();
    await page.getByLabel(/Medewerker1\b/).check();
    await navigates(page, () => page.getByRole('button', { name: 'Toekennen' }).click());
    expect((await tableRows(page, 'Resultaat per werknemer')).map((r) => r[2])).toEqual(['Was al toegekend; geen extra punten', 'Was al toegekend; geen extra punten']);
  });
});
