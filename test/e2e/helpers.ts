/**
 * End-to-end helpers: the real `npm start` as a child process, on free ports with its own data
 * folder, driven over HTTP like an outside client would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { freePort } from '../../infra/local/ports';
import { stackOfWorker } from '../setup/shared-stack';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export interface StackOptions {
  /** DynamoDB data folder; default a fresh temp folder. Reuse it to test persistence. */
  dataDir?: string;
  /** ADMIN_API_KEY; default a fixed 32-character test key. `null` leaves it unset (the stack generates one). */
  adminKey?: string | null;
  /** Extra environment for `npm start`. */
  env?: Record<string, string | undefined>;
  /** How long to wait for /health (default 60 s). */
  timeoutMs?: number;
}

export interface Stack {
  baseUrl: string;
  sesUrl: string;
  /** The admin key: the one passed in, or the one the stack printed. */
  adminKey: string;
  dataDir: string;
  ports: { api: number; dynamo: number; ses: number };
  /** ms from spawning `npm start` to the first 200 from /health. */
  startupMs: number;
  /** pid of `npm start`, also the id of its process group (everything it started). */
  pid: number;
  /** Everything the stack printed so far (stdout + stderr). */
  output(): string;
  /** SIGTERM to `npm start`, then wait until every process it started is gone (SIGKILL after 30 s, and throw). */
  stop(): Promise<void>;
}

/** A message as the SES emulator's store (`GET /store`) keeps it. */
export interface StoredMail {
  subject: string;
  destination: { to: string[] };
  body: { text?: string; html?: string };
  attachments: { content: string; contentType: string; filename?: string }[];
}

/** The messages the stack's SES emulator holds for an address (matched case-insensitively), oldest first. */
export async function mailsTo(stack: Pick<Stack, 'sesUrl'>, address: string): Promise<StoredMail[]> {
  const { emails } = (await (await fetch(`${stack.sesUrl}/store`)).json()) as { emails: StoredMail[] };
  const wanted = address.toLowerCase();
  return emails.filter((m) => m.destination.to.some((t) => t.toLowerCase().includes(wanted)));
}

/**
 * Waits (polling, up to `timeoutMs`) until the address holds at least `count` messages, for the
 * e-mails that go out after the answer (activation requests are matched in the background).
 */
export async function waitForMails(stack: Pick<Stack, 'sesUrl'>, address: string, count = 1, timeoutMs = 10_000): Promise<StoredMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await mailsTo(stack, address);
    if (mails.length >= count) return mails;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} e-mail(s) to ${address}; found ${mails.length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const TEST_ADMIN_KEY = 'pe_admin_e2e_0123456789abcdefghij';

const running = new Set<number>();
process.on('exit', () => {
  // A crashed test must not leave a stack (and its JVM) behind.
  for (const pgid of running) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Command lines of DynamoDB Local JVMs listening on `port` (from `ps -eo args`). */
export function dynamoProcesses(port: number): string[] {
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal.jar') && new RegExp(`-port ${port}(\\s|$)`).test(line));
}

function launch(opts: StackOptions, ports: Stack['ports'], dataDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The worker's own test settings must not leak into the stack under test.
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'TABLE_NAME' || k.endsWith('_ENDPOINT')) delete env[k];
  delete env.NODE_ENV;
  delete env.ADMIN_API_KEY;
  Object.assign(env, {
    PORT: String(ports.api),
    DYNAMODB_PORT: String(ports.dynamo),
    SES_PORT: String(ports.ses),
    PE_DATA_DIR: dataDir,
    ...(opts.adminKey === null ? {} : { ADMIN_API_KEY: opts.adminKey ?? TEST_ADMIN_KEY }),
  });
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // Own process group, so a failed test can take the whole tree (npm, sh, tsx, node, java) down.
  const child = spawn('npm', ['start'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  if (child.pid) running.add(child.pid);
  return { child, exited, output: () => output };
}

async function waitForGroupExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!groupAlive(child.pid!)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function freePorts(): Promise<Stack['ports']> {
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  const [api, dynamo, ses] = [...ports];
  return { api, dynamo, ses };
}

/** `npm start` on free ports; resolves once /health answers 200. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const ports = await freePorts();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'pe-e2e-'));
  const started = performance.now();
  const { child, exited, output } = launch(opts, ports, dataDir);
  const baseUrl = `http://127.0.0.1:${ports.api}`;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let exitInfo: { code: number | null } | undefined;
  void exited.then((e) => (exitInfo = e));

  const kill = async () => {
    if (groupAlive(child.pid!)) process.kill(-child.pid!, 'SIGKILL');
    await waitForGroupExit(child, 5000);
    running.delete(child.pid!);
  };

  for (;;) {
    if (exitInfo) {
      await kill();
      throw new Error(`npm start exited (code ${exitInfo.code}) before /health answered:\n${output()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) {
      await kill();
      throw new Error(`npm start did not serve /health within ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const startupMs = Math.round(performance.now() - started);

  let adminKey = opts.adminKey ?? TEST_ADMIN_KEY;
  if (opts.adminKey === null) {
    const printed = /Admin key\s+(pe_admin_\S+)/.exec(output());
    if (!printed) throw new Error(`npm start did not print the admin key it generated:\n${output()}`);
    adminKey = printed[1];
  }

  return {
    baseUrl,
    sesUrl: `http://127.0.0.1:${ports.ses}`,
    adminKey,
    dataDir,
    ports,
    startupMs,
    pid: child.pid!,
    output,
    async stop() {
      if (groupAlive(child.pid!)) process.kill(child.pid!, 'SIGTERM');
      const stopped = await waitForGroupExit(child, 30_000);
      if (!stopped) {
        await kill();
        throw new Error(`npm start did not stop within 30 s of SIGTERM:\n${output()}`);
      }
      running.delete(child.pid!);
    },
  };
}

/** `npm start` that is expected to fail: resolves with its exit code and output (killed after `timeoutMs`). */
export async function startStackExpectingExit(opts: StackOptions = {}, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  const ports = await freePorts();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'pe-e2e-'));
  const { child, exited, output } = launch(opts, ports, dataDir);
  const timer = setTimeout(() => {
    if (groupAlive(child.pid!)) process.kill(-child.pid!, 'SIGKILL');
  }, timeoutMs);
  const { code } = await exited;
  clearTimeout(timer);
  await waitForGroupExit(child, 5000);
  running.delete(child.pid!);
  return { code, output: output() };
}

export interface ApiAnswer {
  status: number;
  /** The API's JSON, loosely typed: the tests read the fields API.md names. */
  json: any;
}

/**
 * One JSON call to the stack's API (Bearer key, JSON or a raw body), for setting up data over
 * HTTP as an outside client would; with `expect`, an unexpected status throws with the body.
 */
export async function api(
  stack: Pick<Stack, 'baseUrl'>,
  method: string,
  path: string,
  opts: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string>; expect?: number } = {},
): Promise<ApiAnswer> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined || opts.raw ? { 'content-type': 'application/json' } : {}),
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...opts.headers,
    },
    body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
  });
  const text = await res.text();
  const answer = { status: res.status, json: text ? JSON.parse(text) : undefined };
  if (opts.expect !== undefined && res.status !== opts.expect) {
    throw new Error(`${method} ${path}: expected ${opts.expect}, got ${res.status}: ${text}`);
  }
  return answer;
}

/**
 * The project's shared `npm start` of this worker (test/setup/e2e-stack.ts, test/setup/browser-stack.ts), for a
 * file that needs no stack of its own configuration. Its `stop()` does nothing: the global
 * teardown stops it. Its data is shared with the other files: use ids and addresses of your own,
 * and count only what your own calls produced.
 */
export function sharedStack(): Stack {
  const info = stackOfWorker(inject('sharedStacks'));
  if ('error' in info) throw new Error(`the shared stack did not start: ${info.error}`);
  return {
    ...info,
    // What it printed at boot; its request log stays in the global setup's process.
    output: () => info.bootOutput,
    async stop() {
      // the global teardown stops it
    },
  };
}

/**
 * A lock between the files of a shared stack, for a file whose assertions count what a job does
 * to the whole table (`sent: 1` of the expiry-notice run, `pending: 0` of the activation-mail
 * run): it holds `name` while it sets up and counts, so no other file's data of that kind is
 * half-made meanwhile. Waits for the holder to release it (polling, bounded); a holder that died
 * leaves a stale lock, which is taken over. Resolves with the release.
 */
export async function holdLock(stack: Pick<Stack, 'dataDir'>, name: string, timeoutMs = 180_000): Promise<() => void> {
  const file = join(stack.dataDir, `test-lock-${name}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(readFileSync(file, { encoding: 'utf8', flag: 'a+' }));
    if (holder && !processAlive(holder)) rmSync(file, { force: true });
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for the test lock ${name} (held by pid ${holder})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
