/**
 * The links in the e-mails, followed against the real `npm start` (issue 14.5, WEB.md): the stack
 * sends its mails through the API — an activation, a recognition decision, credits from a signed
 * completion webhook, an expiry notice from POST /v1/jobs/expiry-notices/runs — and every link in
 * them must point at the stack's own pages (PUBLIC_BASE_URL, which `npm start` sets to
 * http://localhost:$PORT) and open one: 200 with an HTML page, or, for a page behind sign-in,
 * 303 to `/inloggen?next=<the page>`; never a 404 or a 500. The links of the variants the stack
 * cannot send today (a lapse, 12 points, the employer digest) are followed from the templates
 * rendered with the same base (test/setup/email-samples.ts), except those that carry a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { addDays, addYears } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { pageRoutes } from '../../shared/routes';
import { linksOf, pageOf } from '../setup/email-links';
import { emailSamples } from '../setup/email-samples';
import { holdLock, sharedStack, waitForMails, type Stack, type StoredMail } from './helpers';

let stack: Stack;
let release: (() => void) | undefined;
/** Where the stack's mails link to. */
let site: string;

beforeAll(async () => {
  stack = sharedStack();
  // Counts what its job run does to the whole table: no other file may add to it meanwhile.
  release = await holdLock(stack, 'expiry-notices');
  site = `http://localhost:${stack.ports.api}`;
}, 90_000);
afterAll(async () => {
  release?.();
  await stack?.stop();
});

async function call(method: string, path: string, opts: { key?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined || opts.raw ? { 'content-type': 'application/json' } : {}),
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...opts.headers,
    },
    body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const sessionPages = new Set(pageRoutes.filter((r) => r.auth === 'session').map((r) => r.id));

/**
 * Opens a link as a browser without JavaScript would, hop by hop (cookies kept): every hop is a
 * page of the site; a page behind sign-in, asked for without a session, sends to sign-in and back;
 * the last hop is a 200 HTML page. Returns the hops (`303 /dossier`, `200 /inloggen?next=…`).
 */
async function follow(link: string): Promise<string[]> {
  const hops: string[] = [];
  const cookies = new Map<string, string>();
  let url = new URL(link);
  for (let i = 0; i < 5; i++) {
    const page = pageOf(url.href, site);
    expect(page, `${link}: hop ${url.href}`).not.toHaveProperty('error');
    const res = await fetch(url, { redirect: 'manual', headers: cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {} });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    hops.push(`${res.status} ${url.pathname}${url.search}`);
    if ('id' in page && sessionPages.has(page.id) && ![...cookies.keys()].some((k) => k.endsWith('pe_session'))) {
      expect(res.status, `${link}: ${hops.join(' → ')}`).toBe(303);
      const to = new URL(res.headers.get('location') ?? '', url);
      expect(`${to.pathname}?next=${to.searchParams.get('next')}`, `${link}: ${hops.join(' → ')}`).toBe(`/inloggen?next=${url.pathname}`);
    }
    if (res.status === 303) {
      await res.arrayBuffer();
      url = new URL(res.headers.get('location') ?? '', url);
      continue;
    }
    const body = await res.text();
    expect(res.status, `${link}: ${hops.join(' → ')}`).toBe(200);
    expect(res.headers.get('content-type'), `${link}: ${hops.join(' → ')}`).toMatch(/^text\/html/);
    expect(body).toMatch(/^<!doctype html>/i);
    return hops;
  }
  throw new Error(`${link}: too many redirects: ${hops.join(' → ')}`);
}

/** Follows each link; the broken ones, one line each (all of them, not just the first). */
async function broken(links: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const l of links) {
    try {
      await follow(l);
    } catch (err) {
      problems.push((err as Error).message.split('\n')[0]);
    }
  }
  return problems;
}

/** The links of a stored mail: the same in its text and HTML parts, each a page of the site. */
function linksOfMail(mail: StoredMail): string[] {
  const { html, text } = linksOf({ text: mail.body.text ?? '', html: mail.body.html ?? '' });
  expect([...text].sort(), mail.subject).toEqual([...html].sort());
  for (const l of html) expect(pageOf(l, site), `${mail.subject}: ${l}`).not.toHaveProperty('error');
  return html;
}

describe('e-mail links against the local stack', () => {
  it('every link in the mails the stack sends opens a page of the stack', async () => {
    const admin = stack.adminKey;
    const tag = Date.now().toString(36);
    const today = todayInAmsterdam();

    // A: a pre-2023 diploma; asking for activation mails the one-time link.
    const activating = `links.activation.${tag}@example.nl`;
    // B: a 2023+ diploma registered at import, its period ending in 30 days.
    const expiring = `links.expiry.${tag}@example.nl`;
    const providerMail = `links.provider.${tag}@example.nl`;
    const imported = await call('POST', '/v1/diplomas', {
      key: admin,
      body: {
        diplomas: [
          { diplomaNumber: `LINKS-A-${tag}`, type: 'uitzendprofessional', issuedOn: '2021-06-01', holder: { initials: 'L.', lastName: 'Activering', birthDate: '1988-03-03', email: activating } },
          { diplomaNumber: `LINKS-B-${tag}`, type: 'uitzendprofessional', issuedOn: addDays(addYears(today, -2), 30), holder: { initials: 'L.', lastName: 'Verloop', birthDate: '1987-04-04', email: expiring } },
        ],
      },
    });
    expect(imported).toMatchObject({ status: 200, json: { created: 2, registrationsCreated: 1 } });
    expect((await call('POST', '/v1/activations', { body: { diplomaNumber: `LINKS-A-${tag}`, birthDate: '1988-03-03', email: activating } })).status).toBe(202);

    // A provider's activity recognised (the decision mail), then a signed completion for B (the credits mail).
    const provider = await call('POST', '/v1/providers', { key: admin, body: { name: 'Links Academie', kvkNumber: '55554444', contactEmail: providerMail } });
    const submitted = await call('POST', '/v1/recognition-requests', {
      key: provider.json.apiKey,
      body: {
        title: 'Links in de praktijk', description: 'Voor de e-mailtest', learningGoals: ['Kent de links'], activityType: 'webinar', nature: 'updating',
        topics: ['T05'], netStudyMinutes: 150, completion: { type: 'test', description: 'Eindtoets' },
      },
    });
    expect(submitted.status).toBe(201);
    const decided = await call('POST', `/v1/recognition-requests/${submitted.json.requestId}/decision`, { key: admin, body: { decision: 'approved' } });
    expect(decided.status).toBe(200);
    const search = await call('GET', '/v1/register?lastName=Verloop&initials=L');
    const { registrationNumber } = search.json.items[0];
    const body = JSON.stringify({ completions: [{ externalId: `links-${tag}`, activityId: decided.json.activityId, participant: { registrationNumber }, completedOn: today }] });
    const at = new Date();
    const signed = { 'webhook-id': `msg_${tag}`, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(provider.json.webhookSecret).sign(`msg_${tag}`, at, body) };
    const credited = await call('POST', `/v1/webhooks/providers/${provider.json.providerId}/completions`, { raw: body, headers: signed });
    expect(credited.json.results[0]).toMatchObject({ status: 'credited' });

    // The daily job as of today: B's 30-day notice (points still missing).
    const run = await call('POST', '/v1/jobs/expiry-notices/runs', { key: admin, body: { asOf: today, dryRun: false } });
    expect(run).toMatchObject({ status: 200, json: { sent: 1, byKind: { '30': 1 } } });

    const [activation] = await waitForMails(stack, activating);
    const [decision] = await waitForMails(stack, providerMail);
    const mailsOfB = await waitForMails(stack, expiring, 2);
    const credits = mailsOfB.find((m) => /punten bijgeschreven/.test(m.subject))!;
    const notice = mailsOfB.find((m) => /geldig tot en met/.test(m.subject))!;

    expect(linksOfMail(decision)).toEqual([]);
    const links = [...linksOfMail(activation), ...linksOfMail(credits), ...linksOfMail(notice)];
    expect(links.map((l) => new URL(l).pathname).sort()).toEqual(['/activeren', '/dossier', '/scholingskalender']);
    // The activation link first: it signs in (single use), as a click in the mail would.
    expect(new URL(links[0]).searchParams.has('token')).toBe(true);
    expect(await broken(links)).toEqual([]);
  }, 120_000);

  it('every link of every template variant, rendered with the stack\'s base, opens a page of the stack', async () => {
    const before = process.env.PUBLIC_BASE_URL;
    process.env.PUBLIC_BASE_URL = site;
    let links: string[];
    try {
      links = [...new Set(emailSamples().flatMap((s) => linksOf(s.mail).html))];
    } finally {
      if (before === undefined) delete process.env.PUBLIC_BASE_URL;
      else process.env.PUBLIC_BASE_URL = before;
    }
    // A sample's token is made up; the real one is followed above.
    const untokened = links.filter((l) => !new URL(l).searchParams.has('token'));
    expect(untokened.map((l) => new URL(l).pathname).sort()).toEqual(expect.arrayContaining(['/activeren', '/dossier', '/inloggen', '/scholingskalender']));
    expect(await broken(untokened)).toEqual([]);
  }, 60_000);
});
