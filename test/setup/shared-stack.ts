/**
 * The shared `npm start` of the e2e project and those of the browser project (one per worker):
 * started by the project's global setup, described to its test files through vitest's
 * `provide`/`inject`.
 * A file gets it with `sharedStack()` (test/e2e/helpers.ts); its `stop()` does nothing, the
 * global teardown stops it. Files share its data, so each works with ids and addresses of its
 * own (see README, "Tests").
 */
import type { TestProject } from 'vitest/node';
import type { Stack } from '../e2e/helpers';

export type SharedStackInfo = Pick<Stack, 'baseUrl' | 'sesUrl' | 'adminKey' | 'dataDir' | 'ports' | 'startupMs' | 'pid'> & {
  dynamoEndpoint: string;
  tableName: string;
  /** What `npm start` printed up to its banner's last line (the admin key, the admin user, the jobs). */
  bootOutput: string;
};

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * The project's shared `npm start`s (e2e: one; browser: one per worker, since one node process
     * would serve the pages of both workers on one core). A file uses the one of its worker.
     */
    sharedStacks: (SharedStackInfo | { error: string })[];
    /** The browser project's Chromium server (`chromium.connect(wsEndpoint)`), or why there is none. */
    chromium: { wsEndpoint: string } | { error: string };
  }
}

/**
 * A global setup that throws ends the whole run without a summary; instead the error is handed to
 * the files, each of which then fails with it (as each failed on its own stack before).
 */
export async function orError<T>(start: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await start();
  } catch (err) {
    return { error: (err as Error).message ?? String(err) };
  }
}

/** The shared stack of this worker (VITEST_POOL_ID counts the workers from 1). */
export function stackOfWorker<T>(stacks: T[]): T {
  const worker = Math.max(1, Number(process.env.VITEST_POOL_ID ?? 1));
  return stacks[(worker - 1) % stacks.length];
}

/** How many workers the project runs (a global setup starts one stack or DynamoDB Local for each). */
export function workersOf(project: TestProject): number {
  return Math.max(1, Number(project.config.maxWorkers) || 1);
}
