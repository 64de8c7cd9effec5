/**
 * The public pages in a real browser against `npm start` (WEB.md): the home page, the register
 * search (`de Vries` finds M. de Vries) and one entry, the catalogue narrowed by each of its
 * filters and one activity, and English through the language switch, remembered on the next
 * page; axe-core on every page on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatDate } from '../../shared/i18n';
import { api } from '../e2e/helpers';
import { admitProvider, approvedActivity, daysFromToday, importDiplomas } from './fixtures';
import { axeCheck, chooseOption, fillDate, htmlLang, navigates, openSite, pathOf, submitOf, visit, type Site } from './harness';

let site: Site;
let page: Page;
let registrationNumber: string;
const activity: Record<'waadi' | 'privacy' | 'cao', { activityId: string; title: string }> = {} as never;
const sessions = { privacy: daysFromToday(10), waadi: daysFromToday(30), cao: daysFromToday(60) };

beforeAll(async () => {
  // The project's shared stack: the names, diploma numbers and providers here are used by no
  // other file, and the catalogue's assertions look only at this file's activities.
  site = await openSite();
  const { stack } = site;
  // Diplomas from 2023 on are registered at import, from their issue date: in the register at once.
  await importDiplomas(stack, [
    { diplomaNumber: 'BRW-PUB-1', initials: 'M.', prefix: 'de', lastName: 'Vries', birthDate: '1990-05-05', issuedOn: daysFromToday(-30) },
    { diplomaNumber: 'BRW-PUB-2', initials: 'A.', prefix: 'de', lastName: 'Boer', birthDate: '1985-08-08', issuedOn: daysFromToday(-30) },
  ]);
  const found = await api(stack, 'GET', '/v1/register?lastName=Vries', { expect: 200 });
  registrationNumber = found.json.items[0].registrationNumber;

  const noord = await admitProvider(stack, 'Academie Noord', '11112222');
  const zuid = await admitProvider(stack, 'Opleidingen Zuid', '33334444');
  const add = async (key: keyof typeof activity, provider: typeof noord, spec: Omit<Parameters<typeof approvedActivity>[2], 'sessions'> & { location?: string }) => {
    const { activityId } = await approvedActivity(stack, provider, { ...spec, sessions: [{ startsOn: sessions[key], location: spec.location }] });
    activity[key] = { activityId, title: spec.title };
  };
  await add('waadi', noord, { title: 'Waadi in de praktijk', description: 'Registratieplicht en terbeschikkingstelling', activityType: 'webinar', topics: ['T05'], netStudyMinutes: 150 });
  await add('privacy', noord, { title: 'Privacy bij werving en selectie', description: 'De AVG bij het werven van flexkrachten', activityType: 'e-learning', topics: ['T11'], netStudyMinutes: 90 });
  await add('cao', zuid, { title: 'De cao voor uitzendkrachten', description: 'Fasen, beloning en pensioen', activityType: 'training', topics: ['T03'], netStudyMinutes: 240, location: 'Utrecht' });

  page = await (await site.newContext()).newPage();
}, 180_000);
afterAll(async () => {
  await site?.close();
});

async function mainText(p: Page = page): Promise<string> {
  return (await p.getByRole('main').innerText()).replace(/\s+/g, ' ');
}

/** The titles of the catalogue's activities now listed (links to their pages). */
async function listed(): Promise<string[]> {
  const titles = Object.values(activity).map((a) => a.title);
  const shown: string[] = [];
  for (const title of titles) if (await page.getByRole('main').getByRole('link', { name: title }).count()) shown.push(title);
  return shown.sort();
}

describe('the public pages', () => {
  it('home: one h1, links to the register, the catalogue, activation and sign-in, no axe-core violations', async () => {
    await visit(page, '/');
    expect(await htmlLang(page)).toBe('nl');
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    const hrefs = await page.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(expect.arrayContaining(['/register', '/scholingskalender', '/activeren', '/inloggen']));
    await axeCheck(page);
  });

  it('register: "de Vries" finds M. de Vries (and not A. de Boer); the entry shows name, title and validity', async () => {
    await visit(page, '/register');
    await axeCheck(page);
    const field = page.getByLabel('Naam of registratienummer');
    await field.fill('de Vries');
    await navigates(page, () => submitOf(page, field).click());
    expect(pathOf(page)).toMatch(/^\/register\?/);
    const results = await mainText(page);
    expect(results).toContain('M. de Vries');
    expect(results).not.toContain('A. de Boer');
    // What was typed stays in the field.
    expect(await page.getByLabel('Naam of registratienummer').inputValue()).toBe('de Vries');
    await axeCheck(page);

    await navigates(page, () => page.getByRole('main').getByRole('link', { name: /M\. de Vries/ }).first().click());
    expect(pathOf(page)).toBe(`/register/${registrationNumber}`);
    const entry = await mainText(page);
    expect(entry).toContain('M. de Vries');
    expect(entry).toContain('Register-Uitzendprofessional');
    expect(entry).toContain(registrationNumber);
    // Nothing else (WEB.md, SPEC "Public register"): no birth date.
    expect(entry).not.toContain(formatDate('nl', '1990-05-05'));
    await axeCheck(page);

    // The registration number finds the same person.
    await visit(page, '/register');
    await page.getByLabel('Naam of registratienummer').fill(registrationNumber);
    await navigates(page, () => submitOf(page, page.getByLabel('Naam of registratienummer')).click());
    expect(await mainText(page)).toContain('M. de Vries');
  });

  it('catalogue: each filter (Onderwerp, Soort, Opleider, Zoekterm, Vanaf) narrows the list', async () => {
    await visit(page, '/scholingskalender');
    await axeCheck(page);
    const all = Object.values(activity).map((a) => a.title).sort();
    expect(await listed()).toEqual(all);

    const filter = async (set: () => Promise<void>, expected: string[]) => {
      await visit(page, '/scholingskalender');
      await set();
      await navigates(page, () => submitOf(page, page.getByLabel('Zoekterm')).click());
      expect(pathOf(page)).toMatch(/^\/scholingskalender\?/);
      expect(await listed()).toEqual(expected.sort());
    };
    await filter(() => chooseOption(page.getByLabel('Onderwerp'), /Waadi/), [activity.waadi.title]);
    await axeCheck(page);
    await filter(() => chooseOption(page.getByLabel('Soort'), /e-learning/i), [activity.privacy.title]);
    await filter(() => chooseOption(page.getByLabel('Opleider'), /Opleidingen Zuid/), [activity.cao.title]);
    await filter(() => page.getByLabel('Zoekterm').fill('privacy'), [activity.privacy.title]);
    await filter(() => fillDate(page.getByLabel('Vanaf'), daysFromToday(45)), [activity.cao.title]);
    // Filters combine, and what was chosen stays chosen.
    await filter(async () => {
      await chooseOption(page.getByLabel('Opleider'), /Academie Noord/);
      await fillDate(page.getByLabel('Vanaf'), daysFromToday(20));
    }, [activity.waadi.title]);
    expect(await page.getByLabel('Opleider').locator('option:checked').innerText()).toMatch(/Academie Noord/);
  });

  it('activity: its page shows the title, the provider and its sessions in words', async () => {
    await visit(page, '/scholingskalender');
    await navigates(page, () => page.getByRole('main').getByRole('link', { name: activity.cao.title }).click());
    expect(pathOf(page)).toBe(`/scholingskalender/${activity.cao.activityId}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(activity.cao.title);
    const text = await mainText(page);
    expect(text).toContain('Opleidingen Zuid');
    expect(text).toContain(formatDate('nl', sessions.cao));
    expect(text).toContain('Utrecht');
    await axeCheck(page);
  });

  it('English: the language switch gives <html lang="en"> and English labels, remembered on the next page', async () => {
    const context = await site.newContext();
    const en = await context.newPage();
    await visit(en, '/');
    await navigates(en, () => en.getByRole('link', { name: 'English' }).click());
    expect(await htmlLang(en)).toBe('en');
    await axeCheck(en);

    // The next page, reached by its link, is English without asking again.
    await navigates(en, () => en.getByRole('navigation').getByRole('link', { name: 'Register' }).click());
    expect(pathOf(en)).toBe('/register');
    expect(await htmlLang(en)).toBe('en');
    expect(await en.getByLabel('Naam of registratienummer').count()).toBe(0);
    const search = en.getByLabel(/name or registration number/i);
    await search.fill('de Vries');
    await navigates(en, () => submitOf(en, search).click());
    expect(await mainText(en)).toContain('M. de Vries');
    await axeCheck(en);

    await visit(en, '/scholingskalender');
    expect(await htmlLang(en)).toBe('en');
    for (const label of [/topic/i, /type/i, /provider/i, /search/i, /from/i]) expect(await en.getByLabel(label).count(), String(label)).toBe(1);
    expect(await en.getByLabel('Onderwerp').count()).toBe(0);
    await axeCheck(en);

    // And back to Dutch.
    await navigates(en, () => en.getByRole('link', { name: 'Nederlands' }).click());
    expect(await htmlLang(en)).toBe('nl');
    expect(await en.getByLabel('Onderwerp').count()).toBe(1);
    await context.close();
  });
});
