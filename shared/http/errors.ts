/**
 * Typed errors, mapped to RFC 9457 problem+json in one place (the recipe's error handler).
 * Handlers and shared code throw these; nothing else builds an error response.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    /** Extra members for the problem body (e.g. `pointsMissing`). */
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class BadRequest extends HttpError {
  constructor(detail: string, readonly errors: FieldError[] = []) {
    super(400, 'Bad Request', detail, { errors });
  }
}

export class Unauthorized extends HttpError {
  constructor(detail = 'A valid API key is required (Authorization: Bearer <apiKey>).') {
    super(401, 'Unauthorized', detail, {}, { 'www-authenticate': 'Bearer' });
  }
}

export class Forbidden extends HttpError {
  constructor(detail = 'Your role may not use this route.') {
    super(403, 'Forbidden', detail);
  }
}

export class NotFound extends HttpError {
  constructor(detail = 'Not found.') {
    super(404, 'Not Found', detail);
  }
}

/** The route has no representation the Accept header (or `?format=`) allows. */
export class NotAcceptable extends HttpError {
  constructor(offered: readonly string[]) {
    super(406, 'Not Acceptable', `This resource is available as ${offered.join(', ')}.`, { available: [...offered] });
  }
}

export class Conflict extends HttpError {
  constructor(detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(409, 'Conflict', detail, extra, headers);
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

export class UnsupportedMediaType extends HttpError {
  constructor(expected: string) {
    super(415, 'Unsupported Media Type', `Send the body as ${expected}.`);
  }
}

export class Unprocessable extends HttpError {
  constructor(detail: string) {
    super(422, 'Unprocessable Content', detail);
  }
}

/** A brute-force limit (shared/data/rate-limits.ts) was reached; nothing was done. */
export class TooManyRequests extends HttpError {
  constructor(retryAfterSeconds: number) {
    super(
      429,
      'Too Many Requests',
      `Too many requests; try again in ${retryAfterSeconds} seconds.`,
      { retryAfterSeconds },
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}

export class HeaderFieldsTooLarge extends HttpError {
  constructor(limit: number) {
    super(431, 'Request Header Fields Too Large', `The request headers exceed ${limit} bytes in total.`);
  }
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
};

export function problemBody(status: number, title: string, detail: string, extra: Record<string, unknown> = {}) {
  // The standard members last: an extension member cannot overwrite them (a `status` of its own once did).
  return { ...extra, type: TYPE_BY_STATUS[status] ?? 'about:blank', title, status, detail };
}
