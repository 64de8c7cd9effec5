/**
 * The retry paths behind a `TransactionConflict` (issue 17, point 6), which DynamoDB Local never
 * produces: with the conflicts injected (test/setup/conflicts.ts), a webhook credit, a collective
 * registration and a revocation still land exactly once; a conflict that never ends answers 409
 * `concurrent-update` with nothing written, never a 500.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as revokeCreditHandler from '../../functions/http/revoke-credit';
import { lookupApiKey } from '../../shared/data/api-keys';
import { getCredit, listParticipantEvents } from '../../shared/data/credits';
import { countPendingMails, listEnrolments } from '../../shared/data/employers';
import { listRegistrations } from '../../shared/data/participants';
import { queryAll } from '../../shared/data/batch';
import { addDays } from '../../shared/domain/dates';
import { injectTransactionConflicts, type ConflictInjection } from '../setup/conflicts';
import { invoke } from '../setup/helpers';
import { holders, mailsPer, newEmployer, participantIdOf, periodsOf, register, rowsOf, today } from './employers.fixtures';
import { newProvider, recognisedActivity, signedDelivery, uid, type NewProvider } from './webhook.fixtures';

let injection: ConflictInjection | undefined;
afterEach(() => {
  injection?.remove();
  injection = undefined;
});

let provider: NewProvider;
let activityId: string;

beforeAll(async () => {
  provider = await newProvider();
  activityId = (await recognisedActivity((await lookupApiKey(provider.apiKey))!, addDays(today, -400))).activityId;
});

/** A holder with a period (recent diploma: automatic period) and their participant id. */
async function participant() {
  const [h] = await holders(1, { issuedOn: addDays(today, -200) });
  return { ...h, participantId: await participantIdOf(h.diplomaNumber) };
}

async function deliver(diplomaNumber: string, externalId = `c-${uid()}`) {
  const body = JSON.stringify({ completions: [{ externalId, activityId, participant: { diplomaNumber }, completedOn: addDays(today, -1) }] });
  return signedDelivery(provider, body);
}

const pointsOf = async (participantId: string) => (await listRegistrations(participantId)).reduce((sum, r) => sum + (r.points ?? 0), 0);
// The trail as its readers see it: event items merged with the credit items, each its own credit.credited event.
const creditsOf = async (participantId: string) => (await listParticipantEvents(participantId, 200)).items.filter((e) => e.action === 'credit.credited');
const revocationsOf = async (participantId: string) => (await queryAll({ pk: `PARTICIPANT#${participantId}`, skPrefix: 'EVENT#', consistent: true })).filter((e) => e.action === 'credit.revoked');

// The credit item (its own credit.credited event since credits are grouped) is the one Put of type credit.
const isCredit = (json: string) => json.includes('"type":"credit"');
const isRevocation = (json: string) => json.includes('credit.revoked');
const isEnrolment = (json: string) => /COLLREG#/.test(json) && /EMPLOYEE#/.test(json);

describe('the injection itself', () => {
  it('cancels a matching transaction with the reasons DynamoDB gives, and lets the rest through', async () => {
    const p = await participant();
    injection = injectTransactionConflicts({ times: 1, match: isCredit, conflicting: (_, i) => i === 1 });
    const { db } = await import('../../shared/data/client');
    const { TransactWriteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { tableName } = await import('../../shared/data/client');
    const tx = () => db().send(new TransactWriteCommand({ TransactItems: [
      { Put: { TableName: tableName(), Item: { pk: `X#${p.participantId}`, sk: 'A', type: 'credit' } } },
      { Put: { TableName: tableName(), Item: { pk: `X#${p.participantId}`, sk: 'B' } } },
    ] }));
    const err = await tx().then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] });
    expect(injection.injected).toBe(1);
    await tx();
    expect(injection.passed).toBe(1);
  });
});

describe('a TransactionConflict that passes', () => {
  it('a webhook credit is retried and lands once: one credit, its points once, one event', async () => {
    const p = await participant();
    injection = injectTransactionConflicts({ times: 2, match: isCredit });
    const res = await deliver(p.diplomaNumber);
    expect(res.statusCode).toBe(200);
    expect(res.json.results[0]).toMatchObject({ status: 'credited', points: 2 });
    expect(injection.injected).toBe(2);
    expect(injection.passed).toBe(1);
    expect(await getCredit(res.json.results[0].creditId, true)).toMatchObject({ participantId: p.participantId, points: 2 });
    expect(await pointsOf(p.participantId)).toBe(2);
    expect(await creditsOf(p.participantId)).toHaveLength(1);
  });

  it('a revocation is retried and lands once: the points withdrawn once, one event', async () => {
    const p = await participant();
    const credited = await deliver(p.diplomaNumber);
    const { creditId } = credited.json.results[0];
    injection = injectTransactionConflicts({ times: 2, match: isRevocation });
    const res = await invoke(revokeCreditHandler, { path: `/v1/credits/${creditId}/revocations`, apiKey: provider.apiKey, body: { reason: 'Toets niet gehaald' } });
    expect(res.statusCode).toBe(200);
    expect(injection.injected).toBe(2);
    expect(await pointsOf(p.participantId)).toBe(0);
    expect(await revocationsOf(p.participantId)).toHaveLength(1);
    expect((await getCredit(creditId, true))?.revokedAt).toEqual(expect.any(String));
  });

  it('a collective registration is settled employee by employee and enrols, registers and mails each once', async () => {
    const employer = await newEmployer();
    const list = await holders(10); // the fewest a collective registration takes
    // The packed transaction and the first single attempt of one employee conflict.
    injection = injectTransactionConflicts({ times: 2, match: isEnrolment });
    const res = await register(employer, { employees: rowsOf(list) });
    expect(res.statusCode).toBe(201);
    expect(injection.injected).toBe(2);
    expect((res.json.participants as { outcome: string }[]).map((a) => a.outcome)).toEqual(Array(10).fill('registered'));
    for (const periods of await periodsOf(list)) expect(periods).toHaveLength(1);
    expect((await listEnrolments(res.json.collectiveRegistrationId)).size).toBe(10);
    expect(await mailsPer(list)).toEqual(Array(10).fill(1));
  });
});

describe('a TransactionConflict that never ends', () => {
  it('a webhook answers 409 concurrent-update, not 500, and credits nothing', async () => {
    const p = await participant();
    injection = injectTransactionConflicts({ times: Infinity, match: isCredit });
    const res = await deliver(p.diplomaNumber);
    expect(res.statusCode).toBe(409);
    expect(res.json).toMatchObject({ status: 409, reason: 'concurrent-update' });
    expect(await pointsOf(p.participantId)).toBe(0);
    expect(await creditsOf(p.participantId)).toHaveLength(0);
  });

  it('a revocation answers 409 concurrent-update, and the credit stands', async () => {
    const p = await participant();
    const { creditId } = (await deliver(p.diplomaNumber)).json.results[0];
    injection = injectTransactionConflicts({ times: Infinity, match: isRevocation });
    const res = await invoke(revokeCreditHandler, { path: `/v1/credits/${creditId}/revocations`, apiKey: provider.apiKey, body: { reason: 'x' } });
    expect(res.statusCode).toBe(409);
    expect(res.json).toMatchObject({ status: 409, reason: 'concurrent-update' });
    expect(await pointsOf(p.participantId)).toBe(2);
    expect((await getCredit(creditId, true))?.revokedAt).toBeUndefined();
  });

  it('a collective registration answers 409 concurrent-update, enrols and mails nobody', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    injection = injectTransactionConflicts({ times: Infinity, match: isEnrolment });
    const res = await register(employer, { employees: rowsOf(list) });
    expect(res.statusCode).toBe(409);
    expect(res.json).toMatchObject({ status: 409, reason: 'concurrent-update' });
    for (const periods of await periodsOf(list)) expect(periods).toHaveLength(0);
    expect(await mailsPer(list)).toEqual(Array(10).fill(0));
    expect(await countPendingMails()).toBe(0);
  });
});
