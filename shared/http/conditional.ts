import { createHash } from 'node:crypto';
import type { HttpResult } from './handler';

/*
 * Conditional GETs for the routes marked `conditional` in shared/routes.ts (the catalogue feeds
 * that platforms and calendars poll): a strong ETag that is a hash of the exact body, and a 304
 * without a body when `If-None-Match` names it. The body is built in full either way (the hash
 * needs it); what the 304 saves is the transfer, and at CloudFront the origin's work too.
 */

/** The strong entity tag of a body: its SHA-256, base64url, quoted. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/**
 * Does `If-None-Match` name this tag? RFC 9110 §13.1.2: a list of tags or `*`, compared weakly
 * (a `W/` prefix, as a compressing proxy may add, still matches).
 */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** The 200 with its ETag, or the 304 when the client already has this body. */
export function conditionalAnswer(
  headers: Record<string, string | undefined>,
  body: string,
  contentType: string,
  cacheControl: string,
): HttpResult {
  const etag = etagOf(body);
  const validators = { etag, 'cache-control': cacheControl };
  if (noneMatch(headers['if-none-match'], etag)) return { status: 304, headers: validators };
  return { status: 200, raw: true, body, headers: { 'content-type': contentType, ...validators } };
}
