import { rmSync } from 'node:fs';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Five projects, each with only the setup its files need (README, "Tests"):
 * - unit: pure code, no emulator at all (no JVM is started for them);
 * - integration: handlers and services on DynamoDB Local (in memory, one per worker) and the SES emulator, started
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

/**
 * vitest's own order (project by project, by name; within one, the longest or largest file first),
 * except that the infra project's file goes first. It is the run's longest file (its `beforeAll`
 * bundles every function, one esbuild process after another: ~3 minutes of one lane on CI, mostly
 * waiting on those processes); queued after browser and e2e it ran beside integration's files,
 * first it overlaps the browser files, and no lane waits for it at the end.
 */
/**
 * Then the long files before the many short ones: browser, e2e, unit (its UBL validation file is
 * ~16 s), and integration last, whose 65 short files fill both lanes to the end; with unit last,
 * one lane ran the UBL file alone for its last ~12 s.
 */
const PROJECT_ORDER = ['infra', 'browser', 'e2e', 'unit', 'integration'];
class InfraFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => PROJECT_ORDER.indexOf(spec.project.name);
    return sorted.map((spec, index) => ({ spec, index })).sort((a, b) => rank(a.spec) - rank(b.spec) || a.index - b.index).map(({ spec }) => spec);
  }
}

// Each file's real time (test/setup/file-times.ts), for scripts/test-summary.ts: this run's only.
rmSync('.test-file-times.jsonl', { force: true }); // FILE_TIMES there

// DynamoDB Local's usage telemetry (Pinpoint) is off for every JVM of the run: the emulator of the
// integration project, and the stacks' (they inherit this process's environment).
process.env.DDB_LOCAL_TELEMETRY ??= '0';

export default defineConfig({
  test: {
    pool: 'forks',
    // Two cores here; the JVMs behind DynamoDB Local and the stacks need some CPU too.
    maxWorkers: 2,
    sequence: { sequencer: InfraFirst },
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
        // A DynamoDB Local (in memory) per worker and the SES emulator, once per run, on free ports.
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
        // As unit and integration: one module graph per worker (test/setup/stack-env.ts resets).
        isolate: false,
      }),
      project('browser', {
        include: ['test/browser/**/*.test.ts'],
        globalSetup: ['test/setup/browser-stack.ts'],
        setupFiles: ['test/setup/stack-env.ts'],
        isolate: false,
        // A journey is many page loads and axe runs: a bound for a machine whose two cores are
        // shared (tests still wait for events, never for time).
        testTimeout: 60_000,
      }),
    ],
  },
});
