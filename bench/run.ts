/**
 * `npm run bench`: starts the local stack (npm start on free ports, DynamoDB Local in memory),
 * runs each benchmark against it, and writes bench/results.json and the table in bench/README.md.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startStack } from '../test/e2e/helpers';
import { resetDb } from '../shared/data/client';
import { benchWebhook } from './webhook';
import { saveSection } from './lib';
import { benchColdStart } from './coldstart';
import { benchReads } from './reads';
import { benchPages } from './pages';
import { benchNotices } from './notices';
import { benchInvoices } from './invoices';
import { benchActivation } from './activation';
import { ensureTable } from '../infra/local/dynamo';
import { renderReadme, writeReadme } from './report';

const started = Date.now();
// The local stack starts DynamoDB Local with C1-only JIT for a fast boot; a benchmark runs long
// enough that the full JIT pays, so the bench sets its own JVM flags.
// DynamoDB Local keeps its data in SQLite files: on tmpfs (where the machine has one) the fixture
// loads measure DynamoDB Local, not the disk.
const dataDir = existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'pe-bench-')) : undefined;
const stack = await startStack({ dataDir, env: { LOG_LEVEL: 'ERROR', PE_LOCAL_TIMEOUT_MS: '600000', JDK_JAVA_OPTIONS: '-XX:+UseParallelGC', RATE_LIMIT_CLIENT_MAX: '1000000', RATE_LIMIT_IDENTIFIER_MAX: '1000000' } });
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

const all = ['webhook', 'coldstart', 'notices', 'invoices', 'reads', 'pages', 'activation'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const run = (name: string) => wanted.length === 0 || wanted.includes(name);
for (const w of wanted) if (!all.includes(w)) throw new Error(`unknown section ${w}; sections: ${all.join(', ')}`);

/** Jobs are measured on a table of their own, so their fixtures do not inflate the other sections' data. */
async function onOwnTable<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env.TABLE_NAME;
  process.env.TABLE_NAME = name;
  await ensureTable(process.env.DYNAMODB_ENDPOINT!, name);
  try {
    return await fn();
  } finally {
    process.env.TABLE_NAME = previous;
  }
}

async function section(name: string, fn: () => Promise<unknown>) {
  if (!run(name)) return;
  const t = Date.now();
  console.log(`${name} …`);
  saveSection(name, await fn());
  console.log(`${name} done in ${Math.round((Date.now() - t) / 1000)} s`);
}

try {
  await section('webhook', async () => ({ ...(await benchWebhook(stack.baseUrl, sampleRss)), peakStackRssMiB: Math.round(peakRssMiB) }));
  await section('reads', () => benchReads(stack.baseUrl));
  await section('pages', () => benchPages(stack));
  await section('activation', () => benchActivation(stack.baseUrl, stack.sesUrl));
  await section('notices', () => onOwnTable('pe-bench-notices', benchNotices));
  await section('invoices', () => onOwnTable('pe-bench-invoices', benchInvoices));
  await section('coldstart', () => benchColdStart(10));
  writeReadme();
  console.log(renderReadme());
  console.log(`bench finished in ${Math.round((Date.now() - started) / 1000)} s`);
} catch (err) {
  console.error(stack.output().split('\n').filter((l) => /ERROR|error/.test(l)).slice(-5).join('\n'));
  throw err;
} finally {
  await stack.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
