/**
 * The provider pages (issue 15 point 3; WEB.md `/opleider…`) and the recognition-request pages of
 * both providers and employers, on DynamoDB Local, with organisations, diplomas and decisions made
 * through the API's own handlers and services.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import * as home from '../../functions/web/provider-home';
import * as requestNew from '../../functions/web/provider-request-new';
import * as requestOne from '../../functions/web/provider-request';
import * as employerRequestNew from '../../functions/web/employer-request-new';
import * as employerRequestOne from '../../functions/web/employer-request';
import * as activityPage from '../../functions/web/provider-activity';
import * as attendance from '../../functions/web/provider-attendance';
import * as integration from '../../functions/web/provider-integration';
import * as catalogueWeb from '../../functions/web/catalogue';
import * as activityWeb from '../../functions/web/activity';
import * as createEmployer from '../../functions/http/create-employer';
import * as importDiplomas from '../../functions/http/import-diplomas';
import * as receiveCompletions from '../../functions/http/receive-completions';
import * as putTopic from '../../functions/http/put-topic';
import { adminKey, invoke } from '../setup/helpers';
import { newProvider, verifies, type NewProvider } from '../integration/webhook.fixtures';
import { lookupApiKey, type ApiKeyRecord } from '../../shared/data/api-keys';
import { decide, submitRequest } from '../../shared/services/recognition';
import { getProvider } from '../../shared/data/organisations';
import { getDiploma, getParticipant, listRegistrations } from '../../shared/data/participants';
import { getActivity } from '../../shared/data/activities';
import { getRequest } from '../../shared/data/recognition';
import { addDays } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { messages } from '../../shared/i18n';
import { page, signedIn, type SignedIn } from './helpers';

const today = todayInAmsterdam();
const nl = messages('nl');
const p = nl.provider;
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

const BODY = {
  description: 'Ketenregeling en ontslag',
  learningGoals: ['De deelnemer kent de ketenregeling'],
  activityType: 'training',
  nature: 'updating',
  topics: ['T02'],
  netStudyMinutes: 180,
  completion: { type: 'test', description: 'Toets van 20 vragen' },
} as const;

/** A recognized activity of this provider, approved `daysAgo` days ago (crediting needs it recognized on the completion date). */
async function approvedActivity(org: Org, daysAgo = 30, sessions: { startsOn: string; location?: string; online?: boolean }[] = []) {
  const req = await submitRequest(org.caller, { ...BODY, title: `Arbeidsrecht ${uniq()}`, learningGoals: [...BODY.learningGoals], topics: [...BODY.topics], completion: { ...BODY.completion }, sessions } as never);
  const admin = (await lookupApiKey(await adminKey()))!;
  const decided = (await decide(admin, req.requestId, { decision: 'approved' }, addDays(today, -daysAgo))) as { activityId: string; points: number };
  return { requestId: req.requestId, activityId: decided.activityId, points: decided.points, title: req.title };
}

/** A diploma holder registered for a year now. */
async function participant() {
  const diplomaNumber = `D${uniq()}${uniq()}`;
  const res = await invoke(importDiplomas, {
    path: '/v1/diplomas',
    apiKey: await adminKey(),
    body: { diplomas: [{ diplomaNumber, type: 'backofficeprofessional', issuedOn: addDays(today, -300), holder: { initials: 'A.', lastName: `Bakker${uniq()}`, birthDate: '1985-01-01' } }] },
  });
  expect(res.statusCode).toBe(200);
  const participantId = (await getDiploma(diplomaNumber))!.participantId as string;
  const profile = (await getParticipant(participantId))!;
  return { participantId, registrationNumber: profile.registrationNumber as string };
}

async function pointsOf(participantId: string): Promise<number> {
  const regs = await listRegistrations(participantId);
  return regs.reduce((sum, r) => sum + Number(r.points ?? 0), 0);
}

/** The whole form of a request, as a browser posts it (every field). */
function fullForm(title: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    title,
    description: 'Wat de uitzendprofessional moet weten over de ketenregeling.\r\nMet oefencasussen.',
    learningGoals: 'De deelnemer kent de ketenregeling\r\nDe deelnemer past de fasen toe\r\n',
    activityType: 'workshop',
    nature: 'deepening',
    topics_T02: 'ja',
    topics_T05: 'ja',
    netStudyMinutes: '150',
    completionType: 'final-assignment',
    completionDescription: 'Een eindopdracht over een casus',
    session0StartsOn: addDays(today, 20),
    session0EndsOn: addDays(today, 21),
    session0Location: 'Utrecht',
    session1StartsOn: addDays(today, 40),
    session1EndsOn: '',
    session1Location: '',
    session1Online: 'ja',
    session2StartsOn: '',
    session2EndsOn: '',
    session2Location: '',
    ...extra,
  };
}

/** The fields the error summary links to (`#field`), in order. */
const summaryLinks = (body: string) => {
  const summary = /<div class="utrecht-alert utrecht-alert--error" role="alert" aria-labelledby="foutmeldingen-titel">([\s\S]*?)<\/ul>/.exec(body)?.[1] ?? '';
  return [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
};

describe('recognition requests on the web', () => {
  let org: Org;
  beforeAll(async () => {
    org = await providerOrg();
  });

  it('shows the form with every field; topics as checkboxes with their names, retired ones not offered', async () => {
    const code = `R${uniq().slice(0, 4)}`;
    await invoke(putTopic, { method: 'PUT', path: `/v1/topics/${code}`, apiKey: await adminKey(), body: { name: `Ingetrokken onderwerp ${code}` } });
    await invoke(putTopic, { method: 'PUT', path: `/v1/topics/${code}`, apiKey: await adminKey(), body: { name: `Ingetrokken onderwerp ${code}`, retired: true } });
    const res = await page(requestNew, { path: '/opleider/aanvragen/nieuw', session: org.me });
    expect(res.statusCode).toBe(200);
    for (const name of ['title', 'description', 'learningGoals', 'activityType', 'nature', 'netStudyMinutes', 'completionType', 'completionDescription', 'session0StartsOn', 'session0EndsOn', 'session0Location', 'session0Online']) {
      expect(res.body, name).toContain(`name="${name}"`);
    }
    expect(res.body).toMatch(/<input type="checkbox"[^>]*id="topics"[^>]*name="topics_T01"/);
    expect(res.body).toContain('name="topics_T02"');
    expect(res.body).not.toContain(`topics_${code}`);
    expect(res.body).not.toContain('name="internal"');
    expect(res.body.match(/<h1[\s>]/g)).toHaveLength(1);
  });

  it('submits a request with every field through the API service, and shows it with its history', async () => {
    const title = `Ketenregeling in de praktijk ${uniq()}`;
    const res = await page(requestNew, { path: '/opleider/aanvragen/nieuw', session: org.me, form: fullForm(title) });
    expect(res.statusCode).toBe(303);
    const m = /^\/opleider\/aanvragen\/(req_[0-9A-Z]{26})\?ingediend=1$/.exec(res.location ?? '');
    expect(m).not.toBeNull();
    const stored = (await getRequest(m![1]))!;
    expect(stored).toMatchObject({
      ownerId: org.provider.providerId,
      ownerRole: 'provider',
      status: 'submitted',
      title,
      description: 'Wat de uitzendprofessional moet weten over de ketenregeling.\r\nMet oefencasussen.',
      learningGoals: ['De deelnemer kent de ketenregeling', 'De deelnemer past de fasen toe'],
      activityType: 'workshop',
      nature: 'deepening',
      topics: ['T02', 'T05'],
      netStudyMinutes: 150,
      completion: { type: 'final-assignment', description: 'Een eindopdracht over een casus' },
      internal: false,
      sessions: [
        { startsOn: addDays(today, 20), endsOn: addDays(today, 21), location: 'Utrecht' },
        { startsOn: addDays(today, 40), online: true },
      ],
    });
    const shown = await page(requestOne, { path: res.location!, session: org.me });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain(p.submitted);
    expect(shown.body).toContain(p.statuses.submitted);
    expect(shown.body).toContain(p.historyCaption);
    const list = await page(home, { path: '/opleider', session: org.me });
    expect(decodeHtml(list.body)).toContain(p.statusHeadings.submitted(1));
    expect(decodeHtml(list.body)).toContain(title);
  });

  it('names every bad field at the top, linked, and beside the field, and keeps what was typed', async () => {
    const form = fullForm('', { netStudyMinutes: '20', session0Location: '' });
    delete form.topics_T02;
    delete form.topics_T05;
    delete form.session0EndsOn;
    const res = await page(requestNew, { path: '/opleider/aanvragen/nieuw', session: org.me, form });
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res.body)).toEqual(['title', 'topics', 'netStudyMinutes', 'session0Location']);
    const body = decodeHtml(res.body);
    expect(body).toContain(nl.errors.required(p.fieldTitle));
    expect(body).toContain(p.topicsRequired);
    expect(body).toContain(p.minutesInvalid);
    // Beside each field too, and the field says it is invalid.
    expect(res.body).toMatch(/id="title-fout">[^<]+<\/div>/);
    expect(res.body).toMatch(/id="netStudyMinutes"[^>]*aria-invalid="true"/);
    expect(res.body).toContain('id="topics-fout"');
    // Kept: what was typed.
    expect(res.body).toContain('value="20"');
    expect(body).toContain('Een eindopdracht over een casus');
    expect(res.body).toMatch(/<option value="workshop" selected/);
    // Nothing was written.
    const mine = await page(home, { path: '/opleider', session: org.me });
    expect((mine.body.match(/href="\/opleider\/aanvragen\/req_/g) ?? []).length).toBe(1);
  });

  it('shows the admin\'s reason after changes were requested, prefills the form, and resubmits', async () => {
    const title = `Wijzig mij ${uniq()}`;
    const req = await submitRequest(org.caller, { ...BODY, title, learningGoals: [...BODY.learningGoals], topics: [...BODY.topics], completion: { ...BODY.completion } } as never);
    const admin = (await lookupApiKey(await adminKey()))!;
    await decide(admin, req.requestId, { decision: 'changes-requested', reason: 'Noem de toetsvorm preciezer.' }, today);
    const shown = await page(requestOne, { path: `/opleider/aanvragen/${req.requestId}`, session: org.me });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Noem de toetsvorm preciezer.');
    expect(shown.body).toContain(p.resubmitHeading);
    expect(shown.body).toContain(`value="${title}"`);
    expect(shown.body).toMatch(/name="topics_T02" value="ja" checked/);
    const home1 = await page(home, { path: '/opleider', session: org.me });
    expect(decodeHtml(home1.body)).toContain(p.resubmitLink(title));

    const bad = await page(requestOne, { path: `/opleider/aanvragen/${req.requestId}`, session: org.me, form: fullForm(title, { netStudyMinutes: 'veel' }) });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad.body)).toEqual(['netStudyMinutes']);
    expect((await getRequest(req.requestId, true))!.status).toBe('changes-requested');

    const ok = await page(requestOne, { path: `/opleider/aanvragen/${req.requestId}`, session: org.me, form: fullForm(title, { completionDescription: 'Toets van 20 meerkeuzevragen, 70% goed' }) });
    expect(ok.statusCode).toBe(303);
    expect(ok.location).toBe(`/opleider/aanvragen/${req.requestId}?opnieuw=1`);
    const after = (await getRequest(req.requestId, true))!;
    expect(after.status).toBe('submitted');
    expect(after.completion.description).toBe('Toets van 20 meerkeuzevragen, 70% goed');
    expect(after.history.map((h) => h.transition)).toEqual(['submitted', 'changes-requested', 'resubmitted']);
    // Once resubmitted, posting the form again changes nothing.
    const again = await page(requestOne, { path: `/opleider/aanvragen/${req.requestId}`, session: org.me, form: fullForm(title) });
    expect(again.statusCode).toBe(409);
    expect((await getRequest(req.requestId, true))!.version).toBe(after.version);
  });

  it('gives employers the same pages under /werkgever, with the internal choice', async () => {
    const res = await invoke(createEmployer, { path: '/v1/employers', apiKey: await adminKey(), body: { name: `Uitzend ${uniq()}`, kvkNumber: '87654321', invoiceEmail: `f${uniq()}@example.nl`.toLowerCase(), address: { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' } } });
    expect(res.statusCode).toBe(201);
    const employerId = res.json.employerId as string;
    const me = await signedIn({ role: 'employer', ownerId: employerId, userId: `usr_${uniq()}` });
    const form = await page(employerRequestNew, { path: '/werkgever/aanvragen/nieuw', session: me });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="internal"');
    const title = `Intern ${uniq()}`;
    const posted = await page(employerRequestNew, { path: '/werkgever/aanvragen/nieuw', session: me, form: fullForm(title, { internal: 'ja' }) });
    expect(posted.statusCode).toBe(303);
    const requestId = /\/werkgever\/aanvragen\/(req_[0-9A-Z]{26})/.exec(posted.location!)![1];
    expect((await getRequest(requestId))!).toMatchObject({ ownerRole: 'employer', ownerId: employerId, internal: true });
    const shown = await page(employerRequestOne, { path: `/werkgever/aanvragen/${requestId}`, session: me });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain(p.internalYes);
    // The provider cannot see it, nor the employer the provider's.
    expect((await page(requestOne, { path: `/opleider/aanvragen/${requestId}`, session: org.me })).statusCode).toBe(404);
    const providers = await submitRequest(org.caller, { ...BODY, title: `Van opleider ${uniq()}`, learningGoals: [...BODY.learningGoals], topics: [...BODY.topics], completion: { ...BODY.completion } } as never);
    expect((await page(employerRequestOne, { path: `/werkgever/aanvragen/${providers.requestId}`, session: me })).statusCode).toBe(404);
    // A provider's request form does not offer or accept `internal` (the body rules).
    const providerInternal = await page(requestNew, { path: '/opleider/aanvragen/nieuw', session: org.me, form: fullForm(`Intern? ${uniq()}`, { internal: 'ja' }) });
    expect(providerInternal.statusCode).toBe(303);
    expect((await getRequest(/(req_[0-9A-Z]{26})/.exec(providerInternal.location!)![1]))!.internal).toBe(false);
  });
});

describe('activities and their sessions', () => {
  it('adds, changes and cancels a session, and the catalogue shows each change', async () => {
    const org = await providerOrg();
    const a = await approvedActivity(org, 10, [{ startsOn: addDays(today, 30), location: 'Zwolle' }]);
    const shown = await page(activityPage, { path: `/opleider/activiteiten/${a.activityId}`, session: org.me });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('value="Zwolle"');

    const add = await page(activityPage, {
      path: `/opleider/activiteiten/${a.activityId}`,
      session: org.me,
      form: { row: 'new', version: '0', action: 'add', startsOn_new: addDays(today, 60), endsOn_new: '', location_new: 'Groningen' },
    });
    expect(add.statusCode).toBe(303);
    expect(add.location).toBe(`/opleider/activiteiten/${a.activityId}?bijeenkomst=toegevoegd`);
    let public1 = await page(activityWeb, { path: `/scholingskalender/${a.activityId}` });
    expect(public1.body).toContain('Groningen');
    expect(public1.body).toContain('Zwolle');
    // The catalogue page's session-date filter follows: the new last session is after day 45.
    const filtered = await page(catalogueWeb, { path: `/scholingskalender?from=${addDays(today, 45)}&q=${encodeURIComponent(a.title)}` });
    expect(decodeHtml(filtered.body)).toContain(a.title);

    // A stale form (version 0 again) is refused and changes nothing.
    const stale = await page(activityPage, { path: `/opleider/activiteiten/${a.activityId}`, session: org.me, form: { row: '0', version: '0', action: 'cancel' } });
    expect(stale.statusCode).toBe(409);
    expect((await getActivity(a.activityId))!.sessions).toHaveLength(2);

    // Sessions are listed by date: 0 = Zwolle, 1 = Groningen.
    const changed = await page(activityPage, {
      path: `/opleider/activiteiten/${a.activityId}`,
      session: org.me,
      form: { row: '1', version: '1', action: 'change', startsOn_1: addDays(today, 61), endsOn_1: addDays(today, 62), location_1: '', online_1: 'ja' },
    });
    expect(changed.statusCode).toBe(303);
    let stored = (await getActivity(a.activityId))!;
    expect(stored.sessions).toEqual([
      { startsOn: addDays(today, 30), location: 'Zwolle' },
      { startsOn: addDays(today, 61), endsOn: addDays(today, 62), online: true },
    ]);
    public1 = await page(activityWeb, { path: `/scholingskalender/${a.activityId}` });
    expect(public1.body).not.toContain('Groningen');

    const bad = await page(activityPage, { path: `/opleider/activiteiten/${a.activityId}`, session: org.me, form: { row: '0', version: '2', action: 'change', startsOn_0: '', location_0: '' } });
    expect(bad.statusCode).toBe(400);
    expect(summaryLinks(bad.body)).toEqual(['startsOn_0', 'location_0']);

    const cancelled = await page(activityPage, { path: `/opleider/activiteiten/${a.activityId}`, session: org.me, form: { row: '0', version: '2', action: 'cancel' } });
    expect(cancelled.statusCode).toBe(303);
    stored = (await getActivity(a.activityId))!;
    expect(stored.sessions).toEqual([{ startsOn: addDays(today, 61), endsOn: addDays(today, 62), online: true }]);
    public1 = await page(activityWeb, { path: `/scholingskalender/${a.activityId}` });
    expect(public1.body).not.toContain('Zwolle');
    // The catalogue list (the per-topic copy too) shows the same sessions.
    const list = await page(catalogueWeb, { path: `/scholingskalender?topic=T02&q=${encodeURIComponent(a.title)}` });
    expect(decodeHtml(list.body)).toContain(a.title);
    const topicCopy = await import('../../shared/data/activities').then((m) => m.queryCatalogue({ topic: 'T02', q: a.title }, today, { limit: 5 }));
    expect(topicCopy.items.find((x) => x.activityId === a.activityId)?.sessions).toEqual(stored.sessions);
    const all = await import('../../shared/data/activities').then((m) => m.queryCatalogue({ q: a.title, from: addDays(today, 55) }, today, { limit: 5 }));
    expect(all.items.map((x) => x.activityId)).toEqual([a.activityId]);
  });

  it('lets one of two concurrent changes land', async () => {
    const org = await providerOrg();
    const a = await approvedActivity(org, 10);
    const post = (place: string) =>
      page(activityPage, { path: `/opleider/activiteiten/${a.activityId}`, session: org.me, form: { row: 'new', version: '0', action: 'add', startsOn_new: addDays(today, 5), location_new: place } });
    const answers = await Promise.all([post('Assen'), post('Emmen'), post('Hoorn')]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([303, 409, 409]);
    expect((await getActivity(a.activityId))!.sessions).toHaveLength(1);
  });
});

describe('attendance by hand', () => {
  it('credits pasted registration numbers with the webhook\'s outcomes per row, and a repeated submit credits once', async () => {
    const org = await providerOrg();
    const a = await approvedActivity(org, 30);
    const [one, two] = [await participant(), await participant()];
    const form = await page(attendance, { path: '/opleider/presentie', session: org.me });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`>${p.fieldActivity}</label>`);
    expect(form.body).toContain(`>${p.fieldDate}</label>`);
    expect(form.body).toContain(`>${p.fieldNumbers}</label>`);
    expect(form.body).toContain('enctype="multipart/form-data"');
    const fields = { activityId: a.activityId, completedOn: addDays(today, -1), registrationNumbers: `${one.registrationNumber}\r\n${two.registrationNumber.toLowerCase()}\r\nPE-000000\r\n${one.registrationNumber}` };
    const first = await page(attendance, { path: '/opleider/presentie', session: org.me, form: fields });
    expect(first.statusCode).toBe(200);
    const body = decodeHtml(first.body);
    expect(body).toContain(p.outcomeCredited(nl.catalogue.points('3')));
    expect(body).toContain(p.reasons['participant-not-found']);
    expect(body).toContain(p.outcomeDuplicate);
    expect(body).toContain(p.outcomesCaption);
    expect(await pointsOf(one.participantId)).toBe(3);
    expect(await pointsOf(two.participantId)).toBe(3);
    const again = await page(attendance, { path: '/opleider/presentie', session: org.me, form: fields });
    expect(again.statusCode).toBe(200);
    expect(decodeHtml(again.body)).not.toContain(p.outcomeCredited(nl.catalogue.points('3')));
    expect(await pointsOf(one.participantId)).toBe(3);
    // Concurrent double submits credit once as well.
    const three = await participant();
    const twice = { ...fields, registrationNumbers: three.registrationNumber };
    await Promise.all([page(attendance, { path: '/opleider/presentie', session: org.me, form: twice }), page(attendance, { path: '/opleider/presentie', session: org.me, form: twice })]);
    expect(await pointsOf(three.participantId)).toBe(3);
  });

  it('credits a CSV as Dutch Excel saves it, per row, with per-row dates', async () => {
    const org = await providerOrg();
    const a = await approvedActivity(org, 30);
    const [one, two] = [await participant(), await participant()];
    const future = addDays(today, 3);
    const [y, mo, d] = future.split('-');
    const csv = `\uFEFFRegistratienummer;Datum\r\n${one.registrationNumber};\r\n${two.registrationNumber};${d}-${mo}-${y}\r\n;\r\n`;
    const res = await page(attendance, { path: '/opleider/presentie', session: org.me, form: { activityId: a.activityId, completedOn: addDays(today, -2), registrationNumbers: '' }, files: { Bestand: { filename: 'presentie.csv', content: csv } } });
    expect(res.statusCode).toBe(200);
    const body = decodeHtml(res.body);
    expect(body).toContain(p.outcomeCredited(nl.catalogue.points('3')));
    expect(body).toContain(p.reasons['completion-in-future']);
    expect(await pointsOf(one.participantId)).toBe(3);
    expect(await pointsOf(two.participantId)).toBe(0);
    const again = await page(attendance, { path: '/opleider/presentie', session: org.me, form: { activityId: a.activityId, completedOn: addDays(today, -2), registrationNumbers: '' }, files: { Bestand: { filename: 'presentie.csv', content: csv } } });
    expect(decodeHtml(again.body)).toContain(p.outcomeDuplicate);
    expect(await pointsOf(one.participantId)).toBe(3);

    const badHeader = await page(attendance, { path: '/opleider/presentie', session: org.me, form: { activityId: a.activityId, completedOn: addDays(today, -2), registrationNumbers: '' }, files: { Bestand: { filename: 'x.csv', content: 'Naam;Datum\r\nJan;\r\n' } } });
    expect(badHeader.statusCode).toBe(400);
    expect(summaryLinks(badHeader.body)).toEqual(['Bestand']);
  });

  it('names missing fields, and refuses another provider\'s activity', async () => {
    const org = await providerOrg();
    const other = await providerOrg();
    const theirs = await approvedActivity(other, 30);
    const someone = await participant();
    const res = await page(attendance, { path: '/opleider/presentie', session: org.me, form: { activityId: theirs.activityId, completedOn: '', registrationNumbers: someone.registrationNumber } });
    expect(res.statusCode).toBe(400);
    expect(summaryLinks(res.body)).toEqual(['activityId', 'completedOn']);
    expect(await pointsOf(someone.participantId)).toBe(0);
  });
});

describe('the integration page', () => {
  it('rotates the secret, shows it once, and the old one still verifies', async () => {
    const org = await providerOrg();
    const shown = await page(integration, { path: '/opleider/koppeling', session: org.me });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain(`/v1/webhooks/providers/${org.provider.providerId}/completions`);
    expect(shown.body).toContain(`>${p.rotateButton}</button>`);
    expect(shown.body).toContain('webhook-signature: v1,');
    const rotated = await page(integration, { path: '/opleider/koppeling', session: org.me, form: {} });
    expect(rotated.statusCode).toBe(200);
    const secret = /(whsec_[A-Za-z0-9+/=]+)<\/code>/.exec(rotated.body)?.[1];
    expect(secret).toBeDefined();
    expect(rotated.body).toContain(p.newSecretOnce);
    expect(await verifies(org.provider.providerId, secret!)).toBe(true);
    expect(await verifies(org.provider.providerId, org.provider.webhookSecret)).toBe(true);
    const later = await page(integration, { path: '/opleider/koppeling', session: org.me });
    expect(later.body).not.toContain(secret!);
  });

  it('computes the worked example so that it verifies with the example secret', async () => {
    const org = await providerOrg();
    const res = await page(integration, { path: '/opleider/koppeling', session: org.me });
    const body = decodeHtml(res.body);
    const secret = /voorbeeldsleutel (whsec_\S+)/.exec(body)![1];
    const id = /-H 'webhook-id: (msg_[^']+)'/.exec(body)![1];
    const ts = /-H 'webhook-timestamp: (\d+)'/.exec(body)![1];
    const sig = /-H 'webhook-signature: (v1,[^']+)'/.exec(body)![1];
    const data = /--data-raw '([^']+)'/.exec(body)![1];
    const expected = new Webhook(secret).sign(id, new Date(Number(ts) * 1000), data);
    expect(sig).toBe(expected);
  });

  it('lists a webhook delivery with its outcome per item', async () => {
    const org = await providerOrg();
    const a = await approvedActivity(org, 30);
    const someone = await participant();
    const body = JSON.stringify({
      completions: [
        { externalId: `ext-${uniq()}`, activityId: a.activityId, participant: { registrationNumber: someone.registrationNumber }, completedOn: addDays(today, -1) },
        { externalId: `ext-${uniq()}`, activityId: a.activityId, participant: { registrationNumber: 'PE-000000' }, completedOn: addDays(today, -1) },
      ],
    });
    const id = `msg_${uniq()}`;
    const at = new Date();
    const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(org.provider.webhookSecret).sign(id, at, body) };
    const delivered = await invoke(receiveCompletions, { method: 'POST', path: `/v1/webhooks/providers/${org.provider.providerId}/completions`, headers, body });
    expect(delivered.statusCode).toBe(200);
    // A redelivery gets the stored answer and adds no second entry.
    expect((await invoke(receiveCompletions, { method: 'POST', path: `/v1/webhooks/providers/${org.provider.providerId}/completions`, headers, body })).statusCode).toBe(200);
    const res = await page(integration, { path: '/opleider/koppeling', session: org.me });
    const html = decodeHtml(res.body);
    expect(html).toContain(id);
    expect(html.split(id).length - 1).toBe(1);
    expect(html).toContain(p.deliverySummary(1, 0, 1));
    expect(html).toContain(p.reasons['participant-not-found']);
    // Another provider sees none of it.
    const other = await providerOrg();
    expect(decodeHtml((await page(integration, { path: '/opleider/koppeling', session: other.me })).body)).not.toContain(id);
  });
});

describe('tenancy and CSRF on every provider page', () => {
  let org: Org;
  let other: Org;
  let theirs: { requestId: string; activityId: string };
  beforeAll(async () => {
    org = await providerOrg();
    other = await providerOrg();
    theirs = await approvedActivity(other, 10, [{ startsOn: addDays(today, 9), location: 'Delft' }]);
  });

  const routes = () => [
    { module: home, path: '/opleider' },
    { module: requestNew, path: '/opleider/aanvragen/nieuw' },
    { module: requestOne, path: `/opleider/aanvragen/${theirs.requestId}` },
    { module: activityPage, path: `/opleider/activiteiten/${theirs.activityId}` },
    { module: attendance, path: '/opleider/presentie' },
    { module: integration, path: '/opleider/koppeling' },
  ];

  it("answers another provider's request and activity with the 404 page, on GET and POST", async () => {
    expect((await page(requestOne, { path: `/opleider/aanvragen/${theirs.requestId}`, session: org.me })).statusCode).toBe(404);
    expect((await page(requestOne, { path: `/opleider/aanvragen/${theirs.requestId}`, session: org.me, form: fullForm('x') })).statusCode).toBe(404);
    expect((await page(requestOne, { path: '/opleider/aanvragen/geen-id', session: org.me })).statusCode).toBe(404);
    const act = await page(activityPage, { path: `/opleider/activiteiten/${theirs.activityId}`, session: org.me });
    expect(act.statusCode).toBe(404);
    expect(act.body).toContain(nl.errors.notFoundTitle);
    const post = await page(activityPage, { path: `/opleider/activiteiten/${theirs.activityId}`, session: org.me, form: { row: '0', version: '0', action: 'cancel' } });
    expect(post.statusCode).toBe(404);
    expect((await getActivity(theirs.activityId))!.sessions).toHaveLength(1);
    // Their own are there.
    expect((await page(activityPage, { path: `/opleider/activiteiten/${theirs.activityId}`, session: other.me })).statusCode).toBe(200);
    expect((await page(requestOne, { path: `/opleider/aanvragen/${theirs.requestId}`, session: other.me })).statusCode).toBe(200);
  });

  it('answers an employer, participant or admin session with the 404 page, and no session with a redirect to sign in', async () => {
    const sessions = [
      await signedIn({ role: 'employer', ownerId: `emp_${uniq()}`, userId: `usr_${uniq()}` }),
      await signedIn({ role: 'participant', ownerId: `par_${uniq()}` }),
      await signedIn({ role: 'admin', ownerId: 'admin', userId: `usr_${uniq()}` }),
    ];
    for (const r of routes()) {
      for (const s of sessions) {
        const res = await page(r.module, { path: r.path, session: s });
        expect(res.statusCode, `${s.session.role} ${r.path}`).toBe(404);
      }
      const stranger = await page(r.module, { path: r.path });
      expect(stranger.statusCode, r.path).toBe(303);
      expect(stranger.location).toBe(`/inloggen?next=${encodeURIComponent(r.path)}`);
    }
    // The employer's request pages: a provider session is a 404, no session a redirect.
    expect((await page(employerRequestNew, { path: '/werkgever/aanvragen/nieuw', session: org.me })).statusCode).toBe(404);
    expect((await page(employerRequestOne, { path: `/werkgever/aanvragen/${theirs.requestId}`, session: org.me })).statusCode).toBe(404);
    expect((await page(employerRequestNew, { path: '/werkgever/aanvragen/nieuw' })).statusCode).toBe(303);
    expect((await page(employerRequestOne, { path: `/werkgever/aanvragen/${theirs.requestId}` })).location).toBe(`/inloggen?next=${encodeURIComponent(`/werkgever/aanvragen/${theirs.requestId}`)}`);
  });

  it('refuses every post without the CSRF token (403) and writes nothing', async () => {
    const mine = await approvedActivity(org, 10, [{ startsOn: addDays(today, 9), location: 'Delft' }]);
    const someone = await participant();
    const before = (await getActivity(mine.activityId))!;
    const secretVersion = (await getProvider(org.provider.providerId, true))!.secretVersion;
    const posts = [
      { module: requestNew, path: '/opleider/aanvragen/nieuw', form: fullForm(`Zonder token ${uniq()}`) },
      { module: activityPage, path: `/opleider/activiteiten/${mine.activityId}`, form: { row: '0', version: '0', action: 'cancel' } },
      { module: attendance, path: '/opleider/presentie', form: { activityId: mine.activityId, completedOn: addDays(today, -1), registrationNumbers: someone.registrationNumber } },
      { module: integration, path: '/opleider/koppeling', form: {} },
    ];
    for (const post of posts) {
      const res = await page(post.module, { path: post.path, session: org.me, form: post.form, csrf: false });
      expect(res.statusCode, post.path).toBe(403);
    }
    expect((await getActivity(mine.activityId))!.sessions).toEqual(before.sessions);
    expect(await pointsOf(someone.participantId)).toBe(0);
    expect((await getProvider(org.provider.providerId, true))!.secretVersion).toBe(secretVersion);
    const list = await page(home, { path: '/opleider', session: org.me });
    expect(list.body).not.toContain('Zonder token');
  });
});
