/**
 * A participant's journey in a real browser against `npm start` (issue 14, "Done when"): the
 * activation form, the link from the e-mail to the dossier, renewal, the invoice PDF, signing out
 * and in again; the same activation with JavaScript off and with the keyboard alone; forged posts
 * without the CSRF token; and axe-core on every page on the way. Written against WEB.md (paths
 * and bold labels); other selectors go by role.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { waitForMails, repoRoot } from '../e2e/helpers';
import { addDays, addYears } from '../../shared/domain/dates';
import { formatDate } from '../../shared/i18n';
import { admitProvider, approvedActivity, creditCompletion, importDiplomas, setTariff, today, type Holder, type Provider } from './fixtures';
import { axeCheck, fillDate, isFocused, navigates, openSite, pathOf, submitOf, visit, waitForLink, type Site, downloadedFile } from './harness';

let site: Site;
let provider: Provider;
let fullDay: { activityId: string; points: number };

const run = Date.now().toString(36);
const holder = (n: number, lastName: string): Holder & { email: string } => ({
  diplomaNumber: `BRW-${run}-${n}`.toUpperCase(),
  initials: 'M.',
  prefix: 'de',
  lastName,
  birthDate: '1988-03-03',
  email: `${lastName.toLowerCase()}.${run}@example.nl`,
});
const mouse = holder(1, 'Muis');
const noScript = holder(2, 'Zonderscript');
const keyboard = holder(3, 'Toetsenbord');

beforeAll(async () => {
  site = await openSite();
  const { stack } = site;
  await setTariff(stack);
  await importDiplomas(stack, [mouse, noScript, keyboard]);
  provider = await admitProvider(stack, 'Academie Browsertest', '44445555');
  // 720 net minutes: 12 points, a whole period's worth in one completion.
  fullDay = await approvedActivity(stack, provider, {
    title: 'Waadi en de uitzendovereenkomst, de hele dag',
    description: 'Registratieplicht, terbeschikkingstelling en de fasen van de uitzendovereenkomst',
    activityType: 'training',
    topics: ['T02', 'T05'],
    netStudyMinutes: 720,
  });
  expect(fullDay.points).toBe(12);
}, 180_000);
afterAll(async () => {
  await site?.close();
});

/** The period that starts today (activation) has its last valid day two years on, minus one. */
const lastValidDay = (startsOn: string) => addDays(addYears(startsOn, 2), -1);

async function mainText(page: Page): Promise<string> {
  return (await page.getByRole('main').innerText()).replace(/\s+/g, ' ');
}

/** Fills /activeren with the mouse (labels of WEB.md) and submits; returns the confirmation's text. */
async function askActivation(page: Page, h: Holder & { email: string }, birthDate = h.birthDate): Promise<string> {
  await visit(page, '/activeren');
  await page.getByLabel('Diplomanummer').fill(h.diplomaNumber);
  await fillDate(page.getByLabel('Geboortedatum'), birthDate);
  await page.getByLabel('E-mailadres').fill(h.email);
  await navigates(page, () => submitOf(page, page.getByLabel('E-mailadres')).click());
  expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
  return mainText(page);
}

/** What every participant's dossier shows right after activation (WEB.md "/dossier"). */
async function expectFreshDossier(page: Page, withProgressValue = true) {
  expect(pathOf(page)).toBe('/dossier');
  expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
  const text = await mainText(page);
  expect(text).toContain('Register-Uitzendprofessional');
  expect(text).toMatch(/\b0 van 12 punten\b/);
  expect(text).toContain(formatDate('nl', lastValidDay(today())));
  const bar = page.getByRole('progressbar');
  expect(await bar.count()).toBe(1);
  if (withProgressValue) {
    // A native <progress> (or an ARIA progressbar) out of 12.
    const [value, max] = await bar.evaluate((el) =>
      el instanceof HTMLProgressElement ? [el.value, el.max] : [Number(el.getAttribute('aria-valuenow')), Number(el.getAttribute('aria-valuemax'))],
    );
    expect([value, max]).toEqual([0, 12]);
  }
}

describe('a participant in the browser (mouse, JavaScript on)', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await site.newContext();
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('activates from the e-mail link: form → the same confirmation whatever the match → mail → link → dossier', async () => {
    await visit(page, '/activeren');
    await axeCheck(page);
    // A wrong birth date first: the same confirmation, and no mail.
    const unmatched = await askActivation(page, mouse, '1990-01-01');
    const matched = await askActivation(page, mouse);
    await axeCheck(page);
    expect(matched).toBe(unmatched);

    const link = await waitForLink(site.stack, mouse.email, '/activeren');
    expect(new URL(link).origin).toBe(site.baseUrl);
    await visit(page, link);
    await page.waitForURL('**/dossier');
    await expectFreshDossier(page);
    await axeCheck(page);
    // One activation mail: the unmatched request sent nothing.
    expect((await waitForMails(site.stack, mouse.email)).filter((m) => m.body.text?.includes('/activeren?token='))).toHaveLength(1);
  });

  it('downloads the invoice of the new period as a PDF from the dossier', async () => {
    const mails = await waitForMails(site.stack, mouse.email, 2);
    const invoiceNumber = /PE-\d{4}-\d{6}/.exec(mails.map((m) => m.subject).join(' '))?.[0];
    expect(invoiceNumber).toBeDefined();
    await visit(page, '/dossier');
    expect(await mainText(page)).toContain(invoiceNumber!);
    // The contract's path of a participant's invoice (shared/routes.ts, page-invoice-pdf).
    const pdfLink = page.getByRole('main').locator('a[href^="/dossier/facturen/"]');
    expect(await pdfLink.count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), pdfLink.click()]);
    const file = readFileSync(await downloadedFile(download));
    expect(file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/i);
  });

  it('renews once the period holds 12 points: Verlengen → confirm → the next period shows', async () => {
    await visit(page, '/dossier');
    // Not renewable with 0 points.
    const renew = page.getByRole('main').getByRole('link', { name: 'Verlengen' }).or(page.getByRole('main').getByRole('button', { name: 'Verlengen' }));
    expect(await renew.count()).toBe(0);

    await creditCompletion(site.stack, provider, fullDay.activityId, mouse.diplomaNumber, `brw-${run}-1`);
    await page.reload();
    const credited = await mainText(page);
    expect(credited).toMatch(/\b12 van 12 punten\b/);
    expect(credited).toContain('Waadi en de uitzendovereenkomst, de hele dag');

    await navigates(page, () => renew.first().click());
    expect(pathOf(page)).toBe('/dossier/verlengen');
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await axeCheck(page);
    const nextStartsOn = addYears(today(), 2);
    await navigates(page, () => page.getByRole('main').getByRole('button').click());
    await page.waitForURL((url) => url.pathname === '/dossier');
    const renewed = await mainText(page);
    expect(renewed).toContain(formatDate('nl', lastValidDay(nextStartsOn)));
    // Renewing twice is refused: the button is gone.
    expect(await renew.count()).toBe(0);
    await axeCheck(page);

    // The README's picture of the dossier, 1280 wide, the whole page: only when asked
    // (`PE_SCREENSHOTS=1 npm test -- --project browser`), so a test run leaves the tree as it was.
    if (process.env.PE_SCREENSHOTS) await page.screenshot({ path: `${repoRoot}/docs/dossier.png`, fullPage: true });
  });

  it('refuses forged posts without the CSRF token with 403 and changes nothing', async () => {
    await visit(page, '/dossier');
    const before = await mainText(page);

    // With the session cookie (same browser) but without the token, or with a made-up one from another origin.
    expect((await page.request.post('/uitloggen', { form: {}, maxRedirects: 0 })).status()).toBe(403);
    expect((await page.request.post('/uitloggen', { form: { csrf: 'nagemaakt' }, headers: { origin: 'http://evil.example' }, maxRedirects: 0 })).status()).toBe(403);
    expect((await page.request.post('/dossier/verlengen', { form: {}, maxRedirects: 0 })).status()).toBe(403);

    // A page on another site that posts to ours (sign-out, and a settings change of the dossier).
    const evil = await context.newPage();
    await evil.route('http://evil.example/**', (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<!DOCTYPE html><html lang="en"><head><title>Win a prize</title></head><body><main>
          <form method="post" action="${site.baseUrl}/uitloggen"><button>Sign out</button></form>
          <form method="post" action="${site.baseUrl}/dossier"><input type="hidden" name="language" value="en"><input type="hidden" name="csrf" value="nagemaakt"><button>Claim</button></form>
        </main></body></html>`,
      }),
    );
    for (const button of ['Sign out', 'Claim']) {
      await evil.goto('http://evil.example/');
      const [response] = await Promise.all([
        evil.waitForResponse((r) => r.url().startsWith(site.baseUrl) && r.request().method() === 'POST'),
        evil.getByRole('button', { name: button }).click(),
      ]);
      expect(response.status()).toBe(403);
      await evil.waitForURL(`${site.baseUrl}/**`);
      expect(await evil.getByRole('heading', { level: 1 }).innerText()).toBe('Niet toegestaan');
    }
    await axeCheck(evil);
    await evil.close();

    // Still signed in, and the dossier is as it was.
    await visit(page, '/dossier');
    expect(pathOf(page)).toBe('/dossier');
    expect(await mainText(page)).toBe(before);
  });

  it('signs out with Uitloggen (the dossier then asks to sign in) and in again by e-mail link', async () => {
    await visit(page, '/dossier');
    await navigates(page, () => page.getByRole('button', { name: 'Uitloggen' }).click());
    await page.goto('/dossier');
    expect(pathOf(page)).toMatch(/^\/inloggen(\?|$)/);

    await axeCheck(page);
    await page.getByLabel('E-mailadres').fill(mouse.email);
    await navigates(page, () => submitOf(page, page.getByLabel('E-mailadres')).click());
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await axeCheck(page);

    const link = await waitForLink(site.stack, mouse.email, '/inloggen');
    await visit(page, link);
    await page.waitForURL('**/dossier');
    expect(await mainText(page)).toMatch(/\b12 van 12 punten\b/);
    // The link was for one use: a second visit does not sign anyone in.
    const other = await site.newPage();
    await other.goto(link);
    await other.goto('/dossier');
    expect(pathOf(other)).toMatch(/^\/inloggen(\?|$)/);
    await other.context().close();
  });
});

describe('the same activation with JavaScript off', () => {
  it('activates through plain form posts and links and shows the dossier', async () => {
    const context = await site.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await askActivation(page, noScript);
    const link = await waitForLink(site.stack, noScript.email, '/activeren');
    await visit(page, link);
    await page.waitForURL('**/dossier');
    await expectFreshDossier(page, false);
    // Signing out is a plain form post too.
    await navigates(page, () => page.getByRole('button', { name: 'Uitloggen' }).click());
    await page.goto('/dossier');
    expect(pathOf(page)).toMatch(/^\/inloggen(\?|$)/);
    await context.close();
  });
});

describe('with the keyboard alone', () => {
  it('reaches the skip link first, then fills and submits the activation form with Tab and Enter', async () => {
    const context = await site.newContext();
    const page = await context.newPage();
    await visit(page, '/activeren');
    await page.keyboard.press('Tab');
    expect(await isFocused(page.getByRole('link', { name: 'Naar de inhoud' }))).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/#inhoud$/);
    expect(await isFocused(page.getByRole('main'))).toBe(true);

    // From the main content, Tab reaches the fields in the order of the form.
    const tabTo = async (label: string, most: number) => {
      const field = page.getByLabel(label);
      for (let presses = 0; !(await isFocused(field)); presses++) {
        if (presses >= most) throw new Error(`${most} presses of Tab did not reach the field ${label}`);
        await page.keyboard.press('Tab');
      }
    };
    await tabTo('Diplomanummer', 10);
    await page.keyboard.type(keyboard.diplomaNumber);
    await tabTo('Geboortedatum', 1);
    // Day and month are equal (03-03), so the digits fit a date field whatever order the browser's
    // locale gives its segments (headless Chromium shows mm/dd/jjjj), and a text field the Dutch way.
    const birth = page.getByLabel('Geboortedatum');
    const [y, m, d] = keyboard.birthDate.split('-');
    expect(m).toBe(d);
    await page.keyboard.type((await birth.getAttribute('type')) === 'date' ? `${d}${m}${y}` : `${d}-${m}-${y}`);
    expect(await birth.inputValue()).toMatch(/^(1988-03-03|03-03-1988)$/);
    // A date field has a stop of its own (the calendar button) before the next field.
    await tabTo('E-mailadres', 2);
    await page.keyboard.type(keyboard.email);
    await navigates(page, () => page.keyboard.press('Enter'));

    const link = await waitForLink(site.stack, keyboard.email, '/activeren');
    await visit(page, link);
    await page.waitForURL('**/dossier');
    await expectFreshDossier(page);
    await context.close();
  });
});
