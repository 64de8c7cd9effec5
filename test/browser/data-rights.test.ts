/**
 * People's data in a real browser against `npm start` (issue 16 part 6): the participant downloads
 * everything the register holds from the dossier (**Mijn gegevens downloaden**); the staff erases
 * them on `/beheer/deelnemers/{participantId}` (reason, confirmation); after that the public
 * register no longer knows them. axe-core on every page on the way.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../e2e/helpers';
import { daysFromToday, importDiplomas } from './fixtures';
import { axeCheck, navigates, openSite, signedInContext, visit, type Site, downloadedFile } from './harness';

let site: Site;
const run = Date.now().toString(36).toUpperCase();
const holder = { diplomaNumber: `AVG-${run}`, initials: 'E.', lastName: `Gegevens${run.toLowerCase()}`, birthDate: '1984-04-04', email: `gegevens.${run.toLowerCase()}@example.nl`, issuedOn: daysFromToday(-30) };
let participantId: string;
let registrationNumber: string;

beforeAll(async () => {
  site = await openSite();
  // Issued after 2023: registered at once, so the public register shows them.
  await importDiplomas(site.stack, [holder]);
  const found = await api(site.stack, 'GET', `/v1/register?lastName=${encodeURIComponent(holder.lastName)}`, { expect: 200 });
  registrationNumber = found.json.items[0].registrationNumber;
}, 120_000);

afterAll(async () => {
  await site?.close();
});

describe("people's data", () => {
  it('the staff finds the participant; the participant downloads their data from the dossier', async () => {
    const staff = await (await signedInContext(site, { role: 'admin', ownerId: 'admin', userId: 'usr_avg', userName: 'Beheer AVG' })).newPage();
    await visit(staff, `/beheer/deelnemers?q=${encodeURIComponent(holder.diplomaNumber)}`);
    const link = staff.getByRole('link', { name: `${holder.initials} ${holder.lastName}` });
    participantId = (await link.getAttribute('href'))!.split('/').pop()!;
    expect(participantId).toMatch(/^par_/);
    await staff.close();

    const me = await (await signedInContext(site, { role: 'participant', ownerId: participantId })).newPage();
    await visit(me, '/dossier');
    await axeCheck(me);
    const [download] = await Promise.all([me.waitForEvent('download'), me.getByRole('link', { name: 'Mijn gegevens downloaden' }).click()]);
    expect(download.suggestedFilename()).toBe('mijn-gegevens-pe-register.json');
    const data = JSON.parse(await readFile(await downloadedFile(download), 'utf8'));
    expect(data.sections.profile).toMatchObject({ lastName: holder.lastName, email: holder.email, birthDate: holder.birthDate });
    expect(data.sections.periods).toHaveLength(1);
    expect(data.explanation.nl).toMatch(/7 jaar/);
    await me.close();
  });

  it('the staff erases them with a reason and a confirmation; the register no longer knows them', async () => {
    const staff = await (await signedInContext(site, { role: 'admin', ownerId: 'admin', userId: 'usr_avg', userName: 'Beheer AVG' })).newPage();
    await visit(staff, `/beheer/deelnemers/${participantId}`);
    await axeCheck(staff);
    // Without a reason: the error at the top, linked to the field.
    await navigates(staff, () => staff.getByRole('button', { name: 'Verder naar bevestigen' }).click());
    await expect.poll(() => staff.getByRole('link', { name: 'Vul de reden in.' }).count()).toBe(1);
    await axeCheck(staff);
    await staff.getByLabel('Reden').fill('Verzoek van de deelnemer per e-mail');
    await navigates(staff, () => staff.getByRole('button', { name: 'Verder naar bevestigen' }).click());
    await expect.poll(() => staff.getByRole('heading', { level: 1 }).innerText()).toContain('verwijderen');
    await axeCheck(staff);
    await navigates(staff, () => staff.getByRole('button', { name: 'Ja, definitief verwijderen' }).click());
    expect(new URL(staff.url()).pathname).toBe(`/beheer/deelnemers/${participantId}`);
    const main = (await staff.getByRole('main').innerText()).replace(/\s+/g, ' ');
    expect(main).toContain('De persoonsgegevens zijn verwijderd.');
    expect(main).not.toContain(holder.lastName);
    await axeCheck(staff);

    await visit(staff, `/register/${registrationNumber}`, 404);
    await axeCheck(staff);
    await api(site.stack, 'GET', `/v1/register/${registrationNumber}`, { expect: 404 });
    await staff.close();
  });
});
