import type { Actor } from '../data/audit';
import type { Caller } from './handler';

/**
 * The audit actor for a caller: the organisation (role and owner) and, when a signed-in user acts
 * through the web, that user — so every action a user takes is in the trail under them.
 * `system` for scheduled jobs and public flows.
 */
export function actorOf(caller: Caller | undefined): Actor {
  if (!caller) return { role: 'system', id: 'system' };
  return { role: caller.role, id: caller.ownerId, ...(caller.userId ? { userId: caller.userId } : {}), ...(caller.userName ? { userName: caller.userName } : {}) };
}
