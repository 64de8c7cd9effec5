import { AUTO_REGISTRATION_FROM } from '../domain/periods';
import { BadRequest, type FieldError } from '../domain/errors';
import { newId } from '../ids';
import { runBounded } from '../bounded';
import type { Actor } from '../data/audit';
import { diplomaChanges, erasedDiplomas, getDiplomas, getDiploma, getParticipant, getParticipants, newParticipantItems, startPeriodItems, updateParticipantItems, type ImportedState } from '../data/participants';
import { AGAIN, cancellationCodes, optimistic, packTransactions, transact, type TxItem } from '../data/client';
import type { DiplomaRow } from '../schemas/participants';

export interface ImportResult {
  created: number;
  /** Rows that changed something (a field of the diploma or its holder). */
  updated: number;
  /** Rows identical to what the register holds: nothing written, no audit event. */
  unchanged: number;
  registrationsCreated: number;
  /**
   * Rows whose diploma's holder was erased (AVG/GDPR): skipped, nothing written, so the erased
   * person does not come back. Present only when there are such rows.
   */
  erased?: number;
}

/** Row-level checks that a schema cannot express: duplicates, dates in the future, age. */
export function checkRows(rows: DiplomaRow[], today: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const n = row.diplomaNumber.toUpperCase();
    const first = seen.get(n);
    if (first !== undefined) errors.push({ path: `diplomas[${i}].diplomaNumber`, message: `Duplicate of row ${first}` });
    else seen.set(n, i);
    if (row.issuedOn > today) errors.push({ path: `diplomas[${i}].issuedOn`, message: 'issuedOn lies in the future' });
    if (row.holder.birthDate >= row.issuedOn) errors.push({ path: `diplomas[${i}].holder.birthDate`, message: 'birthDate must be before issuedOn' });
  });
  return errors;
}

interface Unit {
  row: DiplomaRow;
  items: TxItem[];
  outcome: 'created' | 'updated' | 'unchanged' | 'erased';
  registration: boolean;
}

function buildUnit(row: DiplomaRow, existing: ImportedState | 'erased' | undefined, actor: Actor, now: Date): Unit {
  if (existing === 'erased') return { row, items: [], outcome: 'erased', registration: false };
  if (existing) {
    const changed = diplomaChanges(row, existing);
    // The same row again changes nothing: no write, no audit event.
    if (!changed.length) return { row, items: [], outcome: 'unchanged', registration: false };
    return { row, items: updateParticipantItems(row, existing, changed, actor, now), outcome: 'updated', registration: false };
  }
  const participantId = newId('par', now.getTime());
  // Diplomas from 2023 on come with a registration from their issue date (no fee: SPEC).
  if (row.issuedOn >= AUTO_REGISTRATION_FROM) {
    const period = startPeriodItems({ participantId, startsOn: row.issuedOn, kind: 'initial', payer: { type: 'none' }, tariffs: [], actor, profileIsNew: true, now });
    const p = newParticipantItems(row, actor, now, participantId, period.profileFields);
    return { row, items: [...p.items, ...period.items], outcome: 'created', registration: true };
  }
  return { row, items: newParticipantItems(row, actor, now, participantId).items, outcome: 'created', registration: false };
}

/** The stored state of the rows' diplomas that exist (diploma item + holder profile, strongly consistent), by upper-cased number. */
async function existingStates(rows: DiplomaRow[]): Promise<Map<string, ImportedState | 'erased'>> {
  const diplomas = await getDiplomas(rows.map((r) => r.diplomaNumber));
  const missing = rows.map((r) => r.diplomaNumber).filter((n) => !diplomas.has(n.toUpperCase()));
  const [profiles, erased] = await Promise.all([
    getParticipants([...diplomas.values()].map((d) => d.participantId as string), true),
    missing.length ? erasedDiplomas(missing) : Promise.resolve(new Set<string>()),
  ]);
  const states = new Map<string, ImportedState | 'erased'>([...diplomas].map(([n, diploma]) => [n, { diploma, profile: profiles.get(diploma.participantId as string) }]));
  for (const n of erased) states.set(n, 'erased');
  return states;
}

/**
 * One row on its own, after its chunk was cancelled (a concurrent import created the diploma,
 * or a registration number collided): re-read and retry a few times.
 */
async function importRowAlone(row: DiplomaRow, actor: Actor): Promise<Unit> {
  let lost: unknown;
  return optimistic(async () => {
    const diploma = await getDiploma(row.diplomaNumber);
    const state = diploma
      ? { diploma, profile: await getParticipant(diploma.participantId as string, true) }
      : (await erasedDiplomas([row.diplomaNumber])).size
        ? ('erased' as const)
        : undefined;
    const unit = buildUnit(row, state, actor, new Date());
    try {
      if (unit.items.length) await transact(unit.items);
      return unit;
    } catch (err) {
      if (!cancellationCodes(err)) throw err;
      lost = err;
      return AGAIN;
    }
  }, { attempts: 4, exhausted: () => lost as Error });
}

/**
 * Imports diplomas: all rows are validated first (nothing is written when one is bad), then
 * written in transactions of whole rows (a row's diploma, participant, registration number,
 * period and audit events land together or not at all). Re-sending an import updates what is
 * there and creates what is missing, so a crashed import is completed by sending it again.
 */
export async function importDiplomas(rows: DiplomaRow[], actor: Actor, today: string): Promise<ImportResult> {
  const errors = checkRows(rows, today);
  if (errors.length) throw new BadRequest(`${errors.length} row error(s); nothing was imported.`, errors);

  const existing = await existingStates(rows);
  const now = new Date();
  const all = rows.map((row) => buildUnit(row, existing.get(row.diplomaNumber.toUpperCase()), actor, now));
  const unchanged = all.filter((u) => !u.items.length);
  const units = all.filter((u) => u.items.length);

  // Whole rows in transactions of at most 100 items (DynamoDB's limit).
  const chunks = packTransactions(units, (u) => u.items);

  const done = await runBounded(
    chunks,
    8,
    async (chunk) => {
      try {
        await transact(chunk.flatMap((u) => u.items));
        return chunk;
      } catch (err) {
        if (!cancellationCodes(err)) throw err;
        return Promise.all(chunk.map((u) => importRowAlone(u.row, actor)));
      }
    },
  );

  const results = [...done.flat(), ...unchanged];
  const erased = results.filter((u) => u.outcome === 'erased').length;
  return {
    created: results.filter((u) => u.outcome === 'created').length,
    updated: results.filter((u) => u.outcome === 'updated').length,
    // An erased row writes nothing either, but is counted apart: it is not "identical".
    unchanged: results.filter((u) => u.outcome === 'unchanged').length,
    registrationsCreated: results.filter((u) => u.registration).length,
    ...(erased ? { erased } : {}),
  };
}
