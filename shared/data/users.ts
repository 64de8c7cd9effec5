import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, cancellationCodes, withConflictRetry, type TxItem } from './client';
import { auditPut, type Actor } from './audit';
import { queryAll } from './batch';
import { queryPage } from './paging';
import { emailIndexPk } from './participants';
import { newId } from '../ids';
import { BOOTSTRAP, EMPLOYER, PROVIDER, USER, USEREMAIL, USERSESSION } from './keys';

/**
 * Users (WEB.md "Sign-in and sessions", API.md "Users"): an e-mail address with a role in ONE
 * organisation (`employer`, `provider`) or on the register's staff (`admin`, owner `admin`). They
 * sign in by e-mail link, like participants; integrations keep API keys.
 *
 * - user: pk = the organisation's partition (`EMPLOYER#<id>`, `PROVIDER#<id>`, `STAFF`), sk
 *   `USER#<userId>` — so an organisation's users are one Query. In the e-mail index beside the
 *   participants (gsi2 `EMAIL#<sha256(address)>` / `USER#<userId>`), so one Query finds every
 *   subject of an address; a removal takes it out of the index (and sets `removedAt`).
 * - address guard: `USEREMAIL#<role>#<ownerId>#<sha256(address)>`, put in the user's own
 *   transaction (`attribute_not_exists`, or released by a removal): one user per address per
 *   organisation, also when two invitations race.
 * - session pointer: pk the organisation's, sk `USERSESSION#<userId>#<session idHash>`, put in the
 *   sign-in's transaction, so a removal finds every session the user ever started by a consistent
 *   Query and ends it — with no extra read on a page view.
 */

export type UserRole = 'employer' | 'provider' | 'admin';

export interface User {
  userId: string;
  role: UserRole;
  /** employerId / providerId; 'admin' for the staff. */
  ownerId: string;
  email: string;
  name: string;
  language: 'nl' | 'en';
  /** The organisation's name when the user was invited (what the sign-in e-mail names). */
  organisationName: string;
  createdAt: string;
  createdBy: Actor;
  removedAt?: string;
  removedBy?: Actor;
}

/** A session pointer lives as long as this, well beyond any web session (idle 30 minutes). */
const POINTER_TTL_DAYS = 366;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const folded = (address: string) => address.trim().toLowerCase();

/** The organisation's partition, where its users, their session pointers and its events live. */
export function organisationPk(role: UserRole, ownerId: string): string {
  if (role === 'admin') return 'STAFF';
  return (role === 'employer' ? EMPLOYER : PROVIDER)(ownerId);
}

export const userKey = (role: UserRole, ownerId: string, userId: string) => ({ pk: organisationPk(role, ownerId), sk: USER(userId) });
const guardKey = (role: UserRole, ownerId: string, email: string) => ({ pk: USEREMAIL(role, ownerId, sha256(folded(email))), sk: 'USEREMAIL' });

function fromItem(item: Record<string, unknown>): User {
  return {
    userId: item.userId as string,
    role: item.role as UserRole,
    ownerId: item.ownerId as string,
    email: item.email as string,
    name: item.name as string,
    language: (item.language as 'nl' | 'en') ?? 'nl',
    organisationName: (item.organisationName as string) ?? '',
    createdAt: item.createdAt as string,
    createdBy: item.createdBy as Actor,
    ...(item.removedAt ? { removedAt: item.removedAt as string, removedBy: item.removedBy as Actor } : {}),
  };
}

/** The organisation's name, or undefined when there is no such organisation (the staff: the register). */
export async function organisationName(role: UserRole, ownerId: string): Promise<string | undefined> {
  if (role === 'admin') return ownerId === 'admin' ? 'PE-register' : undefined;
  const item = (await db().send(new GetCommand({ TableName: tableName(), Key: { pk: organisationPk(role, ownerId), sk: 'PROFILE' }, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'name' } }))).Item;
  return item ? String(item.name ?? '') : undefined;
}

/**
 * A new user, with the address guard and its audit event in one transaction. `exists`: the
 * organisation already has a (live) user with this address, also when it was invited at the same
 * moment; `no-organisation`: there is no such organisation.
 */
export async function createUser(
  input: { role: UserRole; ownerId: string; email: string; name: string; language: 'nl' | 'en'; actor: Actor; extra?: TxItem[] },
  now = new Date(),
): Promise<{ kind: 'created'; user: User } | { kind: 'exists' } | { kind: 'no-organisation' }> {
  const orgName = await organisationName(input.role, input.ownerId);
  if (orgName === undefined) return { kind: 'no-organisation' };
  const userId = newId('usr', now.getTime());
  const user: User = {
    userId,
    role: input.role,
    ownerId: input.ownerId,
    email: input.email.trim(),
    name: input.name,
    language: input.language,
    organisationName: orgName,
    createdAt: now.toISOString(),
    createdBy: input.actor,
  };
  const pk = organisationPk(input.role, input.ownerId);
  try {
    await withConflictRetry(() => db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...guardKey(input.role, input.ownerId, input.email), type: 'user-email', userId, createdAt: user.createdAt },
              ConditionExpression: 'attribute_not_exists(pk) OR attribute_exists(releasedAt)',
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: { ...userKey(input.role, input.ownerId, userId), type: 'user', ...user, gsi2pk: emailIndexPk(user.email), gsi2sk: USER(userId) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          auditPut(pk, { actor: input.actor, action: 'user.invited', after: { userId, role: input.role } }, now),
          ...(input.extra ?? []),
        ],
      }),
    ));
  } catch (err) {
    const codes = cancellationCodes(err);
    if (codes?.[0] === 'ConditionalCheckFailed') return { kind: 'exists' };
    if (codes?.slice(3).includes('ConditionalCheckFailed')) return { kind: 'exists' };
    throw err;
  }
  return { kind: 'created', user };
}

export async function getUser(role: UserRole, ownerId: string, userId: string, consistent = false): Promise<User | undefined> {
  const item = (await db().send(new GetCommand({ TableName: tableName(), Key: userKey(role, ownerId, userId), ConsistentRead: consistent }))).Item;
  return item ? fromItem(item) : undefined;
}

/** An organisation's live users, oldest first, one page (removed ones are left out). */
export async function listUsers(role: UserRole, ownerId: string, page: { limit: number; start?: Record<string, unknown> }) {
  const res = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :u)',
      FilterExpression: 'attribute_not_exists(removedAt)',
      ExpressionAttributeValues: { ':pk': organisationPk(role, ownerId), ':u': USER() },
    },
    { limit: page.limit, cursor: page.start, keyAttributes: ['pk', 'sk'] },
  );
  return { users: res.items.map(fromItem), lastKey: res.lastKey };
}

/** The live users with this address on file (the sign-in's lookup), over every organisation. */
export async function usersByEmail(email: string, max: number): Promise<User[]> {
  const items = await queryAll({ pk: emailIndexPk(email), skPrefix: USER(), index: 'gsi2' });
  // The index is eventually consistent: each hit's own address decides.
  return items
    .map(fromItem)
    .filter((u) => !u.removedAt && folded(u.email) === folded(email))
    .slice(0, max);
}

/**
 * Marks a user removed (out of the e-mail index, so no new sign-in link finds them, and the
 * address free for a new invitation), with its audit event, in one transaction. `removed` now,
 * `already-removed` when it was before, `not-found` when the organisation has no such user.
 */
export async function markUserRemoved(user: User, actor: Actor, now = new Date()): Promise<'removed' | 'already-removed'> {
  if (user.removedAt) return 'already-removed';
  try {
    await withConflictRetry(() => db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: userKey(user.role, user.ownerId, user.userId),
              UpdateExpression: 'SET removedAt = :now, removedBy = :by REMOVE gsi2pk, gsi2sk',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(removedAt)',
              ExpressionAttributeValues: { ':now': now.toISOString(), ':by': actor },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: guardKey(user.role, user.ownerId, user.email),
              UpdateExpression: 'SET releasedAt = :now',
              ConditionExpression: 'userId = :id',
              ExpressionAttributeValues: { ':now': now.toISOString(), ':id': user.userId },
            },
          },
          auditPut(organisationPk(user.role, user.ownerId), { actor, action: 'user.removed', before: { userId: user.userId, role: user.role } }, now),
        ],
      }),
    ));
  } catch (err) {
    if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return 'already-removed';
    throw err;
  }
  return 'removed';
}

/**
 * The sign-in's items for a user: the user must still hold the address the link was mailed to and
 * not be removed (a removal takes the index key away), the session's pointer (so a removal can end
 * it), and the `session.created` event in the organisation's trail under the user.
 */
export function userSignInItems(subject: { role: UserRole; ownerId: string; userId: string }, emailKey: string, sessionIdHash: string, now: Date): TxItem[] {
  const pk = organisationPk(subject.role, subject.ownerId);
  return [
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: userKey(subject.role, subject.ownerId, subject.userId),
        ConditionExpression: 'gsi2pk = :key AND attribute_not_exists(removedAt)',
        ExpressionAttributeValues: { ':key': emailKey },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: {
          pk,
          sk: USERSESSION(subject.userId, sessionIdHash),
          type: 'user-session',
          userId: subject.userId,
          sessionIdHash,
          createdAt: now.toISOString(),
          expiresAt: Math.floor(now.getTime() / 1000) + POINTER_TTL_DAYS * 86_400,
        },
      },
    },
    auditPut(pk, { actor: { role: subject.role, id: subject.ownerId, userId: subject.userId }, action: 'session.created', detail: { via: 'sign-in-link', credential: 'web-session' } }, now),
  ];
}

/** The id hashes of every web session this user started (consistent: none started before now is missed). */
export async function userSessionHashes(role: UserRole, ownerId: string, userId: string): Promise<string[]> {
  const items = await queryAll({ pk: organisationPk(role, ownerId), skPrefix: USERSESSION(userId, ''), attributes: ['sessionIdHash'], consistent: true });
  return items.map((i) => String(i.sessionIdHash));
}

/**
 * The first admin user (ADMIN_EMAIL / CDK context `adminEmail`): created once per address — the
 * marker `BOOTSTRAP#admin-user#<sha256(address)>` is put in the user's own transaction, so a
 * removed admin user is not brought back by the next boot or sign-in, and two at once make one.
 */
export async function ensureAdminUser(email: string, now = new Date()): Promise<'created' | 'existed'> {
  const marker = { pk: BOOTSTRAP('admin-user', sha256(folded(email))), sk: 'BOOTSTRAP' };
  const seen = (await db().send(new GetCommand({ TableName: tableName(), Key: marker }))).Item;
  if (seen) return 'existed';
  const result = await createUser({
    role: 'admin',
    ownerId: 'admin',
    email,
    name: email.split('@')[0],
    language: 'nl',
    actor: { role: 'system', id: 'admin-bootstrap' },
    extra: [{ Put: { TableName: tableName(), Item: { ...marker, type: 'bootstrap', createdAt: now.toISOString() }, ConditionExpression: 'attribute_not_exists(pk)' } }],
  }, now);
  if (result.kind === 'created') return 'created';
  // Already there (made by hand, or by a racing boot): remember it, so it is never made again.
  await db()
    .send(new PutCommand({ TableName: tableName(), Item: { ...marker, type: 'bootstrap', createdAt: now.toISOString() }, ConditionExpression: 'attribute_not_exists(pk)' }))
    .catch((err: { name?: string }) => {
      if (err?.name !== 'ConditionalCheckFailedException') throw err;
    });
  return 'existed';
}
