import { createSignInLink, INVITATION_LINK_VALID_MINUTES } from '../data/sign-in-links';
import { createUser, getUser, listUsers, markUserRemoved, userSessionHashes, type User, type UserRole } from '../data/users';
import { emailIndexPk } from '../data/participants';
import { endWebSession } from '../data/web-sessions';
import { invitationEmail } from '../email/templates/invitation';
import { emailLinks } from '../email/links';
import { sendEmail } from '../email/send';
import { actorOf } from './access';
import { Conflict, NotFound } from '../domain/errors';
import { mayActFor, type Caller } from './access';
import type { PageRequest } from '../data/paging';
import { logger } from '../log';

/*
 * Users of organisations and of the staff (API.md "Users", WEB.md "Sign-in and sessions"): the
 * admin, or the organisation itself (its API key or one of its users), invites, lists and removes
 * them. Another organisation's id answers as a missing one (404), as everywhere in the API.
 */

export type OrganisationRole = Extract<UserRole, 'employer' | 'provider'>;

export interface UserView {
  userId: string;
  email: string;
  name: string;
  language: 'nl' | 'en';
  createdAt: string;
}

const view = (u: User): UserView => ({ userId: u.userId, email: u.email, name: u.name, language: u.language, createdAt: u.createdAt });

function mayManage(caller: Caller, role: OrganisationRole, ownerId: string): boolean {
  return mayActFor(caller, { role, id: ownerId });
}

const missing = (role: OrganisationRole) => new NotFound(`No ${role} with this id.`);

/**
 * Invites a user: the user (409 when the organisation already has one with this address, also
 * when both invitations arrive at once), then the invitation e-mail with a one-time sign-in link
 * (valid 7 days: `INVITATION_LINK_VALID_MINUTES`). The user stands when the mail fails; they can
 * ask for a sign-in link themselves.
 */
export async function inviteUser(
  caller: Caller,
  role: OrganisationRole,
  ownerId: string,
  input: { email: string; name: string; language?: 'nl' | 'en' },
): Promise<UserView> {
  if (!mayManage(caller, role, ownerId)) throw missing(role);
  const result = await createUser({ role, ownerId, email: input.email, name: input.name, language: input.language ?? 'nl', actor: actorOf(caller) });
  if (result.kind === 'no-organisation') throw missing(role);
  if (result.kind === 'exists') throw new Conflict('This organisation already has a user with this e-mail address.', { reason: 'user-exists' });
  const user = result.user;
  await sendInvitation(user);
  return view(user);
}

async function sendInvitation(user: User): Promise<void> {
  try {
    const token = await createSignInLink({
      subject: { role: user.role, ownerId: user.ownerId, userId: user.userId, userName: user.name },
      emailKey: emailIndexPk(user.email),
      validMinutes: INVITATION_LINK_VALID_MINUTES,
    });
    await sendEmail(
      invitationEmail({
        to: user.email,
        language: user.language,
        name: user.name,
        organisation: user.role === 'admin' ? undefined : user.organisationName,
        url: emailLinks.invitation(token),
        signInUrl: emailLinks.signIn(),
        validDays: Math.round(INVITATION_LINK_VALID_MINUTES / 1440),
      }),
    );
  } catch (err) {
    logger.error('invitation e-mail failed', { error: (err as Error)?.name ?? 'Error' });
  }
}

export async function listOrganisationUsers(caller: Caller, role: OrganisationRole, ownerId: string, page: PageRequest): Promise<{ items: UserView[]; nextCursor?: string }> {
  if (!mayManage(caller, role, ownerId)) throw missing(role);
  const { users, lastKey } = await listUsers(role, ownerId, page);
  const nextCursor = page.next(lastKey);
  return { items: users.map(view), ...(nextCursor ? { nextCursor } : {}) };
}

/**
 * Removes a user: marked removed (no new sign-in), then every web session they started is ended.
 * Repeating it for a user already removed ends their sessions again (a removal that failed after
 * the mark is completed by its retry) and answers the same.
 */
export async function removeUser(caller: Caller, role: OrganisationRole, ownerId: string, userId: string): Promise<void> {
  if (!mayManage(caller, role, ownerId)) throw missing(role);
  const user = await getUser(role, ownerId, userId, true);
  if (!user) throw new NotFound('No user with this id.');
  await markUserRemoved(user, actorOf(caller));
  // After the mark, no sign-in can add a session (its ConditionCheck fails), and the pointers are
  // read consistently: every session the user holds is in this list.
  const now = new Date();
  const hashes = await userSessionHashes(role, ownerId, userId);
  for (let i = 0; i < hashes.length; i += 10) await Promise.all(hashes.slice(i, i + 10).map((h) => endWebSession(h, now)));
}

/** One of the organisation's users (the pages' confirmation step); undefined when not theirs or removed. */
export async function organisationUser(caller: Caller, role: OrganisationRole, ownerId: string, userId: string): Promise<UserView | undefined> {
  if (!mayManage(caller, role, ownerId)) return undefined;
  const user = await getUser(role, ownerId, userId);
  return user && !user.removedAt ? view(user) : undefined;
}
