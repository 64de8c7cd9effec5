import * as z from 'zod/mini';
import type { ApiKeyRecord } from '../data/api-keys';
import { auditPut, type Actor } from '../data/audit';
import { getEmployer, type Employer } from '../data/organisations';
import {
  cancellationCodes,
  displayName,
  getDiplomas,
  getParticipant,
  getParticipants,
  getPeriodPoints,
  listRegistrations,
  participantPk,
  notErasingItem,
  profileEmailItem,
  startPeriodItems,
  titleFor,
  transact,
  type Participant,
  type TxItem,
} from '../data/participants';
import {
  completeCollectiveRegistrationItem,
  enrolmentItem,
  getCollectiveRegistration,
  getEnrolment,
  getLink,
  getLinks,
  linkItems,
  listEnrolments,
  listLinks,
  startCollectiveRegistrationItems,
  unlink,
  type EmployeeLink,
  type Enrolment,
} from '../data/employers';
import {
  claimIdempotency,
  completeIdempotencyItem,
  getIdempotencyRecord,
  hashBody,
  stateOf,
  type StoredResponse,
} from '../data/idempotency';
import { covers, currentPeriod, isRegisteredOn } from '../domain/periods';
import { reportRow, totalsOf, type ReportRow, type ReportTotals } from '../domain/report';
import { BadRequest, Conflict, NotFound, Unprocessable, UnsupportedMediaType, type FieldError } from '../http/errors';
import { fieldErrors } from '../http/validation';
import { newId } from '../ids';
import { logger } from '../log';
import { loadTariffs, type TariffSchedule } from '../data/tariffs';
import {
  CollectiveRegistrationRowSchema,
  MAX_COLLECTIVE,
  MIN_COLLECTIVE,
  type CollectiveRegistrationRow,
} from '../schemas/employers';
import { csvToObjects, decodeCsv, dutchDateToIso, parseCsv, type CsvColumn } from './csv';
import { cellMessage, inFileOrder, listMessages, onLine, shown, uploadMessages, type DateFormat, type UploadField, type UploadKind, type UploadLanguage } from './upload-messages';
import { listCredits, periodView } from './participants';
import { sendActivationMails, type MailTally } from './activation-mails';
import { runBounded } from '../bounded';
import { coverageOf } from './plan-coverage';
import { countMisses } from './misses';

// ---------------------------------------------------------------- access

/**
 * The employer a route's `{employerId}` names, for a caller that may act for it: the employer
 * itself or the admin. Anyone else gets the 404 a missing employer gets (API.md).
 */
export async function employerFor(caller: ApiKeyRecord | undefined, employerId: string): Promise<Employer> {
  const mayAct = caller?.role === 'admin' || (caller?.role === 'employer' && caller.ownerId === employerId);
  const employer = mayAct ? await getEmployer(employerId) : undefined;
  if (!employer) throw new NotFound('No employer with this id.');
  return employer;
}

/** The employee's live link to this employer, or a 404 (never linked, unlinked, or not ours). */
async function linkedEmployee(employerId: string, participantId: string): Promise<EmployeeLink> {
  const link = await getLink(employerId, participantId);
  if (!link || link.unlinkedAt) throw new NotFound('No employee with this id.');
  return link;
}

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

// ---------------------------------------------------------------- collective registration

export const COLLECTIVE_OPERATION = 'collective-registration';
const CONCURRENCY = 8;
/**
 * The activation e-mails a request sends itself, at most: an upload of up to 100 employees is
 * mailed before the answer, as before; a bigger one gets the rest from the `activation-mails` job
 * (every 5 minutes). At SES's default 14 e-mails/s, 100 take ~7 s; 1,000 would not fit the 29 s
 * API Gateway allows.
 */
export const MAILS_IN_REQUEST = 100;
/** The request starts no e-mail when less than this is left of its Lambda's time (for the answer). */
export const MAIL_RESERVE_MS = 10_000;
/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

interface RunContext {
  employerId: string;
  collectiveRegistrationId: string;
  actor: Actor;
  today: string;
  /** Read once per run: every period it starts gets a fee priced from these (billed to the employer). */
  tariffs: TariffSchedule;
}

interface EmployeeState {
  participant: Participant;
  /** The address the upload gave (kept on the enrolment for the e-mail). */
  email: string;
  link?: EmployeeLink;
  enrolment?: Enrolment;
}

/**
 * One employee's step, as transaction items: the enrolment row (write-once), a new period when
 * none is active or upcoming (guarded by the participant's `latestEndsOn`), the link, and their
 * audit events — all conditioned on the state they were decided on.
 */
function planEnrolment(ctx: RunContext, state: EmployeeState): { enrolment: Enrolment; items: TxItem[] } {
  const { participant, link } = state;
  const participantId = participant.participantId;
  const now = new Date();
  const active = isRegisteredOn(participant.periods, ctx.today);
  // A period that starts later (not possible today, but cheap to respect) also counts: no overlap.
  const needsPeriod = !active && !(participant.latestEndsOn && participant.latestEndsOn > ctx.today);
  // SPEC (Accounts): an address the employer supplies counts as on file when the holder had none,
  // so activation mails it and a claim is never needed; an address on file is never replaced.
  const emailIfNone = participant.email ? undefined : state.email;
  const period = needsPeriod
    ? startPeriodItems({
        participantId,
        startsOn: ctx.today,
        kind: participant.periods.length ? 're-activation' : 'new',
        payer: { type: 'employer', id: ctx.employerId },
        actor: ctx.actor,
        tariffs: ctx.tariffs,
        emailIfNone,
        now,
      })
    : undefined;
  const enrolment: Enrolment = {
    collectiveRegistrationId: ctx.collectiveRegistrationId,
    participantId,
    // checkRows refused erasing profiles, so the profile still holds its number.
    diplomaNumber: participant.diplomaNumber!,
    registrationNumber: participant.registrationNumber,
    outcome: period ? 'registered' : 'linked',
    registrationId: period?.registration.registrationId,
    enrolledAt: now.toISOString(),
    employerId: ctx.employerId,
    email: state.email,
  };
  const items = [
    enrolmentItem(enrolment),
    ...(period?.items ?? []),
    ...(emailIfNone && !period ? [profileEmailItem(participantId, emailIfNone)] : []),
    // The period and the address write check the profile is not erasing; without them, this does
    // (one item per key in a transaction). A race lost to an erasure ends in the 409 of a run that
    // keeps changing; sent again, the row is an unknown diploma.
    ...(!period && !emailIfNone ? [notErasingItem(participantId)] : []),
    ...(emailIfNone
      ? [auditPut(participantPk(participantId), { actor: ctx.actor, action: 'email.supplied', detail: { collectiveRegistrationId: ctx.collectiveRegistrationId } }, now)]
      : []),
    ...linkItems({
      employerId: ctx.employerId,
      participantId,
      existing: link,
      linkedOn: ctx.today,
      collectiveRegistrationId: ctx.collectiveRegistrationId,
      actor: ctx.actor,
      now,
    }),
  ];
  return { enrolment, items };
}

async function reread(ctx: RunContext, participantId: string, email: string): Promise<EmployeeState> {
  const [participant, link, enrolment] = await Promise.all([
    getParticipants([participantId], true).then((m) => m.get(participantId)),
    getLink(ctx.employerId, participantId, true),
    getEnrolment(ctx.collectiveRegistrationId, participantId),
  ]);
  if (!participant) throw new Error('A participant disappeared during a collective registration');
  return { participant, email, link, enrolment };
}

/**
 * One employee on their own, after a race (a concurrent run of the same or another collective
 * registration, a renewal, an unlink) cancelled their transaction: read again, decide again.
 * An enrolment found means the step is done, with its original outcome.
 */
async function enrolOne(ctx: RunContext, participantId: string, email: string): Promise<Enrolment> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const state = await reread(ctx, participantId, email);
    if (state.enrolment) return state.enrolment;
    const plan = planEnrolment(ctx, state);
    try {
      await transact(plan.items);
      return plan.enrolment;
    } catch (err) {
      if (!cancellationCodes(err)) throw err;
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * (attempt + 1)));
    }
  }
  throw new Conflict('The register changed repeatedly during this collective registration; send it again to complete it.');
}

/**
 * Enrols everyone not enrolled yet. Whole employees are packed into transactions of up to 100
 * items (one per employee would be ~16× the round trips): each employee's items land together or
 * not at all. A cancelled transaction (some employee raced) is settled employee by employee.
 */
async function enrolAll(ctx: RunContext, states: EmployeeState[]): Promise<Enrolment[]> {
  const results: Enrolment[] = new Array(states.length);
  const chunks: { i: number; plan: ReturnType<typeof planEnrolment> }[][] = [];
  let chunk: (typeof chunks)[number] = [];
  let size = 0;
  states.forEach((state, i) => {
    if (state.enrolment) {
      results[i] = state.enrolment;
      return;
    }
    const plan = planEnrolment(ctx, state);
    if (size + plan.items.length > MAX_TRANSACTION_ITEMS) {
      chunks.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push({ i, plan });
    size += plan.items.length;
  });
  if (chunk.length) chunks.push(chunk);

  await runBounded(chunks, CONCURRENCY, async (units) => {
    try {
      await transact(units.flatMap((u) => u.plan.items));
      for (const u of units) results[u.i] = u.plan.enrolment;
    } catch (err) {
      if (!cancellationCodes(err)) throw err;
      await runBounded(units, 4, async (u) => {
        results[u.i] = await enrolOne(ctx, states[u.i].participant.participantId, states[u.i].email);
      });
    }
  });
  return results;
}

export interface CollectiveResult {
  response: StoredResponse;
  /** The answer is the stored one of an earlier, identical request. */
  replayed: boolean;
  /** What this request did about the activation e-mails (absent on a replay). */
  mails?: MailTally;
}

/**
 * A collective registration, safe to retry and to run twice at once:
 *
 * 1. validate every row (nothing is written when one is bad);
 * 2. claim the idempotency keys — the header's (when sent) and one derived from the rows, so the
 *    same list is the same registration with, without or with another key — together with the
 *    registration's record (`in-progress`); a key already claimed by the same body resumes that
 *    registration;
 * 3. per employee: enrolment + period + link + audit, landing together (whole employees packed
 *    into transactions of ≤ 100 items), each write-once; each enrolment is born in the
 *    activation-mail outbox (shared/services/activation-mails.ts);
 * 4. when every employee is enrolled: the record `completed` and the answer stored (a retry gets
 *    it from then on);
 * 5. activation e-mails, within the budget (at most `MAILS_IN_REQUEST`, none started once less
 *    than `MAIL_RESERVE_MS` is left before `lambdaDeadline`); the rest stay in the outbox and the
 *    `activation-mails` job sends them. A failing send does not fail the request.
 *
 * A crash anywhere leaves a state the retry (steps 1–4) or the job (step 5) completes;
 * concurrent duplicates register nobody twice and mail nobody twice.
 */
export async function registerCollectively(args: {
  employerId: string;
  parsed: ParsedRows;
  idempotencyKey?: string;
  actor: Actor;
  today: string;
  /** Epoch ms when the Lambda running this request is stopped (now + getRemainingTimeInMillis()). */
  lambdaDeadline?: number;
  /** Override of `MAILS_IN_REQUEST`. */
  maxMails?: number;
}): Promise<CollectiveResult> {
  const { employerId, parsed, actor, today } = args;
  const hashOf = (rows: CollectiveRegistrationRow[]) =>
    hashBody(rows.map((r) => ({ diplomaNumber: r.diplomaNumber, birthDate: r.birthDate, email: r.email })));
  // The client's key (when it sent one) and the body's: the same rows within the records' 48 hours
  // are the same registration whatever the headers, so a list sent once with and once without a
  // key (or with another key) registers and mails nobody twice. A retry after midnight is still a retry.
  const keysOf = (hash: string) => [...(args.idempotencyKey ? [args.idempotencyKey] : []), `body:${hash}`];

  // A retry of a finished request is answered before the register is read again.
  if (!parsed.errors.length) {
    const rows = parsed.rows as CollectiveRegistrationRow[];
    const hash = hashOf(rows);
    const keys = keysOf(hash);
    const known = await Promise.all(keys.map((k) => getIdempotencyRecord(employerId, k)));
    const states = known.map((r) => r && stateOf(r, COLLECTIVE_OPERATION, hash));
    if (states[0]?.kind === 'mismatch') throw new Unprocessable('This Idempotency-Key was used for a different request.');
    // Found complete under every key; one found under only some goes on to the claim, which fills in the rest.
    const early = states.every((s) => s?.kind === 'completed') ? states[0] : undefined;
    if (early?.kind === 'completed') return { response: early.response, replayed: true };
  }

  const { rows, participants } = await checkRows(employerId, parsed);
  const bodyHash = hashOf(rows);
  const [key, ...alsoKeys] = keysOf(bodyHash);

  const now = new Date();
  const fresh = newId('col', now.getTime());
  const state = await claimIdempotency({
    scope: employerId,
    key,
    alsoKeys,
    operation: COLLECTIVE_OPERATION,
    bodyHash,
    resourceId: fresh,
    alsoWrite: startCollectiveRegistrationItems({ employerId, collectiveRegistrationId: fresh, employees: rows.length, idempotencyKey: key, actor, now }),
    now,
  });
  if (state.kind === 'mismatch') throw new Unprocessable('This Idempotency-Key was used for a different request.');
  if (state.kind === 'completed') return { response: state.response, replayed: true };
  const ctx: RunContext = { employerId, collectiveRegistrationId: state.resourceId, actor, today, tariffs: await loadTariffs() };
  if (state.kind === 'in-progress') logger.info('resuming collective registration', { collectiveRegistrationId: ctx.collectiveRegistrationId });

  // 3. enrol everyone
  const [done, links] = await Promise.all([
    listEnrolments(ctx.collectiveRegistrationId),
    getLinks(employerId, participants.map((p) => p.participantId)),
  ]);
  const enrolments = await enrolAll(
    ctx,
    participants.map((participant, i) => ({
      participant,
      email: rows[i].email,
      link: links.get(participant.participantId),
      enrolment: done.get(participant.participantId),
    })),
  );

  const body = {
    collectiveRegistrationId: ctx.collectiveRegistrationId,
    participants: enrolments.map((e) => ({
      diplomaNumber: e.diplomaNumber,
      participantId: e.participantId,
      registrationNumber: e.registrationNumber,
      outcome: e.outcome,
    })),
  };
  const response: StoredResponse = { status: 201, body };

  // 4. complete: everyone is enrolled, so the answer is final. The e-mails are tracked apart, on
  // the enrolments (`mailedAt`, the outbox index). A concurrent duplicate completing too writes the same.
  const completedAt = new Date();
  await transact([
    completeCollectiveRegistrationItem({
      employerId,
      collectiveRegistrationId: ctx.collectiveRegistrationId,
      registered: enrolments.filter((e) => e.outcome === 'registered').length,
      linked: enrolments.filter((e) => e.outcome === 'linked').length,
      now: completedAt,
    }),
    ...[key, ...alsoKeys].map((k) => completeIdempotencyItem({ scope: employerId, key: k, bodyHash, response, now: completedAt })),
  ]);

  // 5. the activation e-mails that fit the budget; the job sends the rest.
  const mails = await sendActivationMails(
    enrolments.map((enrolment, i) => ({
      // Rows enrolled before the outbox existed lack these; the request knows them.
      enrolment: { ...enrolment, employerId: enrolment.employerId ?? employerId, email: enrolment.email ?? rows[i].email },
      participant: participants[i],
    })),
    {
      max: args.maxMails ?? MAILS_IN_REQUEST,
      deadline: args.lambdaDeadline === undefined ? undefined : args.lambdaDeadline - MAIL_RESERVE_MS,
      concurrency: CONCURRENCY,
      stopOnFailure: true,
    },
  );
  logger.info('collective registration done', {
    collectiveRegistrationId: ctx.collectiveRegistrationId,
    employees: enrolments.length,
    registered: enrolments.filter((e) => e.outcome === 'registered').length,
    mailsSent: mails.sent,
    mailsFailed: mails.failed,
    mailsLeftToJob: mails.failed + mails.notStarted,
  });
  return { response, replayed: false, mails };
}

/**
 * A finished collective registration's outcome per employee, for its employer (the page after an
 * upload): another employer's id, and one still running, are a 404 like a missing one.
 */
export async function collectiveOutcome(employerId: string, collectiveRegistrationId: string) {
  const record = await getCollectiveRegistration(employerId, collectiveRegistrationId);
  if (!record || record.status !== 'completed') throw new NotFound('No collective registration with this id.');
  const enrolments = [...(await listEnrolments(collectiveRegistrationId)).values()];
  const profiles = await getParticipants(enrolments.map((e) => e.participantId));
  const employees = enrolments
    .map((e) => ({
      diplomaNumber: e.diplomaNumber,
      registrationNumber: e.registrationNumber,
      name: profiles.has(e.participantId) ? displayName(profiles.get(e.participantId)!) : '',
      outcome: e.outcome,
    }))
    .sort((a, b) => a.diplomaNumber.localeCompare(b.diplomaNumber));
  return { collectiveRegistrationId, completedAt: record.completedAt, registered: record.registered ?? 0, linked: record.linked ?? 0, employees };
}

// ---------------------------------------------------------------- unlinking

export async function unlinkEmployee(employerId: string, participantId: string, actor: Actor): Promise<void> {
  const result = await unlink(employerId, participantId, actor);
  if (result === 'not-linked') throw new NotFound('No employee with this id.');
}

// ---------------------------------------------------------------- reports

export interface EmployerReport {
  rows: ReportRow[];
  totals: ReportTotals;
}

/**
 * The report over all of an employer's linked employees. Index-backed: one Query of the
 * employer's partition (`EMPLOYEE#` rows), then BatchGetItem of the profiles (their period
 * summary gives the current period) and of those current periods (their points) — so the cost
 * follows the employer's employees, never the table. Employees on a learning plan add their
 * credits and the credited activities' topics (services/plan-coverage.ts). Totals are computed over all rows on every
 * call: status is derived from dates, so stored counters would go stale overnight.
 */
export async function employerReport(employerId: string, today: string): Promise<EmployerReport> {
  const links = (await listLinks(employerId)).filter((l) => !l.unlinkedAt);
  const profiles = await getParticipants(links.map((l) => l.participantId));
  const current = new Map<string, { participantId: string; startsOn: string }>();
  for (const p of profiles.values()) {
    const period = currentPeriod(p.periods, today);
    if (period) current.set(p.participantId, { participantId: p.participantId, startsOn: period.startsOn });
  }
  // Learning plans (issue 16 part 2): no extra read unless someone is on a plan.
  const [points, plans] = await Promise.all([
    getPeriodPoints([...current.values()]),
    coverageOf(employerId, links, (id) => current.get(id)?.startsOn ?? null),
  ]);
  const rows: ReportRow[] = [];
  for (const link of links) {
    const p = profiles.get(link.participantId);
    if (!p) continue;
    const c = current.get(p.participantId);
    const row = reportRow(
      {
        participantId: p.participantId,
        registrationNumber: p.registrationNumber,
        name: displayName(p),
        diplomaTitle: titleFor(p.diplomaType),
        periods: p.periods,
        points: c ? (points.get(`${c.participantId}#${c.startsOn}`) ?? 0) : 0,
        linkedOn: link.linkedOn,
      },
      today,
    );
    const plan = plans.get(p.participantId);
    // The profile read above carries the bounce mark: the overview and the API show it for free.
    rows.push({ ...row, ...(p.emailUndeliverable ? { emailUndeliverable: true as const } : {}), ...(plan ? { plan } : {}) });
  }
  return { rows, totals: totalsOf(rows) };
}

/** One page of rows (in participantId order) after the cursor's participant. */
export function pageOf(rows: readonly ReportRow[], limit: number, after?: string): { page: ReportRow[]; last?: string } {
  const start = after ? rows.findIndex((r) => r.participantId > after) : 0;
  const from = start === -1 ? rows.length : start;
  const page = rows.slice(from, from + limit);
  return { page, last: from + limit < rows.length ? page[page.length - 1]?.participantId : undefined };
}

/** One employee's periods and credited activities, for an audit (ABU competence requirement); never the employee's own ratings of them. */
export async function employeeHistory(employerId: string, participantId: string, today: string) {
  const link = await linkedEmployee(employerId, participantId);
  const participant = await getParticipant(participantId);
  if (!participant) throw new NotFound('No employee with this id.');
  const [registrations, credits] = await Promise.all([listRegistrations(participantId), listCredits(participantId)]);
  registrations.sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  return {
    employerId,
    asOf: today,
    participantId,
    registrationNumber: participant.registrationNumber,
    name: displayName(participant),
    title: isRegisteredOn(registrations, today) ? titleFor(participant.diplomaType) : null,
    diploma: { diplomaNumber: participant.diplomaNumber, type: participant.diplomaType, issuedOn: participant.issuedOn },
    linkedOn: link.linkedOn,
    registrations: registrations.map((r) => {
      const { renewable: _renewable, ...view } = periodView(r, registrations, today);
      return view;
    }),
    credits: credits
      .sort((a, b) => a.completedOn.localeCompare(b.completedOn) || a.creditId.localeCompare(b.creditId))
      .map((c) => ({ ...c, registrationStartsOn: registrations.find((r) => covers(r, c.completedOn))?.startsOn ?? null })),
  };
}
