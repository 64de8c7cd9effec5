import type { Actor } from '../data/audit';
import type { Caller } from './handler';

/** The audit actor for a caller; `system` for scheduled jobs and public flows. */
export function actorOf(caller: Caller | undefined): Actor {
  return caller ? { role: caller.role, id: caller.ownerId } : { role: 'system', id: 'system' };
}
