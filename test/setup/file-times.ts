/**
 * Each file's real time in its worker, from its setup file's start (before the file's imports) to
 * the setup file's `afterAll` (after the file's own hooks): the JSON reporter's times cover the
 * tests only, not imports or a `beforeAll` (the infra file's bundling is minutes of one). One line
 * per file in `.test-file-times.jsonl` (emptied by vitest.config.ts at the start of a run), read
 * by scripts/test-summary.ts.
 */
import { appendFileSync } from 'node:fs';
import { afterAll, expect } from 'vitest';

export const FILE_TIMES = '.test-file-times.jsonl';

export function recordFileTime(): void {
  const start = Date.now();
  afterAll(() => {
    const file = expect.getState().testPath ?? '?';
    try {
      appendFileSync(FILE_TIMES, `${JSON.stringify({ file, start, end: Date.now(), pool: process.env.VITEST_POOL_ID })}\n`);
    } catch {
      // a measurement only
    }
  });
}
