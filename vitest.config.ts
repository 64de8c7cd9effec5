import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Starts DynamoDB Local (in memory) and the SES emulator once per run, on free ports.
    globalSetup: ['test/setup/global.ts'],
    // Per test file: AWS env pointing at them, and a fresh table of its own.
    setupFiles: ['test/setup/env.ts'],
    pool: 'forks',
    // Two cores here; the JVM behind DynamoDB Local needs some CPU too.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
