/**
 * Expiry-notices benchmark: the daily job's cost must follow the notices it sends, not the size of
 * the register. Loads 1k, then 10k, then 100k registrations (BatchWriteItem, 25 items a call, 8
 * calls in flight) straight into the table named by TABLE_NAME — all but 50 of each size with
 * their next notice months ahead — and runs the job in-process as of one date for each size.
 * Per size: {registrations, due, sent, seconds, rcu, wcu, indexItemsRead, scanRcu}: `scanRcu` is
 * what a Scan of the same table costs (the design the due index avoids) — measured at 1k, then
 * extrapolated per item (a Scan of 100k items takes minutes on DynamoDB Local and says nothing new).
 *
 * Standalone: `LOG_LEVEL=ERROR npx tsx bench/notices.ts` starts DynamoDB Local (in memory) and the SES emulator
 * itself; inside `npm run bench` the harness provides them.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { batchPut } from '../shared/data/batch';
import { capacityTotals, db, enableCapacityMeter, resetCapacity, tableName } from '../shared/data/client';
import { markDigestMonthDone, noticeIndexKeys } from '../shared/data/notices';
import { runExpiryNotices } from '../shared/services/notices';
import { addDays, addYears } from '../shared/domain/dates';
import { round } from './lib';

const SIZES = [1_000, 10_000, 100_000];
const DUE_PER_SIZE = 50;
/** The run date: far enough ahead that nothing else in a shared table is due by then. */
const AS_OF = '2031-06-15';
const PARALLEL = 8;

type Item = Record<string, unknown>;

function registration(participantId: string, endsOn: string, nextNoticeOn: string): Item {
  const startsOn = addYears(endsOn, -2);
  return {
    pk: `PARTICIPANT#${participantId}`,
    sk: `REG#${startsOn}`,
    type: 'registration',
    participantId,
    registrationId: `reg_${participantId.slice(4)}`,
    startsOn,
    endsOn,
    kind: 'initial',
    payer: { type: 'none' },
    points: 3.5,
    createdAt: '2029-01-01T00:00:00.000Z',
    ...noticeIndexKeys(participantId, startsOn, nextNoticeOn),
  };
}

function profile(participantId: string, n: number): Item {
  return {
    pk: `PARTICIPANT#${participantId}`,
    sk: 'PROFILE',
    type: 'participant',
    participantId,
    registrationNumber: `PE-B${String(n).padStart(5, '0')}`,
    diplomaNumber: `BENCH${n}`,
    diplomaType: 'uitzendprofessional',
    issuedOn: '2029-01-01',
    initials: 'B.',
    lastName: `Bench${n}`,
    birthDate: '1980-01-01',
    email: `bench-notice-${n}@example.nl`,
    language: n % 5 === 0 ? 'en' : 'nl',
    periods: [],
    createdAt: '2029-01-01T00:00:00.000Z',
  };
}

const batchWrite = (items: Item[]) => batchPut(items, PARALLEL);

let seq = 0;
const runTag = randomBytes(3).toString('hex');
const newParticipantId = () => `par_BENCH${runTag}${String(seq++).padStart(7, '0')}`;

/** Registrations whose next notice lies 100–800 days after AS_OF: never read by the run. */
function fillers(count: number): Item[] {
  return Array.from({ length: count }, (_, i) => {
    const next = addDays(AS_OF, 100 + (i % 700));
    return registration(newParticipantId(), addDays(next, 90), next);
  });
}

/** Participants whose 90-day notice falls due on AS_OF (profile with e-mail + registration). */
function dueOnes(count: number): Item[] {
  return Array.from({ length: count }, () => {
    const n = seq;
    const id = newParticipantId();
    return [profile(id, n), registration(id, addDays(AS_OF, 90), AS_OF)];
  }).flat();
}

/** What a Scan of the whole table costs (the baseline the due index avoids). */
async function scanRcu(): Promise<number> {
  let rcu = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await db().send(new ScanCommand({ TableName: tableName(), Select: 'COUNT', ReturnConsumedCapacity: 'TOTAL', ExclusiveStartKey: startKey }));
    rcu += res.ConsumedCapacity?.CapacityUnits ?? 0;
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return rcu;
}

export async function benchNotices(): Promise<object> {
  enableCapacityMeter();
  const client = db();
  // Count the index entries the job reads (ScannedCount of its gsi3 queries).
  let indexItemsRead = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as { IndexName?: string; FilterExpression?: string };
      if (context.commandName === 'QueryCommand' && input.IndexName === 'gsi3' && !input.FilterExpression) {
        indexItemsRead += (result.output as { ScannedCount?: number }).ScannedCount ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'noticeIndexCounter' },
  );

  // The month's employer digest is not what this measures: mark it done, so every run is the
  // daily case (one GetItem for the month marker).
  await markDigestMonthDone(AS_OF.slice(0, 7), AS_OF, 0, new Date());

  const sizes = [];
  let scanRcuPerItem = 0;
  let loaded = 0;
  const loadStarted = Date.now();
  for (const size of SIZES) {
    const t = Date.now();
    const due = dueOnes(DUE_PER_SIZE);
    await batchWrite([...fillers(size - loaded - DUE_PER_SIZE), ...due]);
    loaded = size;
    const loadSeconds = (Date.now() - t) / 1000;

    resetCapacity();
    indexItemsRead = 0;
    const started = performance.now();
    const summary = await runExpiryNotices(AS_OF, { concurrency: 8 });
    const seconds = (performance.now() - started) / 1000;
    const capacity = capacityTotals();
    sizes.push({
      registrations: size,
      due: summary.due,
      sent: summary.sent,
      seconds: round(seconds, 2),
      rcu: round(capacity.read, 1),
      wcu: round(capacity.write, 1),
      dynamoCalls: capacity.calls,
      indexItemsRead,
      scanRcu: round(size === SIZES[0] ? (scanRcuPerItem = (await scanRcu()) / size) * size : scanRcuPerItem * size, 1),
      loadSeconds: round(loadSeconds, 1),
    });
  }
  const last = sizes[sizes.length - 1];
  return {
    asOf: AS_OF,
    duePerSize: DUE_PER_SIZE,
    sizes,
    rcuPerSent: round(last.rcu / Math.max(1, last.sent), 2),
    wcuPerSent: round(last.wcu / Math.max(1, last.sent), 2),
    loadSeconds: round((Date.now() - loadStarted) / 1000, 1),
    note:
      'rcu/wcu: ReturnConsumedCapacity of every call of the run (4 shard queries, a profile read, claim + completion ' +
      'transactions per notice, the month digest check). scanRcu: a Scan of the same table, for comparison ' +
      '(measured at 1k, extrapolated per item above).',
  };
}

// Standalone: own DynamoDB Local + SES emulator.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { startDynamo, ensureTable } = await import('../infra/local/dynamo');
  const { startSes } = await import('../infra/local/ses');
  const { freePort } = await import('../infra/local/ports');
  const { setLocalAwsEnv } = await import('../infra/local/env');
  const [dynamo, ses] = await Promise.all([startDynamo({ port: await freePort() }), startSes({ port: 0 })]);
  try {
    setLocalAwsEnv({ dynamoEndpoint: dynamo.endpoint, sesEndpoint: ses.url, tableName: 'pe-bench-notices' });
    await ensureTable(dynamo.endpoint, 'pe-bench-notices');
    console.log(JSON.stringify(await benchNotices(), null, 2));
  } finally {
    await Promise.allSettled([dynamo.stop(), ses.stop()]);
  }
}
