/**
 * Issue 12, point 6: any employer linked to a participant could renew them and bill itself. Only
 * the employer whose collective registration (or renewal) started the current period may renew
 * (API.md: "self, registering employer, admin"); any other employer gets 403 and nothing is written.
 */
import { describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as createRenewal from '../../functions/http/create-renewal';
import { adminKey, invoke } from '../setup/helpers';
import { db, tableName } from '../../shared/data/client';
import { listRegistrations, participantPk } from '../../shared/data/participants';
import { payerMonthFees } from '../../shared/data/fees';
import { todayInAmsterdam } from '../../shared/dates';
import { holders, newEmployer, participantKey, recentIssue, register, rowsOf } from './employers.fixtures';

const month = todayInAmsterdam().slice(0, 7);

async function withPoints(participantId: string, points: number) {
  const [reg] = await listRegistrations(participantId);
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: participantPk(participantId), sk: `REG#${reg.startsOn}` },
      UpdateExpression: 'SET points = :p',
      ExpressionAttributeValues: { ':p': points },
    }),
  );
}

const renew = (participantId: string, apiKey: string) => invoke(createRenewal, { method: 'POST', path: `/v1/participants/${participantId}/renewals`, apiKey });

describe('who may renew', () => {
  it('the employer that registered the period renews it; another linked employer gets 403, and no period or fee is created', async () => {
    const registering = await newEmployer('Flex Registreert');
    const other = await newEmployer('Flex Ook Gekoppeld');
    const people = await holders(10);
    const first = await register(registering, { employees: rowsOf(people) });
    expect(first.statusCode).toBe(201);
    // The second employer links the same people: their periods are already running (outcome "linked").
    const second = await register(other, { employees: rowsOf(people) });
    expect(second.statusCode).toBe(201);
    expect(second.json.participants.every((p: { outcome: string }) => p.outcome === 'linked')).toBe(true);
    const [a, b] = first.json.participants as { participantId: string }[];
    await withPoints(a.participantId, 12);
    await withPoints(b.participantId, 12);

    const refused = await renew(a.participantId, other.apiKey);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json.detail).toMatch(/Only the employer that registered/);
    expect(await listRegistrations(a.participantId)).toHaveLength(1);
    expect(await payerMonthFees(month, { type: 'employer', id: other.employerId })).toEqual([]);

    const ok = await renew(a.participantId, registering.apiKey);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await listRegistrations(a.participantId)).toHaveLength(2);
    const fees = await payerMonthFees(month, { type: 'employer', id: registering.employerId });
    expect(fees.filter((f) => f.kind === 'renewal').map((f) => f.registrationId)).toEqual([ok.json.registrationId]);

    // Once renewed, the other employer is still refused (a 403 before any 409).
    await withPoints(a.participantId, 12);
    expect((await renew(a.participantId, other.apiKey)).statusCode).toBe(403);

    // The participant and the admin keep their rights (the renewal is billed to the registering employer).
    expect((await renew(b.participantId, await participantKey(b.participantId))).statusCode).toBe(201);
    expect((await payerMonthFees(month, { type: 'employer', id: registering.employerId })).filter((f) => f.kind === 'renewal')).toHaveLength(2);
  });

  it('no employer renews a period it did not start (the free first period of a new diploma); the admin may', async () => {
    const employer = await newEmployer('Flex Koppelt');
    const people = await holders(10, { issuedOn: recentIssue() });
    const res = await register(employer, { employees: rowsOf(people) });
    expect(res.json.participants.every((p: { outcome: string }) => p.outcome === 'linked')).toBe(true);
    const { participantId } = res.json.participants[0];
    await withPoints(participantId, 12);
    expect((await renew(participantId, employer.apiKey)).statusCode).toBe(403);
    expect(await listRegistrations(participantId)).toHaveLength(1);
    expect((await renew(participantId, await adminKey())).statusCode).toBe(201);
  });
});
