/**
 * HTTP's own errors (sizes, media types, negotiation) and the one table that maps every error —
 * these and the domain errors of shared/domain/errors.ts — to a status and an RFC 9457
 * problem+json body. Only the recipes (shared/http/handler.ts, shared/web/page.tsx) use the table.
 */
import {
  BadRequest,
  Conflict,
  DomainError,
  Forbidden,
  NotFound,
  TooManyRequests,
  Unauthorized,
  Unprocessable,
  UnsupportedMediaType,
  NotYetAvailable,
  JobFailed,
} from '../domain/errors';
import { asConcurrentUpdate } from './conflict';

/** An error of the HTTP exchange itself, with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    /** Extra members for the problem body (e.g. `available`). */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** The route has no representation the Accept header (or `?format=`) allows. */
export class NotAcceptable extends HttpError {
  constructor(offered: readonly string[]) {
    super(406, 'Not Acceptable', `This resource is available as ${offered.join(', ')}.`, { available: [...offered] });
  }
}

export class PayloadTooLarge extends HttpError {
  constructor(limit: number) {
    super(413, 'Content Too Large', `The request body exceeds ${limit} bytes.`);
  }
}

export class UriTooLong extends HttpError {
  constructor(limit: number) {
    super(414, 'URI Too Long', `The query string exceeds ${limit} bytes.`);
  }
}

export class HeaderFieldsTooLarge extends HttpError {
  constructor(limit: number) {
    super(431, 'Request Header Fields Too Large', `The request headers exceed ${limit} bytes in total.`);
  }
}

/** How each domain error answers over HTTP: status, title and the headers it implies. */
const DOMAIN_ANSWERS: [new (...args: never[]) => DomainError, number, string, (err: never) => Record<string, string>][] = [
  [BadRequest, 400, 'Bad Request', () => ({})],
  [Unauthorized, 401, 'Unauthorized', () => ({ 'www-authenticate': 'Bearer' })],
  [Forbidden, 403, 'Forbidden', () => ({})],
  [NotFound, 404, 'Not Found', () => ({})],
  [Conflict, 409, 'Conflict', (err: Conflict) => err.headers],
  [UnsupportedMediaType, 415, 'Unsupported Media Type', () => ({})],
  [Unprocessable, 422, 'Unprocessable Content', () => ({})],
  [TooManyRequests, 429, 'Too Many Requests', (err: TooManyRequests) => ({ 'retry-after': String(err.retryAfterSeconds) })],
  [NotYetAvailable, 503, 'Service Unavailable', (err: NotYetAvailable) => ({ 'retry-after': String(err.retryAfterSeconds) })],
  [JobFailed, 502, 'Bad Gateway', () => ({})],
];

/** An error as the client sees it; undefined for an unexpected one (a 500, whose detail the client never sees). */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  extra: Record<string, unknown>;
  headers: Record<string, string>;
}

export function problemOf(caught: unknown): Problem | undefined {
  // A DynamoDB race that outlasted its retries is a 409 `concurrent-update` (shared/http/conflict.ts).
  const err = asConcurrentUpdate(caught);
  if (err instanceof HttpError) return { status: err.status, title: err.title, detail: err.message, extra: err.extra, headers: err.headers };
  if (!(err instanceof DomainError)) return undefined;
  const answer = DOMAIN_ANSWERS.find(([type]) => err instanceof type);
  if (!answer) return undefined;
  const [, status, title, headers] = answer;
  return { status, title, detail: err.message, extra: err.extra, headers: headers(err as never) };
}

/** Problem type URIs: stable identifiers clients can switch on. */
const TYPE_BY_STATUS: Record<number, string> = {
  400: 'https://pe-register.nl/problems/validation',
  401: 'https://pe-register.nl/problems/unauthorized',
  403: 'https://pe-register.nl/problems/forbidden',
  404: 'https://pe-register.nl/problems/not-found',
  406: 'https://pe-register.nl/problems/not-acceptable',
  409: 'https://pe-register.nl/problems/conflict',
  413: 'https://pe-register.nl/problems/too-large',
  414: 'https://pe-register.nl/problems/uri-too-long',
  415: 'https://pe-register.nl/problems/unsupported-media-type',
  422: 'https://pe-register.nl/problems/unprocessable',
  429: 'https://pe-register.nl/problems/too-many-requests',
  431: 'https://pe-register.nl/problems/header-fields-too-large',
  502: 'https://pe-register.nl/problems/job-failed',
};

export function problemBody(status: number, title: string, detail: string, extra: Record<string, unknown> = {}) {
  // The standard members last: an extension member cannot overwrite them (a `status` of its own once did).
  return { ...extra, type: TYPE_BY_STATUS[status] ?? 'about:blank', title, status, detail };
}
