import { randomBytes } from 'node:crypto';

// Crockford base32: no I, L, O, U, so ids read aloud and typed by hand survive.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += CROCKFORD[bytes[i] & 31];
  return out;
}

/**
 * Time-ordered id (ULID layout: 10 chars of milliseconds, 16 random), so ids sort by creation
 * and a prefix names the entity: `prv_01J…`.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `${prefix}_${time}${randomBase32(16)}`;
}
