/**
 * The catalogue for learning platforms in a real browser against `npm start` (issue 16 part 7):
 * from `/scholingskalender` to its calendar (the .ics, then a 304 on its ETag) and to
 * `/scholingskalender/koppelen`, whose feed link gives the activity; axe-core on both pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { admitProvider, approvedActivity, daysFromToday } from './fixtures';
import { axeCheck, navigates, pathOf, openSite, visit, type Site } from './harness';

let site: Site;
let page: Page;
let activityId: string;
const title = 'Flexwet en ketenbepaling';

beforeAll(async () => {
  // The project's shared stack: the feeds carry other files' activities too.
  site = await openSite();
  const provider = await admitProvider(site.stack, 'Academie Koppeling', '56565656');
  ({ activityId } = await approvedActivity(site.stack, provider, {
    title,
    description: 'De ketenbepaling na de Wet arbeidsmarkt in balans',
    activityType: 'workshop',
    topics: ['T03'],
    netStudyMinutes: 120,
    sessions: [{ startsOn: daysFromToday(12), location: 'Utrecht' }],
  }));
  page = await site.newPage();
}, 180_000);
afterAll(async () => {
  await site?.close();
});

describe('the catalogue feeds', () => {
  it('the catalogue links its sessions as a calendar (iCalendar, with an ETag that gives a 304) and the page for learning platforms', async () => {
    await visit(page, '/scholingskalender');
    await axeCheck(page);
    const calendar = page.getByRole('main').getByRole('link', { name: 'In uw agenda' });
    const href = await calendar.getAttribute('href');
    expect(href).toBe('/v1/catalogue/sessions.ics');
    const ics = await page.request.get(href!);
    expect(ics.status()).toBe(200);
    expect(ics.headers()['content-type']).toBe('text/calendar; charset=utf-8');
    const text = await ics.text();
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain(`SUMMARY:${title}`);
    expect(text).toContain(`/scholingskalender/${activityId}`);
    const again = await page.request.get(href!, { headers: { 'if-none-match': ics.headers().etag } });
    expect(again.status()).toBe(304);

    await navigates(page, () => page.getByRole('main').getByRole('link', { name: /Voor leerplatforms/ }).click());
    expect(pathOf(page)).toBe('/scholingskalender/koppelen');
  });

  it('the page for learning platforms: one h1, the feeds by their address, the JSON feed gives the activity; in English too', async () => {
    await visit(page, '/scholingskalender/koppelen');
    expect(await page.getByRole('heading', { level: 1 }).allInnerTexts()).toEqual(['Voor leerplatforms']);
    await axeCheck(page);
    const json = await page.getByRole('main').getByRole('link', { name: /feed\.json$/ }).getAttribute('href');
    expect(new URL(json!).pathname).toBe('/v1/catalogue/feed.json');
    const feed = await page.request.get(new URL(json!).pathname);
    expect(feed.status()).toBe(200);
    const body = await feed.json();
    const item = body.items.find((i: { activityId: string }) => i.activityId === activityId);
    expect(item, 'the feed lists the activity').toBeDefined();
    expect(new URL(item.url).pathname).toBe(`/scholingskalender/${activityId}`);

    await visit(page, '/scholingskalender/koppelen?lang=en');
    expect(await page.getByRole('heading', { level: 1 }).allInnerTexts()).toEqual(['For learning platforms']);
    await axeCheck(page);
  });
});
