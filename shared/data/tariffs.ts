import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { auditPut, type Actor } from './audit';
import { queryAll } from './batch';
import { FROM, TARIFF } from './keys';

/**
 * Registration tariffs (pk `TARIFF#registration`, sk `FROM#<validFrom>`): every version is kept.
 * The fee of a period is the tariff with the latest `validFrom` ≤ the period's `startsOn`.
 * Setting a tariff for a date that already has one replaces that version (its previous value is
 * in the audit event under `TARIFF#registration`); fees already created keep the amount they
 * were created with, since a fee record copies its price.
 */
export interface Tariff {
  amountCents: number;
  vatRatePercent: number;
  validFrom: string;
  setAt: string;
  setBy: Actor;
}

/** All versions, oldest first: what startPeriodItems prices fees from. */
export type TariffSchedule = readonly Tariff[];

const PK = TARIFF('registration');

function fromItem(item: Record<string, unknown>): Tariff {
  return {
    amountCents: Number(item.amountCents),
    vatRatePercent: Number(item.vatRatePercent),
    validFrom: item.validFrom as string,
    setAt: item.setAt as string,
    setBy: item.setBy as Actor,
  };
}

/** Every tariff version, oldest first (one partition, a handful of items). */
export async function loadTariffs(): Promise<Tariff[]> {
  return (await queryAll({ pk: PK, skPrefix: FROM(), consistent: true })).map(fromItem);
}

/** The tariff valid on a date: the latest `validFrom` ≤ date, or undefined. */
export function tariffOn(schedule: TariffSchedule, date: string): Tariff | undefined {
  let found: Tariff | undefined;
  for (const t of schedule) if (t.validFrom <= date && (!found || t.validFrom > found.validFrom)) found = t;
  return found;
}

export async function putTariff(input: { amountCents: number; vatRatePercent: number; validFrom: string }, actor: Actor, now = new Date()) {
  const before = (await loadTariffs()).find((t) => t.validFrom === input.validFrom);
  const tariff: Tariff = { ...input, setAt: now.toISOString(), setBy: actor };
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: tableName(), Item: { pk: PK, sk: FROM(input.validFrom), type: 'tariff', ...tariff } } },
        auditPut(PK, { actor, action: before ? 'tariff.replaced' : 'tariff.set', before, after: input }, now),
      ],
    }),
  );
  return { tariff, replaced: Boolean(before) };
}
