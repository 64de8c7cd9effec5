/**
 * The registration as a digital credential in a real browser against `npm start` (issue 18): the
 * participant downloads it from the dossier (**Bewijs downloaden**) and opens its QR code; a hirer
 * goes from the public register entry to `/register/verifieer` (**Bewijs controleren**), uploads
 * the file, then pastes it, and reads that it is valid; the same form with the keyboard alone and
 * with JavaScript off. axe-core on every page on the way.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { verifyJWT } from 'did-jwt';
import { Resolver } from 'did-resolver';
import { api } from '../e2e/helpers';
import { daysFromToday, importDiplomas } from './fixtures';
import { axeCheck, downloadedFile, isFocused, navigates, openSite, pathOf, signedInContext, visit, type Site } from './harness';

let site: Site;
const run = Date.now().toString(36).toUpperCase();
// Issued after 2023: registered at once, so the register (and the credential) know them.
const holder = { diplomaNumber: `VC-${run}`, initials: 'B.', lastName: `Bewijshouder${run.toLowerCase()}`, birthDate: '1986-06-06', issuedOn: daysFromToday(-20) };
const name = `${holder.initials} ${holder.lastName}`;
let participantId: string;
let registrationNumber: string;
/** The downloaded file, on disk, and its content (the compact JWS). */
let credentialPath: string;
let jws: string;

beforeAll(async () => {
  site = await openSite();
  await importDiplomas(site.stack, [holder]);
  const found = await api(site.stack, 'GET', `/v1/register?lastName=${encodeURIComponent(holder.lastName)}`, { expect: 200 });
  registrationNumber = found.json.items[0].registrationNumber;
  const staff = await (await signedInContext(site, { role: 'admin', ownerId: 'admin', userId: 'usr_vc', userName: 'Beheer bewijs' })).newPage();
  await visit(staff, `/beheer/deelnemers?q=${encodeURIComponent(holder.diplomaNumber)}`);
  participantId = (await staff.getByRole('link', { name }).getAttribute('href'))!.split('/').pop()!;
  expect(participantId).toMatch(/^par_/);
  await staff.context().close();
}, 120_000);

afterAll(async () => {
  await site?.close();
});

async function mainText(page: Page): Promise<string> {
  return (await page.getByRole('main').innerText()).replace(/\s+/g, ' ');
}

/** What a valid verdict shows: the verdict first, then the signature, the validity and whose it is. */
async function expectValid(page: Page) {
  expect(pathOf(page)).toBe('/register/verifieer');
  expect(await page.getByRole('heading', { level: 2, name: 'Dit bewijs is geldig' }).count()).toBe(1);
  const text = await mainText(page);
  expect(text).toContain('De handtekening klopt: dit bewijs is uitgegeven door het PE-register');
  expect(text).toMatch(/Geldig tot en met \d{1,2} \w+ \d{4}/);
  expect(text).toContain('Niet ingetrokken');
  expect(text).toContain(name);
  expect(text).toContain(registrationNumber);
  expect(text).toContain('Register-Uitzendprofessional');
  expect(text.indexOf('Dit bewijs is geldig')).toBeLessThan(text.indexOf('De handtekening klopt'));
}

describe('the digital credential', () => {
  it('the participant downloads it from the dossier and opens its QR code', async () => {
    const context = await signedInContext(site, { role: 'participant', ownerId: participantId });
    const page = await context.newPage();
    await visit(page, '/dossier');
    expect(await page.getByRole('heading', { level: 2, name: 'Digitaal bewijs' }).count()).toBe(1);
    await axeCheck(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Bewijs downloaden' }).click()]);
    expect(download.suggestedFilename()).toBe(`pe-bewijs-${registrationNumber}.jwt`);
    credentialPath = await downloadedFile(download);
    jws = (await readFile(credentialPath, 'utf8')).trim();
    expect(jws).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // The downloaded file verifies with an independent verifier (did-jwt, not the signing code),
    // offline: the issuer's did:web document fetched once, then resolved from memory.
    const didDocument = await (await fetch(`${site.baseUrl}/.well-known/did.json`)).json();
    const resolver = new Resolver({ web: async () => ({ didDocument, didDocumentMetadata: {}, didResolutionMetadata: {} }) });
    // did-jwt types its resolver with the did-resolver it bundles; the top-level one is the same API.
    const verified = await verifyJWT(jws, { resolver: resolver as unknown as NonNullable<Parameters<typeof verifyJWT>[1]>['resolver'], proofPurpose: 'assertionMethod' });
    expect(verified.verified).toBe(true);
    expect(verified.issuer).toBe(didDocument.id);
    expect((verified.payload as { credentialSubject: { identifier: { identityHash: string }[] } }).credentialSubject.identifier.map((i) => i.identityHash)).toContain(registrationNumber);

    await navigates(page, () => page.getByRole('link', { name: 'Bewijs als QR-code tonen' }).click());
    expect(pathOf(page)).toBe('/dossier/bewijs/qr');
    expect(await page.getByRole('img', { name: `QR-code met het adres van het digitaal bewijs van registratie ${registrationNumber}` }).count()).toBe(1);
    // The address the code holds, written out: the stack's own, answering the credential.
    const address = `${site.baseUrl}/register/${registrationNumber}/bewijs`;
    expect(await page.getByRole('link', { name: address }).count()).toBe(1);
    await axeCheck(page);
    const fetched = await fetch(address);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('application/vc+jwt');
    expect(await fetched.text()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    await context.close();
  });

  it('a hirer goes from the register entry to Bewijs controleren, uploads the file, then pastes it, and reads it is valid', async () => {
    const context = await site.newContext();
    const page = await context.newPage();
    await visit(page, `/register/${registrationNumber}`);
    expect(await page.getByRole('link', { name: 'Digitaal bewijs downloaden' }).getAttribute('href')).toBe(`/register/${registrationNumber}/bewijs`);
    await axeCheck(page);
    await navigates(page, () => page.getByRole('link', { name: 'Bewijs controleren' }).click());
    expect(pathOf(page)).toBe('/register/verifieer');
    await axeCheck(page);

    // Nothing given: the error at the top, linked to the field.
    await navigates(page, () => page.getByRole('button', { name: 'Controleren' }).click());
    expect(await page.getByRole('link', { name: 'Plak het bewijs of kies een bestand' }).count()).toBe(1);
    await axeCheck(page);

    await page.getByLabel('Bestand').setInputFiles(credentialPath);
    await navigates(page, () => page.getByRole('button', { name: 'Controleren' }).click());
    await expectValid(page);
    await axeCheck(page);

    await page.getByLabel('Bewijs', { exact: true }).fill(jws);
    await navigates(page, () => page.getByRole('button', { name: 'Controleren' }).click());
    await expectValid(page);

    // One character of the signature changed: it no longer holds.
    const [header, payload, signature] = jws.split('.');
    const changed = `${signature.slice(0, 5)}${signature[5] === 'A' ? 'B' : 'A'}${signature.slice(6)}`;
    await page.getByLabel('Bewijs', { exact: true }).fill([header, payload, changed].join('.'));
    await navigates(page, () => page.getByRole('button', { name: 'Controleren' }).click());
    expect(await page.getByRole('heading', { level: 2, name: 'Dit bewijs is niet te vertrouwen' }).count()).toBe(1);
    expect(await mainText(page)).toContain('De handtekening klopt niet');
    await axeCheck(page);
    await context.close();
  });

  it('works with the keyboard alone: Tab to the field, paste, Tab to Controleren, Enter', async () => {
    const context = await site.newContext();
    const page = await context.newPage();
    await visit(page, '/register/verifieer');
    await page.keyboard.press('Tab');
    expect(await isFocused(page.getByRole('link', { name: 'Naar de inhoud' }))).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/#inhoud$/);
    const tabTo = async (target: ReturnType<Page['getByLabel']>, most: number) => {
      for (let presses = 0; !(await isFocused(target)); presses++) {
        if (presses >= most) throw new Error(`${most} presses of Tab did not reach ${target}`);
        await page.keyboard.press('Tab');
      }
    };
    await tabTo(page.getByLabel('Bewijs', { exact: true }), 10);
    // What a paste does: the whole text at once.
    await page.keyboard.insertText(jws);
    await tabTo(page.getByRole('button', { name: 'Controleren' }), 3);
    await navigates(page, () => page.keyboard.press('Enter'));
    await expectValid(page);
    await context.close();
  });

  it('works with JavaScript off: a plain multipart form post, pasted and uploaded', async () => {
    const context = await site.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await visit(page, '/register/verifieer');
    await page.getByLabel('Bewijs', { exact: true }).fill(jws);
    await navigates(page, () => page.getByRole('button', { name: 'Controleren' }).click());
    await expectValid(page);
    await page.getByLabel('Bestand').setInputFiles(credentialPath);
    await navigates(page, () => page.getByRole('button', { name: 'Controleren' }).click());
    await expectValid(page);
    await context.close();
  });
});
