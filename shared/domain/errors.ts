/**
 * The errors services, data modules and domain rules throw: what went wrong, in the domain's
 * words, with the members a client may switch on (`extra`: `reason`, `pointsMissing`, …). They
 * know nothing of HTTP: the handler recipe (shared/http/handler.ts) and the page recipe
 * (shared/web/page.tsx) map them to a status and a problem+json body or an error page, through
 * the one table in shared/http/errors.ts.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    detail: string,
    /** Extra members for the problem body (e.g. `reason`, `pointsMissing`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** The input breaks a rule; `errors` names every bad field. */
export class BadRequest extends DomainError {
  constructor(detail: string, readonly errors: FieldError[] = []) {
    super(detail, { errors });
  }
}

/** No valid credential (an API key, a link's token) for what was asked. */
export class Unauthorized extends DomainError {
  constructor(detail = 'A valid API key is required (Authorization: Bearer <apiKey>).') {
    super(detail);
  }
}

/** The caller is known but its role may not do this. */
export class Forbidden extends DomainError {
  constructor(detail = 'Your role may not use this route.') {
    super(detail);
  }
}

/** No such object — or not one the caller may see, which must answer the same. */
export class NotFound extends DomainError {
  constructor(detail = 'Not found.', extra: Record<string, unknown> = {}) {
    super(detail, extra);
  }
}

/** The object's state refuses the change (already decided, changed meanwhile, …). */
export class Conflict extends DomainError {
  constructor(
    detail: string,
    extra: Record<string, unknown> = {},
    /** Hints for the answer, e.g. `retry-after` while another delivery is still running. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail, extra);
  }
}

/** The input is in a format this operation does not read. */
export class UnsupportedMediaType extends DomainError {
  constructor(readonly expected: string) {
    super(`Send the body as ${expected}.`);
  }
}

/** Well-formed, but it cannot be processed as asked (e.g. an idempotency key reused for another request). */
export class Unprocessable extends DomainError {
  constructor(detail: string) {
    super(detail);
  }
}

/** A brute-force limit (shared/data/rate-limits.ts) was reached; nothing was done. */
export class TooManyRequests extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
  }
}

/** Not possible yet, worth another try after a while (e.g. a document the worker has not rendered yet). */
export class NotYetAvailable extends DomainError {
  constructor(detail: string, readonly retryAfterSeconds: number, extra: Record<string, unknown> = {}) {
    super(detail, { ...extra, retryAfterSeconds });
  }
}

/** A job run on request failed in the job's own function (shared/jobs/remote.ts); its trace is in that function's log. */
export class JobFailed extends DomainError {
  constructor(job: string, asOf: string, what: string) {
    super(`The job ${job} (as of ${asOf}) failed: ${what}. Its log has the details; the job is idempotent, so it can be run again.`, { reason: 'job-failed', job });
  }
}
