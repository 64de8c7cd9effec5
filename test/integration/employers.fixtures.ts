/**
 * Shared set-up for the employer tests: employers, diploma holders (through the real import),
 * collective registrations through the real handler, and reading what was written.
 */
import { expect } from 'vitest';
import { createApiKey } from '../../shared/data/api-keys';
import { getDiploma, getParticipant, listRegistrations, participantPk, registrationSk } from '../../shared/data/participants';
import { transact } from '../../shared/data/client';
import { tableName } from '../../shared/data/client';
import { linkSetOf, pointsItems } from '../../shared/data/employee-state';
import { queryAll } from '../../shared/data/batch';
import { addDays } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import * as createEmployer from '../../functions/http/create-employer';
import * as importDiplomasHandler from '../../functions/http/import-diplomas';
import * as createCollective from '../../functions/http/create-collective-registration';
import { adminKey, invoke, sesMessages, type InvokeResponse } from '../setup/helpers';

export const today = todayInAmsterdam();
const run = Date.now().toString(36).toUpperCase();
let seq = 0;

export interface Employer {
  employerId: string;
  apiKey: string;
}

export async function newEmployer(name = 'Flex Uitzend BV'): Promise<Employer> {
  const res = await invoke(createEmployer, {
    path: '/v1/employers',
    apiKey: await adminKey(),
    body: { name, kvkNumber: '87654321', invoiceEmail: 'facturen@flex.nl', address: { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' } },
  });
  expect(res.statusCode).toBe(201);
  return res.json;
}

export interface Holder {
  diplomaNumber: string;
  birthDate: string;
  /** The address the employer gives in the upload (unique, so each test counts its own e-mails). */
  email: string;
  issuedOn: string;
  lastName: string;
}

/**
 * Diploma holders, imported through the real import. `issuedOn` before 2023 → no period (the
 * collective registration registers them); a recent one → an automatic period (→ "linked").
 */
export async function holders(n: number, opts: { issuedOn?: string; emailOnFile?: boolean } = {}): Promise<Holder[]> {
  const list: Holder[] = Array.from({ length: n }, () => {
    seq++;
    return {
      diplomaNumber: `EMP${run}${seq}`,
      birthDate: '1988-06-30',
      email: `employee.${run}.${seq}@example.nl`,
      issuedOn: opts.issuedOn ?? '2021-05-01',
      lastName: `Bakker${seq}`,
    };
  });
  const res = await invoke(importDiplomasHandler, {
    path: '/v1/diplomas',
    apiKey: await adminKey(),
    body: {
      diplomas: list.map((h) => ({
        diplomaNumber: h.diplomaNumber,
        type: 'uitzendprofessional',
        issuedOn: h.issuedOn,
        holder: { initials: 'A.', lastName: h.lastName, birthDate: h.birthDate, ...(opts.emailOnFile ? { email: `onfile.${h.email}` } : {}) },
      })),
    },
  });
  expect(res.statusCode).toBe(200);
  return list;
}

export const recentIssue = () => addDays(today, -200);

export function rowsOf(list: Holder[]) {
  return list.map((h) => ({ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate, email: h.email }));
}

export async function register(
  employer: Employer,
  body: unknown,
  opts: { key?: string; apiKey?: string; contentType?: string; employerId?: string; timeoutMs?: number } = {},
): Promise<InvokeResponse> {
  const employerId = opts.employerId ?? employer.employerId;
  return invoke(createCollective, {
    method: 'POST',
    path: `/v1/employers/${employerId}/collective-registrations`,
    apiKey: opts.apiKey ?? employer.apiKey,
    timeoutMs: opts.timeoutMs,
    body,
    headers: { ...(opts.key ? { 'idempotency-key': opts.key } : {}), ...(opts.contentType ? { 'content-type': opts.contentType } : {}) },
  });
}

export async function participantIdOf(diplomaNumber: string): Promise<string> {
  return (await getDiploma(diplomaNumber))!.participantId as string;
}

/** Periods per holder, in holder order. */
export async function periodsOf(list: Holder[]) {
  return Promise.all(list.map(async (h) => listRegistrations(await participantIdOf(h.diplomaNumber))));
}

/** Number of activation e-mails each holder's upload address received, in holder order. */
export async function mailsPer(list: Holder[], to: (h: Holder) => string = (h) => h.email): Promise<number[]> {
  const all = await sesMessages();
  const address = (a: string) => (/<([^>]+)>/.exec(a)?.[1] ?? a).trim().toLowerCase();
  return list.map((h) => all.filter((m) => m.destination.to.some((a) => address(a) === to(h).toLowerCase())).length);
}

export async function eventsOf(participantId: string) {
  return queryAll({ pk: `PARTICIPANT#${participantId}`, skPrefix: 'EVENT#', consistent: true });
}

export async function participantKey(participantId: string): Promise<string> {
  return (await createApiKey('participant', participantId)).apiKey;
}

/**
 * Sets a period's points (a fixture shortcut for credits) the way every writer of points does: in
 * one transaction with the report projection of the participant's live employer links.
 */
export async function setPoints(participantId: string, startsOn: string, points: number) {
  const [profile, periods] = await Promise.all([getParticipant(participantId, true), listRegistrations(participantId)]);
  const before = periods.find((r) => r.startsOn === startsOn)?.points ?? 0;
  await transact([
    {
      Update: {
        TableName: tableName(),
        Key: { pk: participantPk(participantId), sk: registrationSk(startsOn) },
        UpdateExpression: 'SET points = :p',
        ExpressionAttributeValues: { ':p': points },
      },
    },
    ...pointsItems(participantId, linkSetOf(profile ?? {}), startsOn, points - before),
  ]);
}
