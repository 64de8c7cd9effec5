/**
 * Issue 17, point 4 (finish): in the cloud, `POST /v1/jobs/{job}/runs` and /beheer/taken run a job
 * in the job's own function (shared/jobs/remote.ts) instead of carrying every job in their
 * bundles. The Lambda client is mocked (Lambda cannot run here); the job's own function is real:
 * it takes the same event and runs the job through the registry's run-or-plan.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import * as runJobRoute from '../../functions/http/run-job';
import * as jobsPage from '../../functions/web/staff-jobs';
import * as expiryNoticesFn from '../../functions/scheduled/expiry-notices';
import { adminKey, invoke } from '../setup/helpers';
import { page, signedIn } from '../web/helpers';
import { jobFunctionVariable, jobNames } from '../../shared/jobs/registry';
import { resetLambda } from '../../shared/jobs/remote';
import { jobs } from '../../shared/routes';
import { todayInAmsterdam } from '../../shared/dates';
import { addDays } from '../../shared/domain/dates';
import { nl } from '../../shared/i18n/nl';

const FN = 'Real-JobsexpirynoticesHandler-abc123';
const VAR = jobFunctionVariable('expiry-notices');
const today = todayInAmsterdam();
const lambda = mockClient(LambdaClient);
/** A payload as the client answers it (the SDK's blob adapter is a Uint8Array with helpers). */
const encoded = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'];
const sent = () => lambda.commandCalls(InvokeCommand).map((c) => ({ ...c.args[0].input, Payload: JSON.parse(new TextDecoder().decode(c.args[0].input.Payload as Uint8Array)) }));

beforeEach(() => {
  lambda.reset();
  resetLambda();
  process.env[VAR] = FN;
});
afterEach(() => {
  delete process.env[VAR];
});
afterAll(() => lambda.restore());

describe('a job run on request, in the cloud', () => {
  it('the registry lists the jobs of the route table, and the variable names the job', () => {
    expect(jobNames()).toEqual(jobs.map((j) => j.name));
    expect(VAR).toBe('JOB_FUNCTION_EXPIRY_NOTICES');
  });

  it('POST /v1/jobs/{job}/runs invokes the job’s function (RequestResponse, {asOf, dryRun, stopAt}) and answers its summary', async () => {
    const summary = { job: 'expiry-notices', asOf: addDays(today, -1), dryRun: true, wouldSend: 3, items: [], itemsTotal: 3 };
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: encoded(summary) });
    const before = Date.now();
    const res = await invoke(runJobRoute, { path: '/v1/jobs/expiry-notices/runs', apiKey: await adminKey(), body: { asOf: addDays(today, -1), dryRun: true } });
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual(summary);
    const [call, ...more] = sent();
    expect(more).toEqual([]);
    expect(call).toMatchObject({ FunctionName: FN, InvocationType: 'RequestResponse', Payload: { manualRun: true, asOf: addDays(today, -1), dryRun: true } });
    // The job stops starting work before the runner's own answer is due (API Gateway's 30 s).
    expect(call.Payload.stopAt).toBeGreaterThan(before);
    expect(call.Payload.stopAt).toBeLessThan(before + 30_000);
  });

  it('a job that fails in its function is a 502 problem that names the job and its error, not a 500 with the trace', async () => {
    const trace = ['Error: boom', '    at runExpiryNotices (/var/task/index.mjs:1:2)'];
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: encoded({ errorType: 'Error', errorMessage: 'expiry-notices as of 2026-01-01: 2 notice(s) still due', trace }) });
    const res = await invoke(runJobRoute, { path: '/v1/jobs/expiry-notices/runs', apiKey: await adminKey(), body: {} });
    expect(res.statusCode).toBe(502);
    expect(res.json).toMatchObject({ status: 502, reason: 'job-failed', job: 'expiry-notices', detail: expect.stringContaining('2 notice(s) still due') });
    expect(res.body).not.toContain('index.mjs');
    expect(sent()[0]).toMatchObject({ Payload: { manualRun: true, asOf: today } });
    expect(sent()[0].Payload.dryRun).toBeUndefined();
  });

  it('an answer without a summary is a failure too', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: encoded(null) });
    const res = await invoke(runJobRoute, { path: '/v1/jobs/expiry-notices/runs', apiKey: await adminKey(), body: {} });
    expect(res.statusCode).toBe(502);
  });

  it('/beheer/taken shows the summary of the job’s function, and its failure as a message on the page', async () => {
    const me = await signedIn({ role: 'admin', ownerId: 'admin' });
    lambda
      .on(InvokeCommand)
      .resolvesOnce({ StatusCode: 200, Payload: encoded({ job: 'expiry-notices', asOf: today, dryRun: true, wouldSend: 7, items: [], itemsTotal: 7 }) })
      .resolvesOnce({ StatusCode: 200, FunctionError: 'Unhandled', Payload: encoded({ errorType: 'Error', errorMessage: 'boom' }) });
    const ok = await page(jobsPage, { path: '/beheer/taken', session: me, form: { job: 'expiry-notices', asOf: '', dryRun: '1' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatch(/wouldSend<\/td>\s*<td[^>]*>7/);
    const failed = await page(jobsPage, { path: '/beheer/taken', session: me, form: { job: 'expiry-notices', asOf: '', dryRun: '1' } });
    expect(failed.statusCode).toBe(502);
    expect(failed.body).toContain(nl.staff.jobs.failed(nl.staff.jobs.names['expiry-notices']));
    expect(sent().map((c) => c.FunctionName)).toEqual([FN, FN]);
  });
});

describe('the job’s own function, invoked by a runner', () => {
  it('runs the job as asked: a dry run answers the plan (counts, items) instead of running it', async () => {
    delete process.env[VAR];
    const summary = await expiryNoticesFn.handler({ manualRun: true, asOf: today, dryRun: true }, { getRemainingTimeInMillis: () => 300_000 });
    expect(summary).toMatchObject({ job: 'expiry-notices', asOf: today, dryRun: true, itemsTotal: expect.any(Number), items: expect.any(Array) });
    await expect(expiryNoticesFn.handler({ manualRun: true, asOf: addDays(today, 1) })).rejects.toThrow(/may not be after today/);
    expect(lambda.commandCalls(InvokeCommand)).toEqual([]);
  });
});
