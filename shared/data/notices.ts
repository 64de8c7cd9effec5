import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { claim, complete, newClaimToken, release, type ClaimOptions, type OutboxStatus } from './outbox';
import type { TxItem } from './client';
import { db, tableName } from './client';
import { batchGet } from './batch';
import { auditPut } from './audit';
import { addDays } from '../domain/dates';
import { AT_RISK_DAYS, nextNoticeOn, type NoticeKind } from '../domain/notices';
import { POINTS_REQUIRED } from '../domain/periods';
import { DIGEST, DIGESTRUN, EMPLOYER, NOTICE, NOTICEDUE, PARTICIPANT, REG } from './keys';

/**
 * Expiry notices and employer digests: the due index, the notice outbox and the digest guards.
 * Keys and the exactly-once protocol: README.md in this folder ("Expiry notices").
 *
 * - due index     registration row `PARTICIPANT#<id>` / `REG#<startsOn>` carries
 *                 gsi3 `NOTICEDUE#<shard>` / `<nextNoticeOn>#<participantId>#<startsOn>` while a notice is ahead
 * - notice outbox `PARTICIPANT#<id>` / `NOTICE#<startsOn>#<kind>`  an outbox item (./outbox.ts): outboxStatus sending → sent | failed, or no-email | undeliverable
 * - digest guard  `DIGEST#<employerId>#<yyyy-mm>` / `DIGEST`      an outbox item: outboxStatus sending → sent | failed
 * - digest month  `DIGESTRUN#<yyyy-mm>` / `DIGESTRUN`             written once every digest of the month is out
 */
export const NOTICE_SHARDS = 4;

/**
 * The index partition of a participant: FNV-1a of the id, mod 4. Spreads the daily write burst
 * (every period start and every notice moves a key) over four partitions instead of one hot one.
 */
export function noticeShard(participantId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < participantId.length; i++) {
    h ^= participantId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % NOTICE_SHARDS;
}

/** The gsi3 attributes that put a period in the due index on `on`. */
export function noticeIndexKeys(participantId: string, startsOn: string, on: string): { gsi3pk: string; gsi3sk: string } {
  return { gsi3pk: NOTICEDUE(noticeShard(participantId)), gsi3sk: `${on}#${participantId}#${startsOn}` };
}

const registrationKey = (participantId: string, startsOn: string) => ({ pk: PARTICIPANT(participantId), sk: REG(startsOn) });
export const noticeKey = (participantId: string, startsOn: string, kind: NoticeKind) => ({
  pk: PARTICIPANT(participantId),
  sk: NOTICE(startsOn, kind),
});
export const digestKey = (employerId: string, month: string) => ({ pk: DIGEST(employerId, month), sk: 'DIGEST' });
const digestRunKey = (month: string) => ({ pk: DIGESTRUN(month), sk: 'DIGESTRUN' });

/** A period as the due index shows it. */
export interface DueEntry {
  participantId: string;
  registrationId: string;
  startsOn: string;
  endsOn: string;
  points: number;
  lastNoticeKind?: NoticeKind;
  /** The index sort key read: the version the claim and the completion are conditioned on. */
  indexSk: string;
}

function toEntry(item: Record<string, unknown>): DueEntry {
  return {
    participantId: item.participantId as string,
    registrationId: item.registrationId as string,
    startsOn: item.startsOn as string,
    endsOn: item.endsOn as string,
    points: Number(item.points ?? 0),
    lastNoticeKind: (item.lastNoticeKind as NoticeKind | undefined) || undefined,
    indexSk: item.gsi3sk as string,
  };
}

const ENTRY_ATTRIBUTES = ['participantId', 'registrationId', 'startsOn', 'endsOn', 'lastNoticeKind', 'gsi3sk'];

/**
 * The index does not project `points` (a credit would rewrite the entry): read the points of the
 * entries found from their periods — one BatchGetItem per 100, so the cost still follows the
 * entries read, not the table.
 */
async function withPoints(entries: DueEntry[]): Promise<DueEntry[]> {
  if (!entries.length) return entries;
  const items = await batchGet(
    entries.map((e) => ({ pk: PARTICIPANT(e.participantId), sk: REG(e.startsOn) })),
    { attributes: ['pk', 'sk', 'points'] },
  );
  const points = new Map(items.map((i) => [`${i.pk}|${i.sk}`, Number(i.points ?? 0)]));
  return entries.map((e) => ({ ...e, points: points.get(`${PARTICIPANT(e.participantId)}|${REG(e.startsOn)}`) ?? 0 }));
}

/** Every entry of one shard with sk ≤ `<until>~` ('~' sorts after the '#' that follows the date). */
async function queryShard(shard: number, until: string, filter?: { expression: string; values: Record<string, unknown> }): Promise<DueEntry[]> {
  const out: DueEntry[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi3',
        KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk <= :until',
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ExpressionAttributeValues: { ':pk': NOTICEDUE(shard), ':until': `${until}~`, ...filter?.values },
        ProjectionExpression: ENTRY_ATTRIBUTES.join(', '),
        ExclusiveStartKey: startKey,
      }),
    );
    out.push(...(res.Items ?? []).map(toEntry));
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return out;
}

/**
 * The periods with a notice due on `asOf`: one Query per shard, `gsi3sk ≤ asOf`. The index is
 * sparse (only periods with a notice ahead are in it) and keyed by the next notice's date, so
 * this reads the due periods and nothing else, however many participants the register holds.
 */
export async function queryDueNotices(asOf: string): Promise<DueEntry[]> {
  const shards = await Promise.all(Array.from({ length: NOTICE_SHARDS }, (_, s) => queryShard(s, asOf)));
  return withPoints(shards.flat());
}

/**
 * Periods at risk on `asOf` (employer digest): still running, ending within 90 days, points
 * missing. A running period that ends within 90 days has its next notice date at most its
 * `endsOn`, so it is in the index with sk ≤ asOf + 90; the query reads those entries (which also
 * holds periods ending 90–180 days ahead, whose 90-day notice is not due yet) and the filter keeps
 * the at-risk ones. Cost follows the periods ending within ~180 days, never the table.
 */
export async function queryAtRisk(asOf: string): Promise<DueEntry[]> {
  const limit = addDays(asOf, AT_RISK_DAYS);
  const filter = {
    expression: 'endsOn > :asOf AND endsOn <= :limit',
    values: { ':asOf': asOf, ':limit': limit },
  };
  const shards = await Promise.all(Array.from({ length: NOTICE_SHARDS }, (_, s) => queryShard(s, limit, filter)));
  return (await withPoints(shards.flat())).filter((e) => e.points < POINTS_REQUIRED);
}

function cancellation(err: unknown): string[] | undefined {
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e?.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

const SYSTEM = { role: 'system', id: 'expiry-notices' };

// ---------------------------------------------------------------- the notice outbox

/**
 * The period row's share of a claim: it takes the claim's token and lease, only while its index
 * key is still the one read (`gsi3sk`) and no other lease is live — a renewal (which removes the
 * key) or another run's completion (which moves it) cancels the claim, and one period never has
 * two notices in flight.
 */
function periodLeaseItem(entry: DueEntry, token: string, nowMs: number, leaseMs: number): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: registrationKey(entry.participantId, entry.startsOn),
      UpdateExpression: 'SET noticeRunId = :token, noticeLeaseUntil = :lease',
      ConditionExpression: 'gsi3sk = :sk AND (attribute_not_exists(noticeLeaseUntil) OR noticeLeaseUntil < :now)',
      ExpressionAttributeValues: { ':token': token, ':lease': nowMs + leaseMs, ':sk': entry.indexSk, ':now': nowMs },
    },
  };
}

/**
 * Claims the notice `kind` of a period (shared/data/outbox.ts `claim`, one transaction with the
 * period row's lease, `periodLeaseItem`): the outbox row `NOTICE#<startsOn>#<kind>` is created or
 * taken back when it `failed` or its lease ran out. The claim token, or undefined when the notice
 * is sent, another run holds it, or the period's index entry changed since it was read.
 */
export async function claimNotice(a: NoticeClaim & { token?: string }): Promise<string | undefined> {
  return claim(noticeKey(a.entry.participantId, a.entry.startsOn, a.kind), noticeClaimOptions({ ...a, token: a.token ?? newClaimToken() }));
}

interface NoticeClaim {
  entry: DueEntry;
  kind: NoticeKind;
  runId: string;
  asOf: string;
  now: Date;
  leaseMs: number;
}

/** The claim of a notice (`claim` options, with the token the period row takes too). */
export function noticeClaimOptions(a: NoticeClaim & { token: string }): ClaimOptions {
  const { entry, token } = a;
  return {
    token,
    now: a.now.getTime(),
    leaseMs: a.leaseMs,
    set: {
      type: 'notice', runId: a.runId, participantId: entry.participantId, registrationId: entry.registrationId,
      startsOn: entry.startsOn, endsOn: entry.endsOn, kind: a.kind, asOf: a.asOf, claimedAt: a.now.toISOString(),
    },
    extraItems: [periodLeaseItem(entry, token, a.now.getTime(), a.leaseMs)],
  };
}

/** The period row's update that records `kind` as sent and moves (or ends) its index entry. */
function advanceSet(entry: DueEntry, kind: NoticeKind, asOf: string) {
  const next = nextNoticeOn(entry.endsOn, kind);
  const keys = next ? noticeIndexKeys(entry.participantId, entry.startsOn, next) : undefined;
  return {
    UpdateExpression: keys
      ? 'SET lastNoticeKind = :kind, lastNoticeOn = :asOf, gsi3pk = :g3pk, gsi3sk = :g3sk REMOVE noticeRunId, noticeLeaseUntil'
      : 'SET lastNoticeKind = :kind, lastNoticeOn = :asOf REMOVE gsi3pk, gsi3sk, noticeRunId, noticeLeaseUntil',
    values: { ':kind': kind, ':asOf': asOf, ...(keys ? { ':g3pk': keys.gsi3pk, ':g3sk': keys.gsi3sk } : {}) },
  };
}

/**
 * After SES accepted the message (`complete` for the holder of `token`): the outbox row becomes
 * `sent`, the period records the notice and its index entry moves to the next notice date (or
 * leaves the index after the lapse notice), with an audit event — one transaction. When a renewal
 * removed the index entry between claim and completion, the notice is still recorded, without a
 * new index key. False when the token no longer holds the notice.
 */
export async function completeNotice(a: { entry: DueEntry; kind: NoticeKind; token: string; asOf: string; messageId: string; now: Date }): Promise<boolean> {
  const { entry } = a;
  const key = noticeKey(entry.participantId, entry.startsOn, a.kind);
  const set = { sentAt: a.now.toISOString(), messageId: a.messageId };
  const audit = auditPut(
    PARTICIPANT(entry.participantId),
    { actor: SYSTEM, action: 'notice.sent', detail: { kind: a.kind, registrationId: entry.registrationId, asOf: a.asOf } },
    a.now,
  );
  const advance = advanceSet(entry, a.kind, a.asOf);
  try {
    return await complete(key, a.token, {
      set,
      extraItems: [
        {
          Update: {
            TableName: tableName(),
            Key: registrationKey(entry.participantId, entry.startsOn),
            UpdateExpression: advance.UpdateExpression,
            ConditionExpression: 'gsi3sk = :sk AND noticeRunId = :token',
            ExpressionAttributeValues: { ...advance.values, ':sk': entry.indexSk, ':token': a.token },
          },
        },
        audit,
      ],
    });
  } catch (err) {
    const codes = cancellation(err);
    if (!codes || codes[0] !== 'None' || codes[1] !== 'ConditionalCheckFailed') throw err;
    // Renewed while the e-mail went out: record the notice, leave the period out of the index.
    return complete(key, a.token, {
      set,
      extraItems: [
        {
          Update: {
            TableName: tableName(),
            Key: registrationKey(entry.participantId, entry.startsOn),
            UpdateExpression: 'SET lastNoticeKind = :kind, lastNoticeOn = :asOf REMOVE noticeRunId, noticeLeaseUntil',
            ConditionExpression: 'noticeRunId = :token',
            ExpressionAttributeValues: { ':kind': a.kind, ':asOf': a.asOf, ':token': a.token },
          },
        },
        audit,
      ],
    });
  }
}

/**
 * The period row's share of a release (`release` for the holder of `token`): its lease is dropped,
 * so the notice stays due and the next run claims it again. When the release is lost too (a
 * crash), the lease simply expires: same outcome, one run later.
 */
export function noticeReleaseItems(entry: DueEntry, token: string): TxItem[] {
  return [
    {
      Update: {
        TableName: tableName(),
        Key: registrationKey(entry.participantId, entry.startsOn),
        UpdateExpression: 'REMOVE noticeRunId, noticeLeaseUntil',
        ConditionExpression: 'noticeRunId = :token',
        ExpressionAttributeValues: { ':token': token },
      },
    },
  ];
}

/** Gives a notice back after a failed send (tests, and the flow through `sendOnce`'s release). */
export async function releaseNotice(a: { entry: DueEntry; kind: NoticeKind; token: string; error: string; now: Date }): Promise<boolean> {
  return release(noticeKey(a.entry.participantId, a.entry.startsOn, a.kind), a.token, a.error, { now: a.now, extraItems: noticeReleaseItems(a.entry, a.token) });
}

/**
 * No e-mail address on file: the notice is recorded as `no-email` and the period moves on to its
 * next notice, exactly as if it had been sent (so it is counted once, not every day until the
 * next threshold). False when another run recorded it first. `undeliverable` (issue 16 part 5):
 * the address on file bounced for good or drew a complaint — the same final state under its own
 * name, also for a notice an earlier run left `failed`, so it is not tried again every day.
 */
export async function recordNoEmail(a: { entry: DueEntry; kind: NoticeKind; asOf: string; now: Date; status?: 'no-email' | 'undeliverable' }): Promise<boolean> {
  const { entry } = a;
  const advance = advanceSet(entry, a.kind, a.asOf);
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: noticeKey(entry.participantId, entry.startsOn, a.kind),
              UpdateExpression:
                'SET #type = :type, #status = :noEmail, participantId = :pid, registrationId = :rid, startsOn = :start, endsOn = :end, kind = :kind, asOf = :asOf, recordedAt = :at',
              ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed',
              ExpressionAttributeNames: { '#type': 'type', '#status': 'outboxStatus' },
              ExpressionAttributeValues: {
                ':type': 'notice', ':noEmail': (a.status ?? 'no-email') satisfies OutboxStatus, ':failed': 'failed', ':pid': entry.participantId, ':rid': entry.registrationId,
                ':start': entry.startsOn, ':end': entry.endsOn, ':kind': a.kind, ':asOf': a.asOf, ':at': a.now.toISOString(),
              },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: registrationKey(entry.participantId, entry.startsOn),
              UpdateExpression: advance.UpdateExpression,
              ConditionExpression: 'gsi3sk = :sk AND (attribute_not_exists(noticeLeaseUntil) OR noticeLeaseUntil < :now)',
              ExpressionAttributeValues: { ...advance.values, ':sk': entry.indexSk, ':now': a.now.getTime() },
            },
          },
        ],
      }),
    );
    return true;
  } catch (err) {
    if (cancellation(err)) return false;
    throw err;
  }
}

/**
 * Takes a period out of the due index: it was renewed (or a later period exists), so it gets no
 * further notices. Conditioned on the key read, so it never removes a newer one.
 */
export async function retireNotices(entry: DueEntry, reason: 'renewed' | 'superseded' | 'no-participant'): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: registrationKey(entry.participantId, entry.startsOn),
        UpdateExpression: 'SET noticesEnded = :reason REMOVE gsi3pk, gsi3sk',
        ConditionExpression: 'gsi3sk = :sk',
        ExpressionAttributeValues: { ':reason': reason, ':sk': entry.indexSk },
      }),
    );
  } catch (err) {
    if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
  }
}

/** The outbox rows of one period (tests, support). */
export async function listNotices(participantId: string, startsOn: string): Promise<Record<string, unknown>[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': PARTICIPANT(participantId), ':prefix': NOTICE(startsOn, '') },
      ConsistentRead: true,
    }),
  );
  return res.Items ?? [];
}

// ---------------------------------------------------------------- employer digests

/**
 * The employers a participant is linked to now: Query gsi1 `PARTICIPANT#<id>`, sk
 * `begins_with EMPLOYER#` (the link rows; ended links carry `unlinkedAt`).
 */
export async function linkedEmployerIds(participantId: string): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :e)',
        FilterExpression: 'attribute_not_exists(unlinkedAt)',
        ExpressionAttributeValues: { ':pk': PARTICIPANT(participantId), ':e': EMPLOYER() },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of res.Items ?? []) ids.push(String(item.gsi1sk).slice(EMPLOYER().length));
    startKey = res.LastEvaluatedKey;
  } while (startKey);
  return ids;
}

/** Have all digests of this month gone out? (one GetItem: the 30 other days of a month cost this.) */
export async function digestMonthDone(month: string): Promise<boolean> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: digestRunKey(month), ConsistentRead: true }));
  return Boolean(res.Item);
}

export async function markDigestMonthDone(month: string, asOf: string, employers: number, now: Date): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...digestRunKey(month), type: 'digestRun', month, asOf, employers, completedAt: now.toISOString() },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  ).catch((err: Error) => {
    if (err.name !== 'ConditionalCheckFailedException') throw err;
  });
}

/** Claims an employer's digest of a month (an outbox item, same lease rules as a notice): the claim token, or undefined. */
export async function claimDigest(a: DigestClaim): Promise<string | undefined> {
  return claim(digestKey(a.employerId, a.month), digestClaimOptions(a));
}

interface DigestClaim {
  employerId: string;
  month: string;
  runId: string;
  asOf: string;
  now: Date;
  leaseMs: number;
}

export function digestClaimOptions(a: DigestClaim): ClaimOptions {
  return {
    now: a.now.getTime(),
    leaseMs: a.leaseMs,
    set: { type: 'digest', runId: a.runId, employerId: a.employerId, month: a.month, asOf: a.asOf, claimedAt: a.now.toISOString() },
  };
}

/** What the completion of a digest records (`complete` of ./outbox.ts, through the drain's `sendOnce`). */
export const digestSent = (a: { messageId: string; employees: number; now: Date }) => ({
  set: { sentAt: a.now.toISOString(), messageId: a.messageId, employees: a.employees },
});

export async function getDigest(employerId: string, month: string): Promise<Record<string, unknown> | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: digestKey(employerId, month), ConsistentRead: true }));
  return res.Item;
}
