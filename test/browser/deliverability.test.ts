/**
 * Issue 16 part 5 in a real browser against `npm start`: a hard bounce reaches the SES events
 * function as SNS would deliver it (a real SES bounce notification inside an SNS envelope, written
 * to the stack's own DynamoDB) → the dossier warns → **Nieuw e-mailadres** → the link in the mail
 * to the new address → the address is changed and the warning gone. axe-core on every page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import * as sesEvents from '../../functions/events/ses-events';
import { bounceNotification, snsEnvelope } from '../setup/ses-events';
import { readStackFile } from '../../infra/local/stack-file';
import { resetDb } from '../../shared/data/client';
import { getDiploma } from '../../shared/data/participants';
import { importDiplomas, type Holder } from './fixtures';
import { axeCheck, navigates, openSite, pathOf, signedInContext, submitOf, visit, waitForLink, type Site } from './harness';

let site: Site;
const run = Date.now().toString(36);
const holder: Holder & { email: string } = {
  diplomaNumber: `BNC-${run}`.toUpperCase(),
  initials: 'K.',
  lastName: 'Terugslag',
  birthDate: '1984-04-04',
  email: `terugslag.${run}@example.nl`,
};
const newAddress = `nieuw.terugslag.${run}@example.nl`;

/** Runs `fn` against the stack's own DynamoDB (as its functions would), then points back at the test's. */
async function onStackDb<T>(fn: () => Promise<T>): Promise<T> {
  const info = readStackFile(site.stack.dataDir);
  if (!info) throw new Error('the stack file is missing');
  const saved = { endpoint: process.env.DYNAMODB_ENDPOINT, table: process.env.TABLE_NAME };
  process.env.DYNAMODB_ENDPOINT = info.dynamoEndpoint;
  process.env.TABLE_NAME = info.tableName;
  resetDb();
  try {
    return await fn();
  } finally {
    process.env.DYNAMODB_ENDPOINT = saved.endpoint;
    process.env.TABLE_NAME = saved.table;
    resetDb();
  }
}

const mainText = async (page: Page) => (await page.getByRole('main').innerText()).replace(/\s+/g, ' ');

beforeAll(async () => {
  site = await openSite();
  await importDiplomas(site.stack, [holder]);
}, 180_000);
afterAll(async () => {
  await site?.close();
});

describe('a bounced address in the browser', () => {
  let context: BrowserContext;
  let page: Page;

  afterAll(async () => {
    await context?.close();
  });

  it('bounce → the dossier warns → Nieuw e-mailadres → the link in the mail → the address is changed, the warning gone', async () => {
    const participantId = await onStackDb(async () => {
      const summary = await sesEvents.handler(snsEnvelope(bounceNotification([holder.email])));
      expect(summary).toMatchObject({ marked: 1 });
      return (await getDiploma(holder.diplomaNumber))!.participantId as string;
    });

    context = await signedInContext(site, { role: 'participant', ownerId: participantId });
    page = await context.newPage();
    await visit(page, '/dossier');
    expect(await mainText(page)).toContain('Uw e-mailadres is niet bereikbaar');
    await axeCheck(page);

    // The warning's link leads to the form; fill it in by its label (WEB.md: **Nieuw e-mailadres**).
    const field = page.getByLabel('Nieuw e-mailadres', { exact: true });
    await field.fill(newAddress);
    await navigates(page, () => submitOf(page, field).click());
    expect(pathOf(page)).toBe('/dossier?e-mailadres=verstuurd');
    expect(await mainText(page)).toContain('bevestigingslink naar het nieuwe adres gestuurd');
    await axeCheck(page);

    const link = await waitForLink(site.stack, newAddress, '/dossier/e-mailadres');
    expect(new URL(link).origin).toBe(site.baseUrl);
    await visit(page, link);
    expect(await mainText(page)).toContain('Uw e-mailadres is gewijzigd');
    await axeCheck(page);

    await visit(page, '/dossier');
    const text = await mainText(page);
    expect(text).not.toContain('niet bereikbaar');
    expect(text).toContain(newAddress);
    await axeCheck(page);

    // The link works once.
    await visit(page, link, 410);
    await axeCheck(page);
  });
});
