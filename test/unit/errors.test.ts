import { describe, expect, it } from 'vitest';
import * as domain from '../../shared/domain/errors';
import { NotAcceptable, problemOf } from '../../shared/http/errors';

/* Services throw domain errors without a status; the one table in shared/http/errors.ts answers them. */
describe('domain errors → HTTP problems (the one table)', () => {
  it('maps every domain error to its status, title and headers', () => {
    const cases: [Error, number, string, Record<string, string>][] = [
      [new domain.BadRequest('bad', [{ path: 'x', message: 'Required' }]), 400, 'Bad Request', {}],
      [new domain.Unauthorized(), 401, 'Unauthorized', { 'www-authenticate': 'Bearer' }],
      [new domain.Forbidden(), 403, 'Forbidden', {}],
      [new domain.NotFound('No employer with this id.'), 404, 'Not Found', {}],
      [new domain.Conflict('busy', { reason: 'webhook-in-progress' }, { 'retry-after': '3' }), 409, 'Conflict', { 'retry-after': '3' }],
      [new domain.UnsupportedMediaType('text/csv'), 415, 'Unsupported Media Type', {}],
      [new domain.Unprocessable('key reused'), 422, 'Unprocessable Content', {}],
      [new domain.TooManyRequests(60), 429, 'Too Many Requests', { 'retry-after': '60' }],
    ];
    for (const [err, status, title, headers] of cases) {
      expect(problemOf(err)).toEqual({ status, title, detail: err.message, extra: (err as domain.DomainError).extra, headers });
      expect(err).not.toHaveProperty('status');
    }
    expect(problemOf(new domain.BadRequest('bad', [{ path: 'x', message: 'Required' }]))!.extra).toEqual({ errors: [{ path: 'x', message: 'Required' }] });
  });

  it("answers HTTP's own errors as they are, and nothing for an unexpected error (the recipe's 500)", () => {
    expect(problemOf(new NotAcceptable(['text/csv']))).toMatchObject({ status: 406, extra: { available: ['text/csv'] } });
    expect(problemOf(new Error('boom'))).toBeUndefined();
    class Unmapped extends domain.DomainError {}
    expect(problemOf(new Unmapped('no row in the table'))).toBeUndefined();
  });

  it('a subclass answers as its parent (a not-found with a reason is a 404 with that reason)', () => {
    class PlanNotFound extends domain.NotFound {
      constructor() {
        super('No plan.', { reason: 'plan-not-found' });
      }
    }
    expect(problemOf(new PlanNotFound())).toMatchObject({ status: 404, extra: { reason: 'plan-not-found' } });
  });
});
