/**
 * `npm run bench`: starts the local stack (npm start on free ports, DynamoDB Local in memory),
 * runs each benchmark against it, and writes bench/results.json and the table in bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { startStack } from '../test/e2e/helpers';
import { resetDb } from '../shared/data/client';
import { benchWebhook } from './webhook';
import { README, machine, saveSection, table } from './lib';

const started = Date.now();
const stack = await startStack({ env: { LOG_LEVEL: 'ERROR', PE_LOCAL_TIMEOUT_MS: '600000' } });
process.env.DYNAMODB_ENDPOINT = `http://localhost:${stack.ports.dynamo}`;
process.env.SES_ENDPOINT = stack.sesUrl;
process.env.TABLE_NAME = 'pe-register';
process.env.AWS_REGION = 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID = 'local';
process.env.AWS_SECRET_ACCESS_KEY = 'local';
resetDb();

/** Peak RSS of every process of the local stack (node gateway + DynamoDB Local JVM + SES emulator). */
let peakRssMiB = 0;
function sampleRss() {
  try {
    const out = execSync(`ps -o rss= -g $(ps -o pgid= -p ${stack.pid} | tr -d ' ')`, { encoding: 'utf8' });
    const kib = out.split('\n').map(Number).filter(Boolean).reduce((a, b) => a + b, 0);
    peakRssMiB = Math.max(peakRssMiB, kib / 1024);
  } catch {
    // sampling is best effort
  }
}

try {
  console.log('webhook …');
  const webhook = await benchWebhook(stack.baseUrl, sampleRss);
  saveSection('webhook', { ...webhook, peakStackRssMiB: Math.round(peakRssMiB) });

  const m = machine();
  const best = Math.max(...webhook.http.map((h) => Number(h.creditsPerSecond)));
  const md = `# Benchmarks

Written by \`npm run bench\` (${new Date().toISOString().slice(0, 10)}); raw figures in \`results.json\`.
Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.dynamodb}.
DynamoDB Local is far slower than DynamoDB itself, so read the absolute times as this laptop's;
the ratios to the baseline and the capacity units are what carry over.

## Completion webhook (500-item batches over HTTP, local stack)

${table(
  ['concurrent senders', 'batches', 'credited', 'credits/s', 'p50 per batch (ms)', 'p99 per batch (ms)'],
  webhook.http.map((h) => [String(h.senders), String(h.batches), String(h.credited), String(h.creditsPerSecond), String(h.p50Ms), String(h.p99Ms)]),
)}

Baseline (same run): the identical crediting transactions written straight to DynamoDB Local,
16 at a time: **${webhook.baseline.perSecond} transactions/s** — the webhook reaches
**${Math.round((best / webhook.baseline.perSecond) * 100)}%** of it at its best concurrency.

Consumed capacity per credited completion, as DynamoDB reports it with ReturnConsumedCapacity
(table and index, transactional items at their doubled rate), for a 500-item batch crediting
through the same service in-process: **${webhook.capacity.wcuPerCredit} WCU**, **${webhook.capacity.rcuPerCredit} RCU**,
${webhook.capacity.dynamoCallsPerCredit} DynamoDB calls per credit (targets: ≤ 6 WCU, ≤ 3 RCU).
Peak RSS of the local stack (gateway + DynamoDB Local JVM + SES emulator) under this load: ${Math.round(peakRssMiB)} MiB.
`;
  writeFileSync(README, md);
  console.log(md);
  console.log(`bench finished in ${Math.round((Date.now() - started) / 1000)} s`);
} catch (err) {
  console.error(stack.output().split('\n').filter((l) => /ERROR|error/.test(l)).slice(-5).join('\n'));
  throw err;
} finally {
  await stack.stop();
}
