import { vi } from 'vitest';

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
