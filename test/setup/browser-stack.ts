/**
 * Global setup of the browser project: one `npm start` per worker (with the browser runs'
 * generous rate limits, its e-mail links pointing at itself) and one Chromium server for all its
 * files, started side by side. Each file connects to the server (`openSite()`, test/browser/harness.ts) and
 * opens contexts of its own, so files share no cookies or pages.
 */
import { existsSync } from 'node:fs';
import { chromium, type BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { startStack, type Stack } from '../e2e/helpers';
import { BROWSER_STACK_ENV, CHROMIUM_ARGS, CHROMIUM_MISSING, CHROMIUM_PATH } from '../browser/harness';
import { describeStack } from './stack-info';
import { orError, workersOf } from './shared-stack';

export default async function setup(project: TestProject) {
  const stacks: Stack[] = [];
  let server: BrowserServer | undefined;
  // One stack per worker: the pages are rendered by the stack's one node process, which would
  // otherwise serve both workers' browsers on one core.
  const workers = workersOf(project);
  const [stackInfos, browser] = await Promise.all([
    Promise.all(Array.from({ length: workers }, () => orError(async () => {
      const stack = await startStack({ timeoutMs: 90_000, env: BROWSER_STACK_ENV });
      stacks.push(stack);
      return describeStack(stack);
    }))),
    orError(async () => {
      if (!existsSync(CHROMIUM_PATH)) throw new Error(CHROMIUM_MISSING);
      server = await chromium.launchServer({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
      return { wsEndpoint: server.wsEndpoint() };
    }),
  ]);
  project.provide('sharedStacks', stackInfos);
  project.provide('chromium', browser);
  return async () => {
    await Promise.allSettled([server?.close(), ...stacks.map((s) => s.stop())]);
  };
}
