/**
 * Every link in every e-mail template (issue 14.5): each template is rendered in both languages
 * and every variant, every `href` of its HTML and every URL of its text part is taken out, and
 * each must point at a page of the web — `PUBLIC_BASE_URL`'s origin, a path a GET page route of
 * shared/routes.ts serves (matched as the gateway matches, without the 404 catch-all). A template
 * that gains a link to a page that does not exist, the API or another host fails here; a new
 * template without samples (test/setup/email-samples.ts) fails the coverage check.
 * test/e2e/email-links.e2e.test.ts follows the links against the local stack.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linksOf, pageOf } from '../setup/email-links';
import { emailSamples, type EmailSample } from '../setup/email-samples';

const BASE = 'https://web.pe-register.example';

describe('links in e-mails', () => {
  const before = process.env.PUBLIC_BASE_URL;
  let all: EmailSample[];
  beforeAll(() => {
    // A base unlike the default, so a link built from anything but PUBLIC_BASE_URL shows.
    process.env.PUBLIC_BASE_URL = BASE;
    all = emailSamples();
  });
  afterAll(() => {
    if (before === undefined) delete process.env.PUBLIC_BASE_URL;
    else process.env.PUBLIC_BASE_URL = before;
  });

  it('has samples of every template in shared/email/templates', async () => {
    const dir = new URL('../../shared/email/templates/', import.meta.url);
    const exported: string[] = [];
    for (const file of readdirSync(dir).filter((f) => /\.tsx?$/.test(f))) {
      const mod = (await import(new URL(file, dir).href)) as Record<string, unknown>;
      exported.push(...Object.keys(mod).filter((k) => typeof mod[k] === 'function' && /Email$/.test(k)).map((k) => `${file}: ${k}`));
    }
    const sampled = new Set(all.map((s) => s.template));
    expect(exported.filter((e) => !sampled.has(e.split(': ')[1])), 'templates without samples in test/setup/email-samples.ts').toEqual([]);
    expect(exported.length).toBeGreaterThanOrEqual(6);
  });

  it('links only to pages of the web, on PUBLIC_BASE_URL (both languages, every variant)', () => {
    const problems: string[] = [];
    for (const s of all) {
      const { html, text } = linksOf(s.mail);
      const linked = (links: string[], part: string) =>
        links.flatMap((l) => {
          const page = pageOf(l, BASE);
          if ('error' in page) {
            problems.push(`${s.template} (${s.variant}, ${part}): ${page.error}`);
            return [];
          }
          return [page.id];
        });
      const htmlPages = [...new Set(linked(html, 'html'))].sort();
      const textPages = [...new Set(linked(text, 'text'))].sort();
      // Text and HTML alternatives link to the same pages: those the variant is meant to.
      if (JSON.stringify(htmlPages) !== JSON.stringify([...s.pages].sort()) || JSON.stringify(textPages) !== JSON.stringify([...s.pages].sort())) {
        problems.push(`${s.template} (${s.variant}): links to [${htmlPages}] (html), [${textPages}] (text); expected [${s.pages}]`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('carries what the page needs in the link: the token, the catalogue date, the page to return to', () => {
    const link = (template: string, variant: string) => linksOf(all.find((s) => s.template === template && s.variant === variant)!.mail).html[0];
    expect(link('activationEmail', 'nl')).toBe(`${BASE}/activeren?token=tok_Ab-9_x`);
    expect(link('noticeEmail', 'en, 30 days, points missing')).toBe(`${BASE}/scholingskalender?from=2027-01-30`);
    expect(link('noticeEmail', 'nl, 7 days, 12 points')).toBe(`${BASE}/dossier`);
    expect(link('noticeEmail', 'nl, lapsed, points missing')).toBe(`${BASE}/activeren`);
    expect(link('employerDigestEmail', 'nl')).toBe(`${BASE}/werkgever/rapportage`);
  });

  it('the check itself: refuses a page that does not exist, the API, another host, a relative link', () => {
    expect(pageOf(`${BASE}/dossier`, BASE)).toEqual({ id: 'page-dossier' });
    expect(pageOf(`${BASE}/register/PE-ABC123`, BASE)).toEqual({ id: 'page-register-entry' });
    expect(pageOf(`${BASE}/dosier`, BASE)).toHaveProperty('error');
    expect(pageOf(`${BASE}/werkgever/bestaat-niet`, BASE)).toHaveProperty('error');
    expect(pageOf(`${BASE}/v1/participants/par_1`, BASE)).toHaveProperty('error');
    expect(pageOf('https://pe-register.nl/dossier', BASE)).toHaveProperty('error');
    expect(pageOf(`${BASE.replace('https', 'http')}/dossier`, BASE)).toHaveProperty('error');
    expect(pageOf('/dossier', BASE)).toHaveProperty('error');
    // Extraction finds links in both parts, escaped or not.
    expect(linksOf({ text: `Zie ${BASE}/a?b=1&c=2.`, html: `<a href="${BASE}/x?y=1&amp;z=2">x</a> ${BASE}/z` })).toEqual({
      html: [`${BASE}/x?y=1&z=2`, `${BASE}/z`],
      text: [`${BASE}/a?b=1&c=2`],
    });
  });
});
