import { BadRequest } from './errors';

/** Opaque list cursors: the DynamoDB LastEvaluatedKey, base64url-encoded JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string')) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new BadRequest('The cursor is not one this API handed out.', [{ path: 'query.cursor', message: 'Invalid cursor' }]);
}

export const DEFAULT_LIMIT = 50;

/** A cursor that decodes but belongs to another list (another filter, another partition). */
export function badCursor(): never {
  throw new BadRequest('The cursor is not one this API handed out for this list.', [{ path: 'query.cursor', message: 'Invalid cursor' }]);
}
