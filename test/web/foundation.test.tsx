import { describe, expect, it } from 'vitest';
import * as notFound from '../../functions/web/not-found';
import { pageHandler } from '../../shared/web/page';
import { createWebSession, endWebSession, getWebSession } from '../../shared/data/web-sessions';
import { Heading } from '../../shared/web/components';
import { messages } from '../../shared/i18n';
import { page, signedIn } from './helpers';

/** A page on the dossier's routes whose body says who it saw, counting its calls. */
function standIn() {
  const calls: string[] = [];
  const handler = pageHandler({
    routes: ['page-dossier', 'page-dossier-settings'],
    handler: async (ctx) => {
      calls.push(`${ctx.route.method} ${ctx.caller?.ownerId}`);
      const file = ctx.files.Bestand;
      const upload = file ? ` file ${file.filename} ${file.bytes.length} ${file.bytes.toString('utf8').split('\n')[0]} note ${ctx.form.note}` : '';
      return { title: 'Stand-in', body: <Heading>{`seen ${ctx.caller?.ownerId}${upload}`}</Heading> };
    },
  });
  return { calls, module: { handler } };
}

describe('the page recipe', () => {
  it('answers an unknown path with the 404 page in the site look, and /v1 with problem+json', async () => {
    const res = await page(notFound, { path: '/bestaat-niet' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toMatch(/^<!DOCTYPE html><html lang="nl">/);
    expect(res.body).toContain(`<h1 class="utrecht-heading-1">${messages('nl').errors.notFoundTitle}</h1>`);
    expect(res.body).toContain('href="#inhoud"');
    const api = await page(notFound, { path: '/v1/bestaat-niet' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toBe('application/problem+json');
  });

  it('speaks English on ?lang=en, remembers it in a cookie, and follows Accept-Language otherwise', async () => {
    const en = await page(notFound, { path: '/x?lang=en' });
    expect(en.body).toContain('<html lang="en">');
    expect(en.setCookies.some((c) => /^pe_lang=en;/.test(c) && /HttpOnly/.test(c) && /SameSite=Lax/.test(c))).toBe(true);
    const remembered = await page(notFound, { path: '/x', cookies: { pe_lang: 'en' } });
    expect(remembered.body).toContain('<html lang="en">');
    const header = await page(notFound, { path: '/x', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(header.body).toContain('<html lang="en">');
    const dutch = await page(notFound, { path: '/x', headers: { 'accept-language': 'de' } });
    expect(dutch.body).toContain('<html lang="nl">');
  });

  it('escapes what it shows: a path with markup in the language link stays text', async () => {
    const res = await page(notFound, { path: '/"><script>alert(1)</script>' });
    expect(res.body).not.toContain('<script>');
  });

  it('sends a stranger to /inloggen (and back after), the wrong role to a 404, the owner to the page', async () => {
    const { calls, module } = standIn();
    const stranger = await page(module, { path: '/dossier' });
    expect(stranger.statusCode).toBe(303);
    expect(stranger.location).toBe('/inloggen?next=%2Fdossier');
    const employer = await signedIn({ role: 'employer', ownerId: 'emp_1' });
    expect((await page(module, { path: '/dossier', session: employer })).statusCode).toBe(404);
    const me = await signedIn({ role: 'participant', ownerId: 'par_1' });
    const mine = await page(module, { path: '/dossier', session: me });
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('seen par_1');
    expect(calls).toEqual(['GET par_1']);
  });

  it('refuses a post without the session CSRF token, with another token, or from another origin, before the handler runs', async () => {
    const { calls, module } = standIn();
    const me = await signedIn({ role: 'participant', ownerId: 'par_2' });
    const without = await page(module, { path: '/dossier', session: me, form: { language: 'en' }, csrf: false });
    expect(without.statusCode).toBe(403);
    expect(without.body).toContain(messages('nl').errors.forbiddenTitle);
    const other = await signedIn({ role: 'participant', ownerId: 'par_3' });
    expect((await page(module, { path: '/dossier', session: me, form: {}, csrf: other.session.csrf })).statusCode).toBe(403);
    const crossSite = await page(module, { path: '/dossier', session: me, form: {}, headers: { origin: 'https://evil.example' } });
    expect(crossSite.statusCode).toBe(403);
    expect(calls).toEqual([]);
    const ok = await page(module, { path: '/dossier', session: me, form: {}, headers: { origin: 'https://pe-register.nl' } });
    expect(ok.statusCode).toBe(200);
    expect(calls).toEqual(['POST par_2']);
  });

  it('reads an uploaded file (multipart/form-data) with its fields, and checks its CSRF token like any post', async () => {
    const { calls, module } = standIn();
    const me = await signedIn({ role: 'participant', ownerId: 'par_6' });
    const csv = 'registratienummer;naam\nPE-1;Jansen\n';
    const res = await page(module, { path: '/dossier', session: me, form: { note: 'één' }, files: { Bestand: { filename: 'staf.csv', content: csv } } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`seen par_6 file staf.csv ${Buffer.byteLength(csv)} registratienummer;naam note één`);
    const forged = await page(module, { path: '/dossier', session: me, csrf: false, files: { Bestand: { filename: 'staf.csv', content: csv } } });
    expect(forged.statusCode).toBe(403);
    expect(calls).toEqual(['POST par_6']);
  });

  it('ends a session on the server, and after its idle time', async () => {
    const { module } = standIn();
    const me = await signedIn({ role: 'participant', ownerId: 'par_4' });
    await endWebSession(me.session.idHash);
    expect((await page(module, { path: '/dossier', session: me })).statusCode).toBe(303);
    const staff = await createWebSession({ role: 'admin', ownerId: 'admin' }, new Date(Date.now() - 31 * 60_000));
    expect(await getWebSession(staff.id)).toBeUndefined();
    const participant = await createWebSession({ role: 'participant', ownerId: 'par_5' }, new Date(Date.now() - 11 * 3600_000));
    const live = await getWebSession(participant.id);
    expect(live?.ownerId).toBe('par_5');
    // Moved on by that request: twelve hours from now again.
    expect(Date.parse(live!.validUntil)).toBeGreaterThan(Date.now() + 11.9 * 3600_000);
  });
});
