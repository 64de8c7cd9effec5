/**
 * Issue 18, the pages of the credential: the dossier's "Digitaal bewijs" (the download and the QR
 * code), the public register entry's links and its `/register/{n}/bewijs`, and `/register/verifieer`
 * (paste or upload; the verdict in plain words) — on DynamoDB Local, with the credentials service
 * the API uses; the verification's words for every reason code rendered from the outcome itself.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { render } from 'preact-render-to-string';
import * as dossierPage from '../../functions/web/dossier';
import * as downloadPage from '../../functions/web/credential-download';
import * as qrPage from '../../functions/web/credential-qr';
import * as publicCredential from '../../functions/web/credential-public';
import * as registerEntry from '../../functions/web/register-entry';
import * as verifyPage from '../../functions/web/register-verify';
import { allRoutes } from '../../shared/routes';
import { compileRoute, matchRoute } from '../../infra/local/event';
import { config } from '../../shared/config';
import { nl } from '../../shared/i18n/nl';
import { en } from '../../shared/i18n/en';
import { formatDate } from '../../shared/i18n';
import { addDays, addYears } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { VerificationResult } from '../../shared/web/credential';
import type { CredentialVerification, VerificationReason } from '../../shared/services/credentials';
import { adminKey } from '../setup/helpers';
import { lookupApiKey } from '../../shared/data/api-keys';
import { withdrawCurrentCredential } from '../../shared/services/credentials';
import { makeParticipant, setRegistrationTariff, startPaid } from '../integration/invoicing.fixtures';
import { page, signedIn, type SignedIn } from './helpers';

const today = todayInAmsterdam();
let seq = 0;

interface Person {
  participantId: string;
  registrationNumber: string;
  name: string;
  session: SignedIn;
  lastValidDay: string;
}

/** A participant whose period started `daysAgo` days ago (registered today unless it has ended), signed in. */
async function person(lastName: string, daysAgo = 100): Promise<Person> {
  const p = await makeParticipant(`${lastName}${++seq}`);
  const startsOn = addDays(today, -daysAgo);
  await startPaid(p.participantId, { type: 'participant', id: p.participantId }, startsOn, new Date());
  const session = await signedIn({ role: 'participant', ownerId: p.participantId });
  return { ...p, session, lastValidDay: addDays(addYears(startsOn, 2), -1) };
}

/** The payload of a compact JWS, decoded (no check: the verifier's job). */
const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8'));
/** The visible text of a page, tags dropped. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
const h1s = (html: string) => html.match(/<h1[\s>]/g)?.length ?? 0;

let alice: Person;
let bob: Person;

beforeAll(async () => {
  await setRegistrationTariff(await adminKey());
  [alice, bob] = await Promise.all([person('Bewijsma'), person('Zegelaar')]);
});

async function download(who: SignedIn) {
  const res = await page(downloadPage, { path: '/dossier/bewijs', session: who });
  expect(res.statusCode).toBe(200);
  return res;
}

describe('the routes', () => {
  const compiled = allRoutes.map((r) => compileRoute(r));
  it('/register/verifieer is its own page (GET and POST), not a registration number, in the local gateway', () => {
    expect(matchRoute(compiled, 'GET', '/register/verifieer').hit?.route.id).toBe('page-credential-verify');
    expect(matchRoute(compiled, 'POST', '/register/verifieer').hit?.route.id).toBe('page-credential-verify-submit');
    expect(matchRoute(compiled, 'GET', '/register/PE-4K7Q9M').hit?.route.id).toBe('page-register-entry');
    expect(matchRoute(compiled, 'GET', '/register/PE-4K7Q9M/bewijs').hit?.route.id).toBe('page-register-credential');
    expect(matchRoute(compiled, 'GET', '/dossier/bewijs/qr').hit?.route.id).toBe('page-credential-qr');
  });

  it('is a static path in the table, which API Gateway matches before `/register/{registrationNumber}`', () => {
    // API Gateway HTTP APIs prefer the most specific route: a literal segment over a variable one.
    const verify = allRoutes.filter((r) => r.path === '/register/verifieer');
    expect(verify.map((r) => r.method).sort()).toEqual(['GET', 'POST']);
    expect(allRoutes.some((r) => r.path === '/register/{registrationNumber}')).toBe(true);
    // The POST is limited per client (its form carries no identifier to count).
    expect(verify.find((r) => r.method === 'POST')?.rateLimit).toBeDefined();
  });
});

describe('/dossier: Digitaal bewijs', () => {
  it('says what the credential is and links the download and the QR code while registered', async () => {
    const res = await page(dossierPage, { path: '/dossier', session: alice.session });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`>${nl.credential.dossierHeading}</h2>`);
    expect(textOf(res.body)).toContain(nl.credential.dossierText);
    expect(res.body).toMatch(/href="\/dossier\/bewijs"[^>]*>Bewijs downloaden</);
    expect(res.body).toContain('href="/dossier/bewijs/qr"');
    expect(res.body).toContain('href="/register/verifieer"');
    expect(h1s(res.body)).toBe(1);
  });

  it('says so plainly, without a link, when the person is not registered today', async () => {
    const lapsed = await person('Verlopen', 800);
    const res = await page(dossierPage, { path: '/dossier', session: lapsed.session });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(nl.credential.noPeriod);
    expect(res.body).not.toContain('href="/dossier/bewijs"');
    expect(res.body).not.toContain('href="/dossier/bewijs/qr"');
    const file = await page(downloadPage, { path: '/dossier/bewijs', session: lapsed.session });
    expect(file.statusCode).toBe(404);
    expect(file.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(file.body).toContain(nl.credential.noPeriod);
    const qr = await page(qrPage, { path: '/dossier/bewijs/qr', session: lapsed.session });
    expect(qr.statusCode).toBe(404);
    expect(qr.body).not.toContain('<svg');
  });
});

describe('/dossier/bewijs', () => {
  it("is the participant's own current credential, as a vc+jwt file named after the registration", async () => {
    const res = await download(alice.session);
    expect(res.headers['content-type']).toBe('application/vc+jwt');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="pe-bewijs-${alice.registrationNumber}.jwt"`);
    expect(res.body).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.stringify(payloadOf(res.body))).toContain(alice.registrationNumber);
  });

  it("gives another participant's session their own credential, never someone else's", async () => {
    const [mine, theirs] = await Promise.all([download(alice.session), download(bob.session)]);
    expect(theirs.headers['content-disposition']).toContain(bob.registrationNumber);
    const bobs = JSON.stringify(payloadOf(theirs.body));
    expect(bobs).toContain(bob.registrationNumber);
    expect(bobs).not.toContain(alice.registrationNumber);
    expect(theirs.body).not.toBe(mine.body);
  });

  it('sends a stranger to sign in, and answers another role like a missing page', async () => {
    const stranger = await page(downloadPage, { path: '/dossier/bewijs' });
    expect(stranger.statusCode).toBe(303);
    expect(stranger.location).toBe('/inloggen?next=%2Fdossier%2Fbewijs');
    const employer = await signedIn({ role: 'employer', ownerId: 'emp_credweb', userId: 'usr_credweb' });
    for (const [module, path] of [
      [downloadPage, '/dossier/bewijs'],
      [qrPage, '/dossier/bewijs/qr'],
    ] as const) {
      const res = await page(module, { path, session: employer });
      expect(res.statusCode, path).toBe(404);
      expect(res.body).toContain(nl.errors.notFoundTitle);
    }
  });
});

describe('/dossier/bewijs/qr', () => {
  it('shows the public address of the credential as an inline SVG QR code with a text alternative, and writes the address out', async () => {
    const res = await page(qrPage, { path: '/dossier/bewijs/qr', session: alice.session });
    expect(res.statusCode).toBe(200);
    expect(h1s(res.body)).toBe(1);
    const address = `${config.publicBaseUrl}/register/${alice.registrationNumber}/bewijs`;
    expect(res.body).toContain(`<a class="utrecht-link" href="${address}">${address}</a>`);
    const svg = /<svg[\s\S]*?<\/svg>/.exec(res.body)?.[0];
    expect(svg).toBeDefined();
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="qr-titel"');
    expect(svg).toContain(`<title id="qr-titel">${nl.credential.qrAlt(alice.registrationNumber)}</title>`);
    // The same modules as the address's own code: it encodes the address (not the JWS).
    const expected = await QRCode.toString(address, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, width: 256 });
    expect(svg!.replace(/<title[^>]*>.*?<\/title>/, '').replace(' role="img" aria-labelledby="qr-titel" focusable="false"', '')).toBe(expected.trim());
  });
});

describe('/register/{registrationNumber}: the credential', () => {
  it('links the digital credential and the check from the entry', async () => {
    const res = await page(registerEntry, { path: `/register/${alice.registrationNumber}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<a class="utrecht-link" href="/register/${alice.registrationNumber}/bewijs">Digitaal bewijs downloaden</a>`);
    expect(res.body).toContain('<a class="utrecht-link" href="/register/verifieer">Bewijs controleren</a>');
    const english = await page(registerEntry, { path: `/register/${alice.registrationNumber}?lang=en` });
    expect(english.body).toContain(`>${en.credential.registerDownload}</a>`);
  });

  it('answers the current credential as a file for a registered number, and the 404 page for any other', async () => {
    const res = await page(publicCredential, { path: `/register/${alice.registrationNumber}/bewijs` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vc+jwt');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="pe-bewijs-${alice.registrationNumber}.jwt"`);
    expect(JSON.stringify(payloadOf(res.body))).toContain(alice.registrationNumber);
    const lapsed = await person('Uitgeschreven', 800);
    for (const path of ['/register/PE-ZZZZZZ/bewijs', '/register/geen-nummer/bewijs', `/register/${lapsed.registrationNumber}/bewijs`]) {
      const missing = await page(publicCredential, { path });
      expect(missing.statusCode, path).toBe(404);
      expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(missing.body).toContain(`<h1 class="utrecht-heading-1">${nl.errors.notFoundTitle}</h1>`);
    }
  });
});

describe('/register/verifieer', () => {
  const check = (form: Record<string, string>, files?: Parameters<typeof page>[1]['files'], path = '/register/verifieer') => page(verifyPage, { method: 'POST', path, form, files });

  it('shows the form: Bewijs (paste), Bestand (upload), Controleren, as a multipart post', async () => {
    const res = await page(verifyPage, { path: '/register/verifieer' });
    expect(res.statusCode).toBe(200);
    expect(h1s(res.body)).toBe(1);
    expect(res.body).toContain('enctype="multipart/form-data"');
    expect(res.body).toMatch(/<label class="utrecht-form-label" for="bewijs">Bewijs<\/label>/);
    expect(res.body).toMatch(/<label class="utrecht-form-label" for="Bestand">Bestand<\/label>/);
    expect(res.body).toMatch(/<textarea[^>]*id="bewijs"/);
    expect(res.body).toMatch(/<input type="file"[^>]*id="Bestand"/);
    expect(res.body).toContain('>Controleren</button>');
  });

  it('says a pasted credential of the register is valid: signature, valid until, not withdrawn, whose it is', async () => {
    const jws = (await download(alice.session)).body;
    const res = await check({ bewijs: `\n  ${jws}\n` });
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    // The verdict first, in an alert with a heading (words, not colour).
    expect(res.body).toMatch(/<div class="utrecht-alert utrecht-alert--ok" role="status"><div class="utrecht-alert__content"><h2[^>]*>Dit bewijs is geldig<\/h2>/);
    expect(text.indexOf('Dit bewijs is geldig')).toBeLessThan(text.indexOf('De handtekening klopt'));
    expect(text).toContain('De handtekening klopt: dit bewijs is uitgegeven door het PE-register');
    expect(text).toContain(`Geldig tot en met ${formatDate('nl', alice.lastValidDay)}`);
    expect(text).toContain('Niet ingetrokken');
    expect(text).toContain(alice.name);
    expect(text).toContain(alice.registrationNumber);
    expect(text).toContain('Register-Uitzendprofessional');
  });

  it('reads an uploaded file the same way (line breaks a mail program added do not matter)', async () => {
    const jws = (await download(bob.session)).body;
    const wrapped = jws.match(/.{1,76}/g)!.join('\r\n');
    const res = await check({}, { Bestand: { filename: `pe-bewijs-${bob.registrationNumber}.jwt`, content: wrapped, contentType: 'application/vc+jwt' } });
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain('Dit bewijs is geldig');
    expect(text).toContain(bob.name);
    expect(text).not.toContain(alice.name);
  });

  it('says a tampered credential does not hold (bad signature), and shows nothing it claims', async () => {
    const jws = (await download(alice.session)).body;
    const [header, payload, signature] = jws.split('.');
    const claims = JSON.stringify(payloadOf(jws)).replace(alice.registrationNumber, bob.registrationNumber);
    const forged = [header, Buffer.from(claims).toString('base64url'), signature].join('.');
    expect(payload).not.toBe(forged.split('.')[1]);
    const res = await check({ bewijs: forged });
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(res.body).toMatch(/utrecht-alert--error" role="alert"><div class="utrecht-alert__content"><h2[^>]*>Dit bewijs is niet te vertrouwen</);
    expect(text).toContain('De handtekening klopt niet');
    expect(text).toContain(nl.credential.reasons['bad-signature']);
    expect(text).not.toContain(bob.name);
    expect(text).not.toContain('Niet ingetrokken');
  });

  it('says a credential the register withdrew is withdrawn, and the dossier offers no new one for the period', async () => {
    const withdrawn = await person('Ingetrokken');
    const jws = (await download(withdrawn.session)).body;
    await withdrawCurrentCredential(withdrawn.participantId, 'Diploma ingetrokken door de SEU', (await lookupApiKey(await adminKey()))!, today);
    const res = await check({ bewijs: jws });
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(res.body).toMatch(/utrecht-alert--error" role="alert"><div class="utrecht-alert__content"><h2[^>]*>Dit bewijs is ingetrokken</);
    expect(text).toContain('De handtekening klopt: dit bewijs is uitgegeven door het PE-register');
    expect(text).toContain('Intrekking Ingetrokken');
    expect(text).toContain(nl.credential.reasons.revoked);
    const again = await page(downloadPage, { path: '/dossier/bewijs', session: withdrawn.session });
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain(nl.credential.withdrawnText);
  });

  it('says garbage is not a credential (malformed)', async () => {
    const res = await check({ bewijs: 'dit is geen bewijs' });
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain('Dit is geen digitaal bewijs van het PE-register');
    expect(text).toContain(nl.credential.reasons.malformed);
  });

  it('lists a form with neither field, a file that is not text, a file too large, or both at once, at the top with a link to the field (400)', async () => {
    const empty = await check({ bewijs: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<a class="utrecht-link" href="#bewijs">Plak het bewijs of kies een bestand</a>');
    expect(empty.body).toMatch(/<textarea[^>]*aria-invalid="true"[^>]*aria-describedby="bewijs-hint bewijs-fout"/);

    const binary = await check({}, { Bestand: { filename: 'foto.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]), contentType: 'image/png' } });
    expect(binary.statusCode).toBe(400);
    expect(binary.body).toContain(`<a class="utrecht-link" href="#Bestand">${nl.credential.errorNotText}</a>`);

    const large = await check({}, { Bestand: { filename: 'groot.jwt', content: 'a'.repeat(33 * 1024), contentType: 'application/vc+jwt' } });
    expect(large.statusCode).toBe(400);
    expect(large.body).toContain('href="#Bestand"');
    expect(textOf(large.body)).toContain('te lang voor een digitaal bewijs');

    const both = await check({ bewijs: 'a.b.c' }, { Bestand: { filename: 'x.jwt', content: 'a.b.c', contentType: 'application/vc+jwt' } });
    expect(both.statusCode).toBe(400);
    expect(both.body).toContain(`href="#bewijs">${nl.credential.errorBoth}</a>`);
  });

  it('refuses a post without the form’s CSRF token (403)', async () => {
    const res = await page(verifyPage, { method: 'POST', path: '/register/verifieer', form: { bewijs: 'x' }, csrf: false });
    expect(res.statusCode).toBe(403);
  });

  it('limits the checks per client (429 page past the limit)', async () => {
    const saved = process.env.RATE_LIMIT_CLIENT_MAX;
    process.env.RATE_LIMIT_CLIENT_MAX = '2';
    try {
      const post = () => page(verifyPage, { method: 'POST', path: '/register/verifieer', form: { bewijs: 'a.b.c' }, sourceIp: '203.0.113.77' });
      expect((await post()).statusCode).toBe(200);
      expect((await post()).statusCode).toBe(200);
      const refused = await post();
      expect(refused.statusCode).toBe(429);
      expect(refused.body).toContain(nl.errors.tooManyTitle);
    } finally {
      if (saved === undefined) delete process.env.RATE_LIMIT_CLIENT_MAX;
      else process.env.RATE_LIMIT_CLIENT_MAX = saved;
    }
  });

  it('speaks English on /en', async () => {
    const jws = (await download(alice.session)).body;
    const res = await check({ bewijs: jws }, undefined, '/register/verifieer?lang=en');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="en"');
    const text = textOf(res.body);
    expect(text).toContain('This credential is valid');
    expect(text).toContain('The signature holds: this credential was issued by the PE register');
    expect(text).toContain(`Valid until and including ${formatDate('en', alice.lastValidDay)}`);
  });
});

describe('the verification in words', () => {
  const base: CredentialVerification = {
    valid: true,
    current: true,
    revoked: false,
    subject: { name: 'M. de Vries', title: 'Register-Uitzendprofessional', registrationNumber: 'PE-4K7Q9M' },
    validFrom: '2025-12-20',
    validUntil: '2027-12-19',
    reasons: [],
  };
  const words = (r: Partial<CredentialVerification>, lang: 'nl' | 'en' = 'nl') =>
    textOf(render(<VerificationResult t={lang === 'nl' ? nl : en} lang={lang} result={{ ...base, ...r }} />));

  it('gives every reason code a sentence, in both languages', () => {
    const all = Object.keys(nl.credential.reasons) as VerificationReason[];
    expect(all.sort()).toEqual(['bad-signature', 'expired', 'malformed', 'not-yet-valid', 'revoked', 'status-unavailable', 'unknown-issuer', 'unknown-key']);
    for (const reason of all) {
      expect(words({ valid: false, current: false, reasons: [reason] })).toContain(nl.credential.reasons[reason]);
      expect(words({ valid: false, current: false, reasons: [reason] }, 'en')).toContain(en.credential.reasons[reason]);
    }
  });

  it('says expired with the day it lapsed, not yet valid with its first day, and withdrawn', () => {
    const expired = words({ current: false, reasons: ['expired'] });
    expect(expired).toContain('Dit bewijs is echt, maar vandaag niet geldig');
    expect(expired).toContain('Verlopen op 20 december 2027 (geldig tot en met 19 december 2027)');
    expect(expired).toContain('M. de Vries');
    expect(words({ current: false, reasons: ['not-yet-valid'] })).toContain('Nog niet geldig: geldig vanaf 20 december 2025');
    const revoked = words({ current: false, revoked: true, reasons: ['revoked'] });
    expect(revoked).toContain('Dit bewijs is ingetrokken');
    expect(revoked).toMatch(/Intrekking Ingetrokken/);
    expect(words({ current: false, reasons: ['status-unavailable'] })).toContain('Dit bewijs kon niet helemaal worden gecontroleerd');
    expect(words({ valid: false, current: false, subject: undefined, reasons: ['unknown-key'] })).toContain('De handtekening klopt niet');
  });
});
