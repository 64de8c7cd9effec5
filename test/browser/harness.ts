/**
 * The browser tests' harness: Debian's Chromium driven by playwright-core against the real
 * `npm start` (test/e2e/helpers.ts): one stack and one Chromium server for the whole browser
 * project (test/setup/browser-stack.ts), a connection and contexts of its own per file. Playwright's own
 * browser download is refused on this network (ARCHITECTURE.md, "Measured on this machine"), so
 * the harness never downloads one: without /usr/bin/chromium the tests fail with a one-line hint,
 * as `npm start` does without Java.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Download, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { mailsTo, sharedStack, type Stack } from '../e2e/helpers';
import { readStackFile } from '../../infra/local/stack-file';
import { resetDb } from '../../shared/data/client';
import { createWebSession, type SessionSubject } from '../../shared/data/web-sessions';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_MISSING = 'Chromium is missing: apt-get install -y chromium';

/** Without these Chromium keeps calling hosts this network refuses (updates, sync, QUIC probes). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Debian Chromium; throws the one-line install hint when it is not there. */
export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/**
 * The many requests of a browser run all come from 127.0.0.1 (and a few addresses get several
 * links): limits far above them, so no test is refused for its own traffic. The limits
 * themselves are tested in test/integration and test/e2e.
 */
const GENEROUS_LIMITS = {
  RATE_LIMIT_CLIENT_MAX: '100000',
  RATE_LIMIT_IDENTIFIER_MAX: '10000',
};

/** The environment of the browser project's `npm start`: PUBLIC_BASE_URL unset, so the stack points its e-mail links at itself. */
export const BROWSER_STACK_ENV: Record<string, string | undefined> = { ...GENEROUS_LIMITS, PUBLIC_BASE_URL: undefined };

/** How long an action (click, fill, a wait for a URL or an event) may wait for its element or event. */
export const ACTION_TIMEOUT_MS = 10_000;

export interface Site {
  stack: Stack;
  browser: Browser;
  /**
   * Where the pages are: `localhost`, the host `npm start` puts in the links of its e-mails, so
   * the cookies set by a page and by a link from a mail belong to the same site.
   */
  baseUrl: string;
  /** A fresh context (own cookies): 1280 wide, Dutch, with `baseUrl` for relative `goto`s. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  newPage(options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The browser project's shared stack and a connection of this file's own to the shared Chromium
 * server (each context the file opens is its own: cookies, storage). `close()` closes this
 * file's contexts and connection; the global teardown stops the stack and the browser. Files
 * share the stack, so a file's assertions look at its own data (its names, numbers, titles),
 * never at a whole list.
 */
export async function openSite(): Promise<Site> {
  const server = inject('chromium');
  if ('error' in server) throw new Error(server.error);
  const stack = sharedStack();
  const browser = await chromium.connect(server.wsEndpoint);
  const baseUrl = `http://localhost:${stack.ports.api}`;
  const newContext = async (opts: BrowserContextOptions = {}) => {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', ...opts });
    // A missing label or button fails within the test's own time, with Playwright's message
    // (what it waited for), instead of hanging until vitest's timeout says nothing.
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    return context;
  };
  return {
    stack,
    browser,
    baseUrl,
    newContext,
    async newPage(opts) {
      return (await newContext(opts)).newPage();
    },
    async close() {
      // On a connected browser: closes the contexts this file made and disconnects.
      await browser.close();
    },
  };
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The page's own copy of axe-core, as its source defines it (`window.axe`). */
type AxeWindow = { axe?: typeof axe };

/**
 * axe-core on the page as it is now; fails with one line per violation (rule, what it asks, where).
 * Every rule of the WCAG 2.1 A/AA tags runs and every violation is reported with all its nodes;
 * `resultTypes` only spares axe listing each node that passes (one example per passed rule
 * instead), which is most of its work on a long page. `axe.run` runs in the page itself (what
 * @axe-core/playwright calls legacy mode: its default ran each frame's part and finished in a
 * blank page of its own; the pages have no frames). axe-core's source (~560 KB) goes into a
 * document once: a second check of the same document reuses it. (@axe-core/playwright evaluated
 * it twice per check, through Playwright's server and Chromium's browser process each time: ~9 s
 * of CPU over the suite's 113 checks.) `PE_TEST_TIMINGS=1` prints each run's time.
 */
export async function axeCheck(page: Page): Promise<void> {
  const started = performance.now();
  if (!(await page.evaluate(() => typeof (window as AxeWindow).axe?.run === 'function'))) await page.evaluate(axe.source);
  const violations = await page.evaluate(
    (tags) => (window as AxeWindow).axe!.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }).then((r) => r.violations),
    WCAG_TAGS,
  );
  if (process.env.PE_TEST_TIMINGS) console.log(`[axe] ${Math.round(performance.now() - started)} ms ${new URL(page.url()).pathname}`);
  if (!violations.length) return;
  const lines = violations.map(
    (v) => `- ${v.id} (${v.impact ?? 'n/a'}): ${v.help} — at ${v.nodes.map((n) => n.target.map(String).join(' ')).join(' | ')}`,
  );
  throw new Error(`axe-core found ${violations.length} WCAG 2.1 AA violation(s) on ${page.url()}:\n${lines.join('\n')}`);
}

/** The one-time links to `path` (`/activeren`, `/inloggen`) in the mails to `address`, oldest first. */
export async function linksInMail(stack: Pick<Stack, 'sesUrl'>, address: string, path: string): Promise<string[]> {
  const pattern = new RegExp(`https?://[^\\s"'<>]+${path.replace(/[/]/g, '\\/')}\\?token=[A-Za-z0-9_%-]+`, 'g');
  const links: string[] = [];
  for (const mail of await mailsTo(stack, address)) {
    for (const link of new Set((mail.body.text ?? mail.body.html ?? '').match(pattern) ?? [])) links.push(link);
  }
  return links;
}

/**
 * Waits (polling the SES emulator, bounded) for the `count`-th one-time link to `path` in the
 * mails to `address` and returns it: the mails go out after the page has answered.
 */
export async function waitForLink(stack: Pick<Stack, 'sesUrl'>, address: string, path: string, count = 1, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const links = await linksInMail(stack, address, path);
    if (links.length >= count) return links[count - 1];
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for link ${count} to ${path} in the mail to ${address}; found ${links.length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The submit button of the form that holds `field` (by role, whatever its text). */
export function submitOf(page: Page, field: Locator): Locator {
  return page.locator('form').filter({ has: field }).getByRole('button');
}

/**
 * Picks the option whose text matches `text` (the form decides the values; the reader sees the
 * text), so a test does not depend on the option values a page chose.
 */
export async function chooseOption(select: Locator, text: RegExp): Promise<void> {
  const labels = (await select.locator('option').allTextContents()).map((l) => l.trim());
  const label = labels.find((l) => text.test(l));
  if (!label) throw new Error(`no option matching ${text} in ${JSON.stringify(labels)}`);
  await select.selectOption({ label });
}

/** An ISO date into a date field (`<input type="date">` takes ISO) or a text field (as Dutch people write it). */
export async function fillDate(field: Locator, iso: string): Promise<void> {
  const type = await field.getAttribute('type');
  if (type === 'date') return field.fill(iso);
  const [y, m, d] = iso.split('-');
  return field.fill(`${d}-${m}-${y}`);
}

/**
 * Runs `action` (a click, a key press, a submit) and resolves once the page it leads to has
 * loaded — the event, not a pause. (Playwright's web-first `expect` lives in @playwright/test,
 * which is not installed; vitest's `expect` on the loaded page does the rest.)
 */
export async function navigates(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForEvent('load'), action()]);
}

/** `<html lang>` of the page now shown. */
export function htmlLang(page: Page): Promise<string | null> {
  return page.locator('html').getAttribute('lang');
}

/** Whether the element has the keyboard focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

/** The path (and query) of the page now shown. */
export function pathOf(page: Page): string {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
}

/** Opens a page of the site and fails at once, with the answer's start, unless it has `status`. */
export async function visit(page: Page, path: string, status = 200): Promise<void> {
  const res = await page.goto(path);
  if (res?.status() !== status) {
    const body = res ? (await res.text()).replace(/\s+/g, ' ').slice(0, 300) : '(no answer)';
    throw new Error(`GET ${path} answered ${res?.status()}, expected ${status}: ${body}`);
  }
}

/**
 * A browser context signed in as `subject` (an organisation's user, an admin or a participant):
 * a web session written to the stack's own DynamoDB, as the sign-in link would write it, and its
 * cookie. For journeys whose subject is not the sign-in itself (that is tested in participant and
 * sign-in tests).
 */
export async function signedInContext(site: Site, subject: SessionSubject, options?: BrowserContextOptions): Promise<BrowserContext> {
  const info = readStackFile(site.stack.dataDir);
  if (!info) throw new Error('the stack file is missing');
  const saved = { endpoint: process.env.DYNAMODB_ENDPOINT, table: process.env.TABLE_NAME };
  process.env.DYNAMODB_ENDPOINT = info.dynamoEndpoint;
  process.env.TABLE_NAME = info.tableName;
  resetDb();
  let id: string;
  try {
    id = (await createWebSession(subject)).id;
  } finally {
    process.env.DYNAMODB_ENDPOINT = saved.endpoint;
    process.env.TABLE_NAME = saved.table;
    resetDb();
  }
  const context = await site.newContext(options);
  await context.addCookies([{ name: 'pe_session', value: id, url: site.baseUrl }]);
  return context;
}

/**
 * Where a download is on disk. The browser runs in the project's Chromium server, so
 * `download.path()` is not available (Playwright: "when connecting remotely"); `saveAs` streams it
 * into a folder of this test process.
 */
export async function downloadedFile(download: Download): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'pe-download-')), download.suggestedFilename() || 'download');
  await download.saveAs(file);
  return file;
}
