/**
 * `npx tsx scripts/test-summary.ts .test-results.json [.test-file-times.jsonl]`: the one line CI greps for,
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
// its last file's end, and the files' summed time — to see where the suite's time goes. The times
// are each file's real time in its worker (imports, hooks and tests: test/setup/file-times.ts)
// when `.test-file-times.jsonl` is there; the JSON reporter's own cover the tests only, which
// hides a long `beforeAll` (the infra file's bundling).
const projectOf = (name: string) => {
  const folder = /\/test\/([^/]+)\//.exec(name)?.[1] ?? '?';
  return folder === 'web' || folder === 'setup' ? 'integration' : folder;
};
type FileTime = { file: string; start: number; end: number };
const timesFile = process.argv[3] ?? '.test-file-times.jsonl';
let fileTimes: FileTime[] = [];
let timesKind = "tests' time only (no .test-file-times.jsonl)";
if (existsSync(timesFile)) {
  fileTimes = readFileSync(timesFile, 'utf8').split('\n').filter(Boolean).flatMap((line) => {
    try {
      return [JSON.parse(line) as FileTime];
    } catch {
      return [];
    }
  });
  timesKind = 'real time: imports, hooks and tests';
}
if (fileTimes.length === 0) {
  fileTimes = (results.testResults ?? []).flatMap((f) => (f.startTime === undefined || f.endTime === undefined ? [] : [{ file: f.name, start: f.startTime, end: f.endTime }]));
}
const projects = new Map<string, { files: number; start: number; end: number; sum: number; longest: FileTime }>();
for (const f of fileTimes) {
  const p = projects.get(projectOf(f.file)) ?? { files: 0, start: Infinity, end: 0, sum: 0, longest: f };
  p.files++;
  p.start = Math.min(p.start, f.start);
  p.end = Math.max(p.end, f.end);
  p.sum += f.end - f.start;
  if (f.end - f.start > p.longest.end - p.longest.start) p.longest = f;
  projects.set(projectOf(f.file), p);
}
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
if (fileTimes.length > 0) {
  const first = Math.min(...fileTimes.map((f) => f.start));
  process.stdout.write(`per project (${timesKind}; offsets from the first file's start):\n`);
  for (const [name, p] of [...projects].sort(([a], [b]) => a.localeCompare(b))) {
    const longest = `${p.longest.file.replace(/^.*\/test\//, 'test/')} ${seconds(p.longest.end - p.longest.start)}`;
    process.stdout.write(
      `project ${name}: ${p.files} files, span ${seconds(p.end - p.start)} (${seconds(p.start - first)}–${seconds(p.end - first)}), files' time ${seconds(p.sum)}, longest ${longest}\n`,
    );
  }
}

process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
