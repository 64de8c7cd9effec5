/**
 * Issue 15, points 1 and 5: the colleagues pages (`/werkgever/gebruikers`, `/opleider/gebruikers`)
 * through the real page handlers — list, invite, remove with its confirmation, not oneself — their
 * tenancy (another organisation's user id, another role, no session), and every action of a user
 * in the audit trail under that user.
 */
import { describe, expect, it } from 'vitest';
import * as employerUsers from '../../functions/web/employer-users';
import * as providerUsers from '../../functions/web/provider-users';
import * as employerUserRemove from '../../functions/web/employer-user-remove';
import * as providerUserRemove from '../../functions/web/provider-user-remove';
import * as createEmployerUser from '../../functions/http/create-employer-user';
import * as createProviderUser from '../../functions/http/create-provider-user';
import { queryAll } from '../../shared/data/batch';
import { getUser } from '../../shared/data/users';
import { actorOf } from '../../shared/services/access';
import { changeEmployerSettings } from '../../shared/services/employer-settings';
import { pageHandler } from '../../shared/web/page';
import { Heading } from '../../shared/web/components';
import { messages } from '../../shared/i18n';
import { invoke, waitForMessages } from '../setup/helpers';
import { newEmployer } from '../integration/employers.fixtures';
import { newProvider, uid } from '../integration/webhook.fixtures';
import { page, signedIn } from './helpers';

const nl = messages('nl');
const en = messages('en');
const address = (who: string) => `${who}.${uid()}@example.nl`;

type Kind = 'employer' | 'provider';
const kinds: { kind: Kind; base: string; module: { handler: unknown }; removal: { handler: unknown }; api: { handler: unknown }; make: () => Promise<{ id: string; apiKey: string }> }[] = [
  { kind: 'employer', base: '/werkgever', module: employerUsers, removal: employerUserRemove, api: createEmployerUser, make: async () => { const e = await newEmployer(); return { id: e.employerId, apiKey: e.apiKey }; } },
  { kind: 'provider', base: '/opleider', module: providerUsers, removal: providerUserRemove, api: createProviderUser, make: async () => { const p = await newProvider(); return { id: p.providerId, apiKey: p.apiKey }; } },
];

/** An organisation with two users made through the API, and a session of the first. */
async function organisation(k: (typeof kinds)[number]) {
  const org = await k.make();
  const add = async (name: string) => {
    const res = await invoke(k.api, { method: 'POST', path: `/v1/${k.kind}s/${org.id}/users`, apiKey: org.apiKey, body: { email: address(name.toLowerCase()), name } });
    expect(res.statusCode).toBe(201);
    return res.json as { userId: string; email: string; name: string };
  };
  const me = await add('Anna');
  const colleague = await add('Bram');
  const session = await signedIn({ role: k.kind, ownerId: org.id, userId: me.userId, userName: me.name });
  return { org, me, colleague, session, add };
}

const eventsOf = async (pk: string, action: string) => (await queryAll({ pk, skPrefix: 'EVENT#', consistent: true })).filter((e) => e.action === action);

describe.each(kinds)('$base/gebruikers', (k) => {
  const list = `${k.base}/gebruikers`;

  it('lists the colleagues in a table; invites one (a mail, the inviter in the audit trail); the labels are WEB.md’s', async () => {
    const { org, me, colleague, session } = await organisation(k);
    const res = await page(k.module, { path: list, session });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<h1 class="utrecht-heading-1">${nl.users.title}</h1>`);
    expect(res.body).toContain(`<caption class="utrecht-table__caption">${nl.users.caption}</caption>`);
    expect(res.body).toContain(`${me.name} ${nl.users.you}`);
    expect(res.body).toContain(colleague.email);
    // A remove button for the colleague, none for oneself.
    expect(res.body).toContain(`action="${list}/${colleague.userId}/verwijderen"`);
    expect(res.body).not.toContain(`action="${list}/${me.userId}/verwijderen"`);
    expect(res.body).toContain('<label class="utrecht-form-label" for="email">E-mailadres</label>');
    expect(res.body).toContain('<label class="utrecht-form-label" for="name">Naam</label>');

    const email = address('nieuw');
    const posted = await page(k.module, { path: list, session, form: { email, name: 'Chris Nieuw' } });
    expect(posted.statusCode).toBe(303);
    expect(posted.location).toBe(`${list}?uitgenodigd=1`);
    const [mail] = await waitForMessages({ to: email });
    expect(mail.body.text).toContain('/inloggen?token=');
    const after = await page(k.module, { path: posted.location!, session });
    expect(after.body).toContain(nl.users.invited);
    expect(after.body).toContain('Chris Nieuw');
    const pk = `${k.kind === 'employer' ? 'EMPLOYER' : 'PROVIDER'}#${org.id}`;
    const invited = await eventsOf(pk, 'user.invited');
    expect(invited.map((e) => e.actor)).toContainEqual({ role: k.kind, id: org.id, userId: me.userId, userName: me.name });

    const english = await page(k.module, { path: `${list}?lang=en`, session });
    expect(english.body).toContain(`for="email">${en.users.email}</label>`);
    expect(english.body).toContain(`<h1 class="utrecht-heading-1">${en.users.title}</h1>`);
  });

  it('a bad or duplicate invitation: every bad field in the ErrorSummary, beside its field, what was typed kept', async () => {
    const { colleague, session } = await organisation(k);
    const bad = await page(k.module, { path: list, session, form: { email: 'geen-adres', name: '' } });
    expect(bad.statusCode).toBe(400);
    const summary = bad.body.slice(bad.body.indexOf('foutmeldingen-titel'), bad.body.indexOf('<form', bad.body.indexOf('foutmeldingen-titel')));
    expect([...summary.matchAll(/href="#(\w+)"/g)].map((m) => m[1])).toEqual(['email', 'name']);
    expect(summary).toContain(nl.errors.invalid('E-mailadres'));
    expect(summary).toContain(nl.errors.required('Naam'));
    expect(bad.body).toContain('value="geen-adres"');

    const dup = await page(k.module, { path: list, session, form: { email: colleague.email.toUpperCase(), name: 'Bram' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain(nl.users.duplicate);
    expect(dup.body).toContain('id="email-fout"');
  });

  it('removes a colleague after a confirmation step (the remover in the audit trail); not oneself', async () => {
    const { org, me, colleague, session } = await organisation(k);
    const path = `${list}/${colleague.userId}/verwijderen`;
    const ask = await page(k.removal, { path, session, form: {} });
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain(nl.users.confirmText(colleague.name, colleague.email));
    expect(ask.body).toContain('name="bevestigd" value="ja"');
    expect((await getUser(k.kind, org.id, colleague.userId))!.removedAt).toBeUndefined();

    const done = await page(k.removal, { path, session, form: { bevestigd: 'ja' } });
    expect(done.statusCode).toBe(303);
    expect(done.location).toBe(`${list}?verwijderd=1`);
    expect((await getUser(k.kind, org.id, colleague.userId, true))!.removedAt).toBeDefined();
    const shown = await page(k.module, { path: done.location!, session });
    expect(shown.body).toContain(nl.users.removed);
    expect(shown.body).not.toContain(colleague.email);
    const pk = `${k.kind === 'employer' ? 'EMPLOYER' : 'PROVIDER'}#${org.id}`;
    expect((await eventsOf(pk, 'user.removed')).map((e) => e.actor)).toEqual([{ role: k.kind, id: org.id, userId: me.userId, userName: me.name }]);
    // Removed already: the page of a missing one.
    expect((await page(k.removal, { path, session, form: { bevestigd: 'ja' } })).statusCode).toBe(404);

    const self = await page(k.removal, { path: `${list}/${me.userId}/verwijderen`, session, form: { bevestigd: 'ja' } });
    expect(self.statusCode).toBe(409);
    expect(self.body).toContain(nl.users.notYourself);
    expect((await getUser(k.kind, org.id, me.userId, true))!.removedAt).toBeUndefined();
  });

  it("tenancy: another organisation's user is a 404 page, another role's session a 404 page, no session a 303 to /inloggen", async () => {
    const a = await organisation(k);
    const b = await organisation(k);
    for (const form of [{}, { bevestigd: 'ja' }] as Record<string, string>[]) {
      const res = await page(k.removal, { path: `${list}/${b.colleague.userId}/verwijderen`, session: a.session, form });
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain(nl.errors.notFoundTitle);
    }
    expect((await getUser(k.kind, b.org.id, b.colleague.userId, true))!.removedAt).toBeUndefined();
    expect((await page(k.module, { path: list, session: a.session })).body).not.toContain(b.colleague.email);

    const other = kinds.find((x) => x.kind !== k.kind)!;
    const strangers = [
      await signedIn({ role: other.kind, ownerId: a.org.id, userId: a.me.userId }),
      await signedIn({ role: 'participant', ownerId: 'par_x' }),
      await signedIn({ role: 'admin', ownerId: 'admin', userId: 'usr_x' }),
    ];
    for (const session of strangers) {
      expect((await page(k.module, { path: list, session })).statusCode).toBe(404);
      expect((await page(k.module, { path: list, session, form: { email: address('x'), name: 'X' } })).statusCode).toBe(404);
      expect((await page(k.removal, { path: `${list}/${a.colleague.userId}/verwijderen`, session, form: { bevestigd: 'ja' } })).statusCode).toBe(404);
    }
    const anonymous = await page(k.module, { path: list });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.location).toBe(`/inloggen?next=${encodeURIComponent(list)}`);
    expect((await page(k.removal, { path: `${list}/${a.colleague.userId}/verwijderen`, form: { bevestigd: 'ja' } })).statusCode).toBe(403);
    expect((await getUser(k.kind, a.org.id, a.colleague.userId, true))!.removedAt).toBeUndefined();
  });
});

describe("a user's actions are in the audit trail under that user", () => {
  it("an employer user's change of the settings, through the pages' caller, names the user", async () => {
    const { org, me, session } = await organisation(kinds[0]);
    // A page on one of this area's routes that changes the settings as the settings page will.
    const settings = {
      handler: pageHandler({
        routes: ['page-employer-users-invite'],
        handler: async (ctx) => {
          await changeEmployerSettings(ctx.caller!, ctx.session!.ownerId, { contactEmail: 'hr@flex.example' }, actorOf(ctx.caller));
          return { title: 'ok', body: <Heading>ok</Heading> };
        },
      }),
    };
    expect((await page(settings, { path: '/werkgever/gebruikers', session, form: {} })).statusCode).toBe(200);
    const [changed] = await eventsOf(`EMPLOYER#${org.id}`, 'employer.settings-changed');
    expect(changed.actor).toEqual({ role: 'employer', id: org.id, userId: me.userId, userName: me.name });
  });
});
