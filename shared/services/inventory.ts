import { getDiplomas, getParticipants, type Participant } from '../data/participants';
import { AUTO_REGISTRATION_FROM, chainEndsOn, covers, lastValidDay } from '../domain/periods';
import { MAX_INVENTORY, MIN_INVENTORY, InventoryRowSchema, type InventoryResult, type InventoryRow } from '../schemas/inventory';
import { duplicateRows, rowsProblem, UPLOAD_COLUMNS, type ParsedRows, type RowRules } from './employers/rows';
import { countMisses } from './misses';

/*
 * Inventory before registering (issue 16 part 1; the employer guide's §3): which of these
 * employees hold a diploma, and where their PE stands — without registering anyone or writing
 * anything. The rows are a collective registration's (the same reader, JSON or the Dutch CSV),
 * 1–1000, e-mail optional.
 */

/** The collective registration's rows, from one row on, with the e-mail optional (the CSV may leave its column out). */
export const INVENTORY_ROWS: RowRules<InventoryRow> = {
  kind: 'inventory',
  min: MIN_INVENTORY,
  max: MAX_INVENTORY,
  schema: InventoryRowSchema,
  columns: UPLOAD_COLUMNS.map((c) => (c.name === 'email' ? { ...c, optional: true } : c)),
};

const NOT_FOUND = (diplomaNumber: string): InventoryResult => ({ diplomaNumber, found: false, peState: 'not-found' });

/**
 * Where a holder's PE stands today. `registered`: a period covers today (or one starts later),
 * valid to the end of its unbroken chain, as the public register shows it; `automatic` when that
 * period is the diploma's automatic first one (SPEC: diplomas issued on or after 2023-01-01 start
 * it on their issue date). `lapsed`: periods, all ended (valid until the last one's last day).
 */
export function peStateOf(p: Participant, today: string): Omit<InventoryResult, 'diplomaNumber' | 'found'> {
  const periods = [...p.periods].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  if (!periods.length) return { peState: 'never-registered' };
  const running = periods.find((x) => covers(x, today)) ?? periods.find((x) => x.startsOn > today);
  if (running) {
    const automatic = p.issuedOn >= AUTO_REGISTRATION_FROM && running === periods[0] && running.startsOn === p.issuedOn;
    return { peState: 'registered', validUntil: lastValidDay(chainEndsOn(running, periods)), automatic };
  }
  return { peState: 'lapsed', validUntil: lastValidDay(periods[periods.length - 1].endsOn) };
}

/**
 * The inventory of the parsed rows, in row order. A bad row (the schema's, a repeated diploma
 * number, a count outside 1–1000) is one 400 naming each, as the registration's. Two BatchGetItem
 * rounds whatever the count: the diplomas, then their holders' profiles (which carry the period
 * summary). Only a row whose number AND birth date match the holder says anything: a wrong birth
 * date answers exactly like an unknown number, so a number alone tells an employer nothing. The
 * rows that match nothing count on the employer's miss counter (shared/services/misses.ts) before
 * anything is answered: past it, 429 and no row's outcome, so birth dates cannot be guessed in bulk.
 */
export async function takeInventory(employerId: string, parsed: ParsedRows<InventoryRow>, today: string): Promise<InventoryResult[]> {
  const duplicates = duplicateRows(parsed);
  const errors = [...parsed.errors, ...duplicates.errors];
  if (errors.length) throw rowsProblem(errors, parsed.file, 'inventory');
  const rows = parsed.rows as InventoryRow[];
  const diplomas = await getDiplomas(rows.map((r) => r.diplomaNumber));
  const profiles = await getParticipants([...new Set([...diplomas.values()].map((d) => d.participantId as string))]);
  const results = rows.map((row): InventoryResult => {
    const diploma = diplomas.get(row.diplomaNumber);
    const holder = diploma ? profiles.get(diploma.participantId as string) : undefined;
    if (!holder || holder.erasure || holder.birthDate !== row.birthDate) return NOT_FOUND(row.diplomaNumber);
    return { diplomaNumber: row.diplomaNumber, found: true, diplomaType: holder.diplomaType, issuedOn: holder.issuedOn, ...peStateOf(holder, today) };
  });
  await countMisses(employerId, results.filter((r) => !r.found).length, rows.length);
  return results;
}
