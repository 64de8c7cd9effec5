import * as z from 'zod/mini';
import { checkForm, type PageContext, type PageResult, type PageSpec } from './page';
import { Alert, ErrorSummary, Form, Heading, Link, Paragraph, SubmitButton, Table, TextField, type FormError } from './components';
import { formatDate } from '../i18n';
import { EmailSchema, text } from '../schemas/common';
import { Conflict, NotFound } from '../domain/errors';
import { inviteUser, listOrganisationUsers, organisationUser, removeUser, type OrganisationRole, type UserView } from '../services/users';

/*
 * The colleagues pages (WEB.md `/werkgever/gebruikers`, and the same for providers at
 * `/opleider/gebruikers`): the organisation's users in a table, an invite form (E-mailadres,
 * Naam), and per colleague a remove button (a POST) that first asks for confirmation; one cannot
 * remove oneself. The organisation is always the session's own: the caller is checked by the
 * services exactly as an API key is, and a user id of another organisation is a 404 page.
 * A list view costs the session's GetItem and one Query of the organisation's users.
 */

const base = (role: OrganisationRole) => (role === 'employer' ? '/werkgever' : '/opleider');
const LIST_LIMIT = 200;

const InviteFormSchema = z.object({ email: EmailSchema, name: text({ max: 200 }) });

const loads = new WeakMap<PageContext, Promise<UserView[]>>();
function colleagues(ctx: PageContext, role: OrganisationRole): Promise<UserView[]> {
  let loaded = loads.get(ctx);
  if (!loaded) {
    // No cursor: the page lists one organisation's colleagues, at most LIST_LIMIT of them.
    loaded = listOrganisationUsers(ctx.caller!, role, ctx.session!.ownerId, { limit: LIST_LIMIT, next: () => undefined }).then((r) => r.items);
    loads.set(ctx, loaded);
  }
  return loaded;
}

interface ListState {
  errors?: FormError[];
  values?: { email: string; name: string };
  problem?: string;
  status?: number;
}

async function listPage(ctx: PageContext, role: OrganisationRole, state: ListState = {}): Promise<PageResult> {
  const t = ctx.t.users;
  const users = await colleagues(ctx, role);
  const me = ctx.session!.userId;
  const path = `${base(role)}/gebruikers`;
  const notice = ctx.query.uitgenodigd ? t.invited : ctx.query.verwijderd ? t.removed : undefined;
  return {
    title: t.title,
    status: state.status,
    body: (
      <>
        <Heading>{t.title}</Heading>
        {state.problem ? <Alert type="error">{state.problem}</Alert> : notice ? <Alert type="ok">{notice}</Alert> : null}
        {users.length ? (
          <Table
            caption={t.caption}
            headers={[t.name, t.email, t.since, t.actions]}
            rows={users.map((u) => [
              u.userId === me ? `${u.name} ${t.you}` : u.name,
              u.email,
              formatDate(ctx.lang, u.createdAt.slice(0, 10)),
              u.userId === me ? '' : (
                <Form action={`${path}/${u.userId}/verwijderen`} csrf={ctx.csrf} label={t.removeNamed(u.name)}>
                  <SubmitButton secondary>{t.removeNamed(u.name)}</SubmitButton>
                </Form>
              ),
            ])}
          />
        ) : (
          <Paragraph>{t.none}</Paragraph>
        )}
        <Heading level={2}>{t.inviteTitle}</Heading>
        <Paragraph>{t.inviteHint}</Paragraph>
        <ErrorSummary t={ctx.t} errors={state.errors ?? []} />
        <Form action={path} csrf={ctx.csrf} label={t.inviteTitle}>
          <TextField name="email" type="email" label={t.email} autocomplete="off" value={state.values?.email} errors={state.errors} required />
          <TextField name="name" label={t.name} autocomplete="off" value={state.values?.name} errors={state.errors} required />
          <SubmitButton>{t.invite}</SubmitButton>
        </Form>
      </>
    ),
  };
}

async function invite(ctx: PageContext, role: OrganisationRole): Promise<PageResult> {
  const t = ctx.t.users;
  const values = { email: ctx.form.email ?? '', name: ctx.form.name ?? '' };
  const checked = checkForm(InviteFormSchema, values, ctx.t, { email: t.email, name: t.name });
  if (!checked.ok) return listPage(ctx, role, { errors: checked.errors, values, status: 400 });
  try {
    await inviteUser(ctx.caller!, role, ctx.session!.ownerId, { ...checked.data, language: ctx.lang });
  } catch (err) {
    if (err instanceof Conflict) return listPage(ctx, role, { errors: [{ field: 'email', message: t.duplicate }], values, status: 409 });
    throw err;
  }
  return { redirect: `${base(role)}/gebruikers?uitgenodigd=1` };
}

async function remove(ctx: PageContext, role: OrganisationRole): Promise<PageResult> {
  const t = ctx.t.users;
  const userId = ctx.params.userId ?? '';
  // Someone else's (or no one's) user: the page of a missing one.
  const user = /^usr_[0-9A-Z]{26}$/.test(userId) ? await organisationUser(ctx.caller!, role, ctx.session!.ownerId, userId) : undefined;
  if (!user) throw new NotFound();
  if (user.userId === ctx.session!.userId) return listPage(ctx, role, { problem: t.notYourself, status: 409 });
  const path = `${base(role)}/gebruikers`;
  if (ctx.form.bevestigd !== 'ja') {
    return {
      title: t.confirmTitle,
      body: (
        <>
          <Heading>{t.confirmTitle}</Heading>
          <Paragraph>{t.confirmText(user.name, user.email)}</Paragraph>
          <Form action={`${path}/${user.userId}/verwijderen`} csrf={ctx.csrf} label={t.confirmTitle}>
            <input type="hidden" name="bevestigd" value="ja" />
            <SubmitButton>{t.confirm}</SubmitButton>
          </Form>
          <Paragraph>
            <Link href={path}>{t.cancel}</Link>
          </Paragraph>
        </>
      ),
    };
  }
  await removeUser(ctx.caller!, role, ctx.session!.ownerId, user.userId);
  return { redirect: `${path}?verwijderd=1` };
}

const viewer = (role: OrganisationRole) => async (ctx: PageContext) => {
  const me = (await colleagues(ctx, role)).find((u) => u.userId === ctx.session?.userId);
  return me ? { name: me.name } : {};
};

/** The list and the invite form of one kind of organisation (GET and POST on the same path), for `pageHandler`. */
export function usersPages(role: OrganisationRole): PageSpec {
  return {
    routes: [`page-${role}-users`, `page-${role}-users-invite`],
    viewer: viewer(role),
    handler: async (ctx) => (ctx.route.id === `page-${role}-users-invite` ? invite(ctx, role) : listPage(ctx, role)),
  };
}

/** The removal of a colleague (its confirmation, then the removal): its own function, as a POST of another path. */
export function userRemovalPage(role: OrganisationRole): PageSpec {
  return { routes: [`page-${role}-user-remove`], viewer: viewer(role), handler: (ctx) => remove(ctx, role) };
}
