import { config } from '../config';
import { countRequest } from '../data/rate-limits';
import { TooManyRequests } from '../domain/errors';

/**
 * An employer's unmatched rows: a row of the inventory or of a collective registration whose
 * diploma number and birth date match no holder. Both answer such a row alike whether the number
 * is unknown or the birth date wrong, but each answer still tells whether a guessed birth date
 * was right; this counter (shared/data/rate-limits.ts; RATE_LIMIT_MISSES_*, 2,000 per 24 hours
 * by default) bounds the guesses per employer across both routes.
 *
 * The request passes only when the window has room for all its rows to miss, and then adds only
 * those that did: whether it is refused depends on the count of rows, never on their outcome (a
 * 429 that came only for wrong guesses would itself answer them). Called after the look-ups and
 * before anything is answered; a refused request adds nothing.
 */
export async function countMisses(employerId: string, misses: number, rows: number, now: Date = new Date()): Promise<void> {
  const counter = { group: 'employer', kind: 'misses', value: employerId, ...config.rateLimits.misses };
  const decision = await countRequest(counter, now, { amount: misses, reserve: rows });
  if (!decision.allowed) throw new TooManyRequests(decision.retryAfterSeconds);
}
