import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, type TxItem } from './client';
import { tariffOn, type TariffSchedule } from './tariffs';
import { todayInAmsterdam } from '../dates';
import type { PeriodKind } from '../domain/periods';
import { FEE, FEES } from './keys';

/**
 * Fees (pk `FEE#<registrationId>`, sk `FEE`): one per paid period start, written in the same
 * transaction as the period (see startPeriodItems). A fee copies its price from the tariff
 * valid on the period's `startsOn`; without one it is `untariffed` (amount unknown) — the period
 * still starts, and the first invoice run that finds a tariff for that date prices it.
 *
 * Index gsi2 `FEES#<yyyy-mm>` / `<payerType>#<payerId>#<registrationId>`: the fees billed in a
 * month (the Amsterdam month in which the period was started), sorted by payer — so the invoice
 * run reads one month, and one employer's fees are one `begins_with` query.
 */
export type FeePayer = { type: 'participant'; id: string } | { type: 'employer'; id: string };

export interface Fee {
  registrationId: string;
  participantId: string;
  kind: Exclude<PeriodKind, 'initial'>;
  startsOn: string;
  endsOn: string;
  payer: FeePayer;
  /** The Amsterdam day the period was started (the fee is due from then). */
  billedOn: string;
  /** `yyyy-mm` of billedOn: the month whose invoice carries it. */
  billingMonth: string;
  /** Unset while untariffed. */
  amountCents?: number;
  vatRatePercent?: number;
  tariffValidFrom?: string;
  untariffed: boolean;
  status: 'open' | 'invoiced';
  invoiceId?: string;
  createdAt: string;
}

export const feeKey = (registrationId: string) => ({ pk: FEE(registrationId), sk: 'FEE' });
export const feesMonthPk = (month: string) => FEES(month);
export const payerPrefix = (payer: FeePayer) => `${payer.type}#${payer.id}#`;

export function fromFeeItem(item: Record<string, unknown>): Fee {
  return {
    registrationId: item.registrationId as string,
    participantId: item.participantId as string,
    kind: item.kind as Fee['kind'],
    startsOn: item.startsOn as string,
    endsOn: item.endsOn as string,
    payer: item.payer as FeePayer,
    billedOn: item.billedOn as string,
    billingMonth: item.billingMonth as string,
    amountCents: item.amountCents === undefined ? undefined : Number(item.amountCents),
    vatRatePercent: item.vatRatePercent === undefined ? undefined : Number(item.vatRatePercent),
    tariffValidFrom: item.tariffValidFrom as string | undefined,
    untariffed: Boolean(item.untariffed),
    status: (item.status as Fee['status']) ?? 'open',
    invoiceId: item.invoiceId as string | undefined,
    createdAt: item.createdAt as string,
  };
}

/** The fee record for a period start (not yet written), priced from the schedule. */
export function newFee(args: {
  registrationId: string;
  participantId: string;
  kind: Fee['kind'];
  startsOn: string;
  endsOn: string;
  payer: FeePayer;
  tariffs: TariffSchedule;
  now: Date;
}): Fee {
  const tariff = tariffOn(args.tariffs, args.startsOn);
  const billedOn = todayInAmsterdam(args.now);
  return {
    registrationId: args.registrationId,
    participantId: args.participantId,
    kind: args.kind,
    startsOn: args.startsOn,
    endsOn: args.endsOn,
    payer: args.payer,
    billedOn,
    billingMonth: billedOn.slice(0, 7),
    ...(tariff ? { amountCents: tariff.amountCents, vatRatePercent: tariff.vatRatePercent, tariffValidFrom: tariff.validFrom } : {}),
    untariffed: !tariff,
    status: 'open',
    createdAt: args.now.toISOString(),
  };
}

export function feeItem(fee: Fee) {
  return {
    ...feeKey(fee.registrationId),
    type: 'fee',
    ...fee,
    gsi2pk: feesMonthPk(fee.billingMonth),
    gsi2sk: `${payerPrefix(fee.payer)}${fee.registrationId}`,
  };
}

/** A Put for the period's transaction: write-once. */
export function feePut(fee: Fee) {
  return { Put: { TableName: tableName(), Item: feeItem(fee), ConditionExpression: 'attribute_not_exists(pk)' } };
}

export async function getFee(registrationId: string, consistent = true): Promise<Fee | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: feeKey(registrationId), ConsistentRead: consistent }));
  return res.Item ? fromFeeItem(res.Item) : undefined;
}

/**
 * Pages of a month's fees, optionally only those whose index sort key starts with `prefix`
 * (`employer#`, `employer#<id>#`, `participant#`). Index reads are eventually consistent; the
 * invoice run reads months that ended, whose fees were indexed long before.
 */
export async function* monthFeePages(month: string, prefix?: string, opts: { limit?: number; projection?: string } = {}) {
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: prefix ? 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)' : 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': feesMonthPk(month), ...(prefix ? { ':prefix': prefix } : {}) },
        ExclusiveStartKey: startKey,
        Limit: opts.limit,
        ...(opts.projection ? { ProjectionExpression: opts.projection } : {}),
      }),
    );
    yield { items: res.Items ?? [], lastKey: res.LastEvaluatedKey };
    startKey = res.LastEvaluatedKey;
  } while (startKey);
}

/** All of one payer's fees in a month. */
export async function payerMonthFees(month: string, payer: FeePayer): Promise<Fee[]> {
  const out: Fee[] = [];
  for await (const page of monthFeePages(month, payerPrefix(payer))) out.push(...page.items.map(fromFeeItem));
  return out;
}

/**
 * Marks a fee invoiced by this invoice, pricing it when it was untariffed. Idempotent: a fee
 * already marked by the same invoice is left as it is; one marked by another invoice is refused
 * (returns false), which cannot happen while each fee belongs to one payer-month.
 */
export async function markFeeInvoiced(fee: Fee, invoiceId: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: feeKey(fee.registrationId),
        UpdateExpression: fee.untariffed
          ? 'SET #status = :invoiced, invoiceId = :inv, amountCents = :amount, vatRatePercent = :rate, tariffValidFrom = :from, untariffed = :false, pricedAt = :now'
          : 'SET #status = :invoiced, invoiceId = :inv',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(invoiceId) OR invoiceId = :inv)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':invoiced': 'invoiced',
          ':inv': invoiceId,
          ...(fee.untariffed
            ? { ':amount': fee.amountCents, ':rate': fee.vatRatePercent, ':from': fee.tariffValidFrom ?? null, ':false': false, ':now': new Date().toISOString() }
            : {}),
        },
      }),
    );
    return true;
  } catch (err) {
    if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}

/**
 * A fee with its price: the recorded one, or — for an untariffed fee — the tariff now valid on
 * its startsOn (undefined when there still is none).
 */
export function priced(fee: Fee, tariffs: TariffSchedule): (Fee & { amountCents: number; vatRatePercent: number }) | undefined {
  if (!fee.untariffed && fee.amountCents !== undefined && fee.vatRatePercent !== undefined) {
    return fee as Fee & { amountCents: number; vatRatePercent: number };
  }
  const tariff = tariffOn(tariffs, fee.startsOn);
  if (!tariff) return undefined;
  return { ...fee, amountCents: tariff.amountCents, vatRatePercent: tariff.vatRatePercent, tariffValidFrom: tariff.validFrom };
}

/**
 * The fee's Update in its individual invoice's numbering transaction: invoiced once (no invoiceId
 * yet). An untariffed fee gets the price it is billed at (`billed`) in the same write.
 */
export function feeInvoicedUpdate(
  registrationId: string,
  invoiceId: string,
  billed?: { amountCents: number; vatRatePercent: number; tariffValidFrom?: string },
): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: feeKey(registrationId),
      UpdateExpression: billed
        ? 'SET #status = :invoiced, invoiceId = :inv, amountCents = :amount, vatRatePercent = :rate, tariffValidFrom = :from, untariffed = :false'
        : 'SET #status = :invoiced, invoiceId = :inv',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(invoiceId)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':invoiced': 'invoiced',
        ':inv': invoiceId,
        ...(billed ? { ':amount': billed.amountCents, ':rate': billed.vatRatePercent, ':from': billed.tariffValidFrom, ':false': false } : {}),
      },
    },
  };
}
