/**
 * Issue 16 part 6 on the pages: the dossier's "Mijn gegevens downloaden" (`/dossier/gegevens`, the
 * export as a file) and the staff's erasure on `/beheer/deelnemers/{participantId}`: a reason
 * (required), a confirmation step, then the erasure — with the other tenant's id, other roles,
 * no session and no CSRF token.
 */
import { describe, expect, it } from 'vitest';
import * as dossierPage from '../../functions/web/dossier';
import * as dataPage from '../../functions/web/dossier-data';
import * as participantsPage from '../../functions/web/staff-participants';
import { page, signedIn } from './helpers';
import { makeParticipant } from '../integration/invoicing.fixtures';
import { getParticipant } from '../../shared/data/participants';
import { messages } from '../../shared/i18n';

const nl = messages('nl');
const en = messages('en');
const admin = () => signedIn({ role: 'admin', ownerId: 'admin', userId: 'usr_beheer', userName: 'Beheerder' });

describe('/dossier/gegevens: Mijn gegevens downloaden', () => {
  it('the dossier links to it; it answers the export as a JSON file for the signed-in participant only', async () => {
    const p = await makeParticipant('Downloader', `downloader.${Date.now()}@example.nl`);
    const me = await signedIn({ role: 'participant', ownerId: p.participantId });
    const dossier = await page(dossierPage, { path: '/dossier', session: me });
    expect(dossier.statusCode).toBe(200);
    expect(dossier.body).toContain('href="/dossier/gegevens"');
    expect(dossier.body).toContain(nl.dataRights.download);

    const file = await page(dataPage, { path: '/dossier/gegevens', session: me });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/^application\/json/);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="${nl.dataRights.filename}"`);
    const data = JSON.parse(file.body);
    expect(data).toMatchObject({ participantId: p.participantId, sections: { profile: { lastName: 'Downloader', participantId: p.participantId } } });
    expect(data.explanation.nl).toMatch(/7 jaar/);
    expect(Object.keys(data.sections)).toEqual(expect.arrayContaining(['profile', 'invoices', 'auditEvents', 'webSessions']));

    const english = await page(dataPage, { path: '/dossier/gegevens?lang=en', session: me });
    expect(english.headers['content-disposition']).toBe(`attachment; filename="${en.dataRights.filename}"`);

    // Nobody else: no session → sign in first; an employer's user → the 404 page.
    const anonymous = await page(dataPage, { path: '/dossier/gegevens' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.location).toBe('/inloggen?next=%2Fdossier%2Fgegevens');
    const employer = await signedIn({ role: 'employer', ownerId: 'emp_X', userId: 'usr_x' });
    expect((await page(dataPage, { path: '/dossier/gegevens', session: employer })).statusCode).toBe(404);
  });
});

describe('/beheer/deelnemers/{participantId}: erasure', () => {
  it('asks for a reason, then for confirmation, and only then erases; the dossier says so', async () => {
    const p = await makeParticipant('Wisselaar', `wisselaar.${Date.now()}@example.nl`);
    const staff = await admin();
    const path = `/beheer/deelnemers/${p.participantId}`;
    const shown = await page(participantsPage, { path, session: staff });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain(nl.dataRights.staffHeading);
    expect(shown.body).toContain(`action="${path}/verwijderen"`);

    // No reason: the form again with the error, nothing erased.
    const empty = await page(participantsPage, { path: `${path}/verwijderen`, session: staff, form: { reden: '  ' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain(nl.dataRights.reasonRequired);
    expect(empty.body).toContain('href="#reden"');
    expect((await getParticipant(p.participantId, true))!.erasure).toBeUndefined();

    // A reason: the confirmation step, still nothing erased.
    const confirm = await page(participantsPage, { path: `${path}/verwijderen`, session: staff, form: { reden: 'Verzoek per e-mail' } });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(nl.dataRights.confirm);
    expect(confirm.body).toContain('name="bevestigd" value="ja"');
    expect(confirm.body).toContain('value="Verzoek per e-mail"');
    expect((await getParticipant(p.participantId, true))!.erasure).toBeUndefined();

    // Confirmed: erased, back to the dossier that says so.
    const done = await page(participantsPage, { path: `${path}/verwijderen`, session: staff, form: { reden: 'Verzoek per e-mail', bevestigd: 'ja' } });
    expect(done.statusCode).toBe(303);
    expect(done.location).toBe(`${path}?verwijderd=1`);
    const erased = (await getParticipant(p.participantId, true))!;
    expect(erased.erasure).toMatchObject({ status: 'erased', reason: 'Verzoek per e-mail', by: 'admin:usr_beheer' });
    expect(erased.lastName).toMatch(/^Verwijderd /);
    const after = await page(participantsPage, { path: `${path}?verwijderd=1`, session: staff });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain(nl.dataRights.done);
    expect(after.body).not.toContain('Wisselaar');
    expect(after.body).not.toContain(`action="${path}/verwijderen"`);
  });

  it('another id 404, other roles the 404 page, no session 303, no CSRF 403 — and nothing erased', async () => {
    const p = await makeParticipant('Beschermd');
    const path = `/beheer/deelnemers/${p.participantId}/verwijderen`;
    const form = { reden: 'x', bevestigd: 'ja' };
    expect((await page(participantsPage, { path: '/beheer/deelnemers/par_00000000000000000000000000/verwijderen', session: await admin(), form })).statusCode).toBe(404);
    const participant = await signedIn({ role: 'participant', ownerId: p.participantId });
    expect((await page(participantsPage, { path, session: participant, form })).statusCode).toBe(404);
    const employer = await signedIn({ role: 'employer', ownerId: 'emp_X', userId: 'usr_x' });
    expect((await page(participantsPage, { path, session: employer, form })).statusCode).toBe(404);
    const anonymous = await page(participantsPage, { path, form });
    expect([303, 403]).toContain(anonymous.statusCode);
    expect((await page(participantsPage, { path, session: await admin(), form, csrf: 'wrong' })).statusCode).toBe(403);
    expect((await getParticipant(p.participantId, true))!.erasure).toBeUndefined();
  });
});
