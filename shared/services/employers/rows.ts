/* Reading a collective registration's rows (JSON or the Dutch CSV) and checking them against the register. */
import * as z from 'zod/mini';
import { getDiplomas, getParticipants, type Participant } from '../../data/participants';
import { BadRequest, UnsupportedMediaType, type FieldError } from '../../domain/errors';
import { fieldErrors } from '../../schemas/field-errors';
import {
  CollectiveRegistrationRowSchema,
  MAX_COLLECTIVE,
  MIN_COLLECTIVE,
  type CollectiveRegistrationRow,
} from '../../schemas/employers';
import { csvToObjects, decodeCsv, dutchDateToIso, parseCsv, type CsvColumn } from '../csv';
import {
  cellMessage,
  inFileOrder,
  listMessages,
  onLine,
  shown,
  uploadMessages,
  type DateFormat,
  type UploadField,
  type UploadKind,
  type UploadLanguage,
} from '../upload-messages';
import { countMisses } from '../misses';

// ---------------------------------------------------------------- reading the request

const EnvelopeSchema = z.strictObject({ employees: z.array(z.unknown()) });

/** Where the rows of a CSV upload came from, for messages in the file's own terms. */
export interface UploadFile {
  /** The line each row is on (counting the header and a `sep=` line, as the file does). */
  lines: number[];
  /** Each row's cells as written. */
  cells: Record<UploadField, string>[];
  /** The messages' language: the request's (Accept-Language), else the header's. */
  language: UploadLanguage;
  /** dd-mm-jjjj when the file writes any date so, else ISO: how a bad date is explained. */
  dateFormat: DateFormat;
}

/** A row of an upload as the schema accepts it: a registration's e-mail is required, an inventory's optional. */
export interface UploadRow {
  diplomaNumber: string;
  birthDate: string;
  email?: string;
}

export interface ParsedRows<R extends UploadRow = CollectiveRegistrationRow> {
  /** Each row as validated by the schema; undefined where the row is bad (see `errors`). */
  rows: (R | undefined)[];
  /** Errors found so far (count, schema, CSV shape); the register checks add theirs. */
  errors: FieldError[];
  /** For CSV uploads: the file, so that messages quote its cells and lines. */
  file?: UploadFile;
}

/** The columns of an upload, in the file's order of explanation. English names are the JSON fields. */
export const UPLOAD_COLUMNS: readonly CsvColumn[] = [
  { name: 'diplomaNumber', nl: ['Diplomanummer'], en: ['diplomaNumber'] },
  { name: 'birthDate', nl: ['Geboortedatum'], en: ['birthDate'] },
  { name: 'email', nl: ['E-mailadres', 'e-mail'], en: ['email', 'e-mail', 'e-mail address'] },
];

/**
 * What a list of employees must be, by what it is for: the collective registration's (10–1000
 * rows, e-mail required) or another use of the same rows (the inventory: 1–1000, e-mail optional).
 * One reader (JSON or CSV, the same messages) serves both.
 */
export interface RowRules<R extends UploadRow> {
  kind: UploadKind;
  min: number;
  max: number;
  schema: z.ZodMiniType<R>;
  /** The CSV's columns (an optional one may be left out of the file, and an empty cell is no value). */
  columns: readonly CsvColumn[];
}

export const REGISTRATION_ROWS: RowRules<CollectiveRegistrationRow> = {
  kind: 'registration',
  min: MIN_COLLECTIVE,
  max: MAX_COLLECTIVE,
  schema: CollectiveRegistrationRowSchema,
  columns: UPLOAD_COLUMNS,
};

const LIST_NOUN: Record<UploadKind, string> = { registration: 'A collective registration', inventory: 'An inventory' };

/** The schema's issues on row i, as one message per bad cell in the file's terms. */
function cellErrors(issues: readonly z.core.$ZodIssue[], i: number, file: UploadFile): FieldError[] {
  const fields = new Set(issues.map((issue) => String(issue.path[0] ?? '')));
  return (['diplomaNumber', 'birthDate', 'email'] as const)
    .filter((f) => fields.has(f))
    .map((f) => ({ path: `employees[${i}].${f}`, message: cellMessage(file.language, f, file.cells[i][f], file.lines[i], file.dateFormat) }));
}

/**
 * Validates a JSON body `{employees:[…]}` row by row, so every bad row is named (paths
 * `employees[3].birthDate`), together with a count outside the rules' bounds (10–1000 for a
 * registration). Throws only when the body is not such an object or holds too many rows; other
 * errors are collected for `checkRows` (or the inventory).
 */
export function rowsFromJson<R extends UploadRow = CollectiveRegistrationRow>(
  body: unknown,
  file?: UploadFile,
  earlier: FieldError[] = [],
  rules: RowRules<R> = REGISTRATION_ROWS as unknown as RowRules<R>,
): ParsedRows<R> {
  const envelope = EnvelopeSchema.safeParse(body);
  if (!envelope.success) throw new BadRequest('The request body is invalid.', fieldErrors(envelope.error.issues));
  const raw = envelope.data.employees;
  const t = file && uploadMessages(file.language);
  const list = file && listMessages(file.language, rules.kind);
  const noun = LIST_NOUN[rules.kind];
  if (raw.length > rules.max) {
    throw new BadRequest(t?.tooManyDetail ?? 'Too many employees.', [
      { path: 'employees', message: list ? list.tooMany(raw.length, rules.max) : `${noun} takes at most ${rules.max} employees; got ${raw.length}` },
    ]);
  }
  const errors: FieldError[] = [...earlier];
  if (raw.length < rules.min) {
    errors.push({ path: 'employees', message: list ? list.tooFew(raw.length, rules.min) : `${noun} needs at least ${rules.min} ${rules.min === 1 ? 'employee' : 'employees'}; got ${raw.length}` });
  }
  const rows = raw.map((item, i) => {
    const parsed = rules.schema.safeParse(item);
    if (parsed.success) return { ...parsed.data, diplomaNumber: parsed.data.diplomaNumber.toUpperCase() };
    errors.push(...(file ? cellErrors(parsed.error.issues, i, file) : fieldErrors(parsed.error.issues, `employees[${i}]`)));
    return undefined;
  });
  return { rows, errors: inFileOrder(errors), file };
}

const DUTCH_DATE = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;

/**
 * A `text/csv` upload → the same rows as the JSON body. The header may be English
 * (`diplomaNumber,birthDate,email`) or Dutch (`Diplomanummer;Geboortedatum;E-mailadres`), in any
 * case and spacing; dates dd-mm-jjjj or ISO. `language`: the request's, when it named one.
 */
export function rowsFromCsv<R extends UploadRow = CollectiveRegistrationRow>(
  text: string,
  language?: UploadLanguage,
  rules: RowRules<R> = REGISTRATION_ROWS as unknown as RowRules<R>,
): ParsedRows<R> {
  const table = parseCsv(text);
  const mapped = csvToObjects(table, rules.columns, 'employees', language);
  const cells = mapped.objects as Record<UploadField, string>[];
  const file: UploadFile = {
    lines: mapped.lines,
    cells,
    language: mapped.language,
    dateFormat: cells.some((c) => DUTCH_DATE.test(c.birthDate.trim())) ? 'dmy' : 'iso',
  };
  // An optional column's empty cell is no value (not an invalid one).
  const optional = rules.columns.filter((c) => c.optional).map((c) => c.name);
  const employees = cells.map((o) => {
    const row: Record<string, string> = { ...o, birthDate: dutchDateToIso(o.birthDate) };
    for (const name of optional) if (row[name].trim() === '') delete row[name];
    return row;
  });
  return rowsFromJson({ employees }, file, mapped.errors, rules);
}

/**
 * The body of a request that posts employees, as JSON or `text/csv` (the routes' `bodyContentTypes`).
 * `bytes`: the raw body when the gateway passed it base64-encoded — a CSV is decoded from them
 * (Excel's plain CSV is Windows-1252), not from their UTF-8 reading. A CSV's messages come in
 * `language` when the request names one, else in its header's.
 */
export function rowsFromBody<R extends UploadRow = CollectiveRegistrationRow>(
  body: { contentType: string; text: string; bytes?: Buffer; language?: UploadLanguage },
  rules: RowRules<R> = REGISTRATION_ROWS as unknown as RowRules<R>,
): ParsedRows<R> {
  const contentType = body.contentType.toLowerCase();
  if (/^(text|application)\/csv\b/.test(contentType)) {
    return rowsFromCsv(body.bytes ? decodeCsv(body.bytes, contentType) : body.text, body.language, rules);
  }
  if (!contentType || /^application\/([\w.+-]*\+)?json\b/.test(contentType)) {
    let parsed: unknown;
    try {
      parsed = body.text.trim() === '' ? {} : JSON.parse(body.text);
    } catch (err) {
      throw new BadRequest(`The request body is not valid JSON: ${(err as Error).message}`, [{ path: '', message: 'Malformed JSON' }]);
    }
    return rowsFromJson(parsed, undefined, [], rules);
  }
  throw new UnsupportedMediaType('application/json or text/csv');
}

/**
 * Rows that repeat an earlier row's diploma number: an error on each repeat (naming the first),
 * and their indexes, which the register checks then skip.
 */
export function duplicateRows(parsed: ParsedRows<UploadRow>): { errors: FieldError[]; repeats: Set<number> } {
  const { file } = parsed;
  const t = file && uploadMessages(file.language);
  const seen = new Map<string, number>();
  const errors: FieldError[] = [];
  const repeats = new Set<number>();
  parsed.rows.forEach((row, i) => {
    if (!row) return;
    const first = seen.get(row.diplomaNumber);
    if (first === undefined) {
      seen.set(row.diplomaNumber, i);
      return;
    }
    repeats.add(i);
    errors.push({
      path: `employees[${i}].diplomaNumber`,
      message: t ? onLine(file.language, t.duplicate(shown(file.cells[i].diplomaNumber), file.lines[first]), file.lines[i]) : `Duplicate of employees[${first}]`,
    });
  });
  return { errors, repeats };
}

/** The one 400 for a list with bad rows: a summary (in the file's language), every error in file order. */
export function rowsProblem(errors: readonly FieldError[], file: UploadFile | undefined, kind: UploadKind): BadRequest {
  const rowsWithErrors = new Set(errors.map((e) => /^employees\[(\d+)\]/.exec(e.path)?.[1]).filter(Boolean)).size;
  const summary = file
    ? listMessages(file.language, kind).summary(errors.length, rowsWithErrors)
    : `${errors.length} error(s) in ${rowsWithErrors} row(s); ${kind === 'inventory' ? 'nothing was looked up' : 'nobody was registered'}.`;
  return new BadRequest(summary, inFileOrder(errors));
}

/**
 * The checks that need the register, on every row the schema accepted: the diploma exists with
 * this birth date, and no diploma appears twice. An unknown number and a wrong birth date are one
 * error (on the row's diploma number, with one message): two answers would tell an employer who
 * holds a diploma, and then let it guess the birth date. The unmatched rows count on the
 * employer's miss counter (shared/services/misses.ts, shared with the inventory) before anything
 * is answered. Throws one 400 naming every bad row (these and the earlier ones, in file order);
 * else returns the rows with their participants.
 */
export async function checkRows(employerId: string, parsed: ParsedRows): Promise<{ rows: CollectiveRegistrationRow[]; participants: Participant[] }> {
  const valid = parsed.rows.filter((r): r is CollectiveRegistrationRow => r !== undefined);
  const diplomas = await getDiplomas([...new Set(valid.map((r) => r.diplomaNumber))]);
  const profiles = await getParticipants([...new Set([...diplomas.values()].map((d) => d.participantId as string))]);
  const { file } = parsed;
  const t = file && uploadMessages(file.language);
  const at = (i: number, message: string) => (file ? onLine(file.language, message, file.lines[i]) : message);
  const duplicates = duplicateRows(parsed);
  const errors: FieldError[] = [...parsed.errors, ...duplicates.errors];
  const participants: Participant[] = [];
  let looked = 0;
  let misses = 0;
  parsed.rows.forEach((row, i) => {
    if (!row || duplicates.repeats.has(i)) return;
    looked += 1;
    const diploma = diplomas.get(row.diplomaNumber);
    const participant = diploma ? profiles.get(diploma.participantId as string) : undefined;
    // An erasing profile is not found (its diploma item goes in the erasure's first steps).
    if (!participant || participant.erasure || participant.birthDate !== row.birthDate) {
      misses += 1;
      errors.push({
        path: `employees[${i}].diplomaNumber`,
        message: t ? at(i, t.notInRegister(shown(file.cells[i].diplomaNumber), shown(file.cells[i].birthDate))) : 'No diploma with this number and birth date in the register',
      });
      return;
    }
    participants[i] = participant;
  });
  if (looked) await countMisses(employerId, misses, looked);
  if (errors.length) throw rowsProblem(errors, file, 'registration');
  return { rows: valid, participants };
}

