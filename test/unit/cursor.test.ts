import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import fc from 'fast-check';
import { pageRequest, resetCursorKey } from '../../shared/http/cursor';
import { BadRequest } from '../../shared/domain/errors';
import { routes } from '../../shared/routes';
import { schemas } from '../../shared/schemas/index';
import type { Caller } from '../../shared/services/access';

const admin = { role: 'admin', ownerId: 'admin' } as Caller;
const employerA = { role: 'employer', ownerId: 'emp_A' } as Caller;
const employerB = { role: 'employer', ownerId: 'emp_B' } as Caller;
const KEY = { pk: 'EMPLOYER#emp_A', sk: 'EVENT#2026-01-01T00:00:00.000Z#ABCD' };

async function cursorFor(route: string, caller: Caller | undefined, params: object, query: Record<string, unknown> = {}) {
  const page = await pageRequest(route, { caller, params, query });
  return page.next(KEY)!;
}

async function refusal(route: string, caller: Caller | undefined, params: object, query: { cursor?: string } & Record<string, unknown>) {
  try {
    await pageRequest(route, { caller, params, query });
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequest);
    return (err as BadRequest).errors;
  }
  throw new Error('expected a 400');
}

describe('signed cursors (local key)', () => {
  beforeEach(() => resetCursorKey());

  it('a cursor handed out for a list opens the next page of exactly that list', async () => {
    const cursor = await cursorFor('list-employer-invoices', employerA, { employerId: 'emp_A' });
    const page = await pageRequest('list-employer-invoices', { caller: employerA, params: { employerId: 'emp_A' }, query: { cursor, limit: 7 } });
    expect(page.start).toEqual(KEY);
    expect(page.limit).toBe(7);
    expect(page.next(undefined)).toBeUndefined();
  });

  it('refuses one from another caller, another route, another filter, with a 400 naming query.cursor', async () => {
    const cursor = await cursorFor('list-employer-invoices', employerA, { employerId: 'emp_A' });
    const errors = [{ path: 'query.cursor', message: 'Invalid cursor' }];
    expect(await refusal('list-employer-invoices', employerB, { employerId: 'emp_A' }, { cursor })).toEqual(errors);
    expect(await refusal('list-employer-invoices', admin, { employerId: 'emp_A' }, { cursor })).toEqual(errors);
    expect(await refusal('list-participant-invoices', employerA, { employerId: 'emp_A' }, { cursor })).toEqual(errors);
    expect(await refusal('list-employer-invoices', employerA, { employerId: 'emp_B' }, { cursor })).toEqual(errors);
    const catalogue = await cursorFor('list-activities', undefined, {}, { topic: 'T04' });
    expect(await refusal('list-activities', undefined, {}, { cursor: catalogue })).toEqual(errors);
    expect(await refusal('list-activities', undefined, {}, { topic: 'T05', cursor: catalogue })).toEqual(errors);
    // The page size is not part of the list: another limit still pages on.
    expect((await pageRequest('list-activities', { caller: undefined, query: { topic: 'T04', limit: 3, cursor: catalogue } })).start).toEqual(KEY);
  });

  it('refuses any change to a cursor, and any string that is not one', async () => {
    const cursor = await cursorFor('list-participant-events', admin, { participantId: 'par_X' });
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), async (at, ch) => {
        const i = at % cursor.length;
        fc.pre(cursor[i] !== ch && cursor[i] !== '.');
        const tampered = cursor.slice(0, i) + ch + cursor.slice(i + 1);
        await refusal('list-participant-events', admin, { participantId: 'par_X' }, { cursor: tampered });
      }),
      { numRuns: 200 },
    );
    // The tag's last character has 2 spare bits: every other spelling of it is refused too (decoded,
    // three of them would be the same bytes).
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const ch of alphabet.replace(cursor.at(-1)!, '')) {
      await refusal('list-participant-events', admin, { participantId: 'par_X' }, { cursor: cursor.slice(0, -1) + ch });
    }
    const [payload] = cursor.split('.');
    const forgedKey = Buffer.from(JSON.stringify({ pk: 'PARTICIPANT#par_Y', sk: 'EVENT#' })).toString('base64url');
    for (const garbage of ['garbage', payload, `${payload}.`, `${forgedKey}.${cursor.split('.')[1]}`, `${cursor}.x`, '.'.repeat(44), Buffer.from('{}').toString('base64url')]) {
      await refusal('list-participant-events', admin, { participantId: 'par_X' }, { cursor: garbage });
    }
  });

  it('refuses to serve cursors on a route the route table does not mark paged (the cloud function could not read the key)', async () => {
    await expect(pageRequest('get-participant', { caller: admin, query: {} })).rejects.toThrow(/not marked paged/);
  });

  it('marks paged exactly the routes whose query takes a cursor', () => {
    const shapeOf = (name: string) => (schemas[name] as unknown as { _zod: { def: { shape: Record<string, unknown> } } })._zod.def.shape;
    const takesCursor = (r: (typeof routes)[number]) => Boolean(r.query && 'cursor' in shapeOf(r.query));
    expect(routes.filter((r) => Boolean(r.paged) !== takesCursor(r)).map((r) => r.id)).toEqual([]);
  });
});

describe('the cursor key in the cloud (Secrets Manager)', () => {
  const sm = mockClient(SecretsManagerClient);
  const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:CursorKey-AbCdEf';

  beforeEach(() => {
    sm.reset();
    resetCursorKey();
    process.env.CURSOR_KEY_SECRET_ARN = ARN;
  });
  afterEach(() => {
    delete process.env.CURSOR_KEY_SECRET_ARN;
    resetCursorKey();
  });

  it('fetches the secret once per container and signs with it', async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: 'k'.repeat(64) });
    const requests = await Promise.all(Array.from({ length: 5 }, () => pageRequest('list-fees', { caller: admin, query: { month: '2026-11' } })));
    const cursor = requests[0].next(KEY)!;
    const again = await pageRequest('list-fees', { caller: admin, query: { month: '2026-11', cursor } });
    expect(again.start).toEqual(KEY);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    // A cursor signed with another key (the local one) is not ours.
    delete process.env.CURSOR_KEY_SECRET_ARN;
    resetCursorKey();
    const local = (await pageRequest('list-fees', { caller: admin, query: { month: '2026-11' } })).next(KEY)!;
    expect(local).not.toBe(cursor);
    process.env.CURSOR_KEY_SECRET_ARN = ARN;
    resetCursorKey();
    await refusal('list-fees', admin, {}, { month: '2026-11', cursor: local });
  });

  it('tries again on the next request when the fetch failed', async () => {
    sm.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: 'k'.repeat(64) });
    await expect(pageRequest('list-fees', { caller: admin, query: { month: '2026-11' } })).rejects.toThrow('throttled');
    await expect(pageRequest('list-fees', { caller: admin, query: { month: '2026-11' } })).resolves.toBeDefined();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});
