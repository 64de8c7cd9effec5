/**
 * Completions that found no one, and claims (issue 16 part 4), in a real browser against
 * `npm start`: a webhook delivery with a wrong diploma number → the provider corrects it on
 * /opleider → the participant's dossier shows the credit; a participant reports a missing
 * activity from the dossier → the provider approves it → the dossier shows it credited. axe-core on
 * every page on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { api } from '../e2e/helpers';
import { getDiploma } from '../../shared/data/participants';
import { resetDb } from '../../shared/data/client';
import { readStackFile } from '../../infra/local/stack-file';
import { admitProvider, approvedActivity, daysFromToday, importDiplomas, today, type Holder, type Provider } from './fixtures';
import { axeCheck, fillDate, navigates, openSite, pathOf, signedInContext, visit, type Site } from './harness';

let site: Site;
let provider: Provider;
let activity: { activityId: string; points: number };
const contexts: BrowserContext[] = [];

const run = Date.now().toString(36).toUpperCase();
const holder = (n: number, lastName: string): Holder => ({ diplomaNumber: `ONB-${run}-${n}`, initials: 'K.', lastName, birthDate: '1988-08-08', issuedOn: daysFromToday(-100) });
const corrected = holder(1, 'Gecorrigeerd');
const claimant = holder(2, 'Melder');
const participantIds: string[] = [];
const title = `Arbeidsomstandigheden ${run}`;

async function pageAs(subject: Parameters<typeof signedInContext>[1]): Promise<Page> {
  const context = await signedInContext(site, subject);
  contexts.push(context);
  return context.newPage();
}

const mainText = async (page: Page) => (await page.getByRole('main').innerText()).replace(/\s+/g, ' ');

beforeAll(async () => {
  site = await openSite();
  const { stack } = site;
  await importDiplomas(stack, [corrected, claimant]);
  provider = await admitProvider(stack, 'Opleider Onbekend', '55554444');
  activity = await approvedActivity(stack, provider, { title, description: 'Veilig werken op de werkvloer', activityType: 'training', topics: ['T02'], netStudyMinutes: 120 });
  // The participants' ids, from the stack's own table (only a sign-in would tell them otherwise).
  const info = readStackFile(stack.dataDir)!;
  process.env.DYNAMODB_ENDPOINT = info.dynamoEndpoint;
  process.env.TABLE_NAME = info.tableName;
  resetDb();
  for (const h of [corrected, claimant]) participantIds.push((await getDiploma(h.diplomaNumber))!.participantId as string);
}, 180_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await site?.close();
});

describe('completions that found no one, in the browser', () => {
  it('a delivery with a wrong number is corrected by the provider on /opleider and shows in the dossier', async () => {
    const externalId = `lms-${run}`;
    const body = JSON.stringify({ completions: [{ externalId, activityId: activity.activityId, participant: { diplomaNumber: `${corrected.diplomaNumber}X` }, completedOn: today() }] });
    const at = new Date();
    const id = `msg_${run}`;
    const { json } = await api(site.stack, 'POST', `/v1/webhooks/providers/${provider.providerId}/completions`, {
      raw: body,
      expect: 200,
      headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(provider.webhookSecret).sign(id, at, body) },
    });
    expect(json.results[0]).toMatchObject({ status: 'rejected', reason: 'participant-not-found' });

    const page = await pageAs({ role: 'provider', ownerId: provider.providerId, userId: `usr_${run}` });
    await visit(page, '/opleider');
    await axeCheck(page);
    expect(await page.getByRole('link', { name: 'Afrondingen zonder deelnemer en meldingen' }).count()).toBe(1);
    const table = page.getByRole('table', { name: 'Afrondingen zonder deelnemer, nieuwste eerst' });
    expect(await table.innerText()).toContain(`Diplomanummer ${corrected.diplomaNumber}X`);
    await navigates(page, () => table.getByRole('link', { name: `${corrected.diplomaNumber}X corrigeren` }).click());
    expect(pathOf(page)).toMatch(/^\/opleider\/onbekend\/unm_/);
    await axeCheck(page);

    // Nothing filled in: the error at the top, linked to its field.
    await navigates(page, () => page.getByRole('button', { name: 'Corrigeren en bijschrijven' }).click());
    await axeCheck(page);
    const summaryLink = page.getByRole('link', { name: 'Vul een registratienummer of een diplomanummer in' });
    expect(await summaryLink.getAttribute('href')).toBe('#registrationNumber');

    await page.getByLabel('Diplomanummer', { exact: true }).fill(corrected.diplomaNumber);
    await navigates(page, () => page.getByRole('button', { name: 'Corrigeren en bijschrijven' }).click());
    expect(pathOf(page)).toMatch(/\?uitkomst=credited$/);
    expect(await mainText(page)).toContain('De afronding is bijgeschreven: 2 punten.');
    await axeCheck(page);
    await visit(page, '/opleider');
    expect(await page.getByRole('table', { name: 'Afrondingen zonder deelnemer, nieuwste eerst' }).count()).toBe(0);

    const dossier = await pageAs({ role: 'participant', ownerId: participantIds[0] });
    await visit(dossier, '/dossier');
    expect(await dossier.getByRole('table', { name: 'Activiteiten waarvoor u punten heeft gekregen' }).innerText()).toContain(title);
    await axeCheck(dossier);
  }, 120_000);

  it('a participant reports a missing activity from the dossier, and the provider approves it', async () => {
    const me = await pageAs({ role: 'participant', ownerId: participantIds[1] });
    await visit(me, '/dossier');
    await navigates(me, () => me.getByRole('link', { name: 'Een activiteit melden' }).click());
    expect(pathOf(me)).toBe('/dossier/melden');
    await axeCheck(me);
    await me.getByLabel('Activiteit', { exact: true }).fill(`${site.baseUrl}/scholingskalender/${activity.activityId}`);
    await fillDate(me.getByLabel('Datum', { exact: true }), today());
    await navigates(me, () => me.getByRole('button', { name: 'Melding versturen' }).click());
    expect(pathOf(me)).toBe('/dossier?gemeld=1');
    expect(await mainText(me)).toContain('Uw melding is verstuurd.');
    const mine = me.getByRole('table', { name: 'Uw meldingen' });
    expect(await mine.innerText()).toContain('Wacht op de opleider');
    await axeCheck(me);

    const page = await pageAs({ role: 'provider', ownerId: provider.providerId, userId: `usr_${run}b` });
    await visit(page, '/opleider');
    const claims = page.getByRole('table', { name: 'Meldingen die op uw beoordeling wachten, oudste eerst' });
    await navigates(page, () => claims.getByRole('link', { name: /Melding van K\. Melder beoordelen/ }).click());
    expect(pathOf(page)).toMatch(/^\/opleider\/meldingen\/ccl_/);
    await axeCheck(page);
    await page.getByLabel('Goedkeuren', { exact: true }).check();
    await navigates(page, () => page.getByRole('button', { name: 'Besluit opslaan' }).click());
    expect(await mainText(page)).toContain('Goedgekeurd en bijgeschreven: 2 punten');
    await axeCheck(page);

    await visit(me, '/dossier');
    expect(await me.getByRole('table', { name: 'Uw meldingen' }).innerText()).toContain('Goedgekeurd en bijgeschreven: 2 punten');
    expect(await mainText(me)).toContain(title);
  }, 120_000);
});
