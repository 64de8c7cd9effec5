/**
 * Issue 16 part 4 on the web: the provider's inbox on /opleider, the correction page
 * /opleider/onbekend/{id}, the claim decision page /opleider/meldingen/{id}, the dossier's claims and
 * /dossier/melden — with tenancy (another provider's id → 404 page, another role → 404, no session
 * → /inloggen).
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import * as home from '../../functions/web/provider-home';
import * as unmatchedPage from '../../functions/web/provider-unmatched';
import * as claimPage from '../../functions/web/provider-claim';
import * as dossier from '../../functions/web/dossier';
import * as claimForm from '../../functions/web/dossier-claim';
import * as importDiplomas from '../../functions/http/import-diplomas';
import * as receiveCompletions from '../../functions/http/receive-completions';
import { adminKey, invoke } from '../setup/helpers';
import { newProvider, type NewProvider } from '../integration/webhook.fixtures';
import { lookupApiKey, type ApiKeyRecord } from '../../shared/data/api-keys';
import { recognisedActivity } from '../integration/webhook.fixtures';
import { getDiploma, getParticipant, listRegistrations } from '../../shared/data/participants';
import { unmatchedIdFor } from '../../shared/data/unmatched';
import { addDays } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { messages } from '../../shared/i18n';
import { page, signedIn, type SignedIn } from './helpers';

const today = todayInAmsterdam();
const nl = messages('nl');
const m = nl.unmatched;
const uniq = () => randomBytes(4).toString('hex').toUpperCase();
const decodeHtml = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

interface Org {
  provider: NewProvider;
  caller: ApiKeyRecord;
  me: SignedIn;
}

async function providerOrg(): Promise<Org> {
  const provider = await newProvider();
  const caller = (await lookupApiKey(provider.apiKey))!;
  const me = await signedIn({ role: 'provider', ownerId: provider.providerId, userId: `usr_${uniq()}` });
  return { provider, caller, me };
}

async function holder() {
  const diplomaNumber = `D${uniq()}`;
  await invoke(importDiplomas, {
    path: '/v1/diplomas',
    apiKey: await adminKey(),
    body: { diplomas: [{ diplomaNumber, type: 'uitzendprofessional', issuedOn: addDays(today, -200), holder: { initials: 'J.', lastName: `Jansen${uniq()}`, birthDate: '1990-02-03' } }] },
  });
  const participantId = (await getDiploma(diplomaNumber))!.participantId as string;
  const p = (await getParticipant(participantId))!;
  const me = await signedIn({ role: 'participant', ownerId: participantId });
  return { participantId, diplomaNumber, registrationNumber: p.registrationNumber, me };
}

async function deliver(provider: NewProvider, completions: unknown[]) {
  const body = JSON.stringify({ completions });
  const id = `msg_${uniq()}`;
  const at = new Date();
  const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(provider.webhookSecret).sign(id, at, body) };
  const res = await invoke(receiveCompletions, { method: 'POST', path: `/v1/webhooks/providers/${provider.providerId}/completions`, headers, body });
  expect(res.statusCode).toBe(200);
  return res.json.results;
}

async function pointsOf(participantId: string) {
  const regs = await listRegistrations(participantId);
  return regs.find((r) => r.startsOn <= today && today < r.endsOn)!.points;
}

let org: Org;
let act: { activityId: string; points: number };

beforeAll(async () => {
  org = await providerOrg();
  act = await recognisedActivity(org.caller, addDays(today, -400));
});

describe('correcting a completion that found no one', () => {
  it('listed on /opleider, corrected on its page (errors linked to the fields), credited once, then gone from the list', async () => {
    const person = await holder();
    const externalId = `lms-${uniq()}`;
    await deliver(org.provider, [{ externalId, activityId: act.activityId, participant: { registrationNumber: 'PE-FOUT01' }, completedOn: addDays(today, -2) }]);
    const unmatchedId = unmatchedIdFor(org.provider.providerId, externalId);

    const homePage = await page(home, { path: '/opleider', session: org.me });
    expect(homePage.statusCode).toBe(200);
    const html = decodeHtml(homePage.body);
    expect(html).toContain(m.unmatchedHeading);
    expect(html).toContain(`href="/opleider/onbekend/${unmatchedId}"`);
    expect(html).toContain('Registratienummer PE-FOUT01');
    expect(html).toContain('href="#onbekend"');

    const form = await page(unmatchedPage, { path: `/opleider/onbekend/${unmatchedId}`, session: org.me });
    expect(form.statusCode).toBe(200);
    expect(decodeHtml(form.body)).toContain(externalId);

    const neither = await page(unmatchedPage, { path: `/opleider/onbekend/${unmatchedId}`, session: org.me, form: { registrationNumber: '', diplomaNumber: '' } });
    expect(neither.statusCode).toBe(400);
    expect(neither.body).toContain('href="#registrationNumber"');
    expect(decodeHtml(neither.body)).toContain(m.oneOfBoth);
    const both = await page(unmatchedPage, { path: `/opleider/onbekend/${unmatchedId}`, session: org.me, form: { registrationNumber: person.registrationNumber, diplomaNumber: person.diplomaNumber } });
    expect(decodeHtml(both.body)).toContain(m.notBoth);
    const nobody = await page(unmatchedPage, { path: `/opleider/onbekend/${unmatchedId}`, session: org.me, form: { registrationNumber: 'PE-FOUT02', diplomaNumber: '' } });
    expect(nobody.statusCode).toBe(400);
    expect(decodeHtml(nobody.body)).toContain(nl.provider.reasons['participant-not-found']);
    expect(await pointsOf(person.participantId)).toBe(0);

    const done = await page(unmatchedPage, { path: `/opleider/onbekend/${unmatchedId}`, session: org.me, form: { registrationNumber: '', diplomaNumber: person.diplomaNumber.toLowerCase() } });
    expect(done.statusCode).toBe(303);
    expect(done.location).toBe(`/opleider/onbekend/${unmatchedId}?uitkomst=credited`);
    const shown = await page(unmatchedPage, { path: done.location!, session: org.me });
    expect(shown.body).toContain('utrecht-alert');
    expect(shown.body).not.toContain('name="registrationNumber"');
    expect(await pointsOf(person.participantId)).toBe(act.points);

    // Posted again (a second tab): duplicate, nothing twice.
    const again = await page(unmatchedPage, { path: `/opleider/onbekend/${unmatchedId}`, session: org.me, form: { registrationNumber: person.registrationNumber, diplomaNumber: '' } });
    expect(again.location).toBe(`/opleider/onbekend/${unmatchedId}?uitkomst=duplicate`);
    expect(await pointsOf(person.participantId)).toBe(act.points);
    expect((await page(home, { path: '/opleider', session: org.me })).body).not.toContain(`/opleider/onbekend/${unmatchedId}`);
  });

  it('tenancy: another provider’s item is the 404 page (GET and POST), another role 404, no session → /inloggen', async () => {
    const externalId = `lms-${uniq()}`;
    await deliver(org.provider, [{ externalId, activityId: act.activityId, participant: { registrationNumber: 'PE-FOUT03' }, completedOn: addDays(today, -2) }]);
    const path = `/opleider/onbekend/${unmatchedIdFor(org.provider.providerId, externalId)}`;
    const other = await providerOrg();
    expect((await page(unmatchedPage, { path, session: other.me })).statusCode).toBe(404);
    const person = await holder();
    expect((await page(unmatchedPage, { path, session: other.me, form: { registrationNumber: person.registrationNumber, diplomaNumber: '' } })).statusCode).toBe(404);
    expect(await pointsOf(person.participantId)).toBe(0);
    expect((await page(unmatchedPage, { path, session: person.me })).statusCode).toBe(404);
    const stranger = await page(unmatchedPage, { path });
    expect(stranger.statusCode).toBe(303);
    expect(stranger.location).toMatch(/^\/inloggen\?next=/);
    expect((await page(home, { path: '/opleider', session: other.me })).body).not.toContain(path);
  });
});

describe('claims from the dossier', () => {
  it('filed on /dossier/melden (the catalogue address pasted), shown on the dossier and /opleider, approved on its page: credited once', async () => {
    const person = await holder();
    const empty = await page(claimForm, { path: '/dossier/melden', session: person.me, form: { activityId: '', completedOn: '' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#activityId"');
    expect(empty.body).toContain('href="#completedOn"');
    const future = await page(claimForm, { path: '/dossier/melden', session: person.me, form: { activityId: act.activityId, completedOn: addDays(today, 1) } });
    expect(decodeHtml(future.body)).toContain(m.dateInFuture);
    const unknown = await page(claimForm, { path: '/dossier/melden', session: person.me, form: { activityId: 'act_' + '1'.repeat(26), completedOn: addDays(today, -1) } });
    expect(unknown.statusCode).toBe(409);
    expect(decodeHtml(unknown.body)).toContain(m.activityNotRecognized);

    const prefilled = await page(claimForm, { path: `/dossier/melden?activiteit=${act.activityId}`, session: person.me });
    expect(prefilled.body).toContain(`value="${act.activityId}"`);
    const filed = await page(claimForm, { path: '/dossier/melden', session: person.me, form: { activityId: `http://localhost:3000/scholingskalender/${act.activityId.toLowerCase()}`, completedOn: addDays(today, -3) } });
    expect(filed.statusCode).toBe(303);
    expect(filed.location).toBe('/dossier?gemeld=1');
    const twice = await page(claimForm, { path: '/dossier/melden', session: person.me, form: { activityId: act.activityId, completedOn: addDays(today, -3) } });
    expect(decodeHtml(twice.body)).toContain(m.claimPending);

    const mine = decodeHtml((await page(dossier, { path: '/dossier?gemeld=1', session: person.me })).body);
    expect(mine).toContain(m.claimFiled);
    expect(mine).toContain(m.missingHeading);
    expect(mine).toContain('href="/dossier/melden"');
    expect(mine).toContain(m.statuses.pending);
    expect(await pointsOf(person.participantId)).toBe(0);

    const inbox = (await page(home, { path: '/opleider', session: org.me })).body;
    const claimId = /\/opleider\/meldingen\/(ccl_[0-9A-Z]{26})/.exec(inbox)?.[1];
    expect(claimId).toBeDefined();
    const path = `/opleider/meldingen/${claimId}`;
    const other = await providerOrg();
    expect((await page(claimPage, { path, session: other.me })).statusCode).toBe(404);
    expect((await page(claimPage, { path, session: other.me, form: { decision: 'approved', reason: '' } })).statusCode).toBe(404);
    expect((await page(claimPage, { path, session: person.me })).statusCode).toBe(404);

    const noReason = await page(claimPage, { path, session: org.me, form: { decision: 'rejected', reason: '' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('href="#reason"');
    const none = await page(claimPage, { path, session: org.me, form: { reason: '' } });
    expect(none.body).toContain('href="#decision"');

    const ok = await page(claimPage, { path, session: org.me, form: { decision: 'approved', reason: '' } });
    expect(ok.statusCode).toBe(303);
    expect(ok.location).toBe(`${path}?besloten=1`);
    expect(await pointsOf(person.participantId)).toBe(act.points);
    const twiceDecided = await page(claimPage, { path, session: org.me, form: { decision: 'rejected', reason: 'toch niet' } });
    expect(twiceDecided.location).toBe(`${path}?al=1`);
    expect(await pointsOf(person.participantId)).toBe(act.points);
    const after = decodeHtml((await page(dossier, { path: '/dossier', session: person.me })).body);
    expect(after).toContain(m.approvedCredited(nl.catalogue.points('2')));
  });
});
