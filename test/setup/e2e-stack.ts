/**
 * Global setup of the e2e project: one `npm start` for all its files (each boot costs ~7 s of
 * CPU). Files that need a stack of a special configuration (test/e2e/foundation.e2e.test.ts:
 * tight rate limits, persistence across restarts, a generated admin key) still start their own.
 */
import type { TestProject } from 'vitest/node';
import { startStack, type Stack } from '../e2e/helpers';
import { describeStack } from './stack-info';
import { orError } from './shared-stack';

export default async function setup(project: TestProject) {
  let stack: Stack | undefined;
  project.provide('sharedStacks', [await orError(async () => describeStack((stack = await startStack({ timeoutMs: 90_000 }))))]);
  return async () => {
    await stack?.stop();
  };
}
