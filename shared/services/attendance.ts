import type { ApiKeyRecord } from '../data/api-keys';
import { creditCompletions, employerExternalIds, type CreditResult } from './crediting';
import { BadRequest } from '../domain/errors';
import { parseCsv, csvToObjects, dutchDateToIso, headerKey, type CsvColumn } from './csv';

/*
 * Completions reported by hand (`/opleider/presentie`): the webhook's crediting, in-process, with
 * the same per-row outcomes. A form has no external ids, so each row's is derived from what it
 * says — `<activityId>:<date>:<REGISTRATION NUMBER>`, the derivation employers' credits use
 * (`employerExternalIds`, which also starts a new generation once a credit was revoked) — so the
 * same list submitted twice (a double click, a refresh) credits once: the second time is `duplicate`.
 */
type Caller = ApiKeyRecord;

export interface AttendanceRow {
  registrationNumber: string;
  completedOn: string;
}

export interface AttendanceOutcome extends AttendanceRow {
  result: CreditResult;
}

/** At most what one webhook delivery may carry. */
export const MAX_ATTENDANCE_ROWS = 500;

export async function reportAttendance(caller: Caller, activityId: string, rows: AttendanceRow[], today: string): Promise<AttendanceOutcome[]> {
  if (caller.role !== 'provider' && caller.role !== 'employer') throw new Error(`role ${caller.role} cannot report completions`);
  const byDate = new Map<string, number[]>();
  rows.forEach((r, i) => byDate.set(r.completedOn, [...(byDate.get(r.completedOn) ?? []), i]));
  const externalIds: string[] = new Array(rows.length);
  for (const [date, indexes] of byDate) {
    const ids = await employerExternalIds(caller.ownerId, activityId, date, indexes.map((i) => rows[i].registrationNumber));
    indexes.forEach((i, k) => (externalIds[i] = ids[k]));
  }
  const results = await creditCompletions(
    { id: caller.ownerId, role: caller.role },
    rows.map((r, i) => ({ externalId: externalIds[i], activityId, participant: { registrationNumber: r.registrationNumber }, completedOn: r.completedOn })),
    today,
  );
  return rows.map((r, i) => ({ ...r, result: results[i] }));
}

/** Registration numbers pasted one per line (spaces, commas and semicolons also separate), upper-cased. */
export function pastedNumbers(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((n) => n.trim().toUpperCase())
    .filter(Boolean);
}

const NUMBER: CsvColumn = { name: 'registrationNumber', nl: ['Registratienummer', 'Registratienr'], en: ['Registration number', 'registrationNumber'] };
const DATE: CsvColumn = { name: 'completedOn', nl: ['Datum', 'Afgerond op'], en: ['Date', 'completedOn'] };

/**
 * An attendance file: a column **Registratienummer** and optionally **Datum** (the day it was
 * completed; `dd-mm-jjjj` as Dutch Excel writes it, or `jjjj-mm-dd`; empty: the form's date), with
 * `;` (Dutch Excel), `,` or tab between them, a BOM or not. Problems (a bad header, a row with
 * too many fields) come back as messages in the page's language, and then no row is used.
 */
export function attendanceCsv(text: string, defaultDate: string | undefined, lang: 'nl' | 'en'): { rows: { registrationNumber: string; completedOn: string | undefined; line: number }[]; problems: string[] } {
  try {
    const table = parseCsv(text);
    const hasDate = table.header.some((h) => [...DATE.nl, ...DATE.en].some((n) => headerKey(n) === headerKey(h)));
    const { objects, errors, lines } = csvToObjects(table, hasDate ? [NUMBER, DATE] : [NUMBER], 'rows', lang);
    if (errors.length) return { rows: [], problems: errors.map((e) => e.message) };
    const rows = objects
      .map((o, i) => ({ registrationNumber: (o.registrationNumber ?? '').trim().toUpperCase(), completedOn: o.completedOn?.trim() ? dutchDateToIso(o.completedOn.trim()) : defaultDate, line: lines[i] }))
      .filter((r) => r.registrationNumber !== '');
    return { rows, problems: [] };
  } catch (err) {
    if (err instanceof BadRequest) return { rows: [], problems: err.errors.length ? err.errors.map((e) => e.message) : [err.message] };
    throw err;
  }
}
