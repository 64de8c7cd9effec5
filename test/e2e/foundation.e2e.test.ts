/**
 * `npm start` end to end: boot time, the gateway's own answers, the admin key, clean shutdown
 * and persistence across a restart. Written against API.md and ARCHITECTURE.md ("Local stack").
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from '../../infra/local/dynamo';
import { jobNames } from '../../shared/jobs/registry';
import { dynamoProcesses, repoRoot, startStack, startStackExpectingExit, type Stack } from './helpers';

const problemType = /^application\/problem\+json/;

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pe-e2e-foundation-'));
  let stack: Stack;
  let provider: { providerId: string; apiKey: string };

  beforeAll(async () => {
    // A low client limit shows the stack reads RATE_LIMIT_* (the handlers run in its process); a
    // day-long window, so the test's few requests never straddle two windows.
    stack = await startStack({ dataDir, env: { RATE_LIMIT_CLIENT_MAX: '3', RATE_LIMIT_CLIENT_WINDOW_SECONDS: '86400' } });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  // How fast it boots is the bench's to measure, not a test's to time.
  it('serves /health 200 {status:"ok"} once started', async () => {
    const res = await fetch(`${stack.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI 3.1 document at /openapi.json', async () => {
    const res = await fetch(`${stack.baseUrl}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/json/);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toContain('/health');
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await fetch(`${stack.baseUrl}/v1/no-such-thing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(problemType);
    expect(await res.json()).toMatchObject({ title: 'Not Found', status: 404 });
  });

  it('answers an unknown page with the 404 page in the site look, its stylesheet served from /assets', async () => {
    const res = await fetch(`${stack.baseUrl}/geen-pagina`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    const css = /<link rel="stylesheet" href="(\/assets\/app\.[0-9a-f]{12}\.css)"/.exec(html)?.[1];
    expect(css).toBeDefined();
    const sheet = await fetch(`${stack.baseUrl}${css}`);
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(sheet.headers.get('cache-control')).toContain('immutable');
    expect(await sheet.text()).toContain('.utrecht-button');
  });

  it('refuses a 2 MiB body with 413 before any handler runs', async () => {
    // Without a key: had the handler run, the answer would be 401.
    const res = await fetch(`${stack.baseUrl}/v1/providers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(problemType);
    expect(await res.json()).toMatchObject({ status: 413 });
    expect(stack.output()).not.toMatch(/POST \/v1\/providers → 401/);
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await fetch(`${stack.baseUrl}/health`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(await res.text()).toBe('');
  });

  it('answers an oversized query with 414 and oversized headers with 431, as problem+json, whoever refuses them', async () => {
    // Over the recipe's limits (4 KiB query, 8 KiB headers) but within node's 16 KiB: the handler's recipe answers.
    const query = await fetch(`${stack.baseUrl}/health?q=${'x'.repeat(5000)}`);
    expect(query.status).toBe(414);
    expect(query.headers.get('content-type')).toMatch(problemType);
    const headers = await fetch(`${stack.baseUrl}/health`, { headers: { 'x-padding': 'p'.repeat(10_000) } });
    expect(headers.status).toBe(431);
    expect(await headers.json()).toMatchObject({ type: 'https://pe-register.nl/problems/header-fields-too-large', status: 431 });
    // Over node's own limit: the gateway answers, in the same form.
    const huge = await fetch(`${stack.baseUrl}/health`, { headers: { 'x-padding': 'p'.repeat(20_000) } });
    expect(huge.status).toBe(431);
    expect(huge.headers.get('content-type')).toMatch(problemType);
    expect(await huge.json()).toMatchObject({ type: 'https://pe-register.nl/problems/header-fields-too-large', status: 431 });
  });

  it('limits activation requests per client address (RATE_LIMIT_CLIENT_MAX=3): 429 with Retry-After, malformed ones counted', async () => {
    expect(stack.output()).toMatch(/Rate limits\s+3 per 86400 s per client/);
    const post = () => fetch(`${stack.baseUrl}/v1/activations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await post());
    expect(answers.map((r) => r.status)).toEqual([400, 400, 400, 429, 429]);
    const refused = answers[3];
    expect(refused.headers.get('content-type')).toMatch(problemType);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ type: 'https://pe-register.nl/problems/too-many-requests', status: 429 });
  });

  it('boots with the ADMIN_API_KEY as a working admin key', async () => {
    const res = await fetch(`${stack.baseUrl}/v1/providers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.adminKey}` },
      body: JSON.stringify({ name: 'Opleider BV', kvkNumber: '12345678', contactEmail: 'opleider@example.com' }),
    });
    expect(res.status).toBe(201);
    provider = (await res.json()) as typeof provider;
    expect(provider.providerId).toBeTruthy();
    expect(provider.apiKey).toMatch(/^pe_provider_/);
  });

  it('records its endpoints in PE_DATA_DIR/local-stack.json, so `npm run job` finds it with no ports exported', async () => {
    const file = JSON.parse(readFileSync(join(dataDir, 'local-stack.json'), 'utf8'));
    expect(file).toMatchObject({
      apiUrl: `http://localhost:${stack.ports.api}`,
      dynamoEndpoint: `http://127.0.0.1:${stack.ports.dynamo}`,
      sesEndpoint: expect.stringMatching(new RegExp(`:${stack.ports.ses}$`)),
      tableName: 'pe-register',
    });
    const { code, stdout, stderr } = await runJobWithOnly({ PE_DATA_DIR: dataDir }, 'activation-mails');
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout.slice(stdout.lastIndexOf('\n{\n') + 1))).toMatchObject({ job: 'activation-mails', sent: 0, failed: 0 });
  }, 60_000);

  it('stops everything on SIGTERM, and keeps the data for the next start', async () => {
    expect(provider).toBeDefined();
    const { ports } = stack;
    expect(dynamoProcesses(ports.dynamo)).toHaveLength(1);

    await stack.stop();
    expect(dynamoProcesses(ports.dynamo)).toEqual([]);
    // A clean stop takes its endpoints file along: no tool is sent to a stack that is gone.
    expect(existsSync(join(dataDir, 'local-stack.json'))).toBe(false);
    await expect(fetch(`http://127.0.0.1:${ports.api}/health`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${ports.ses}/health-check`)).rejects.toThrow();
    expect(stack.output()).toMatch(/SIGTERM|launcher exited/);

    // Same data folder, no ADMIN_API_KEY this time: the stack makes (and prints) one.
    stack = await startStack({ dataDir, adminKey: null });
    const client = localDynamoClient(`http://127.0.0.1:${stack.ports.dynamo}`);
    try {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: 'pe-register', Key: { pk: { S: `PROVIDER#${provider.providerId}` }, sk: { S: 'PROFILE' } } }),
      );
      expect(Item?.name?.S).toBe('Opleider BV');
    } finally {
      client.destroy();
    }
    // The generated key works, and so does the admin key of the first run (it is in the data).
    for (const key of [stack.adminKey, 'pe_admin_e2e_0123456789abcdefghij']) {
      const res = await fetch(`${stack.baseUrl}/v1/providers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ name: 'Tweede BV', kvkNumber: '87654321', contactEmail: 'tweede@example.com' }),
      });
      expect(res.status).toBe(201);
    }
  }, 120_000);
});

describe('npm start with a bad configuration', () => {
  it('exits non-zero with a message when a RATE_LIMIT_* value is not a whole number', async () => {
    const { code, output } = await startStackExpectingExit({ env: { RATE_LIMIT_IDENTIFIER_MAX: 'lots' } });
    expect(code).not.toBe(0);
    expect(output).toMatch(/RATE_LIMIT_IDENTIFIER_MAX must be a whole number/);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('exits non-zero with a message when ADMIN_API_KEY is shorter than 16 characters', async () => {
    const { code, output } = await startStackExpectingExit({ adminKey: 'too-short' });
    expect(code).not.toBe(0);
    expect(output).toMatch(/ADMIN_API_KEY must be at least 16 characters/);
    expect(output).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});

/**
 * `npm run job` with none of the test worker's AWS settings or ports: only `env` (and PATH, HOME…),
 * the way a developer runs it in a second terminal.
 */
function runJobWithOnly(env: Record<string, string>, ...args: string[]) {
  const clean: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'ERROR' };
  for (const k of Object.keys(clean)) {
    if (k.startsWith('VITEST') || k === 'TABLE_NAME' || k === 'PE_DATA_DIR' || k.endsWith('_ENDPOINT') || k.endsWith('_PORT')) delete clean[k];
  }
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile('npm', ['run', '--silent', 'job', '--', ...args], { cwd: repoRoot, env: { ...clean, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe('npm run job', () => {
  it('without a running stack: one line saying to start one, exit 1', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pe-e2e-nostack-'));
    const { code, stdout, stderr } = await runJobWithOnly({ PE_DATA_DIR: empty }, 'activation-mails');
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `No local stack is running for PE_DATA_DIR=${empty}: start it with \`npm start\` (same PE_DATA_DIR), or set DYNAMODB_PORT and SES_PORT.`,
    );
    expect(stdout).toBe('');
  });

  const runJob = (...args: string[]) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      execFile('npm', ['run', '--silent', 'job', '--', ...args], { cwd: repoRoot }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
      });
    });

  it('names the known jobs and exits 1 for an unknown one', async () => {
    const { code, output } = await runJob('no-such-job');
    expect(code).toBe(1);
    expect(output).toMatch(/Unknown job "no-such-job"/);
    for (const name of jobNames()) expect(output).toContain(name);
  });

  it('refuses an --as-of that is not a calendar date', async () => {
    const { code, output } = await runJob(jobNames()[0] ?? 'any', '--as-of', '2025-02-30');
    expect(code).toBe(1);
    expect(output).toMatch(/--as-of must be a calendar date YYYY-MM-DD/);
  });

  it('refuses an --as-of after today, as the API does (before it touches anything)', async () => {
    const { code, output } = await runJob('expiry-notices', '--as-of', '9999-12-31', '--dry-run');
    expect(code).toBe(1);
    expect(output).toMatch(/--as-of: asOf may not be after today \(\d{4}-\d{2}-\d{2}, Europe\/Amsterdam\); got 9999-12-31/);
    expect(output).not.toMatch(/\n\s+at /);
  });
});
