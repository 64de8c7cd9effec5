/**
 * Issue 16 part 3: the evaluation pages — the dossier's "Beoordelen" column and confirmation (still
 * 3 DynamoDB calls), /dossier/beoordelen/{creditId} (form, errors, once, revoked, tenancy),
 * /opleider/evaluaties (+ one activity, tenancy), /werkgever/evaluaties, and the public rating on
 * the catalogue and the activity page (from 5 ratings on, never a comment).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as dossierPage from '../../functions/web/dossier';
import * as ratePage from '../../functions/web/dossier-evaluation';
import * as providerPage from '../../functions/web/provider-evaluations';
import * as providerActivityPage from '../../functions/web/provider-activity-evaluations';
import * as providerHome from '../../functions/web/provider-home';
import * as employerPage from '../../functions/web/employer-evaluations';
import * as activityPage from '../../functions/web/activity';
import * as cataloguePage from '../../functions/web/catalogue';
import * as revokeCreditHandler from '../../functions/http/revoke-credit';
import { invoke } from '../setup/helpers';
import { page, signedIn, type SignedIn } from './helpers';
import { db } from '../../shared/data/client';
import { internalCredit, linkTo, rate, ratingWorld, type RatingWorld } from '../integration/evaluations.fixtures';
import { newProvider } from '../integration/webhook.fixtures';
import { newEmployer } from '../integration/employers.fixtures';

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ');
const h1s = (html: string) => html.match(/<h1[\s>]/g)?.length ?? 0;

let w: RatingWorld;
const sessions: SignedIn[] = [];
let providerSession: SignedIn;
let employerSession: SignedIn;

beforeAll(async () => {
  w = await ratingWorld(10);
  for (const p of w.people) sessions.push(await signedIn({ role: 'participant', ownerId: p.participantId }));
  providerSession = await signedIn({ role: 'provider', ownerId: w.provider.providerId, userId: 'usr_evaluations_provider' });
  employerSession = await signedIn({ role: 'employer', ownerId: w.employer.employerId, userId: 'usr_evaluations_employer' });
});

describe('/dossier/beoordelen/{creditId} from the dossier', () => {
  it('the dossier links to the rating page; rating it returns to the dossier with a confirmation and shows the rating, in 3 calls', async () => {
    const p = w.people[0];
    const before = await page(dossierPage, { path: '/dossier', session: sessions[0] });
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain(`href="/dossier/beoordelen/${p.creditId}"`);
    expect(textOf(before.body)).toContain(`Beoordelen (${w.title})`);

    const form = await page(ratePage, { path: `/dossier/beoordelen/${p.creditId}`, session: sessions[0] });
    expect(form.statusCode).toBe(200);
    expect(h1s(form.body)).toBe(1);
    expect(form.body).toMatch(/<fieldset[^>]*>\s*<legend[^>]*>Uw beoordeling<\/legend>/);
    for (const v of ['1', '2', '3', '4', '5']) expect(form.body).toMatch(new RegExp(`<input type="radio"[^>]+name="rating" value="${v}"`));
    expect(form.body).toContain('<label class="utrecht-form-label utrecht-form-label--radio" for="rating-5">5 – uitstekend</label>');
    expect(form.body).toMatch(/<textarea[^>]+id="comment"[^>]+name="comment"/);
    expect(form.body).toContain(`name="csrf" value="${sessions[0].session.csrf}"`);

    const posted = await page(ratePage, { path: `/dossier/beoordelen/${p.creditId}`, session: sessions[0], form: { rating: '4', comment: 'Heldere uitleg' } });
    expect(posted.statusCode).toBe(303);
    expect(posted.location).toBe('/dossier?beoordeeld=1');

    const sent: string[] = [];
    let counting = false;
    db().middlewareStack.add(
      (next, context) => async (args) => {
        if (counting) sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'evaluationDossierCounter' },
    );
    try {
      counting = true;
      const after = await page(dossierPage, { path: '/dossier?beoordeeld=1', session: sessions[0] });
      counting = false;
      expect(after.statusCode).toBe(200);
      const text = textOf(after.body);
      expect(text).toContain('Dank u wel. Uw beoordeling is opgeslagen.');
      expect(text).toContain('Uw beoordeling: 4 van 5');
      expect(after.body).not.toContain(`href="/dossier/beoordelen/${p.creditId}"`);
      expect(sent.sort()).toEqual(['GetItemCommand', 'QueryCommand', 'QueryCommand']);
    } finally {
      counting = false;
      db().middlewareStack.remove('evaluationDossierCounter');
    }

    // Rated: the page shows the rating and the comment given, and no form; a second POST changes nothing.
    const rated = await page(ratePage, { path: `/dossier/beoordelen/${p.creditId}`, session: sessions[0] });
    expect(textOf(rated.body)).toMatch(/U heeft deze activiteit op .+ beoordeeld met een 4 van 5\./);
    expect(textOf(rated.body)).toContain('Heldere uitleg');
    expect(rated.body).not.toContain('<form class="utrecht-form" action="/dossier/beoordelen');
    const again = await page(ratePage, { path: `/dossier/beoordelen/${p.creditId}`, session: sessions[0], form: { rating: '1' } });
    expect(again.statusCode).toBe(200);
    expect(textOf(again.body)).toContain('beoordeeld met een 4 van 5');
  });

  it('errors name the field next to it and at the top; nothing written', async () => {
    const p = w.people[1];
    const none = await page(ratePage, { path: `/dossier/beoordelen/${p.creditId}`, session: sessions[1], form: { comment: 'Zonder cijfer' } });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#rating"');
    expect(none.body).toContain('id="rating-fout"');
    // What was typed stays.
    expect(none.body).toContain('Zonder cijfer</textarea>');
    const forged = await page(ratePage, { path: `/dossier/beoordelen/${p.creditId}`, session: sessions[1], form: { rating: '9' } });
    expect(forged.statusCode).toBe(400);
    const long = await page(ratePage, { path: `/dossier/beoordelen/${p.creditId}`, session: sessions[1], form: { rating: '3', comment: 'x'.repeat(2001) } });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('href="#comment"');
    // A blank comment is no comment.
    const blank = await page(ratePage, { path: `/dossier/beoordelen/${p.creditId}`, session: sessions[1], form: { rating: '3', comment: '   ' } });
    expect(blank.statusCode).toBe(303);
  });

  it("another participant's credit, an unknown or malformed id: the 404 page (GET and POST); no session: sign in", async () => {
    const mine = w.people[2];
    for (const path of [`/dossier/beoordelen/${mine.creditId}`, '/dossier/beoordelen/crd_00000000000000000000000000', '/dossier/beoordelen/nope']) {
      const get = await page(ratePage, { path, session: sessions[3] });
      expect(get.statusCode, path).toBe(404);
      const post = await page(ratePage, { path, session: sessions[3], form: { rating: '1' } });
      expect(post.statusCode, path).toBe(404);
    }
    const anonymous = await page(ratePage, { path: `/dossier/beoordelen/${mine.creditId}` });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.location).toMatch(/^\/inloggen\?next=/);
    // The stranger's POST wrote nothing: the owner still gets the form.
    expect((await page(ratePage, { path: `/dossier/beoordelen/${mine.creditId}`, session: sessions[2] })).body).toContain('name="rating"');
  });

  it('a revoked credit: no link in the dossier, the page says why and has no form', async () => {
    const p = w.people[9];
    expect((await invoke(revokeCreditHandler, { method: 'POST', path: `/v1/credits/${p.creditId}/revocations`, apiKey: w.provider.apiKey, body: { reason: 'Dubbel gemeld' } })).statusCode).toBe(200);
    const dossier = await page(dossierPage, { path: '/dossier', session: sessions[9] });
    expect(dossier.body).not.toContain(`/dossier/beoordelen/${p.creditId}`);
    const res = await page(ratePage, { path: `/dossier/beoordelen/${p.creditId}`, session: sessions[9] });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toContain('ingetrokken');
    expect(res.body).not.toContain('name="rating"');
  });
});

describe('owners, employers and the public', () => {
  beforeAll(async () => {
    // People 3..7 rate (5 ratings with person 0's and 1's: 7 in all).
    for (const [i, rating] of [[3, 5], [4, 4], [5, 2], [6, 5], [7, 3]] as const) {
      expect((await rate(w.people[i].creditId, w.people[i].apiKey, { rating, comment: `Opmerking ${i}` })).statusCode).toBe(201);
    }
  });

  it('/opleider/evaluaties: average, count and the newest comments, without names; the home links to it', async () => {
    const home = await page(providerHome, { path: '/opleider', session: providerSession });
    expect(home.body).toContain('href="/opleider/evaluaties"');
    const res = await page(providerPage, { path: '/opleider/evaluaties', session: providerSession });
    expect(res.statusCode).toBe(200);
    expect(h1s(res.body)).toBe(1);
    const text = textOf(res.body);
    expect(text).toContain(w.title);
    // 4 + 3 + 5 + 4 + 2 + 5 + 3 = 26 / 7 = 3,7
    expect(text).toContain('Gemiddelde 3,7 van 5');
    expect(text).toContain('Aantal beoordelingen 7');
    expect(text).toContain('Opmerking 7');
    expect(res.body).toContain(`href="/opleider/evaluaties/${w.activityId}"`);
    for (const p of w.people) {
      expect(res.body).not.toContain(p.registrationNumber);
      expect(res.body).not.toContain(p.participantId);
    }
    const all = await page(providerActivityPage, { path: `/opleider/evaluaties/${w.activityId}`, session: providerSession });
    expect(all.statusCode).toBe(200);
    for (const i of [3, 4, 5, 6, 7]) expect(textOf(all.body)).toContain(`Opmerking ${i}`);
    expect(textOf(all.body)).toContain('Heldere uitleg');
  });

  it("another provider: its overview shows nothing of this activity, and the activity's page is the 404 page", async () => {
    const other = await newProvider();
    const session = await signedIn({ role: 'provider', ownerId: other.providerId, userId: 'usr_evaluations_other' });
    const overview = await page(providerPage, { path: '/opleider/evaluaties', session });
    expect(overview.statusCode).toBe(200);
    expect(overview.body).not.toContain(w.title);
    expect(overview.body).not.toContain('Opmerking');
    const detail = await page(providerActivityPage, { path: `/opleider/evaluaties/${w.activityId}`, session });
    expect(detail.statusCode).toBe(404);
    expect(detail.body).not.toContain('Opmerking');
  });

  it('/werkgever/evaluaties: the activities its employees rated, with the average (from 5), no comments; another employer sees none', async () => {
    const res = await page(employerPage, { path: '/werkgever/evaluaties', session: employerSession });
    expect(res.statusCode).toBe(200);
    expect(h1s(res.body)).toBe(1);
    expect(res.body).toContain('aria-current="page"');
    const text = textOf(res.body);
    expect(text).toContain(`${w.title} `);
    expect(text).toContain('3,7 van 5 7');
    expect(text).not.toContain('Opmerking');
    const other = await newEmployer(`Ander ${Date.now()}`);
    const otherRes = await page(employerPage, { path: '/werkgever/evaluaties', session: await signedIn({ role: 'employer', ownerId: other.employerId, userId: 'usr_evaluations_other_emp' }) });
    expect(otherRes.statusCode).toBe(200);
    expect(otherRes.body).not.toContain(w.title);
    expect(textOf(otherRes.body)).toContain('Uw medewerkers hebben nog geen activiteiten beoordeeld.');
  });

  it("/werkgever/evaluaties: another employer's internal activity that an employee linked to both rated is not listed", async () => {
    const p = w.people[8];
    const b = await newEmployer(`Eigen academie ${Date.now()}`);
    await linkTo(b, p.participantId);
    const internal = await internalCredit(b, p);
    expect((await rate(internal.creditId, p.apiKey, { rating: 4 })).statusCode).toBe(201);
    const mine = await page(employerPage, { path: '/werkgever/evaluaties', session: employerSession });
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain(w.title);
    expect(mine.body).not.toContain(internal.title);
    const owner = await page(employerPage, { path: '/werkgever/evaluaties', session: await signedIn({ role: 'employer', ownerId: b.employerId, userId: 'usr_evaluations_owner_emp' }) });
    expect(owner.body).toContain(internal.title);
  });

  it('the public activity page and the catalogue show the average (7 ratings), never a comment', async () => {
    const res = await page(activityPage, { path: `/scholingskalender/${w.activityId}` });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toContain('Beoordeling 3,7 van 5 (7 beoordelingen)');
    expect(res.body).not.toContain('Opmerking');
    expect(res.body).not.toContain('Heldere uitleg');
    const list = await page(cataloguePage, { path: `/scholingskalender?q=${encodeURIComponent(w.title)}` });
    expect(list.statusCode).toBe(200);
    expect(textOf(list.body)).toContain('3,7 van 5 (7 beoordelingen)');
    expect(list.body).not.toContain('Opmerking');
  });

  it('below 5 ratings the public pages say so, without an average', async () => {
    const small = await ratingWorld(10);
    for (const i of [0, 1, 2, 3]) expect((await rate(small.people[i].creditId, small.people[i].apiKey, { rating: 5 })).statusCode).toBe(201);
    const res = await page(activityPage, { path: `/scholingskalender/${small.activityId}` });
    const text = textOf(res.body);
    expect(text).toContain('Beoordeling Minder dan 5 beoordelingen');
    expect(text).not.toContain('van 5 (');
  });
});
