/* The collective registration itself: enrolment, periods, links, idempotency, the request's share of the activation e-mails; and unlinking. */
import { auditPut, type Actor } from '../../data/audit';
import { displayName, getParticipants, getPeriodPoints, participantPk, notErasingItem, profileEmailItem, startPeriodItems, type Participant } from '../../data/participants';
import { cancellationCodes, optimistic, packTransactions, transact, transactOrAgain, type TxItem } from '../../data/client';
import {
  completeCollectiveRegistrationItem,
  enrolmentItem,
  getCollectiveRegistration,
  getEnrolment,
  getLink,
  getLinks,
  linkItems,
  listEnrolments,
  startCollectiveRegistrationItems,
  unlink,
  type EmployeeLink,
  type Enrolment,
} from '../../data/employers';
import {
  claimIdempotency,
  completeIdempotencyItem,
  getIdempotencyRecord,
  hashBody,
  stateOf,
  type StoredResponse,
} from '../../data/idempotency';
import { isRegisteredOn } from '../../domain/periods';
import { Conflict, NotFound, Unprocessable } from '../../domain/errors';
import { newId } from '../../ids';
import { logger } from '../../log';
import { loadTariffs, type TariffSchedule } from '../../data/tariffs';
import { type CollectiveRegistrationRow } from '../../schemas/employers';
import { sendActivationMails, type MailTally } from '../activation-mails';
import { runBounded } from '../../bounded';

import { checkRows, type ParsedRows } from './rows';
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
  /** Points of the participant's periods, by `startsOn`: the new link's report projection copies them. */
  points: Record<string, number>;
}

/** The points of these participants' periods, by participantId then `startsOn` (only those without a live link need them). */
async function pointsOf(participants: Participant[], consistent: boolean): Promise<Map<string, Record<string, number>>> {
  const periods = participants.flatMap((p) => p.periods.map((r) => ({ participantId: p.participantId, startsOn: r.startsOn })));
  const found = periods.length ? await getPeriodPoints(periods, consistent) : new Map<string, number>();
  return new Map(participants.map((p) => [p.participantId, Object.fromEntries(p.periods.map((r) => [r.startsOn, found.get(`${p.participantId}#${r.startsOn}`) ?? 0]))]));
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
        profile: participant,
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
  const alongside = [
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
  ];
  // The link's change of the profile joins the profile's write above (one item per key).
  const items = linkItems({
    employerId: ctx.employerId,
    participantId,
    existing: link,
    linkedOn: ctx.today,
    collectiveRegistrationId: ctx.collectiveRegistrationId,
    actor: ctx.actor,
    now,
    profile: participant,
    points: state.points,
    newPeriod: period ? { registrationId: period.registration.registrationId, startsOn: period.registration.startsOn, endsOn: period.registration.endsOn } : undefined,
    alongside,
  });
  return { enrolment, items };
}

async function reread(ctx: RunContext, participantId: string, email: string): Promise<EmployeeState> {
  const [participant, link, enrolment] = await Promise.all([
    getParticipants([participantId], true).then((m) => m.get(participantId)),
    getLink(ctx.employerId, participantId, true),
    getEnrolment(ctx.collectiveRegistrationId, participantId),
  ]);
  if (!participant) throw new Error('A participant disappeared during a collective registration');
  const points = (await pointsOf([participant], true)).get(participantId) ?? {};
  return { participant, email, link, enrolment, points };
}

/**
 * One employee on their own, after a race (a concurrent run of the same or another collective
 * registration, a renewal, an unlink) cancelled their transaction: read again, decide again.
 * An enrolment found means the step is done, with its original outcome.
 */
async function enrolOne(ctx: RunContext, participantId: string, email: string): Promise<Enrolment> {
  return optimistic(async () => {
    const state = await reread(ctx, participantId, email);
    if (state.enrolment) return state.enrolment;
    const plan = planEnrolment(ctx, state);
    return transactOrAgain(plan.items, plan.enrolment);
  }, {
    attempts: 6,
    backoffMs: (attempt) => 10 + Math.random() * 40 * attempt,
    exhausted: () => new Conflict('The register changed repeatedly during this collective registration; send it again to complete it.', { reason: 'concurrent-update' }),
  });
}

/**
 * Enrols everyone not enrolled yet. Whole employees are packed into transactions of up to 100
 * items (one per employee would be ~16× the round trips): each employee's items land together or
 * not at all. A cancelled transaction (some employee raced) is settled employee by employee.
 */
async function enrolAll(ctx: RunContext, states: EmployeeState[]): Promise<Enrolment[]> {
  const results: Enrolment[] = new Array(states.length);
  const planned: { i: number; plan: ReturnType<typeof planEnrolment> }[] = [];
  states.forEach((state, i) => {
    if (state.enrolment) results[i] = state.enrolment;
    else planned.push({ i, plan: planEnrolment(ctx, state) });
  });
  const chunks = packTransactions(planned, (u) => u.plan.items);

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
  // A new link copies its employee's period points into the report projection (a stale read
  // cancels that employee's transaction on the points, and it is read again consistently).
  const points = await pointsOf(
    participants.filter((p) => !done.has(p.participantId) && (!links.get(p.participantId) || links.get(p.participantId)!.unlinkedAt)),
    false,
  );
  const enrolments = await enrolAll(
    ctx,
    participants.map((participant, i) => ({
      participant,
      email: rows[i].email,
      link: links.get(participant.participantId),
      enrolment: done.get(participant.participantId),
      points: points.get(participant.participantId) ?? {},
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
      stopAt: args.lambdaDeadline === undefined ? undefined : args.lambdaDeadline - MAIL_RESERVE_MS,
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

