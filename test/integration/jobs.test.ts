/**
 * Issue 12, point 5: `POST /v1/jobs/expiry-notices/runs {"asOf":"9999-12-31"}` sent lapse notices
 * to people with a year left and moved their notice index past the notices still ahead. A run's
 * `asOf` may not be after today (Europe/Amsterdam); `{"dryRun": true}` reports what a run would do
 * from the same selection and sends and writes nothing — so a real run afterwards still does all of it.
 *
 * This file has a table of its own: the jobs read the whole due index and the whole month.
 */
import { describe, expect, it } from 'vitest';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as runJobRoute from '../../functions/http/run-job';
import * as putTariff from '../../functions/http/put-tariff';
import { adminKey, invoke, sesMessages } from '../setup/helpers';
import { db, tableName } from '../../shared/data/client';
import { getDiploma, listRegistrations, participantPk } from '../../shared/data/participants';
import { getRunGuard, listPayerInvoices } from '../../shared/data/invoices';
import { noticeIndexKeys } from '../../shared/data/notices';
import { getFee } from '../../shared/data/fees';
import { listEvents } from '../../shared/data/audit';
import { importDiplomas } from '../../shared/services/diplomas';
import { monthOf } from '../../shared/services/invoicing/documents';
import { asOfProblem, jobNames } from '../../shared/jobs/registry';
import { addDays, addYears } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { makeEmployer, makeParticipant, startPaid } from './invoicing.fixtures';

const today = todayInAmsterdam();
const run = Date.now().toString(36).toUpperCase();
let seq = 0;

/** A holder whose automatic period started on `issuedOn` (ends two years later), with an address. */
async function holder(issuedOn: string) {
  seq++;
  const diplomaNumber = `JOB${run}${seq}`;
  const email = `job.${run.toLowerCase()}.${seq}@example.nl`;
  await importDiplomas([{ diplomaNumber, type: 'uitzendprofessional', issuedOn, holder: { initials: 'J.', lastName: `Job${seq}`, birthDate: '1980-01-01', email } }], { role: 'admin', id: 'admin' }, today);
  const participantId = (await getDiploma(diplomaNumber))!.participantId as string;
  const [period] = await listRegistrations(participantId);
  return { participantId, registrationId: period.registrationId, startsOn: period.startsOn, endsOn: period.endsOn, email };
}

const prefixed = (keys: { gsi3pk: string; gsi3sk: string }) => ({ ':pk': keys.gsi3pk, ':sk': keys.gsi3sk });

async function runJob(job: string, body: Record<string, unknown>) {
  return invoke(runJobRoute, { path: `/v1/jobs/${job}/runs`, apiKey: await adminKey(), body });
}

async function dueIndexKey(participantId: string, startsOn: string) {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: participantPk(participantId), sk: `REG#${startsOn}` }, ConsistentRead: true }));
  return res.Item?.gsi3sk as string | undefined;
}

/** Polls the SES emulator until `n` messages reached `to` (bounded). */
async function mails(to: string, n: number) {
  for (let i = 0; i < 100; i++) {
    const got = await sesMessages({ to });
    if (got.length >= n) return got;
    await new Promise((r) => setTimeout(r, 50));
  }
  return sesMessages({ to });
}

describe('asOf may not be after today', () => {
  it('a run as of 9999-12-31 is a 400 naming asOf: no lapse notice, the notice index untouched', async () => {
    const yearLeft = await holder(addYears(today, -1));
    const indexBefore = await dueIndexKey(yearLeft.participantId, yearLeft.startsOn);
    expect(indexBefore).toMatch(new RegExp(`^${addDays(yearLeft.endsOn, -90)}#`));

    for (const body of [{ asOf: '9999-12-31' }, { asOf: addDays(today, 1) }, { asOf: '9999-12-31', dryRun: true }]) {
      const res = await runJob('expiry-notices', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json.errors).toEqual([{ path: 'asOf', message: `asOf may not be after today (${today}, Europe/Amsterdam); got ${body.asOf}` }]);
    }
    const res = await runJob('monthly-invoices', { asOf: '2999-01-01' });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors[0].path).toBe('asOf');

    expect(await sesMessages({ to: yearLeft.email })).toEqual([]);
    expect(await dueIndexKey(yearLeft.participantId, yearLeft.startsOn)).toBe(indexBefore);
    // Today itself (the default) is fine.
    expect((await runJob('expiry-notices', { asOf: today, dryRun: true })).statusCode).toBe(200);
  });

  it('is one rule for the API and npm run job', () => {
    expect(asOfProblem(today, today)).toBeUndefined();
    expect(asOfProblem(addDays(today, -400), today)).toBeUndefined();
    expect(asOfProblem(addDays(today, 1), today)).toMatch(/may not be after today/);
  });
});

describe('dry runs', () => {
  it('expiry-notices: reports the due notices and sends and writes nothing; a real run afterwards sends all of them', async () => {
    const in7 = await holder(addDays(addYears(today, -2), 7));
    const in30 = await holder(addDays(addYears(today, -2), 30));
    const lapsed = await holder(addDays(addYears(today, -2), -1));
    // Ended yesterday, its 7-day notice sent: the state the run of a week ago left it in.
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: participantPk(lapsed.participantId), sk: `REG#${lapsed.startsOn}` },
        UpdateExpression: 'SET gsi3pk = :pk, gsi3sk = :sk, lastNoticeKind = :k, lastNoticeOn = :on',
        ExpressionAttributeValues: { ...prefixed(noticeIndexKeys(lapsed.participantId, lapsed.startsOn, lapsed.endsOn)), ':k': '7', ':on': addDays(lapsed.endsOn, -7) },
      }),
    );
    const people = [in7, in30, lapsed];
    const indexBefore = await Promise.all(people.map((p) => dueIndexKey(p.participantId, p.startsOn)));
    const eventsBefore = await Promise.all(people.map(async (p) => (await listEvents(participantPk(p.participantId), 100)).items.length));

    const dry = await runJob('expiry-notices', { dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json).toMatchObject({ job: 'expiry-notices', asOf: today, dryRun: true, wouldSend: 3, byKind: { '90': 0, '30': 1, '7': 1, lapsed: 1 }, itemsTotal: 3 });
    expect(dry.json.items).toEqual(
      expect.arrayContaining([
        { type: 'notice', participantId: in7.participantId, registrationId: in7.registrationId, kind: '7' },
        { type: 'notice', participantId: in30.participantId, registrationId: in30.registrationId, kind: '30' },
        { type: 'notice', participantId: lapsed.participantId, registrationId: lapsed.registrationId, kind: 'lapsed' },
      ]),
    );
    for (const p of people) expect(await sesMessages({ to: p.email })).toEqual([]);
    expect(await Promise.all(people.map((p) => dueIndexKey(p.participantId, p.startsOn)))).toEqual(indexBefore);
    expect(await Promise.all(people.map(async (p) => (await listEvents(participantPk(p.participantId), 100)).items.length))).toEqual(eventsBefore);

    // A second dry run sees the same: nothing was claimed.
    expect((await runJob('expiry-notices', { dryRun: true })).json.wouldSend).toBe(3);

    const real = await runJob('expiry-notices', {});
    expect(real.json).toMatchObject({ sent: 3, byKind: { '90': 0, '30': 1, '7': 1, lapsed: 1 }, failed: 0 });
    expect(real.json.dryRun).toBeUndefined();
    for (const p of people) expect(await mails(p.email, 1)).toHaveLength(1);
  });

  it('monthly-invoices: reports the invoices of last month and issues, numbers and sends nothing; a real run afterwards does it all', async () => {
    const admin = await adminKey();
    expect((await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: admin, body: { amountCents: 4995, vatRatePercent: 21, validFrom: '2020-01-01' } })).statusCode).toBe(200);
    const month = monthOf(today);
    const lastMonth = new Date(`${month}-15T10:00:00Z`);
    const employer = await makeEmployer('dry');
    for (const n of [1, 2]) {
      const p = await makeParticipant(`Dry${n}`);
      await startPaid(p.participantId, { type: 'employer', id: employer.employerId }, `${month}-15`, lastMonth);
    }
    const selfEmail = `dry.self.${run.toLowerCase()}@example.nl`;
    const self = await makeParticipant('DrySelf', selfEmail);
    const ownFee = await startPaid(self.participantId, { type: 'participant', id: self.participantId }, `${month}-15`, lastMonth);

    const dry = await runJob('monthly-invoices', { dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json).toMatchObject({ job: 'monthly-invoices', asOf: today, month, dryRun: true, invoices: 1, individualInvoices: 1, untariffedFees: 0 });
    expect(dry.json.items).toEqual(
      expect.arrayContaining([
        { type: 'employer-invoice', employerId: employer.employerId, month, fees: 2, untariffed: 0 },
        { type: 'individual-invoice', participantId: self.participantId, registrationId: ownFee.registrationId },
      ]),
    );
    expect(await sesMessages({ to: employer.email })).toEqual([]);
    expect(await sesMessages({ to: selfEmail })).toEqual([]);
    expect((await listPayerInvoices({ type: 'employer', id: employer.employerId }, 10)).items).toEqual([]);
    expect(await getRunGuard(month, employer.employerId, 1)).toBeUndefined();
    expect(await getFee(ownFee.registrationId)).toMatchObject({ status: 'open' });

    const real = await runJob('monthly-invoices', {});
    expect(real.json).toMatchObject({ month, invoices: 1, individualInvoices: 1, failed: 0 });
    expect(await mails(employer.email, 1)).toHaveLength(1);
    expect(await mails(selfEmail, 1)).toHaveLength(1);
    expect((await listPayerInvoices({ type: 'employer', id: employer.employerId }, 10)).items).toHaveLength(1);
  });

  it('every job the API runs can dry-run, listing at most 50 items', async () => {
    for (const job of jobNames()) {
      const res = await runJob(job, { dryRun: true });
      expect(res.statusCode, `${job}: ${res.body}`).toBe(200);
      expect(res.json).toMatchObject({ job, asOf: today, dryRun: true, itemsTotal: expect.any(Number) });
      expect(res.json.items.length).toBeLessThanOrEqual(50);
    }
  });
});
