/**
 * Where a 500-item webhook batch spends its time (issue 17 point 3, finish):
 * `LOG_LEVEL=ERROR npx tsx bench/webhook-profile.ts [rounds]`. Starts the local stack as
 * `npm run bench` does; after one untimed batch over HTTP and one in-process, times the batch's
 * reads one by one (credits, REGNO items, profiles) and the answer's writes (idempotency claim,
 * stored answer + delivery log), then alternates one signed batch over HTTP, one batch of the
 * crediting service in this process and one whole delivery (receiveDelivery) in this process.
 * Per step: wall time, CPU of DynamoDB Local's JVM, of the stack's node process and of this one,
 * and (in this process) the DynamoDB calls by command with their mean latency. Not part of
 * `npm run bench`: a tool for finding where the time goes (bench/OPTIMISATIONS.md, "Issue 17 (finish)").
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startStack } from '../test/e2e/helpers';
import { load, processCpuMs } from './lib';

const rounds = Number(process.argv[2] ?? 3);
const dataDir = existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'pe-prof-')) : undefined;
const stack = await startStack({ dataDir, env: { LOG_LEVEL: 'ERROR', PE_LOCAL_TIMEOUT_MS: '600000', JDK_JAVA_OPTIONS: '-XX:+UseParallelGC', RATE_LIMIT_CLIENT_MAX: '1000000', RATE_LIMIT_IDENTIFIER_MAX: '1000000' } });
Object.assign(process.env, { DYNAMODB_ENDPOINT: `http://localhost:${stack.ports.dynamo}`, SES_ENDPOINT: stack.sesUrl, TABLE_NAME: 'pe-register', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
const { resetDb, db } = await import('../shared/data/client');
resetDb();
const { fixture, pairs, postBatch } = await import('./webhook');
const { creditCompletions } = await import('../shared/services/crediting');
const { receiveDelivery } = await import('../shared/services/webhooks');
const { todayInAmsterdam } = await import('../shared/dates');

const group = execSync(`ps -o pid=,args= -g ${stack.pid}`, { encoding: 'utf8' }).split('\n').map((l) => l.trim()).filter(Boolean);
const pidOf = (re: RegExp) => Number(group.find((l) => re.test(l))?.split(' ')[0]);
const javaPid = pidOf(/java .*DynamoDBLocal/);
const nodePid = pidOf(/node .*(preflight|--import).*start\.ts/);
const cpuMs = (pid: number) => processCpuMs(pid) ?? NaN;
const own = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

const calls = new Map<string, { n: number; ms: number }>();
db().middlewareStack.add((next, context) => async (args) => {
  const t = performance.now();
  try {
    return await next(args);
  } finally {
    const c = calls.get(String(context.commandName)) ?? { n: 0, ms: 0 };
    c.n++;
    c.ms += performance.now() - t;
    calls.set(String(context.commandName), c);
  }
}, { step: 'initialize', name: 'profile' });

const f = await fixture(stack.baseUrl, 1000, 14);
const gen = pairs(f, `p${Date.now()}`);
const take = (n: number) => Array.from({ length: n }, () => gen.next().value!);
const sender = { id: f.providerId, role: 'provider' as const };

async function measured(name: string, run: () => Promise<unknown>) {
  calls.clear();
  const c = { java: cpuMs(javaPid), node: cpuMs(nodePid), own: own() };
  const t = performance.now();
  await run();
  const wall = performance.now() - t;
  const line = `${name.padEnd(12)} wall ${wall.toFixed(0).padStart(5)} ms | cpu: DynamoDB Local ${(cpuMs(javaPid) - c.java).toFixed(0).padStart(5)}, stack node ${(cpuMs(nodePid) - c.node).toFixed(0).padStart(4)}, this ${(own() - c.own).toFixed(0).padStart(4)}`;
  const detail = [...calls].map(([k, v]) => `${k.replace('Command', '')} ${v.n}×${(v.ms / v.n).toFixed(0)}ms`).join(', ');
  console.log(`${line}${detail ? ` | ${detail}` : ''}`);
}

await measured('warm http', () => postBatch(stack.baseUrl, f, take(500)));
await measured('warm proc', () => creditCompletions(sender, take(500), todayInAmsterdam()));
const { existingCredits, creditIdFor } = await import('../shared/data/credits');
const { batchGet } = await import('../shared/data/batch');
const { getParticipants, regNoKey } = await import('../shared/data/participants');
const probe = take(500);
await measured('read credits', () => existingCredits(probe.map((c) => creditIdFor(f.providerId, c.externalId))));
const refs = await batchGet(probe.map((c) => regNoKey(c.participant.registrationNumber)), { attributes: ['pk', 'participantId'] });
await measured('read regnos', () => batchGet(probe.map((c) => regNoKey(c.participant.registrationNumber)), { attributes: ['pk', 'participantId'] }));
await measured('read profiles', () => getParticipants(refs.map((r) => r.participantId as string)));
const { claimIdempotency, completeIdempotencyItem } = await import('../shared/data/idempotency');
const { deliveryLogItem } = await import('../shared/data/webhook-deliveries');
const { transact } = await import('../shared/data/client');
const answer = { results: Array.from({ length: 500 }, (_, i) => ({ externalId: `b-${i}-xxxxxxxx`, status: 'credited' as const, creditId: `crd_${'0'.repeat(26)}`, points: 1 })) };
for (let i = 0; i < 3; i++) {
  const key = `msg_${Math.random()}`;
  await measured('answer write', async () => {
    await claimIdempotency({ scope: 'x#webhook', key, operation: 'webhook-completions', bodyHash: 'h', resourceId: key, leaseMs: 60000 });
    await transact([completeIdempotencyItem({ scope: 'x#webhook', key, bodyHash: 'h', response: { status: 200, body: answer } }), deliveryLogItem('prv_x', key, answer.results)]);
  });
}
for (let r = 0; r < rounds; r++) {
  await measured('http', () => postBatch(stack.baseUrl, f, take(500)));
  await measured('in-process', () => creditCompletions(sender, take(500), todayInAmsterdam()));
  await measured('delivery', () => receiveDelivery({ providerId: f.providerId, webhookId: `msg_${Math.random()}`, completions: take(500), today: todayInAmsterdam(), deadline: Date.now() + 60_000 }));
}
console.log(`load: ${load()}`);
await stack.stop();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
