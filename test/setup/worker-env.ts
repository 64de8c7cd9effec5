import { afterAll, vi } from 'vitest';
import { resetDb } from '../../shared/data/client';
import { resetCursorKey } from '../../shared/http/cursor';
import { recordFileTime } from './file-times';
import { forgetSdkMocks } from './worker-reuse';

/**
 * With `isolate: false` (every project but infra, vitest.config.ts) a worker imports the
 * module graph once and runs file after file in it. Each file starts from the environment the
 * worker started with (`freshEnv()`, first thing in the setup files), so a variable one file set
 * never reaches the next.
 */
export function freshEnv(): void {
  const workerEnv = ((globalThis as { __peWorkerEnv?: NodeJS.ProcessEnv }).__peWorkerEnv ??= { ...process.env });
  // VITEST_* are vitest's own, set per file.
  for (const name of Object.keys(process.env)) if (!(name in workerEnv) && !name.startsWith('VITEST')) delete process.env[name];
  for (const [name, value] of Object.entries(workerEnv)) if (!name.startsWith('VITEST')) process.env[name] = value;
}

/** After a file: what it may leave in the worker's shared modules (spies, stubbed env, fake timers). */
export function forgetFileMocks(): void {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.useRealTimers();
}

/**
 * First thing in every project's setup file: the file's real time is recorded, it starts from the
 * worker's first environment with no DynamoDB client or cursor key cached by the file before, and
 * after it what it may have left in the worker's shared modules is undone (mocks, fake timers,
 * stubbed env, `aws-sdk-client-mock` stubs, the DynamoDB client). The setup file then points the
 * environment at what its project uses.
 */
export function startFile(): void {
  recordFileTime();
  freshEnv();
  resetDb();
  resetCursorKey();
  afterAll(() => {
    forgetFileMocks();
    forgetSdkMocks();
    resetDb();
  });
}
