import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, db, optimistic, tableName, transact, transactOrAgain, type TxItem } from './client';
import { Conflict } from '../domain/errors';
import { auditPut, type Actor } from './audit';
import { batchGet, queryAll } from './batch';
import { getParticipant, getPeriodPoints, participantPk, registrationSk, type Participant, type PeriodSummary } from './participants';
import { foldIntoProfile, foldLinkChecks, linkSetOf, linksUnchanged, stateAttributes, stateOf } from './employee-state';
import type { CompleteOptions, OutboxFields } from './outbox';
import { ACTIVATIONMAIL, COLLREG, EMPLOYEE, EMPLOYER, MAILPENDING, PARTICIPANT } from './keys';

/**
 * An employer's side of the register: the links to its employees, its collective registrations
 * and, per collective registration, one enrolment row per employee. Keys: README.md here.
 *
 * - employer link   pk EMPLOYER#<employerId>   sk EMPLOYEE#<participantId>
 *                   gsi1 PARTICIPANT#<participantId> / EMPLOYER#<employerId>
 * - collective reg. pk EMPLOYER#<employerId>   sk COLLREG#<collectiveRegistrationId>
 * - enrolment       pk COLLREG#<collectiveRegistrationId>   sk EMPLOYEE#<participantId>
 *                   gsi2 MAILPENDING#<shard 0-3> / <enrolledAt>#<collectiveRegistrationId>#<participantId>
 *                   (only until its activation e-mail is sent: the outbox the activation-mails job reads;
 *                   the enrolment is an outbox item, shared/data/outbox.ts, born `pending`)
 * - activation mail  pk EMPLOYER#<employerId>   sk ACTIVATIONMAIL#<participantId>
 *                   (which of the employer's collective registrations sends P's one activation e-mail)
 */
export const employerPk = (employerId: string) => EMPLOYER(employerId);
export const linkKey = (employerId: string, participantId: string) => ({ pk: employerPk(employerId), sk: EMPLOYEE(participantId) });
export const collectiveRegistrationKey = (employerId: string, id: string) => ({ pk: employerPk(employerId), sk: COLLREG(id) });
export const enrolmentKey = (id: string, participantId: string) => ({ pk: COLLREG(id), sk: EMPLOYEE(participantId) });
export const activationMailKey = (employerId: string, participantId: string) => ({ pk: employerPk(employerId), sk: ACTIVATIONMAIL(participantId) });

export interface EmployeeLink {
  employerId: string;
  participantId: string;
  /** The day the link started (Europe/Amsterdam). */
  linkedOn: string;
  linkedAt: string;
  /** The collective registration that made the link, when one did. */
  collectiveRegistrationId?: string;
  unlinkedAt?: string;
  /** The employer's learning plan the employee is on (issue 16 part 2; data/learning-plans.ts). A re-link starts without one. */
  learningPlanId?: string;
}

export type Outcome = 'registered' | 'linked';

/**
 * The pending-mail index is sharded so that a 1,000-employee upload (and several at once) spreads
 * its index writes over a few partitions instead of one hot key; the job reads every shard.
 */
export const MAIL_PENDING_SHARDS = 4;
const MAIL_PENDING_INDEX = 'gsi2';

export const mailPendingPk = (shard: number) => MAILPENDING(shard);
export function mailShardOf(participantId: string): number {
  return createHash('sha256').update(participantId).digest()[0] % MAIL_PENDING_SHARDS;
}
/** gsi2 keys of an enrolment whose e-mail is still to be sent: oldest first within a shard. */
function mailPendingKeys(e: Pick<Enrolment, 'collectiveRegistrationId' | 'participantId' | 'enrolledAt'>) {
  return {
    gsi2pk: mailPendingPk(mailShardOf(e.participantId)),
    gsi2sk: `${e.enrolledAt}#${e.collectiveRegistrationId}#${e.participantId}`,
  };
}

/** One employee's part of one collective registration: what happened, and whether they were mailed. */
export interface Enrolment extends OutboxFields {
  collectiveRegistrationId: string;
  participantId: string;
  diplomaNumber: string;
  registrationNumber: string;
  outcome: Outcome;
  /** The period the registration started ("registered" only). */
  registrationId?: string;
  enrolledAt: string;
  /** The employer whose collective registration this is (the activation token names it). */
  employerId?: string;
  /**
   * The address the employer gave for this employee. It became the address on file when the
   * holder had none (SPEC: Accounts: it counts as on file); the e-mail goes to the address on
   * file. Rows from before the outbox lack it.
   */
  email?: string;
  /** When the activation e-mail went out (outbox status `sent`). */
  mailedAt?: string;
  /**
   * Set instead of `mailedAt` when another of the employer's collective registrations sends (or
   * sent) this employee's activation e-mail: its id (outbox status `superseded`). The enrolment
   * leaves the outbox unsent. The lease, attempts and last error are the outbox's fields.
   */
  mailSupersededBy?: string;
}

export function toLink(item: Record<string, unknown>): EmployeeLink {
  return {
    employerId: item.employerId as string,
    participantId: item.participantId as string,
    linkedOn: item.linkedOn as string,
    linkedAt: item.linkedAt as string,
    collectiveRegistrationId: (item.collectiveRegistrationId as string | undefined) || undefined,
    unlinkedAt: (item.unlinkedAt as string | undefined) || undefined,
    ...(item.learningPlanId ? { learningPlanId: item.learningPlanId as string } : {}),
  };
}

function toEnrolment(item: Record<string, unknown>): Enrolment {
  const { pk: _pk, sk: _sk, type: _type, gsi2pk: _gpk, gsi2sk: _gsk, gsi1pk: _g1pk, gsi1sk: _g1sk, ...rest } = item;
  return rest as unknown as Enrolment;
}

// ---------------------------------------------------------------- links

export async function getLink(employerId: string, participantId: string, consistent = false): Promise<EmployeeLink | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: linkKey(employerId, participantId), ConsistentRead: consistent }));
  return res.Item ? toLink(res.Item) : undefined;
}

/** Link rows of one employer for these participants, by participantId (unlinked ones included). */
export async function getLinks(employerId: string, participantIds: string[]): Promise<Map<string, EmployeeLink>> {
  const items = await batchGet(participantIds.map((p) => linkKey(employerId, p)), { consistent: true });
  return new Map(items.map((i) => [i.participantId as string, toLink(i)]));
}

/** All link rows of an employer, in participantId order (one partition: cost follows its employees). */
export async function listLinks(employerId: string): Promise<EmployeeLink[]> {
  const items = await queryAll({
    pk: employerPk(employerId),
    skPrefix: EMPLOYEE(),
    attributes: ['employerId', 'participantId', 'linkedOn', 'linkedAt', 'collectiveRegistrationId', 'unlinkedAt', 'learningPlanId'],
  });
  return items.map(toLink);
}

/**
 * The transaction that makes sure P is linked to E: `alongside` (the other items of the
 * transaction, e.g. a period start) plus the link's. An existing live link is only checked (it
 * keeps its original start date; the writers keep its projection). A missing or unlinked one is
 * (re)written with its audit event on the participant and a snapshot of the report projection
 * (shared/data/employee-state.ts): the profile as read — with the period `alongside` starts, when
 * it starts one — and the points of each existing period. The profile takes E into its
 * `employerIds` and moves `linksVersion` (so is every period's), conditioned on the fields the
 * snapshot copied; each period on the points copied. Each is conditioned on the state it was
 * decided on, so a race cancels the transaction instead of double-linking or leaving a stale row.
 */
export function linkItems(args: {
  employerId: string;
  participantId: string;
  existing: EmployeeLink | undefined;
  linkedOn: string;
  collectiveRegistrationId?: string;
  actor: Actor;
  now: Date;
  /** The profile as read (consistently after a cancellation). */
  profile: Participant;
  /** Points of the profile's periods as read, by `startsOn` (missing = 0). */
  points: Record<string, number>;
  /** The period `alongside` starts, if it starts one. */
  newPeriod?: PeriodSummary;
  alongside?: TxItem[];
}): TxItem[] {
  const key = linkKey(args.employerId, args.participantId);
  const alongside = args.alongside ?? [];
  if (args.existing && !args.existing.unlinkedAt) {
    return foldLinkChecks([
      ...alongside,
      { ConditionCheck: { TableName: tableName(), Key: key, ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(unlinkedAt)' } },
    ]);
  }
  const link: EmployeeLink = {
    employerId: args.employerId,
    participantId: args.participantId,
    linkedOn: args.linkedOn,
    linkedAt: args.now.toISOString(),
    collectiveRegistrationId: args.collectiveRegistrationId,
  };
  const p = args.profile;
  const seen = linkSetOf(p);
  const version = seen.version + 1;
  const snapshot = stateOf({ ...p, periods: [...p.periods, ...(args.newPeriod ? [args.newPeriod] : [])] });
  const points: Record<string, number> = {};
  for (const period of p.periods) points[period.startsOn] = args.points[period.startsOn] ?? 0;

  // The profile's fields the snapshot copied must still be what they were.
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':lkE': new Set([args.employerId]), ':lkV': version, ...linksUnchanged(seen.version).values };
  const same: string[] = [linksUnchanged(seen.version).expression];
  const copied: [string, unknown][] = [
    ['initials', p.initials], ['prefix', p.prefix], ['lastName', p.lastName], ['diplomaType', p.diplomaType],
    ['latestEndsOn', p.latestEndsOn], ['email', p.email],
  ];
  copied.forEach(([field, value], i) => {
    names[`#lk${i}`] = field;
    if (value === undefined) same.push(`attribute_not_exists(#lk${i})`);
    else {
      same.push(`#lk${i} = :lk${i}`);
      values[`:lk${i}`] = value;
    }
  });
  if (p.rawMark) {
    names['#lkAt'] = 'at';
    same.push('emailUndeliverable.#lkAt = :lkAt');
    values[':lkAt'] = p.rawMark.at;
  } else same.push('attribute_not_exists(emailUndeliverable)');

  const periodPk = participantPk(args.participantId);
  const newPeriodSk = args.newPeriod ? registrationSk(args.newPeriod.startsOn) : undefined;
  // The period started alongside carries the new version from the start.
  const withVersion = alongside.map((item): TxItem => {
    const put = item.Put;
    if (!put || !newPeriodSk || put.Item?.pk !== periodPk || put.Item?.sk !== newPeriodSk) return item;
    return { Put: { ...put, Item: { ...put.Item, linksVersion: version } } };
  });
  const items: TxItem[] = [
    ...withVersion,
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...key, type: 'employerLink', ...link, gsi1pk: participantPk(args.participantId), gsi1sk: employerPk(args.employerId),
          ...stateAttributes(snapshot), points,
        },
        ConditionExpression: args.existing ? 'unlinkedAt = :was' : 'attribute_not_exists(pk)',
        ...(args.existing ? { ExpressionAttributeValues: { ':was': args.existing.unlinkedAt } } : {}),
      },
    },
    auditPut(
      participantPk(args.participantId),
      {
        actor: args.actor,
        action: 'employer.linked',
        before: args.existing ? { employerId: args.employerId, linkedOn: args.existing.linkedOn, unlinkedAt: args.existing.unlinkedAt } : undefined,
        after: { employerId: args.employerId, linkedOn: args.linkedOn },
        detail: args.collectiveRegistrationId ? { collectiveRegistrationId: args.collectiveRegistrationId } : undefined,
      },
      args.now,
    ),
    // Every period moves to the new version, on the points the snapshot copied: a credit that
    // read the old links is cancelled (its period condition), one that landed first cancels this.
    ...p.periods.map((period): TxItem => ({
      Update: {
        TableName: tableName(),
        Key: { pk: periodPk, sk: registrationSk(period.startsOn) },
        UpdateExpression: 'SET linksVersion = :v',
        ConditionExpression: 'attribute_exists(pk) AND points = :seen',
        ExpressionAttributeValues: { ':v': version, ':seen': points[period.startsOn] },
      },
    })),
  ];
  return foldLinkChecks(
    foldIntoProfile(items, args.participantId, {
      set: ['linksVersion = :lkV'],
      add: ['employerIds :lkE'],
      condition: same.join(' AND '),
      names,
      values,
    }),
  );
}

/**
 * Links P to E on its own (tests, the bench, an operator): reads the profile and its periods'
 * points consistently and writes the link's transaction; a race cancels it and it is decided
 * again. `already-linked` when a live link exists.
 */
export async function linkEmployee(employerId: string, participantId: string, actor: Actor, linkedOn: string, now = new Date()): Promise<'linked' | 'already-linked'> {
  return optimistic(async () => {
    const [existing, profile] = await Promise.all([getLink(employerId, participantId, true), getParticipant(participantId, true)]);
    if (!profile) throw new Error('No participant with this id');
    if (existing && !existing.unlinkedAt) return 'already-linked';
    const points = await getPeriodPoints(profile.periods.map((r) => ({ participantId, startsOn: r.startsOn })), true);
    const items = linkItems({
      employerId, participantId, existing, linkedOn, actor, now, profile,
      points: Object.fromEntries(profile.periods.map((r) => [r.startsOn, points.get(`${participantId}#${r.startsOn}`) ?? 0])),
    });
    return transactOrAgain(items, 'linked' as const);
  }, {
    attempts: 9,
    backoffMs: (attempt) => 5 + Math.random() * 20 * attempt,
    exhausted: () => new Conflict('The participant changed repeatedly while being linked; try again.', { reason: 'concurrent-update' }),
  });
}

/**
 * Ends a link (the row stays, with `unlinkedAt`) and records it in the participant's audit trail;
 * the profile lets go of E (`employerIds`), so the report projection's writers stop updating the
 * row (one that read E before still may: harmless, the report skips an ended row and a re-link
 * writes a fresh snapshot). `not-linked` when there is no row; `already-unlinked` (nothing
 * written) when it had ended.
 */
export async function unlink(employerId: string, participantId: string, actor: Actor, now = new Date()): Promise<'unlinked' | 'already-unlinked' | 'not-linked'> {
  const existing = await getLink(employerId, participantId, true);
  if (!existing) return 'not-linked';
  if (existing.unlinkedAt) return 'already-unlinked';
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: linkKey(employerId, participantId),
          UpdateExpression: 'SET unlinkedAt = :now, unlinkedBy = :actor',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(unlinkedAt)',
          ExpressionAttributeValues: { ':now': now.toISOString(), ':actor': actor },
        },
      },
      auditPut(
        participantPk(participantId),
        { actor, action: 'employer.unlinked', before: { employerId, linkedOn: existing.linkedOn }, after: { employerId, unlinkedAt: now.toISOString() } },
        now,
      ),
      {
        Update: {
          TableName: tableName(),
          Key: { pk: participantPk(participantId), sk: 'PROFILE' },
          UpdateExpression: 'DELETE employerIds :e',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':e': new Set([employerId]) },
        },
      },
    ]);
    return 'unlinked';
  } catch (err) {
    // A concurrent unlink won: the end state is the same.
    if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return 'already-unlinked';
    throw err;
  }
}

// ---------------------------------------------------------------- collective registrations

export interface CollectiveRegistration {
  collectiveRegistrationId: string;
  employerId: string;
  status: 'in-progress' | 'completed';
  employees: number;
  registered?: number;
  linked?: number;
  idempotencyKey: string;
  createdAt: string;
  completedAt?: string;
  actor: Actor;
}

/** The record written first (with the idempotency claim), status `in-progress`, and its audit event. */
export function startCollectiveRegistrationItems(args: {
  employerId: string;
  collectiveRegistrationId: string;
  employees: number;
  idempotencyKey: string;
  actor: Actor;
  now: Date;
}): TxItem[] {
  const record: CollectiveRegistration = {
    collectiveRegistrationId: args.collectiveRegistrationId,
    employerId: args.employerId,
    status: 'in-progress',
    employees: args.employees,
    idempotencyKey: args.idempotencyKey,
    createdAt: args.now.toISOString(),
    actor: args.actor,
  };
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...collectiveRegistrationKey(args.employerId, args.collectiveRegistrationId), type: 'collectiveRegistration', ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    auditPut(
      employerPk(args.employerId),
      { actor: args.actor, action: 'collective-registration.started', detail: { collectiveRegistrationId: args.collectiveRegistrationId, employees: args.employees } },
      args.now,
    ),
  ];
}

/** Marks the record completed (for the final transaction); a second completion changes nothing. */
export function completeCollectiveRegistrationItem(args: {
  employerId: string;
  collectiveRegistrationId: string;
  registered: number;
  linked: number;
  now: Date;
}): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: collectiveRegistrationKey(args.employerId, args.collectiveRegistrationId),
      UpdateExpression: 'SET #status = :completed, registered = :r, linked = :l, completedAt = if_not_exists(completedAt, :now)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':completed': 'completed', ':r': args.registered, ':l': args.linked, ':now': args.now.toISOString() },
    },
  };
}

export async function getCollectiveRegistration(employerId: string, id: string): Promise<CollectiveRegistration | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: collectiveRegistrationKey(employerId, id), ConsistentRead: true }));
  if (!res.Item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...rest } = res.Item;
  return rest as CollectiveRegistration;
}

// ---------------------------------------------------------------- enrolments

/**
 * An enrolment in its employee's gsi1 partition (`PARTICIPANT#<id>` / `COLLREG#<id>`, which sorts
 * before the dossier's `CREDIT#`…`INVOICE$` range), so an erasure finds every enrolment of a
 * participant — and the address the upload gave — without a scan.
 */
export const enrolmentParticipantKeys = (e: { participantId: string; collectiveRegistrationId: string }) => ({
  gsi1pk: PARTICIPANT(e.participantId),
  gsi1sk: COLLREG(e.collectiveRegistrationId),
});

/**
 * The enrolment row, written in the employee's own transaction (with the period, the link and
 * the audit events): `attribute_not_exists` makes each employee's step happen once per collective
 * registration, however often (or concurrently) it is retried. It is born in the pending-mail
 * index (gsi2), so no enrolment can exist whose activation e-mail nobody will send.
 */
export function enrolmentItem(e: Omit<Enrolment, 'mailedAt' | 'mailSupersededBy' | keyof OutboxFields>): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...enrolmentKey(e.collectiveRegistrationId, e.participantId), type: 'enrolment', ...e, outboxStatus: 'pending', ...mailPendingKeys(e), ...enrolmentParticipantKeys(e) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function getEnrolment(id: string, participantId: string): Promise<Enrolment | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: enrolmentKey(id, participantId), ConsistentRead: true }));
  return res.Item ? toEnrolment(res.Item) : undefined;
}

/** Every enrolment of a collective registration, by participantId (strongly consistent). */
export async function listEnrolments(id: string): Promise<Map<string, Enrolment>> {
  const items = await queryAll({ pk: COLLREG(id), skPrefix: EMPLOYEE(), consistent: true });
  return new Map(items.map((i) => [i.participantId as string, toEnrolment(i)]));
}

/**
 * How an enrolment leaves the outbox (`complete` of shared/data/outbox.ts, for the claim's holder):
 * sent (`mailedAt`), superseded by another collective registration of the employer (`by`), or
 * not sent because the address on file is undeliverable (issue 16 part 5: it bounced for good or
 * drew a complaint; a new e-mail is theirs to ask for once a new address is confirmed, `POST
 * /v1/activations`). Each removes the gsi2 keys in the same write, so the index holds exactly the
 * unsent ones.
 */
export function enrolmentMailDone(
  outcome: { status: 'sent'; now?: Date } | { status: 'superseded'; by: string } | { status: 'undeliverable'; now?: Date },
): CompleteOptions {
  const remove = ['gsi2pk', 'gsi2sk'];
  if (outcome.status === 'superseded') return { status: 'superseded', set: { mailSupersededBy: outcome.by }, remove };
  const at = (outcome.now ?? new Date()).toISOString();
  return outcome.status === 'sent' ? { status: 'sent', set: { mailedAt: at }, remove } : { status: 'undeliverable', set: { mailSkippedAt: at }, remove };
}

/**
 * The right to send P's activation e-mail on behalf of this employer's collective registrations:
 * the first registration to ask gets it for good (a conditional write on one item per employer
 * and employee), so an employee on several of the employer's lists — or on one list sent twice
 * under different keys — is mailed once. Asking again for the registration that holds it says yes
 * (a retry after a failed send). Their own `POST /v1/activations` never looks at it.
 */
export async function claimActivationMail(employerId: string, participantId: string, collectiveRegistrationId: string, now = new Date()): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: activationMailKey(employerId, participantId),
        UpdateExpression:
          'SET #type = :type, employerId = :e, participantId = :p, collectiveRegistrationId = :c, claimedAt = if_not_exists(claimedAt, :now)',
        ConditionExpression: 'attribute_not_exists(pk) OR collectiveRegistrationId = :c',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'activationMail', ':e': employerId, ':p': participantId, ':c': collectiveRegistrationId, ':now': now.toISOString() },
      }),
    );
    return true;
  } catch (err) {
    if ((err as Error).name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}

/** The collective registration that holds P's activation e-mail for this employer, if any. */
export async function getActivationMailHolder(employerId: string, participantId: string): Promise<string | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: activationMailKey(employerId, participantId), ConsistentRead: true }));
  return res.Item?.collectiveRegistrationId as string | undefined;
}

/** The holders of these employees' activation-mail rights, by `<employerId>#<participantId>` (those held). */
export async function getActivationMailHolders(pairs: { employerId: string; participantId: string }[]): Promise<Map<string, string>> {
  const items = await batchGet(pairs.map((p) => activationMailKey(p.employerId, p.participantId)), { consistent: true });
  return new Map(items.map((i) => [`${i.employerId as string}#${i.participantId as string}`, i.collectiveRegistrationId as string]));
}

// ---------------------------------------------------------------- the pending-mail outbox

/** One page of enrolments waiting for their activation e-mail (gsi2, one shard, oldest first). */
export async function pendingMailsPage(
  shard: number,
  opts: { limit?: number; startKey?: Record<string, unknown> } = {},
): Promise<{ items: Enrolment[]; nextKey?: Record<string, unknown> }> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: MAIL_PENDING_INDEX,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': mailPendingPk(shard) },
      Limit: opts.limit ?? 100,
      ExclusiveStartKey: opts.startKey,
    }),
  );
  return { items: (res.Items ?? []).map(toEnrolment), nextKey: res.LastEvaluatedKey };
}

/**
 * How many activation e-mails are still to be sent, over all shards (a COUNT query on the sparse
 * index: it reads only the pending rows). The index is eventually consistent: a row mailed a
 * moment ago may still be counted.
 */
export async function countPendingMails(): Promise<number> {
  let total = 0;
  for (let shard = 0; shard < MAIL_PENDING_SHARDS; shard++) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const res = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: MAIL_PENDING_INDEX,
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': mailPendingPk(shard) },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      total += res.Count ?? 0;
      startKey = res.LastEvaluatedKey;
    } while (startKey);
  }
  return total;
}
