/**
 * `npx tsx scripts/test-summary.ts .test-results.json`: the one line CI greps for,
 * `N passed, N failed`, from vitest's JSON reporter. A test file that failed to load (no test
 * inside could run) counts as one failure, so it cannot hide. Exits 1 when nothing passed or
 * anything failed, or when there are no results at all.
 */
import { existsSync, readFileSync } from 'node:fs';

interface JsonResults {
  numPassedTests?: number;
  numFailedTests?: number;
  numTotalTests?: number;
  testResults?: Array<{ name: string; status: string; message?: string; startTime?: number; endTime?: number; assertionResults?: Array<{ status: string }> }>;
}

const file = process.argv[2] ?? '.test-results.json';
let results: JsonResults = {};
if (existsSync(file)) {
  try {
    results = JSON.parse(readFileSync(file, 'utf8')) as JsonResults;
  } catch (err) {
    process.stderr.write(`${file} is not valid JSON: ${(err as Error).message}\n`);
  }
} else {
  process.stderr.write(`${file} not found: did vitest run with the json reporter?\n`);
}

const passed = results.numPassedTests ?? 0;
let failed = results.numFailedTests ?? 0;
// Files that failed without a failing test: a syntax error, a throwing import, a failing hook.
for (const f of results.testResults ?? []) {
  const failedInside = (f.assertionResults ?? []).some((a) => a.status === 'failed');
  if (f.status === 'failed' && !failedInside) failed += 1;
}

// Per vitest project (vitest.config.ts, by folder): files, the span from its first file's start to
// its last file's end, and the files' summed run time — to see where the suite's time goes.
const projectOf = (name: string) => {
  const folder = /\/test\/([^/]+)\//.exec(name)?.[1] ?? '?';
  return folder === 'web' || folder === 'setup' ? 'integration' : folder;
};
const projects = new Map<string, { files: number; start: number; end: number; sum: number }>();
for (const f of results.testResults ?? []) {
  if (f.startTime === undefined || f.endTime === undefined) continue;
  const p = projects.get(projectOf(f.name)) ?? { files: 0, start: Infinity, end: 0, sum: 0 };
  p.files++;
  p.start = Math.min(p.start, f.startTime);
  p.end = Math.max(p.end, f.endTime);
  p.sum += f.endTime - f.startTime;
  projects.set(projectOf(f.name), p);
}
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
for (const [name, p] of [...projects].sort(([a], [b]) => a.localeCompare(b))) {
  process.stdout.write(`project ${name}: ${p.files} files, span ${seconds(p.end - p.start)}, files' time ${seconds(p.sum)}\n`);
}

process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
