import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Five projects, each with only the setup its files need (README, "Tests"):
 * - unit: pure code, no emulator at all (no JVM is started for them);
 * - integration: handlers and services on DynamoDB Local (in memory) and the SES emulator, started
 *   once per run by test/setup/global.ts; each file gets a fresh table (test/setup/env.ts). The
 *   page tests of test/web and the harness test belong here too;
 * - infra: the CDK app, synthesised once per file;
 * - e2e: the real `npm start`, ONE stack shared by the files (test/setup/e2e-stack.ts);
 * - browser: ONE stack and ONE Chromium server shared by the files, a context per test
 *   (test/setup/browser-stack.ts).
 * `npm test` runs them all; `npm test -- --project unit` runs one.
 */
const project = (name: string, test: NonNullable<TestProjectInlineConfiguration['test']>): TestProjectInlineConfiguration => ({
  extends: true,
  test: { name, ...test },
});

export default defineConfig({
  test: {
    pool: 'forks',
    // Two cores here; the JVMs behind DynamoDB Local and the stacks need some CPU too.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    projects: [
      project('unit', {
        include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
        setupFiles: ['test/setup/unit-env.ts'],
        // One module graph per worker, not per file (as integration, below).
        isolate: false,
      }),
      project('integration', {
        include: ['test/integration/**/*.test.ts', 'test/web/**/*.test.ts', 'test/web/**/*.test.tsx', 'test/setup/**/*.test.ts'],
        // DynamoDB Local (in memory) and the SES emulator, once per run, on free ports.
        globalSetup: ['test/setup/global.ts'],
        // Per test file: AWS env pointing at them, and a fresh table of its own.
        setupFiles: ['test/setup/env.ts'],
        // A worker imports the module graph once and runs file after file in it, instead of a fresh
        // fork per file (~0.7 s of CPU each here); test/setup/env.ts resets what a file could leave.
        isolate: false,
      }),
      project('infra', {
        include: ['test/infra/**/*.test.ts'],
        setupFiles: ['test/setup/unit-env.ts'],
      }),
      project('e2e', {
        include: ['test/e2e/**/*.test.ts'],
        globalSetup: ['test/setup/e2e-stack.ts'],
        setupFiles: ['test/setup/stack-env.ts'],
      }),
      project('browser', {
        include: ['test/browser/**/*.test.ts'],
        globalSetup: ['test/setup/browser-stack.ts'],
        setupFiles: ['test/setup/stack-env.ts'],
        // A journey is many page loads and axe runs: a bound for a machine whose two cores are
        // shared (tests still wait for events, never for time).
        testTimeout: 60_000,
      }),
    ],
  },
});
