/**
 * The register's staff in a real browser against `npm start` (issue 15 point 4, "Done when"):
 * work the review queue — open the oldest request, try Afwijzen without a Toelichting (the error
 * summary, its link to the field), then decide; decide the next one with the keyboard alone;
 * approve an activation claim (the link goes out to the claimed address); import a diploma CSV
 * with a bad row (every bad row shown, nothing written), then the corrected file; and axe-core
 * on every staff page on the way. Labels as WEB.md fixes them; other selectors go by role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api } from '../e2e/helpers';
import { admitProvider, importDiplomas, type Provider } from './fixtures';
import { axeCheck, isFocused, navigates, openSite, pathOf, signedInContext, visit, waitForLink, type Site } from './harness';

let site: Site;
let provider: Provider;
let staff: Page;
const run = Date.now().toString(36).toUpperCase();
const requests: { requestId: string; title: string }[] = [];
const claimant = { diplomaNumber: `STAFF-${run}-1`, initials: 'R.', lastName: 'Claimant', birthDate: '1979-09-09' };
const claimedAddress = `claimant.${run.toLowerCase()}@example.nl`;

async function submitRequest(title: string) {
  const res = await api(site.stack, 'POST', '/v1/recognition-requests', {
    key: provider.apiKey,
    expect: 201,
    body: {
      title,
      description: 'Over de fasen van de uitzendovereenkomst',
      learningGoals: ['Kent de fasen'],
      activityType: 'webinar',
      nature: 'updating',
      topics: ['T02'],
      netStudyMinutes: 120,
      completion: { type: 'test', description: 'Toets' },
    },
  });
  requests.push({ requestId: res.json.requestId, title });
}

/** A signed-in member of the staff: a session in the stack's own table, its cookie in the browser. */
async function staffPage(): Promise<Page> {
  return (await signedInContext(site, { role: 'admin', ownerId: 'admin' })).newPage();
}

async function mainText(page: Page): Promise<string> {
  return (await page.getByRole('main').innerText()).replace(/\s+/g, ' ');
}

/** Presses Tab until `target` has the focus (bounded), as someone without a mouse does. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

beforeAll(async () => {
  // The project's shared stack: other files' requests may be in the queue too, so the order is
  // asserted between this file's two (submitted one after the other).
  site = await openSite();
  provider = await admitProvider(site.stack, 'Academie Beheertest', '55556666');
  await submitRequest(`Oudste aanvraag ${run}`);
  await submitRequest(`Tweede aanvraag ${run}`);
  // A holder without an address on file asks to activate: an activation claim for the staff.
  await importDiplomas(site.stack, [claimant]);
  await api(site.stack, 'POST', '/v1/activations', { expect: 202, body: { diplomaNumber: claimant.diplomaNumber, birthDate: claimant.birthDate, email: claimedAddress } });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await api(site.stack, 'GET', '/v1/activation-claims', { key: site.stack.adminKey, expect: 200 });
    if (res.json.items.some((c: { diplomaNumber: string }) => c.diplomaNumber === claimant.diplomaNumber)) break;
    if (Date.now() > deadline) throw new Error('the activation claim did not appear');
    await new Promise((r) => setTimeout(r, 50));
  }
  staff = await staffPage();
}, 180_000);
afterAll(async () => {
  await site?.close();
});

describe('the staff in the browser', () => {
  it('work the review queue: the oldest first, Afwijzen without Toelichting is refused, then decided', async () => {
    await visit(staff, '/beheer');
    await axeCheck(staff);
    expect(await staff.getByRole('heading', { level: 1 }).count()).toBe(1);
    const queue = staff.getByRole('table', { name: /oudste eerst/ });
    const titles = await queue.getByRole('link').allInnerTexts();
    const [oldest, second] = requests.map((r) => titles.indexOf(r.title));
    expect(oldest, 'the oldest request is listed').toBeGreaterThanOrEqual(0);
    expect(second, 'the oldest request comes first').toBeGreaterThan(oldest);
    await navigates(staff, () => queue.getByRole('link', { name: requests[0].title, exact: true }).click());
    expect(pathOf(staff)).toBe(`/beheer/aanvragen/${requests[0].requestId}`);
    await axeCheck(staff);

    const besluit = staff.getByRole('group', { name: 'Besluit' });
    await besluit.getByLabel('Afwijzen').check();
    await navigates(staff, () => staff.getByRole('button', { name: 'Besluit vastleggen' }).click());
    const summary = staff.getByRole('alert').filter({ hasText: 'Toelichting' });
    expect(await summary.count()).toBe(1);
    expect(await besluit.getByLabel('Afwijzen').isChecked()).toBe(true);
    await axeCheck(staff);
    await summary.getByRole('link').click();
    expect(await isFocused(staff.getByLabel('Toelichting'))).toBe(true);

    await staff.getByLabel('Toelichting').fill('De leerdoelen zijn niet toetsbaar.');
    await navigates(staff, () => staff.getByRole('button', { name: 'Besluit vastleggen' }).click());
    expect(pathOf(staff)).toBe(`/beheer/aanvragen/${requests[0].requestId}?besloten=rejected`);
    const text = await mainText(staff);
    expect(text).toContain('Het besluit is vastgelegd: Afwijzen.');
    expect(text).toContain('De leerdoelen zijn niet toetsbaar.');
    await axeCheck(staff);
  });

  it('decides the next request with the keyboard alone', async () => {
    await visit(staff, '/beheer');
    const next = staff.getByRole('link', { name: requests[1].title });
    await tabTo(staff, next);
    await navigates(staff, () => staff.keyboard.press('Enter'));
    expect(pathOf(staff)).toBe(`/beheer/aanvragen/${requests[1].requestId}`);
    const approve = staff.getByRole('group', { name: 'Besluit' }).getByLabel('Goedkeuren');
    await tabTo(staff, approve);
    await staff.keyboard.press('Space');
    expect(await approve.isChecked()).toBe(true);
    const button = staff.getByRole('button', { name: 'Besluit vastleggen' });
    await tabTo(staff, button);
    await navigates(staff, () => staff.keyboard.press('Enter'));
    expect(pathOf(staff)).toBe(`/beheer/aanvragen/${requests[1].requestId}?besloten=approved`);
    expect(await mainText(staff)).toContain('Het besluit is vastgelegd: Goedkeuren.');
    // The activity is in the catalogue now.
    const activity = await api(site.stack, 'GET', `/v1/activities/act_${requests[1].requestId.slice(4)}`, { expect: 200 });
    expect(activity.json.title).toBe(requests[1].title);
  });

  it('approves an activation claim: the activation link goes to the claimed address', async () => {
    await visit(staff, '/beheer/activeringen');
    await axeCheck(staff);
    const row = staff.getByRole('row').filter({ hasText: claimant.diplomaNumber });
    await navigates(staff, () => row.getByRole('button', { name: 'Goedkeuren' }).click());
    expect(pathOf(staff)).toBe('/beheer/activeringen?besloten=approved');
    expect(await mainText(staff)).toContain('Goedgekeurd.');
    await axeCheck(staff);
    expect(await waitForLink(site.stack, claimedAddress, '/activeren')).toMatch(/token=/);
  });

  it('imports a diploma CSV: a bad row is shown and nothing is written, the corrected file is imported', async () => {
    await visit(staff, '/beheer/diplomas');
    await axeCheck(staff);
    const header = 'Diplomanummer;Diplomatype;Datum diploma;Voorletters;Tussenvoegsel;Achternaam;Geboortedatum;E-mailadres';
    const good = `IMP-${run}-1;uitzendprofessional;01-06-2021;L.;van;Dijk;03-03-1990;l.vandijk.${run.toLowerCase()}@example.nl`;
    const bad = `IMP-${run}-2;uitzendprofessional;31-02-2021;P.;;Peters;04-04-1991;`;
    await staff.getByLabel('Bestand').setInputFiles({ name: 'diplomas.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\r\n${good}\r\n${bad}\r\n`) });
    await navigates(staff, () => staff.getByRole('button', { name: 'Controleren en importeren' }).click());
    const errors = staff.getByRole('table', { name: 'Fouten per regel van het bestand' });
    expect(await errors.getByRole('row').count()).toBe(2);
    expect(await errors.innerText()).toMatch(/regel 3\s+Datum diploma/);
    await axeCheck(staff);
    // Nothing written: the good row is not in the register either.
    await visit(staff, `/beheer/deelnemers?q=IMP-${run}-1`);
    expect(await mainText(staff)).toContain('Niemand gevonden');
    await axeCheck(staff);

    await visit(staff, '/beheer/diplomas');
    await staff.getByLabel('Bestand').setInputFiles({ name: 'diplomas.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\r\n${good}\r\n${bad.replace('31-02-2021', '28-02-2021')}\r\n`) });
    await navigates(staff, () => staff.getByRole('button', { name: 'Controleren en importeren' }).click());
    const outcome = await mainText(staff);
    expect(outcome).toContain('Het bestand is geïmporteerd');
    expect(outcome).toMatch(/Nieuwe diploma’s 2/);
    await axeCheck(staff);
    await visit(staff, `/beheer/deelnemers?q=IMP-${run}-1`);
    await navigates(staff, () => staff.getByRole('link', { name: /Dijk/ }).click());
    expect(await mainText(staff)).toContain('Audittrail');
    await axeCheck(staff);
  });

  it('the other staff pages pass axe too: organisations, tariffs, jobs (with a dry run), English', async () => {
    for (const path of ['/beheer/organisaties', '/beheer/tarieven', '/beheer/taken', '/beheer/activeringen?status=rejected', '/beheer?lang=en']) {
      await visit(staff, path);
      expect(await staff.getByRole('heading', { level: 1 }).count()).toBe(1);
      await axeCheck(staff);
    }
    await visit(staff, '/beheer/taken?lang=nl');
    await navigates(staff, () => staff.getByRole('button', { name: 'Taak starten' }).click());
    expect(await mainText(staff)).toContain('Dit was een proefrun');
    await axeCheck(staff);
  });
});
