/**
 * The public pages (WEB.md): `/`, `/register` (+ entry), `/scholingskalender` (+ activity), on
 * DynamoDB Local with data set up through the API's own handlers, as a browser would call them.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as home from '../../functions/web/home';
import * as register from '../../functions/web/register';
import * as registerEntry from '../../functions/web/register-entry';
import * as cataloguePage from '../../functions/web/catalogue';
import * as activityPage from '../../functions/web/activity';
import * as importDiplomas from '../../functions/http/import-diplomas';
import * as createProvider from '../../functions/http/create-provider';
import * as createEmployer from '../../functions/http/create-employer';
import * as submit from '../../functions/http/submit-recognition-request';
import * as decide from '../../functions/http/decide-recognition-request';
import * as putTopic from '../../functions/http/put-topic';
import { adminKey, invoke } from '../setup/helpers';
import { getDiploma, getParticipant } from '../../shared/data/participants';
import { addDays, addYears } from '../../shared/domain/dates';
import { splitTypedName } from '../../shared/domain/names';
import { todayInAmsterdam } from '../../shared/dates';
import { formatDate, messages } from '../../shared/i18n';
import { page, signedIn } from './helpers';

const today = todayInAmsterdam();
const nl = messages('nl');
const en = messages('en');
const uniq = () => randomBytes(4).toString('hex');

/** Every page has exactly one h1. */
function h1s(body: string): number {
  return body.match(/<h1[\s>]/g)?.length ?? 0;
}

/** The text of an HTML attribute value or text node, entities decoded (enough for these pages). */
const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The names of the register entries a results table links to. */
function registerNames(body: string): string[] {
  return [...body.matchAll(/<a class="utrecht-link" href="\/register\/PE-[0-9A-Z]{6}">([^<]*)<\/a>/g)].map((m) => decode(m[1]));
}

/** The titles of the activities a catalogue page links to, in its order. */
function activityTitles(body: string): string[] {
  return [...body.matchAll(/<a class="utrecht-link" href="\/scholingskalender\/act_[0-9A-Z]{26}">([^<]*)<\/a>/g)].map((m) => decode(m[1]));
}

function nextPageHref(body: string, t = nl): string | undefined {
  const m = new RegExp(`<a class="utrecht-link" href="([^"]+)">${t.catalogue.nextPage}</a>`).exec(body);
  return m ? decode(m[1]) : undefined;
}

// ---------------------------------------------------------------- the register's people

let seq = 0;
function holder(initials: string, lastName: string, prefix: string | undefined, issuedOn: string) {
  seq++;
  return {
    diplomaNumber: `W${uniq().toUpperCase()}${seq}`,
    type: 'uitzendprofessional' as const,
    issuedOn,
    holder: { initials, ...(prefix ? { prefix } : {}), lastName, birthDate: '1988-03-14', email: `holder-${uniq()}@example.nl` },
  };
}

const recent = addDays(today, -30);
const vries = holder('M.', 'Vries', 'de', recent);
/** Same surname, but the period ended long ago: not in the register. */
const lapsedVries = holder('H.', 'Vries', 'de', '2023-01-02');
/** Another surname that merely starts the same. */
const vriesman = holder('K.', 'Vriesman', undefined, recent);
const markup = holder('A.', '<b onmouseover="x()">Jansen</b>', undefined, recent);

async function registrationNumberOf(diplomaNumber: string): Promise<string> {
  const participant = await getParticipant((await getDiploma(diplomaNumber))!.participantId as string);
  return participant!.registrationNumber;
}

// ---------------------------------------------------------------- the catalogue's activities

type Org = { id: string; key: string; name: string };
let p1: Org;
let p2: Org;
let employer: Org;
const ids: Record<string, string> = {};

async function org(kind: 'provider' | 'employer', name: string): Promise<Org> {
  const res =
    kind === 'provider'
      ? await invoke(createProvider, { path: '/v1/providers', apiKey: await adminKey(), body: { name, kvkNumber: '12345678', contactEmail: `p-${uniq()}@academie.test` } })
      : await invoke(createEmployer, {
          path: '/v1/employers',
          apiKey: await adminKey(),
          body: { name, kvkNumber: '87654321', invoiceEmail: `f-${uniq()}@flex.test`, address: { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' } },
        });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json.providerId ?? res.json.employerId, key: res.json.apiKey, name };
}

async function recognized(owner: Org, fields: Record<string, unknown>): Promise<string> {
  const body = {
    title: 'Activiteit',
    description: 'Omschrijving.',
    learningGoals: ['Een leerdoel'],
    activityType: 'training',
    nature: 'deepening',
    topics: ['T01'],
    netStudyMinutes: 120,
    completion: { type: 'final-assignment', description: 'Eindopdracht' },
    ...fields,
  };
  const sub = await invoke(submit, { path: '/v1/recognition-requests', apiKey: owner.key, body });
  expect(sub.statusCode, sub.body).toBe(201);
  const dec = await invoke(decide, { path: `/v1/recognition-requests/${sub.json.requestId}/decision`, apiKey: await adminKey(), body: { decision: 'approved' } });
  expect(dec.statusCode, dec.body).toBe(200);
  return dec.json.activityId as string;
}

beforeAll(async () => {
  const imported = await invoke(importDiplomas, { path: '/v1/diplomas', apiKey: await adminKey(), body: { diplomas: [vries, lapsedVries, vriesman, markup] } });
  expect(imported.statusCode, imported.body).toBe(200);

  [p1, p2, employer] = await Promise.all([org('provider', 'Academie Noord'), org('provider', 'Opleidingen Zuid'), org('employer', 'Flex Intern BV')]);
  ids.webinar = await recognized(p1, {
    title: 'Inlenersbeloning live',
    activityType: 'webinar',
    topics: ['T04'],
    netStudyMinutes: 90,
    sessions: [{ startsOn: addDays(today, 10), online: true }],
  });
  ids.training = await recognized(p1, {
    title: 'Arbeidsrecht verdiept',
    description: 'Over de fasen van de uitzendovereenkomst.',
    learningGoals: ['De fasen kennen', 'Een ketenregeling toepassen'],
    topics: ['T02'],
    sessions: [{ startsOn: addDays(today, 40), endsOn: addDays(today, 41), location: 'Utrecht' }],
  });
  ids.elearning = await recognized(p2, { title: 'Cao in het kort', activityType: 'e-learning', topics: ['T03'], nature: 'updating', completion: { type: 'test', description: 'Toets' } });
  ids.internal = await recognized(employer, { title: 'Interne cao-training', topics: ['T03'] });
  const retired = await invoke(putTopic, { method: 'PUT', path: '/v1/topics/T13', apiKey: await adminKey(), body: { name: 'Werving en selectie (vervallen)', retired: true } });
  expect(retired.statusCode, retired.body).toBe(200);
}, 120_000);

// ---------------------------------------------------------------- home

describe('the home page', () => {
  it('says what PE is in one h1 and links to the register, the catalogue, activation and sign-in', async () => {
    const res = await page(home, { path: '/' });
    expect(res.statusCode).toBe(200);
    expect(h1s(res.body)).toBe(1);
    expect(res.body).toContain(`<h1 class="utrecht-heading-1">${nl.home.title}</h1>`);
    for (const href of ['/register', '/scholingskalender', '/activeren', '/inloggen']) {
      // In the main content, not only the header's menu.
      const main = res.body.slice(res.body.indexOf('<main'));
      expect(main, href).toContain(`href="${href}"`);
    }
    expect(res.body).toContain('12 punten');
    expect(res.body).toContain('2 jaar geldig');
  });

  it('shows the signed-in state: the way to one’s own page and sign-out instead of activation and sign-in', async () => {
    const me = await signedIn({ role: 'participant', ownerId: 'par_home' });
    const res = await page(home, { path: '/', session: me });
    expect(res.statusCode).toBe(200);
    const main = res.body.slice(res.body.indexOf('<main'));
    expect(main).toContain('href="/dossier"');
    expect(main).not.toContain('href="/inloggen"');
    expect(res.body).toContain('action="/uitloggen"');
    expect(res.body).toContain(nl.site.navSignOut);
  });

  it('speaks English on ?lang=en', async () => {
    const res = await page(home, { path: '/?lang=en' });
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain(`<h1 class="utrecht-heading-1">${en.home.title}</h1>`);
    expect(h1s(res.body)).toBe(1);
  });
});

// ---------------------------------------------------------------- register

describe('the register page', () => {
  it('shows one search field labelled "Naam of registratienummer", and nothing else for an empty query', async () => {
    for (const path of ['/register', '/register?q=', '/register?q=+++']) {
      const res = await page(register, { path });
      expect(res.statusCode, path).toBe(200);
      expect(h1s(res.body)).toBe(1);
      expect(res.body).toContain('<label class="utrecht-form-label" for="q">Naam of registratienummer</label>');
      expect(res.body).toMatch(/<form class="utrecht-form" action="\/register" method="get"/);
      expect(res.body.match(/<input /g)).toHaveLength(1);
      expect(res.body).not.toContain('<table');
      expect(res.body).not.toContain(nl.register.noneFound('').slice(0, 15));
    }
  });

  it('finds M. de Vries by "de Vries" (and the other spellings), and no one else', async () => {
    for (const typed of ['de Vries', 'Vries', 'Vries, de', 'M. de Vries', 'de Vries, M.', 'Vries, M. de', 'm de vries']) {
      const res = await page(register, { path: `/register?q=${encodeURIComponent(typed)}` });
      expect(res.statusCode, typed).toBe(200);
      expect(registerNames(res.body), typed).toEqual(['M. de Vries']);
      expect(h1s(res.body)).toBe(1);
    }
    const res = await page(register, { path: '/register?q=de+Vries' });
    // The table: name (linked to the entry), title, status and the last valid day in words.
    const number = await registrationNumberOf(vries.diplomaNumber);
    expect(res.body).toContain(`<a class="utrecht-link" href="/register/${number}">M. de Vries</a>`);
    expect(res.body).toContain('<th class="utrecht-table__header-cell" scope="col">Geldig tot en met</th>');
    expect(res.body).toContain('Register-Uitzendprofessional');
    expect(res.body).toContain(nl.register.status.active);
    expect(res.body).toContain(formatDate('nl', addDays(addYears(recent, 2), -1)));
    // What was typed stays in the field.
    expect(res.body).toContain('value="de Vries"');
  });

  it('says no one was found for a name not in the register, and for other initials', async () => {
    for (const typed of ['X. de Vries', 'Pietersen']) {
      const res = await page(register, { path: `/register?q=${encodeURIComponent(typed)}` });
      expect(res.statusCode).toBe(200);
      expect(registerNames(res.body)).toEqual([]);
      expect(decode(res.body)).toContain(nl.register.noneFound(typed));
    }
  });

  it('goes straight to the entry for a registration number, however it is typed', async () => {
    const number = await registrationNumberOf(vries.diplomaNumber);
    for (const typed of [number, number.toLowerCase(), ` ${number} `]) {
      const res = await page(register, { path: `/register?q=${encodeURIComponent(typed)}` });
      expect(res.statusCode, typed).toBe(303);
      expect(res.location).toBe(`/register/${number}`);
    }
  });

  it('a name with markup is text, in the results and in the field', async () => {
    const typed = markup.holder.lastName;
    const res = await page(register, { path: `/register?q=${encodeURIComponent(typed)}` });
    expect(res.statusCode).toBe(200);
    expect(registerNames(res.body)).toEqual([`A. ${typed}`]);
    expect(res.body).not.toContain('<b onmouseover');
    expect(res.body).toContain('&lt;b onmouseover=');
  });

  it('a name too short is an error at the top, linked to the field, and beside it', async () => {
    const res = await page(register, { path: '/register?q=V' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#q"');
    expect(res.body).toContain('id="q-fout"');
    expect(res.body).toContain('aria-invalid="true"');
    expect(res.body).toContain('value="V"');
    expect(h1s(res.body)).toBe(1);
  });

  it('the entry shows name, title, status and valid-until, and nothing private', async () => {
    const number = await registrationNumberOf(vries.diplomaNumber);
    const res = await page(registerEntry, { path: `/register/${number}` });
    expect(res.statusCode).toBe(200);
    expect(h1s(res.body)).toBe(1);
    expect(res.body).toContain('<h1 class="utrecht-heading-1">M. de Vries</h1>');
    expect(res.body).toContain(number);
    expect(res.body).toContain('Register-Uitzendprofessional');
    expect(res.body).toContain(nl.register.status.active);
    expect(res.body).toContain(formatDate('nl', addDays(addYears(recent, 2), -1)));
    for (const secret of [vries.holder.email, vries.diplomaNumber, vries.holder.birthDate, formatDate('nl', vries.holder.birthDate), '14-03-1988']) {
      expect(res.body, secret).not.toContain(secret);
    }
    // Nor in the search results.
    const search = await page(register, { path: '/register?q=de+Vries' });
    for (const secret of [vries.holder.email, vries.diplomaNumber, vries.holder.birthDate]) expect(search.body).not.toContain(secret);
  });

  it('an unknown number, a lapsed one, or no number at all is the 404 page', async () => {
    const lapsed = await registrationNumberOf(lapsedVries.diplomaNumber);
    for (const path of ['/register/PE-000000', `/register/${lapsed}`, '/register/nonsense']) {
      const res = await page(registerEntry, { path });
      expect(res.statusCode, path).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain(`<h1 class="utrecht-heading-1">${nl.errors.notFoundTitle}</h1>`);
      expect(h1s(res.body)).toBe(1);
    }
  });

  it('speaks English on ?lang=en', async () => {
    const res = await page(register, { path: '/register?q=de+Vries&lang=en' });
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('<label class="utrecht-form-label" for="q">Name or registration number</label>');
    expect(res.body).toContain(en.register.status.active);
    expect(res.body).toContain(formatDate('en', addDays(addYears(recent, 2), -1)));
    const number = await registrationNumberOf(vries.diplomaNumber);
    const entry = await page(registerEntry, { path: `/register/${number}?lang=en` });
    expect(entry.body).toContain(en.register.registrationNumber);
  });
});

// ---------------------------------------------------------------- the name split

describe('splitTypedName', () => {
  it('takes initials from before the surname, after its comma, or (with a dot) after it', () => {
    expect(splitTypedName('de Vries')).toEqual({ lastName: 'de Vries' });
    expect(splitTypedName('M. de Vries')).toEqual({ lastName: 'de Vries', initials: 'M.' });
    expect(splitTypedName('J.P. van der Berg')).toEqual({ lastName: 'van der Berg', initials: 'J.P.' });
    expect(splitTypedName('J. P. Berg')).toEqual({ lastName: 'Berg', initials: 'J.P.' });
    expect(splitTypedName('Vries, de')).toEqual({ lastName: 'Vries, de' });
    expect(splitTypedName('Vries, de, M.')).toEqual({ lastName: 'Vries, de', initials: 'M.' });
    expect(splitTypedName('Vries, M. de')).toEqual({ lastName: 'Vries, de', initials: 'M.' });
    expect(splitTypedName('de Vries J.P.')).toEqual({ lastName: 'de Vries', initials: 'J.P.' });
    // One word is the surname, even a short one; a surname is never taken for initials.
    expect(splitTypedName('Vos')).toEqual({ lastName: 'Vos' });
    expect(splitTypedName('DE VRIES')).toEqual({ lastName: 'DE VRIES' });
    expect(splitTypedName("in 't Hof")).toEqual({ lastName: "in 't Hof" });
  });
});

// ---------------------------------------------------------------- catalogue

describe('the catalogue page', () => {
  const list = async (query = '') => {
    const res = await page(cataloguePage, { path: `/scholingskalender${query}` });
    expect(res.statusCode, `${query}: ${res.body.slice(0, 200)}`).toBe(200);
    expect(h1s(res.body)).toBe(1);
    return res;
  };

  it('lists the public activities, with the filter form labelled Onderwerp, Soort, Opleider, Zoekterm and Vanaf', async () => {
    const res = await list();
    expect(activityTitles(res.body).sort()).toEqual(['Arbeidsrecht verdiept', 'Cao in het kort', 'Inlenersbeloning live']);
    for (const [id, label] of [['topic', 'Onderwerp'], ['type', 'Soort'], ['providerId', 'Opleider'], ['q', 'Zoekterm'], ['from', 'Vanaf']]) {
      expect(res.body, label).toContain(`<label class="utrecht-form-label" for="${id}">${label}</label>`);
    }
    expect(res.body).toMatch(/<form class="utrecht-form" action="\/scholingskalender" method="get"/);
    expect(res.body).toContain('type="date"');
    // Topics to choose from, without the retired one; every kind; the providers in the catalogue.
    expect(res.body).toContain('<option value="T04">Inlenersbeloning en gelijke behandeling</option>');
    expect(res.body).not.toContain('value="T13"');
    for (const kind of ['e-learning', 'webinar', 'training', 'workshop', 'continuous-learning-app']) expect(res.body).toContain(`<option value="${kind}">`);
    expect(res.body).toContain(`<option value="${p1.id}">Academie Noord</option>`);
    expect(res.body).toContain(`<option value="${p2.id}">Opleidingen Zuid</option>`);
    expect(res.body).not.toContain(employer.id);
    // Points with a decimal comma, the next session in words.
    expect(res.body).toContain('1,5 punten');
    expect(res.body).toContain(formatDate('nl', addDays(today, 10)));
  });

  it('each filter narrows the list, as the API filter does', async () => {
    expect(activityTitles((await list('?topic=T04')).body)).toEqual(['Inlenersbeloning live']);
    expect(activityTitles((await list('?type=e-learning')).body)).toEqual(['Cao in het kort']);
    expect(activityTitles((await list(`?providerId=${p2.id}`)).body)).toEqual(['Cao in het kort']);
    expect(activityTitles((await list('?q=ARBEIDSRECHT')).body)).toEqual(['Arbeidsrecht verdiept']);
    expect(activityTitles((await list(`?from=${addDays(today, 11)}`)).body)).toEqual(['Arbeidsrecht verdiept']);
    expect(activityTitles((await list(`?providerId=${p1.id}&type=webinar`)).body)).toEqual(['Inlenersbeloning live']);
    // The empty fields of a submitted form are no filter.
    expect(activityTitles((await list('?topic=&type=&providerId=&q=&from=')).body).sort()).toEqual(['Arbeidsrecht verdiept', 'Cao in het kort', 'Inlenersbeloning live']);
    const none = await list('?topic=T10');
    expect(activityTitles(none.body)).toEqual([]);
    expect(none.body).toContain(nl.catalogue.none);
  });

  it('the e-mails’ link ?from=YYYY-MM-DD is the Vanaf filter, and the form shows it', async () => {
    const from = addDays(today, 5);
    const res = await list(`?from=${from}`);
    expect(activityTitles(res.body).sort()).toEqual(['Arbeidsrecht verdiept', 'Inlenersbeloning live']);
    expect(res.body).toMatch(new RegExp(`<input type="date"[^>]*id="from"[^>]*value="${from}"`));
  });

  it('keeps the chosen filters selected', async () => {
    const res = await list(`?topic=T04&type=webinar&providerId=${p1.id}&q=live`);
    expect(res.body).toContain('<option value="T04" selected>');
    expect(res.body).toContain('<option value="webinar" selected>');
    expect(res.body).toContain(`<option value="${p1.id}" selected>`);
    expect(res.body).toMatch(/id="q"[^>]*value="live"/);
  });

  it('a bad date is an error at the top linked to #from, beside the field, with what was typed kept', async () => {
    const res = await page(cataloguePage, { path: '/scholingskalender?from=2026-02-30&q=cao' });
    expect(res.statusCode).toBe(400);
    expect(h1s(res.body)).toBe(1);
    const message = nl.errors.invalid('Vanaf');
    expect(res.body).toContain(`<a class="utrecht-link" href="#from">${message}</a>`);
    expect(res.body).toContain(`<div class="utrecht-form-field-error-message" id="from-fout">${message}</div>`);
    expect(res.body).toMatch(/<input type="date"[^>]*id="from"[^>]*value="2026-02-30"[^>]*aria-invalid="true"/);
    // The summary comes before the form; the other field keeps its value too.
    expect(res.body.indexOf('href="#from"')).toBeLessThan(res.body.indexOf('<form'));
    expect(res.body).toMatch(/id="q"[^>]*value="cao"/);
    expect(activityTitles(res.body)).toEqual([]);
    // A kind the API does not know: the same, on its own field.
    const kind = await page(cataloguePage, { path: '/scholingskalender?type=lecture' });
    expect(kind.statusCode).toBe(400);
    expect(kind.body).toContain('href="#type"');
    expect(kind.body).toContain('<option value="lecture" selected>');
  });

  it('pages with a "Volgende pagina" link that keeps the filters', async () => {
    const first = await list(`?providerId=${p1.id}&limit=1`);
    const seen = activityTitles(first.body);
    expect(seen).toHaveLength(1);
    let next = nextPageHref(first.body);
    expect(next).toBeDefined();
    expect(next).toContain(`providerId=${p1.id}`);
    for (let i = 0; next && i < 5; i++) {
      const res = await list(next.slice('/scholingskalender'.length));
      seen.push(...activityTitles(res.body));
      next = nextPageHref(res.body);
    }
    expect(seen.sort()).toEqual(['Arbeidsrecht verdiept', 'Inlenersbeloning live']);
  });

  it('a forged cursor, or one of other filters, gives the page with an error, not a 500', async () => {
    const forged = Buffer.from(JSON.stringify({ pk: 'PARTICIPANT#x', sk: 'PROFILE', gsi1pk: 'CATALOGUE', gsi1sk: '2099-01-01#x' })).toString('base64url');
    const first = await list(`?providerId=${p1.id}&limit=1`);
    const cursor = new URL(nextPageHref(first.body)!, 'http://x').searchParams.get('cursor')!;
    for (const query of [`?cursor=${forged}`, `?cursor=${forged}.${'A'.repeat(43)}`, `?providerId=${p2.id}&cursor=${cursor}`, '?cursor=%3Cscript%3E', '?limit=0']) {
      const res = await page(cataloguePage, { path: `/scholingskalender${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(h1s(res.body)).toBe(1);
      expect(res.body).toContain(`<h1 class="utrecht-heading-1">${nl.catalogue.title}</h1>`);
      expect(res.body).toContain(nl.catalogue.badCursor);
      expect(res.body).toContain(nl.catalogue.firstPage);
      expect(activityTitles(res.body)).toEqual([]);
    }
  });

  it('speaks English on ?lang=en, labels included', async () => {
    const res = await list('?lang=en');
    expect(res.body).toContain('<html lang="en">');
    for (const [id, label] of [['topic', 'Topic'], ['type', 'Kind'], ['providerId', 'Provider'], ['q', 'Search term'], ['from', 'From']]) {
      expect(res.body, label).toContain(`<label class="utrecht-form-label" for="${id}">${label}</label>`);
    }
    expect(res.body).toContain('1.5 points');
    expect(res.body).toContain(formatDate('en', addDays(today, 10)));
    const bad = await page(cataloguePage, { path: '/scholingskalender?lang=en&from=tomorrow' });
    expect(bad.body).toContain(`<a class="utrecht-link" href="#from">${en.errors.invalid('From')}</a>`);
  });
});

describe('the activity page', () => {
  it('shows title, provider, points, topics, kind and the sessions with dates in words and place', async () => {
    const res = await page(activityPage, { path: `/scholingskalender/${ids.training}` });
    expect(res.statusCode).toBe(200);
    expect(h1s(res.body)).toBe(1);
    expect(res.body).toContain('<h1 class="utrecht-heading-1">Arbeidsrecht verdiept</h1>');
    expect(res.body).toContain('Academie Noord');
    expect(res.body).toContain('2 punten');
    expect(res.body).toContain('Arbeidsrecht en de uitzendovereenkomst');
    expect(res.body).toContain('Training');
    expect(res.body).toContain('Een ketenregeling toepassen');
    expect(res.body).toContain(nl.catalogue.dateRange(formatDate('nl', addDays(today, 40)), formatDate('nl', addDays(today, 41))));
    expect(res.body).toContain('Utrecht');
    const online = await page(activityPage, { path: `/scholingskalender/${ids.webinar}` });
    expect(online.body).toContain(formatDate('nl', addDays(today, 10)));
    expect(online.body).toContain(nl.catalogue.online);
    expect(online.body).toContain('1,5 punten');
    const none = await page(activityPage, { path: `/scholingskalender/${ids.elearning}?lang=en` });
    expect(none.body).toContain(en.catalogue.noPlannedSessions);
    expect(none.body).toContain('E-learning');
  });

  it('an internal activity, an unknown id and no id at all are the 404 page', async () => {
    for (const id of [ids.internal, 'act_00000000000000000000000000', 'xyz']) {
      const res = await page(activityPage, { path: `/scholingskalender/${id}` });
      expect(res.statusCode, id).toBe(404);
      expect(res.body).toContain(`<h1 class="utrecht-heading-1">${nl.errors.notFoundTitle}</h1>`);
      expect(res.body).not.toContain('Interne cao-training');
      expect(h1s(res.body)).toBe(1);
    }
  });
});
