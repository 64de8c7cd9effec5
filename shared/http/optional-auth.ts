import { lookupApiKey } from '../data/api-keys';
import { bearerToken } from './handler';
import type { Caller } from '../services/access';
import { Unauthorized } from '../domain/errors';

/**
 * The caller of a public route that shows more to some callers (an internal activity to its
 * employer and the admin). No Authorization header: anonymous. A key that is presented but
 * unknown or revoked is a 401, as on every protected route, rather than a silent downgrade.
 */
export async function optionalCaller(headers: Record<string, string | undefined>): Promise<Caller | undefined> {
  if (!headers.authorization && !headers.Authorization) return undefined;
  const token = bearerToken(headers);
  if (!token || token.length > 200) throw new Unauthorized();
  const record = await lookupApiKey(token);
  if (!record) throw new Unauthorized('The API key is unknown or revoked.');
  return record;
}
