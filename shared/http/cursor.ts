import { createHmac, timingSafeEqual } from 'node:crypto';
import { config } from '../config';
import { localKey } from '../crypto/keys';
import { forgetSecretStrings, secretString } from '../crypto/secret-values';
import { findRoute } from '../routes';
import { BadRequest } from '../domain/errors';
import type { Caller } from '../services/access';
import type { PageRequest } from '../data/paging';

/**
 * Signed list cursors. A cursor is `<payload>.<tag>`: the payload is the DynamoDB key the next
 * page starts after (base64url JSON, as before), the tag an HMAC-SHA256 over the route, the
 * caller (role and owner id, or `public`), the list's filter (path parameters and query, without
 * limit and cursor) and the payload. Decoding checks the tag (in constant time) before it reads
 * the payload, so a tampered cursor, one from another route, another caller or another filter, and
 * garbage are all the same 400 naming `query.cursor`; and no key reaches DynamoDB that this API did
 * not hand out for exactly this list (a forged key used to answer 500).
 *
 * The key: locally `PE_DATA_DIR/keys/cursor`; in the cloud the Secrets Manager secret named by
 * CURSOR_KEY_SECRET_ARN, fetched once per container (only the paged routes may read it).
 */
export const DEFAULT_LIMIT = 50;

type Filter = Record<string, unknown>;

let keyPromise: Promise<Buffer> | undefined;

async function loadKey(): Promise<Buffer> {
  const arn = config.cursorKeySecretArn;
  if (!arn) return localKey('cursor');
  return Buffer.from(await secretString(arn), 'utf8');
}

/** The signing key, fetched once per container; a failed fetch is retried by the next request. */
function cursorKey(): Promise<Buffer> {
  keyPromise ??= loadKey().catch((err) => {
    keyPromise = undefined;
    throw err;
  });
  return keyPromise;
}

/** For tests: forget the cached key and client (another key source next time). */
export function resetCursorKey(): void {
  keyPromise = undefined;
  forgetSecretStrings();
}

function badCursor(): never {
  throw new BadRequest('The cursor is not one this API handed out for this list (with this filter and this API key).', [
    { path: 'query.cursor', message: 'Invalid cursor' },
  ]);
}

/** The filter in one spelling: keys sorted, absent values left out. */
function canonical(filter: Filter): string {
  return JSON.stringify(
    Object.keys(filter)
      .filter((k) => filter[k] !== undefined)
      .sort()
      .map((k) => [k, filter[k]]),
  );
}

const TAG_LENGTH = 43; // 32 bytes of HMAC-SHA256 in base64url
const CURSOR = /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/;

/**
 * The cursors of one list request, bound to the route (which must be marked `paged` in
 * shared/routes.ts, so the cloud function may read the key), the caller, and the request's path
 * parameters and query (its filter). Throws the 400 for a cursor that is not this list's.
 */
export async function pageRequest(
  routeId: string,
  req: { caller: Caller | undefined; params?: object; query: { limit?: number; cursor?: string } & Record<string, unknown> },
): Promise<PageRequest> {
  if (!findRoute(routeId).paged) throw new Error(`Route ${routeId} hands out cursors but is not marked paged in shared/routes.ts`);
  const { limit, cursor, ...query } = req.query;
  const who = req.caller ? `${req.caller.role}:${req.caller.ownerId}` : 'public';
  const bound = JSON.stringify(['pe-cursor-1', routeId, who, canonical({ ...(req.params as Filter | undefined), ...query })]);
  const key = await cursorKey();
  const tag = (payload: string) => createHmac('sha256', key).update(bound).update('\n').update(payload).digest();

  let start: Record<string, unknown> | undefined;
  if (cursor !== undefined) {
    const m = CURSOR.exec(cursor);
    if (!m) badCursor();
    // Compared as text: 43 base64url characters carry 258 bits, so the last one has 2 spare bits,
    // and decoding would take four spellings of one tag as the same — a changed cursor accepted.
    const given = Buffer.from(m[2], 'ascii');
    const expected = Buffer.from(tag(m[1]).toString('base64url'), 'ascii');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) badCursor();
    // Signed by us for this list: the payload is a key we wrote. Still, never trust it blindly.
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8'));
    } catch {
      badCursor();
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) badCursor();
    start = value as Record<string, unknown>;
  }
  return {
    limit: limit ?? DEFAULT_LIMIT,
    start,
    next(lastKey) {
      if (!lastKey) return undefined;
      const payload = Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url');
      const value = `${payload}.${tag(payload).toString('base64url')}`;
      if (value.length - TAG_LENGTH - 1 > 2000) throw new Error(`A cursor of ${routeId} is too long (${value.length} characters)`);
      return value;
    },
  };
}
