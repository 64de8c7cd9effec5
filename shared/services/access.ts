/*
 * Who may act for whom: the one place the register decides whether a caller may act for an
 * organisation, a participant or an object they own. Handlers, pages and services ask here and
 * never compare roles and owner ids themselves. Anyone who may not act gets the 404 a missing
 * object gets (API.md): another tenant's ids must not be told apart from ids that do not exist.
 */
import type { ApiKeyRecord } from '../data/api-keys';
import type { Actor } from '../data/audit';
import { NotFound } from '../domain/errors';

/** An API key's record, or a web session as the pages' caller — then with the signed-in user (`userId`, organisations' users). */
export type Caller = ApiKeyRecord & { userId?: string; userName?: string };

/** Who owns something: an organisation (employer, provider) or a participant, by role and id. */
export interface Owner {
  role: string;
  id: string;
}

/** The owner of an object that names it the usual way (activities, recognition requests, completion claims). */
export const ownerFields = (object: { ownerRole: string; ownerId: string }): Owner => ({ role: object.ownerRole, id: object.ownerId });

export interface AccessRule {
  /** Whether the admin may act too (default true); false where only the owner itself may (e.g. its own completion claim). */
  admin?: boolean;
}

/** May the caller act for this owner: it is that owner, or (unless the rule says otherwise) the admin. */
export function mayActFor(caller: Pick<Caller, 'role' | 'ownerId'> | undefined, owner: Owner, rule: AccessRule = {}): boolean {
  if (!caller) return false;
  if (caller.role === 'admin' && rule.admin !== false) return true;
  return caller.role === owner.role && caller.ownerId === owner.id;
}

/** The route's owner (its `{employerId}`, `{providerId}`, `{participantId}`), or the 404 of a missing one. */
export function actFor(caller: Pick<Caller, 'role' | 'ownerId'> | undefined, owner: Owner, notFound: string, rule: AccessRule = {}): void {
  if (!mayActFor(caller, owner, rule)) throw new NotFound(notFound);
}

/** The object when it exists and the caller may act for its owner; otherwise the 404 a missing one gets. */
export function ownedBy<T>(
  caller: Pick<Caller, 'role' | 'ownerId'> | undefined,
  object: T | undefined,
  ownerOf: (object: T) => Owner,
  notFound: string,
  rule: AccessRule = {},
): T {
  if (object === undefined || !mayActFor(caller, ownerOf(object), rule)) throw new NotFound(notFound);
  return object;
}

/**
 * The audit actor for a caller: the organisation (role and owner) and, when a signed-in user acts
 * through the web, that user — so every action a user takes is in the trail under them.
 * `system` for scheduled jobs and public flows.
 */
export function actorOf(caller: Caller | undefined): Actor {
  if (!caller) return { role: 'system', id: 'system' };
  return { role: caller.role, id: caller.ownerId, ...(caller.userId ? { userId: caller.userId } : {}), ...(caller.userName ? { userName: caller.userName } : {}) };
}
