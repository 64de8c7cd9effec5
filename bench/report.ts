/** Renders bench/README.md from bench/results.json, so the table always matches the raw figures. */
import { readFileSync, writeFileSync } from 'node:fs';
import { README, RESULTS, table } from './lib';
import { renderWebhook } from './webhook';

type Row = Record<string, unknown>;

/** A table from rows of flat objects (nested values as JSON). */
function generic(rows: Row[]): string {
  if (!rows.length) return '_no rows_';
  const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return table(headers, rows.map((r) => headers.map((h) => (typeof r[h] === 'object' ? JSON.stringify(r[h]) : String(r[h] ?? '')))));
}

function rowsOf(section: unknown): Row[] {
  if (Array.isArray(section)) return section as Row[];
  const s = section as { sizes?: Row[]; runs?: Row[]; results?: Row[] };
  return s.sizes ?? s.runs ?? s.results ?? [];
}

export function renderReadme(): string {
  const results = JSON.parse(readFileSync(RESULTS, 'utf8'));
  const m = results.machine;
  const s = results.sections ?? {};
  const parts: string[] = [
    `# Benchmarks

Written by \`npm run bench\` (${String(results.updatedAt).slice(0, 10)}); raw figures in \`results.json\`.
Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.dynamodb}.
DynamoDB Local runs transactions one at a time and is far slower than DynamoDB, so read absolute
times as this machine's; the ratio to each baseline measured in the same run and the consumed
capacity units are what carry over to AWS. Run one section with \`npm run bench -- <section>\`.
What the figures showed and what was changed, with before/after: \`OPTIMISATIONS.md\`.`,
  ];

  if (s.webhook) parts.push(renderWebhook(s.webhook));

  if (s.coldstart) {
    const c = s.coldstart;
    const cmp = (now: unknown, before: unknown) => (before === undefined ? `${now}` : `${now} (${before})`);
    parts.push(`## Cold-start proxies — the CDK's own bundles (\`cdk synth\`, SDK bundled, minified ESM)

Every function of the stack and its page stacks. Module initialisation = \`await import(bundle)\` in
a fresh Node process, median of ${c.samples}. In brackets: the baseline, every function's entry of
the tree before issue 17 (\`${c.baselineRef}\`), bundled with its own settings and timed in the same run.
Targets: ≤ ${c.targets.sizeKiB} KiB and ≤ ${c.targets.initMs} ms. Over the size target: ${c.overSizeTarget.length} of
${c.functions} (baseline ${c.baselineOverSizeTarget}); over the init target: ${c.overInitTarget.length} (baseline ${c.baselineOverInitTarget}).

${table(['function', 'bundle KiB (baseline)', 'init median ms (baseline)'], c.bundles.map((b: Row) => [b.fn, cmp(b.sizeKiB, b.baselineSizeKiB), cmp(b.initMsMedian, b.baselineInitMsMedian)] as (string | number)[]))}

The largest bundles' largest contributors (esbuild metafile, KiB in the bundle):

${c.largest.map((l: Row) => `- \`${l.fn}\` (${l.sizeKiB} KiB): ${(l.contributors as Row[]).map((x) => `${x.module} ${x.kib}`).join(', ')}`).join('\n')}`);
  }

  if (s.activation) {
    const a = s.activation;
    const ok = Math.abs(a.http.differenceMs) < 1;
    parts.push(`## Activation timing — does the answer tell a match? (issue 12.2)

${a.requestsPerKind} matching and ${a.requestsPerKind} non-matching \`POST /v1/activations\` over HTTP against the
local stack, interleaved, each on a diploma of its own (non-matching: a real number with the wrong
birth date; matching: a holder with an address on file, so the match mails). Each request is timed
alone: the next goes out once the previous one's background work is done.

${table(
  ['requests', 'median (ms)', 'p90 (ms)'],
  [
    ['matching', a.http.matchingMedianMs, a.http.matchingP90Ms],
    ['non-matching', a.http.nonMatchingMedianMs, a.http.nonMatchingP90Ms],
    ['difference of the medians', a.http.differenceMs, ''],
  ],
)}

Target: ${a.target} — ${ok ? 'met' : '**not met**'}. The answer is given before the match is made: the
request is queued (SQS in the cloud, in-process locally) and matched right after. What the answer
used to wait for, the match itself, run in-process: ${a.matchWorkInProcess.matchMedianMs} ms for a match,
${a.matchWorkInProcess.noMatchMedianMs} ms for none (median of ${a.matchWorkInProcess.samplesPerKind}; a difference of ${a.matchWorkInProcess.differenceMs} ms).`);
  }

  if (s.pages) {
    const pg = s.pages;
    const rows = (pg.runs as Row[]).map((r) => [r.page, r.p50Ms, r.p99Ms, r.dynamoCalls, r.rcu, r.bundleKiB, r.initMsMedian, r.htmlKB, r.gzipKB, r.brotliKB, r.withinBudget ? 'yes' : '**no**'] as (string | number)[]);
    const skipped = (pg.skipped as { page: string; reason: string }[]).map((x) => `- \`${x.page}\` not measured: ${x.reason}.`).join('\n');
    parts.push(`## Pages — latency, DynamoDB calls, bundles and weight (issue 14.7)

${rows.length ? table(['page', 'p50 (ms)', 'p99 (ms)', 'DynamoDB calls', 'RCU', 'bundle (KiB)', 'init median (ms)', 'HTML (KB)', 'HTML + CSS gzip (KB)', 'HTML + CSS brotli (KB)', `within ${pg.budgetKB} KB`], rows) : '_no page measured_'}
${skipped ? `\n${skipped}\n` : ''}
Stylesheet: ${pg.stylesheetKB.raw} KB, ${pg.stylesheetKB.gzip} KB gzip, ${pg.stylesheetKB.brotli} KB brotli. Targets: the dossier in at most 3 DynamoDB calls; HTML + CSS compressed under ${pg.budgetKB} KB. ${pg.note}`);
  }

  for (const [name, title] of [
    ['notices', 'Expiry-notice job — cost against table size'],
    ['invoices', 'Monthly-invoice job — cost against number of fees'],
    ['reads', 'Reads — p50/p99 and consumed RCU'],
  ] as const) {
    if (!s[name]) continue;
    const note = (s[name] as { note?: string }).note;
    parts.push(`## ${title}\n\n${generic(rowsOf(s[name]))}${note ? `\n\n${note}` : ''}`);
    const projection = (s[name] as { reportProjection?: Row[] }).reportProjection;
    if (projection) parts.push(`### The employer report: projection against the old path (issue 17.5, same run)\n\n${generic(projection)}`);
  }
  return parts.join('\n\n') + '\n';
}

export function writeReadme() {
  writeFileSync(README, renderReadme());
}
