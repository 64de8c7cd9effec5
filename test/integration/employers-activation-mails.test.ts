/**
 * The activation-mail outbox of collective registrations: the request mails what fits its
 * budget, the `activation-mails` job the rest — each employee exactly once, whoever races.
 * Tests in this file run one after another and each leaves the outbox empty, so the job's
 * table-wide counts are this test's own.
 */
import { describe, expect, it, vi } from 'vitest';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { db } from '../../shared/data/client';
import { sesClient } from '../../shared/email/send';
import { countPendingMails, getCollectiveRegistration, listEnrolments } from '../../shared/data/employers';
import { getIdempotencyRecord } from '../../shared/data/idempotency';
import { jobNames, runJob } from '../../shared/jobs/registry';
import { jobs } from '../../shared/routes';
import { MAILS_IN_REQUEST } from '../../shared/services/employers/registration';
import { runActivationMails, type ActivationMailsSummary } from '../../shared/services/activation-mails';
import * as runJobHandler from '../../functions/http/run-job';
import * as scheduled from '../../functions/scheduled/activation-mails';
import { adminKey, invoke } from '../setup/helpers';
import { holders, mailsPer, newEmployer, periodsOf, register, rowsOf, today } from './employers.fixtures';

/** The job through the HTTP route, as the admin runs it. */
async function runOverHttp(): Promise<ActivationMailsSummary> {
  const res = await invoke(runJobHandler, { path: '/v1/jobs/activation-mails/runs', apiKey: await adminKey(), body: {} });
  expect(res.statusCode).toBe(200);
  return res.json;
}

/** The job as EventBridge Scheduler invokes it (a Lambda with 5 minutes). */
async function runScheduled(scheduledTime = new Date().toISOString()): Promise<ActivationMailsSummary> {
  return scheduled.handler({ job: 'activation-mails', scheduledTime }, { getRemainingTimeInMillis: () => 300_000 });
}

/** Fails every SES send to this address, like a rejecting or unreachable mail server would. */
function failSendsTo(address: string) {
  const ses = sesClient();
  const original = ses.send.bind(ses);
  return vi.spyOn(ses, 'send').mockImplementation(((cmd: unknown) => {
    if (cmd instanceof SendRawEmailCommand && Buffer.from(cmd.input.RawMessage!.Data!).toString('utf8').includes(address)) {
      return Promise.reject(Object.assign(new Error('SES down'), { name: 'ServiceUnavailable' }));
    }
    return original(cmd as never);
  }) as never);
}

/** Fails the transaction that marks a collective registration completed: a crash after everyone is enrolled. */
function failCompletion() {
  const client = db();
  const original = client.send.bind(client);
  return vi.spyOn(client, 'send').mockImplementation(((cmd: unknown) => {
    if (cmd instanceof TransactWriteCommand && cmd.input.TransactItems!.some((i) => String(i.Update?.Key?.sk ?? '').startsWith('COLLREG#'))) {
      return Promise.reject(Object.assign(new Error('simulated crash'), { name: 'ServiceUnavailable' }));
    }
    return original(cmd as never);
  }) as never);
}

async function mailedCount(collectiveRegistrationId: string): Promise<number> {
  return [...(await listEnrolments(collectiveRegistrationId)).values()].filter((e) => e.mailedAt).length;
}

describe('the activation-mails job', () => {
  it('is scheduled every 5 minutes (Amsterdam) and runnable by name', () => {
    expect(jobs.find((j) => j.name === 'activation-mails')).toMatchObject({
      handler: 'scheduled/activation-mails',
      schedule: '0/5 * * * ? *',
      timeZone: 'Europe/Amsterdam',
    });
    expect(jobNames()).toContain('activation-mails');
  });

  it('a list three times the request\'s mail cap: 201 with everyone enrolled and at most 100 e-mails sent; the job (3 runs at once, beside a retry) sends the rest, one each', async () => {
    const employer = await newEmployer();
    // Three times the cap: enough that the request stops at MAILS_IN_REQUEST and the three job runs
    // share the rest. (It was 1,000, the list's maximum: ~45 s of the suite on DynamoDB Local, which
    // runs transactions one at a time, for the same paths; the maximum itself is the reader's,
    // tested at 1,001 in test/unit/employers-csv.test.ts.) A longer Lambda keeps this test about
    // the count cap; the time rule has its own test below.
    const N = 3 * MAILS_IN_REQUEST;
    const list = await holders(N);
    const body = { employees: rowsOf(list) };

    const started = performance.now();
    const res = await register(employer, body, { key: 'big-upload', timeoutMs: 120_000 });
    const ms = performance.now() - started;

    expect(res.statusCode).toBe(201);
    const id = res.json.collectiveRegistrationId;
    expect(res.json.participants).toHaveLength(N);
    expect(res.json.participants.map((p: { diplomaNumber: string }) => p.diplomaNumber)).toEqual(list.map((h) => h.diplomaNumber));
    expect(res.json.participants.every((p: { outcome: string }) => p.outcome === 'registered')).toBe(true);
    // The answer is final once everyone is enrolled; e-mails are tracked on the enrolments.
    expect(await getCollectiveRegistration(employer.employerId, id)).toMatchObject({ status: 'completed', employees: N, registered: N, linked: 0 });
    expect(await getIdempotencyRecord(employer.employerId, 'big-upload')).toMatchObject({ status: 'completed', response: { status: 201, body: res.json } });
    expect(await mailedCount(id)).toBe(MAILS_IN_REQUEST);
    expect(await countPendingMails()).toBe(N - MAILS_IN_REQUEST);
    const afterRequest = await mailsPer(list);
    expect(afterRequest.filter((n) => n === 1)).toHaveLength(MAILS_IN_REQUEST);
    expect(afterRequest.filter((n) => n === 0)).toHaveLength(N - MAILS_IN_REQUEST);
    console.log(`[activation-mails] ${N}-employee registration answered in ${Math.round(ms)} ms with ${MAILS_IN_REQUEST} e-mails`);

    // A retry of the request and three job runs (HTTP route, registry, scheduled Lambda) at once.
    const [retry, ...runs] = await Promise.all([
      register(employer, body, { key: 'big-upload', timeoutMs: 120_000 }),
      runOverHttp(),
      runJob('activation-mails', today) as Promise<ActivationMailsSummary>,
      runScheduled(),
    ]);

    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json).toEqual(res.json);
    for (const run of runs) expect(run).toMatchObject({ job: 'activation-mails', asOf: today, failed: 0 });
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(N - MAILS_IN_REQUEST);
    expect(await mailsPer(list)).toEqual(Array(N).fill(1));
    expect(await mailedCount(id)).toBe(N);
    expect(await countPendingMails()).toBe(0);
    expect(await runActivationMails(today)).toEqual({ job: 'activation-mails', asOf: today, sent: 0, failed: 0, pending: 0 });
  }, 240_000);

  it('a retry resuming an interrupted registration and 3 parallel job runs race for the same e-mails: each is sent exactly once', async () => {
    const employer = await newEmployer();
    const list = await holders(40);
    const body = { employees: rowsOf(list) };
    const spy = failCompletion();
    const crashed = await register(employer, body, { key: 'crash-after-enrolment' });
    spy.mockRestore();
    expect(crashed.statusCode).toBe(500);
    const record = await getIdempotencyRecord(employer.employerId, 'crash-after-enrolment');
    expect(record).toMatchObject({ status: 'in-progress' });
    // Everyone enrolled (and so in the outbox), nobody mailed yet.
    expect((await listEnrolments(record!.resourceId)).size).toBe(40);
    expect(await countPendingMails()).toBe(40);
    expect(await mailsPer(list)).toEqual(Array(40).fill(0));

    const [retry, ...runs] = await Promise.all([
      register(employer, body, { key: 'crash-after-enrolment' }),
      runActivationMails(today),
      runActivationMails(today),
      runActivationMails(today),
    ]);

    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.json.collectiveRegistrationId).toBe(record!.resourceId);
    expect(retry.json.participants.every((p: { outcome: string }) => p.outcome === 'registered')).toBe(true);
    for (const run of runs) expect(run.failed).toBe(0);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBeLessThanOrEqual(40);
    expect(await mailsPer(list)).toEqual(Array(40).fill(1));
    expect(await mailedCount(record!.resourceId)).toBe(40);
    expect(await countPendingMails()).toBe(0);
    expect(await getCollectiveRegistration(employer.employerId, record!.resourceId)).toMatchObject({ status: 'completed', registered: 40 });
    for (const periods of await periodsOf(list)) expect(periods).toHaveLength(1);
  }, 60_000);

  it('a request with under 10 s of Lambda time left mails nobody itself; a send failing in the job stays pending for the next run', async () => {
    const employer = await newEmployer();
    const list = await holders(12);

    const res = await register(employer, { employees: rowsOf(list) }, { timeoutMs: 9_000 });

    expect(res.statusCode).toBe(201);
    expect(res.json.participants).toHaveLength(12);
    expect(await mailsPer(list)).toEqual(Array(12).fill(0));
    expect(await countPendingMails()).toBe(12);

    // A run out of time starts nothing.
    expect(await runActivationMails(today, { stopAt: Date.now() })).toEqual({ job: 'activation-mails', asOf: today, sent: 0, failed: 0, pending: 12 });

    const unlucky = list[3];
    const spy = failSendsTo(unlucky.email);
    const first = await runActivationMails(today);
    expect(first).toEqual({ job: 'activation-mails', asOf: today, sent: 11, failed: 1, pending: 1 });
    const rows = [...(await listEnrolments(res.json.collectiveRegistrationId)).values()];
    const stuck = rows.filter((e) => !e.mailedAt);
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toMatchObject({ diplomaNumber: unlucky.diplomaNumber, attempts: 1, lastError: 'ServiceUnavailable', outboxStatus: 'failed' });
    expect(stuck[0].leaseUntil).toBeUndefined();

    // The scheduled Lambda, when it could send nothing and something failed, fails (→ retries, DLQ, alarm).
    await expect(runScheduled('2026-03-01T23:30:00Z')).rejects.toThrow(/1 e-mail\(s\) failed and none was sent/);
    expect((await listEnrolments(res.json.collectiveRegistrationId)).get(stuck[0].participantId)).toMatchObject({ attempts: 2 });
    spy.mockRestore();

    // The next run sends it; asOf is the schedule's day in Amsterdam.
    expect(await runScheduled('2026-03-01T23:30:00Z')).toEqual({ job: 'activation-mails', asOf: '2026-03-02', sent: 1, failed: 0, pending: 0 });
    expect(await mailsPer(list)).toEqual(Array(12).fill(1));
  }, 60_000);

  it('two lists of one employer naming the same employees, both left to the job: it mails each employee once, and its dry run says so', async () => {
    const employer = await newEmployer();
    const first = await holders(10);
    const newcomers = await holders(5);
    // Under 10 s of Lambda time left: the requests mail nobody themselves.
    const a = await register(employer, { employees: rowsOf(first) }, { timeoutMs: 9_000 });
    const b = await register(employer, { employees: rowsOf([...first.slice(0, 5), ...newcomers]) }, { timeoutMs: 9_000 });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(await countPendingMails()).toBe(20);

    const plan = await invoke(runJobHandler, { path: '/v1/jobs/activation-mails/runs', apiKey: await adminKey(), body: { dryRun: true } });
    expect(plan.statusCode).toBe(200);
    expect(plan.json).toMatchObject({ pending: 20, wouldSend: 15 });
    expect(await mailsPer([...first, ...newcomers])).toEqual(Array(15).fill(0));

    const run = await runActivationMails(today);

    expect(run).toEqual({ job: 'activation-mails', asOf: today, sent: 15, failed: 0, pending: 0 });
    expect(await mailsPer([...first, ...newcomers])).toEqual(Array(15).fill(1));
    const superseded = [...(await listEnrolments(a.json.collectiveRegistrationId)).values(), ...(await listEnrolments(b.json.collectiveRegistrationId)).values()].filter(
      (e) => e.mailSupersededBy,
    );
    expect(superseded).toHaveLength(5);
    expect(await runActivationMails(today)).toEqual({ job: 'activation-mails', asOf: today, sent: 0, failed: 0, pending: 0 });
  }, 60_000);
});
