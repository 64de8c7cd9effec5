/**
 * Expiry notices over the real `npm start`: a diploma imported with a period ending in 30 days,
 * the job run twice through POST /v1/jobs/expiry-notices/runs and once more with `npm run job`:
 * exactly one e-mail in the SES emulator's store.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addYears, dutchDate } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { mailsTo, repoRoot, holdLock, sharedStack, type Stack } from './helpers';


describe('expiry notices over HTTP (npm start)', () => {
  let stack: Stack;
  let release: (() => void) | undefined;

  beforeAll(async () => {
    stack = sharedStack();
    // Counts what its job run does to the whole table: no other file may add to it meanwhile.
    release = await holdLock(stack, 'expiry-notices');
  }, 90_000);
  afterAll(async () => {
    release?.();
    await stack?.stop();
  });

  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.adminKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  /** `npm run job` against this stack (its ports; none of the test worker's own AWS settings). */
  function npmRunJob(...args: string[]) {
    const env: NodeJS.ProcessEnv = { ...process.env, DYNAMODB_PORT: String(stack.ports.dynamo), SES_PORT: String(stack.ports.ses), LOG_LEVEL: 'ERROR' };
    for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'TABLE_NAME' || k.endsWith('_ENDPOINT')) delete env[k];
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('npm', ['run', '--silent', 'job', '--', ...args], { cwd: repoRoot, env }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  it('a period ending within 90 days: two runs (and a third from npm run job) send exactly one e-mail', async () => {
    const today = todayInAmsterdam();
    const issuedOn = addDays(addYears(today, -2), 30);
    expect(issuedOn >= '2023-01-01').toBe(true);
    const email = `e2e.notice.${Date.now()}@example.test`;
    const imported = await call('POST', '/v1/diplomas', {
      diplomas: [
        { diplomaNumber: `E2EN${Date.now()}`, type: 'backofficeprofessional', issuedOn, holder: { initials: 'K.', lastName: 'Termijn', birthDate: '1988-02-03', email } },
      ],
    });
    expect(imported).toMatchObject({ status: 200, json: { created: 1, registrationsCreated: 1 } });

    const first = await call('POST', '/v1/jobs/expiry-notices/runs', { asOf: today });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ job: 'expiry-notices', asOf: today, sent: 1, byKind: { '30': 1 }, failed: 0 });
    const second = await call('POST', '/v1/jobs/expiry-notices/runs', { asOf: today });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ sent: 0, failed: 0 });

    const cli = await npmRunJob('expiry-notices', '--as-of', today);
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ job: 'expiry-notices', asOf: today, sent: 0 });

    const mails = await mailsTo(stack, email);
    expect(mails).toHaveLength(1);
    const endsOn = addYears(issuedOn, 2);
    expect(mails[0].subject).toBe(`Je PE-registratie is geldig tot en met ${dutchDate(addDays(endsOn, -1))}: nog 12 punten nodig`);
    expect(mails[0].body.text).toContain('Register-Backofficeprofessional');
    expect(mails[0].body.html).toContain('<html lang="nl">');
  }, 120_000);
});
