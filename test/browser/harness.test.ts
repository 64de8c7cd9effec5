/**
 * The harness itself, on the one page every path can reach (the 404 page): Debian's Chromium
 * starts, the page passes axe-core's WCAG 2.1 AA rules, the skip link is the first Tab stop and
 * moves focus to the main content, `<html lang>` follows the language — and without Chromium the
 * tests fail with the one-line install hint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_MISSING, axeCheck, htmlLang, isFocused, launchChromium, navigates, openSite, type Site } from './harness';

let site: Site;
beforeAll(async () => {
  site = await openSite();
}, 120_000);
afterAll(async () => {
  await site?.close();
});

async function notFound(path = '/deze-pagina-bestaat-niet'): Promise<Page> {
  const page = await site.newPage();
  const res = await page.goto(path);
  expect(res?.status()).toBe(404);
  return page;
}

describe('the browser harness', () => {
  it('fails with the one-line install hint when Chromium is missing', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(new Error(CHROMIUM_MISSING));
    expect(CHROMIUM_MISSING).not.toContain('\n');
  });

  it('shows the 404 page in the site look, in Dutch, with one h1 and no axe-core violations', async () => {
    const page = await notFound();
    expect(await htmlLang(page)).toBe('nl');
    expect(await page.getByRole('heading', { level: 1 }).allInnerTexts()).toEqual(['Pagina niet gevonden']);
    await axeCheck(page);
    await page.context().close();
  });

  it('reports axe-core violations readably (rule, help, where)', async () => {
    const page = await site.newPage();
    await page.setContent('<!DOCTYPE html><html><head><title>x</title></head><body><main><img src="data:,"><input></main></body></html>');
    const failure = await axeCheck(page).then(() => undefined, (err: Error) => err.message);
    expect(failure).toMatch(/^axe-core found \d+ WCAG 2\.1 AA violation/);
    expect(failure).toMatch(/- html-has-lang \(serious\): <html> element must have a lang attribute — at html/);
    expect(failure).toMatch(/- image-alt \(critical\): .* — at img/);
    await page.context().close();
  });

  it('checks a document again with the axe-core it already has, and sees what changed since', async () => {
    const page = await site.newPage();
    await page.setContent('<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body><main><h1>Kop</h1></main></body></html>');
    await axeCheck(page);
    await page.evaluate(() => Object.assign((window as unknown as { axe: object }).axe, { checkedBefore: true }));
    await page.evaluate(() => document.documentElement.removeAttribute('lang'));
    const failure = await axeCheck(page).then(() => undefined, (err: Error) => err.message);
    expect(failure).toMatch(/- html-has-lang \(serious\)/);
    // The same copy ran the second check (its source was not sent again).
    expect(await page.evaluate(() => (window as unknown as { axe: { checkedBefore?: boolean } }).axe.checkedBefore)).toBe(true);
    // A new document gets its own copy, and passes.
    await page.goto('/bestaat-niet');
    expect(await page.evaluate(() => 'axe' in window)).toBe(false);
    await axeCheck(page);
    await page.context().close();
  });

  it('makes the skip link the first Tab stop, visible when focused, and moves focus to the main content', async () => {
    const page = await notFound();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Naar de inhoud' });
    expect(await isFocused(skip)).toBe(true);
    // Visible while focused (it is hidden until then).
    const box = await skip.boundingBox();
    expect(box && box.width > 1 && box.height > 1).toBe(true);
    expect(await skip.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/#inhoud$/);
    expect(await isFocused(page.getByRole('main'))).toBe(true);
    // The next Tab continues inside the main content, not at the top of the page.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true);
    await page.context().close();
  });

  it('switches to English with the language switch and remembers it on the next page', async () => {
    const page = await notFound();
    await navigates(page, () => page.getByRole('link', { name: 'English' }).click());
    expect(await htmlLang(page)).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Page not found');
    await axeCheck(page);
    await page.goto('/nog-een-pagina-die-niet-bestaat');
    expect(await htmlLang(page)).toBe('en');
    await navigates(page, () => page.getByRole('link', { name: 'Nederlands' }).click());
    expect(await htmlLang(page)).toBe('nl');
    await page.context().close();
  });
});
