/**
 * What a credit costs DynamoDB Local, by the shape of its items (issue 17 point 3, finish).
 * `npx tsx bench/credit-shape.ts [credits per variant] [rounds]`: starts its own DynamoDB Local
 * (the bench's JVM flags, data on tmpfs), imports participants with the project's own code, then
 * writes credits in groups of 25 (2 transactions in flight, as the service does) for each variant
 * of the items, the variants alternating over the rounds so the machine's load weighs on all.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from '../infra/local/ports';
import { ensureTable, localDynamoClient, startDynamo } from '../infra/local/dynamo';
import { createTableInput } from '../shared/data/table';
import { load, processCpuMs } from './lib';

const perVariant = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 2);
const participantsN = 500;

const dataDir = existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'pe-shape-')) : undefined;
process.env.JDK_JAVA_OPTIONS = '-XX:+UseParallelGC';
const port = await freePort();
const dynamo = await startDynamo({ port, dataDir });
Object.assign(process.env, { DYNAMODB_ENDPOINT: dynamo.endpoint, TABLE_NAME: 'shape-full', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', LOG_LEVEL: 'ERROR' });

const { transact, db } = await import('../shared/data/client');
const { creditItems, creditIdFor } = await import('../shared/data/credits');
const { NO_LINKS } = await import('../shared/data/employee-state');
const { importDiplomas } = await import('../shared/services/diplomas');
const { getDiplomas, getParticipant } = await import('../shared/data/participants');
const { addDays } = await import('../shared/domain/dates');
const { todayInAmsterdam } = await import('../shared/dates');
const { runBounded } = await import('../shared/bounded');
const { ScanCommand, PutCommand } = await import('@aws-sdk/lib-dynamodb');
type TxItem = import('../shared/data/client').TxItem;
type Credit = import('../shared/data/credits').Credit;

const today = todayInAmsterdam();
await ensureTable(dynamo.endpoint, 'shape-full');
// The same table without any global secondary index (DynamoDB Local keeps each index as its own store).
const raw = localDynamoClient(dynamo.endpoint);
const { GlobalSecondaryIndexes: _g, ...bare } = createTableInput('shape-bare');
await raw.send(new CreateTableCommand({ ...bare, AttributeDefinitions: bare.AttributeDefinitions.filter((a) => a.AttributeName === 'pk' || a.AttributeName === 'sk') }));

const rows = Array.from({ length: participantsN }, (_, i) => ({
  diplomaNumber: `SHAPE${i}`, type: 'uitzendprofessional' as const, issuedOn: addDays(today, -60),
  holder: { initials: 'B.', lastName: `Shape${i}`, birthDate: '1990-01-01' },
}));
for (let i = 0; i < rows.length; i += 250) await importDiplomas(rows.slice(i, i + 250), { role: 'admin', id: 'admin' }, today);
const diplomas = await getDiplomas(rows.map((r) => r.diplomaNumber));
const participants = await Promise.all(rows.map(async (r) => (await getParticipant(diplomas.get(r.diplomaNumber)!.participantId as string))!));
// Copy every item into the bare table, so its periods are the same items.
let start: Record<string, unknown> | undefined;
do {
  const page = await db().send(new ScanCommand({ TableName: 'shape-full', ExclusiveStartKey: start }));
  await runBounded(page.Items ?? [], 8, (item) => db().send(new PutCommand({ TableName: 'shape-bare', Item: item })));
  start = page.LastEvaluatedKey;
} while (start);

const providerId = 'prv_shape';
let serial = 0;
const credits = (n: number): Credit[] =>
  Array.from({ length: n }, (_, i) => {
    const p = participants[i % participants.length];
    const externalId = `x${serial++}`;
    return {
      creditId: creditIdFor(providerId, externalId), participantId: p.participantId, registrationStartsOn: p.periods[0].startsOn,
      activityId: `act_${String(serial).padStart(8, '0')}_0123456789`, activityTitle: 'Omgaan met agressie op de werkvloer', points: 4,
      completedOn: addDays(today, -1), senderId: providerId, senderRole: 'provider', externalId, createdAt: new Date().toISOString(),
    };
  });

const actor = { role: 'provider', id: providerId };
const today1 = (c: Credit) => creditItems(c, actor, new Date(), NO_LINKS);
const put = (items: TxItem[]) => items[0].Put!;
const upd = (items: TxItem[]) => items[1].Update!;
const onTable = (items: TxItem[], table: string): TxItem[] =>
  items.map((i) => Object.fromEntries(Object.entries(i).map(([k, v]) => [k, { ...(v as object), TableName: table }])) as TxItem);

const variants: Record<string, (c: Credit) => TxItem[]> = {
  'today (credit Put + period Update, with their conditions)': today1,
  'credit without gsi1 keys': (c) => {
    const t = today1(c);
    const { gsi1pk: _a, gsi1sk: _b, ...item } = put(t).Item!;
    return [{ Put: { ...put(t), Item: item } }, t[1]];
  },
  'credit item minimal (keys, participantId, points)': (c) => {
    const t = today1(c);
    return [{ Put: { ...put(t), Item: { pk: put(t).Item!.pk, sk: 'CREDIT', participantId: c.participantId, points: c.points } } }, t[1]];
  },
  'credit Put without its condition': (c) => {
    const t = today1(c);
    const { ConditionExpression: _c, ...p } = put(t);
    return [{ Put: p }, t[1]];
  },
  'period Update without its condition': (c) => {
    const t = today1(c);
    const { ConditionExpression: _c, ...u } = upd(t);
    const { ':activity': _a, ...values } = u.ExpressionAttributeValues!;
    return [t[0], { Update: { ...u, ExpressionAttributeValues: values } }];
  },
  'period Update: ADD points only (no set)': (c) => {
    const t = today1(c);
    return [t[0], { Update: { TableName: upd(t).TableName, Key: upd(t).Key, UpdateExpression: 'ADD points :p', ExpressionAttributeValues: { ':p': c.points } } }];
  },
  'credit Put only': (c) => [today1(c)[0]],
  'period Update only': (c) => [today1(c)[1]],
  'today, on a table without indexes': (c) => onTable(today1(c), 'shape-bare'),
  'period ConditionCheck instead of Update': (c) => {
    const t = today1(c);
    const u = upd(t);
    const { ':p': _p, ':a': _a, ...values } = u.ExpressionAttributeValues!;
    return [t[0], { ConditionCheck: { TableName: u.TableName, Key: u.Key, ConditionExpression: u.ConditionExpression!, ExpressionAttributeValues: values } }];
  },
};

/** CPU time of the DynamoDB Local JVM (ms): what a credit costs it, far less disturbed by the machine's other load than wall time. */
const jvmCpuMs = () => processCpuMs(dynamo.pid) ?? NaN;

async function runVariant(build: (c: Credit) => TxItem[], perTx: number): Promise<{ wall: number; cpu: number }> {
  const list = credits(perVariant);
  const groups: Credit[][] = [];
  for (let i = 0; i < list.length; i += perTx) groups.push(list.slice(i, i + perTx));
  const t0 = performance.now();
  const c0 = jvmCpuMs();
  await runBounded(groups, perTx === 1 ? 16 : 2, (g) => transact(g.flatMap(build)));
  return { wall: (performance.now() - t0) / list.length, cpu: (jvmCpuMs() - c0) / list.length };
}

const ms = new Map<string, { wall: number; cpu: number }[]>();
// Warm-up: the JIT.
await runVariant(today1, 25);
for (let r = 0; r < rounds; r++) {
  // A fresh order each round: the first variant after a pause (GC, the JIT) should not always be the same one.
  const order = Object.entries(variants).sort(() => Math.random() - 0.5);
  for (const [name, build] of order) {
    const v = await runVariant(build, 25);
    ms.set(name, [...(ms.get(name) ?? []), v]);
  }
  for (const n of [5, 50]) {
    const name = `today, ${n} credits per transaction`;
    ms.set(name, [...(ms.get(name) ?? []), await runVariant(today1, n)]);
  }
  if (r > 0) continue;
  const one = await runVariant(today1, 1);
  ms.set('today, one credit per transaction (16 in flight)', [...(ms.get('today, one credit per transaction (16 in flight)') ?? []), one]);
}
console.log(`\n${perVariant} credits per variant, 25 per transaction (2 in flight), ${rounds} rounds; per credit: JVM CPU ms (median of rounds) | wall ms each round; load ${load()}`);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, v] of ms) console.log(`${name.padEnd(62)} cpu ${med(v.map((x) => x.cpu)).toFixed(2)} | wall ${v.map((x) => x.wall.toFixed(2)).join('  ')}`);
raw.destroy();
await dynamo.stop();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
