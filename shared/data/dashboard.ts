import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { NOTICE_SHARDS } from './notices';
import { addDays } from '../domain/dates';
import { FEES, NOTICEDUE } from './keys';

/*
 * The numbers on the staff's dashboard (/beheer), each from an index Query with `Select: COUNT`
 * (all pages), never a Scan. Where no index answers a number, the page says so instead.
 */

async function count(input: Omit<QueryCommandInput, 'TableName' | 'Select' | 'ExclusiveStartKey'>): Promise<number> {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(new QueryCommand({ ...input, TableName: tableName(), Select: 'COUNT', ExclusiveStartKey: start }));
    n += res.Count ?? 0;
    start = res.LastEvaluatedKey;
  } while (start);
  return n;
}

const partition = (index: 'gsi1' | 'gsi2' | 'gsi3', pk: string, extra?: Partial<QueryCommandInput>) =>
  count({ IndexName: index, KeyConditionExpression: `${index}pk = :pk`, ...extra, ExpressionAttributeValues: { ':pk': pk, ...extra?.ExpressionAttributeValues } });

/** Items of a status partition (recognition requests `REQSTATUS#…`, activation claims `ACTCLAIMSTATUS#…`). */
export const countPartition = (index: 'gsi1' | 'gsi2' | 'gsi3', pk: string) => partition(index, pk);

/**
 * Registrations that count today, from the notice index (gsi3, which projects `startsOn` and
 * `endsOn`): a period is in it while a notice lies ahead, so every running period that was not
 * renewed is; a renewed one left it, but its renewal (the following period, starting later) is in
 * it. So `endsOn > today` counts each registered participant once. `lapsing`: the running,
 * unrenewed periods that end within `days` days (sk ≤ today + days: their next notice date is
 * at most their end).
 */
export async function registrationCounts(today: string, days = 90): Promise<{ active: number; lapsing: number }> {
  const limit = addDays(today, days);
  const shards = Array.from({ length: NOTICE_SHARDS }, (_, s) => NOTICEDUE(s));
  const [active, lapsing] = await Promise.all([
    Promise.all(shards.map((pk) => partition('gsi3', pk, { FilterExpression: 'endsOn > :today', ExpressionAttributeValues: { ':today': today } }))),
    Promise.all(
      shards.map((pk) =>
        count({
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk <= :until',
          FilterExpression: 'startsOn <= :today AND endsOn > :today AND endsOn <= :limit',
          ExpressionAttributeValues: { ':pk': pk, ':until': `${limit}~`, ':today': today, ':limit': limit },
        }),
      ),
    ),
  ]);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return { active: sum(active), lapsing: sum(lapsing) };
}

/** Fees of a billing month (gsi2 `FEES#<yyyy-mm>`): paid periods started that month. */
export const countFeesOfMonth = (month: string) => partition('gsi2', FEES(month));

/** Invoices and credit notes not sent yet (the outbox, gsi3 `OUTBOX`: sparse). */
export const countUnsentInvoices = () => partition('gsi3', 'OUTBOX');

/** The oldest item of a gsi1 queue partition (its sort key starts with the instant it entered it). */
export async function oldestInQueue(pk: string): Promise<Record<string, unknown> | undefined> {
  const res = await db().send(
    new QueryCommand({ TableName: tableName(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': pk }, Limit: 1 }),
  );
  return res.Items?.[0];
}
