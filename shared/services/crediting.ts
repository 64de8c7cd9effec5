import { batchGet, batchPut } from '../data/batch';
import { auditItem, type Actor } from '../data/audit';
import { getActivity, listActivitiesByOwner, type Activity } from '../data/activities';
import { diplomaKey, displayName, getParticipant, getParticipants, participantPk, regNoKey, registrationSk, type Participant } from '../data/participants';
import { AGAIN, cancellationCodes, optimistic, packTransactions, transact, withConflictRetry, type TxItem } from '../data/client';
import { creditIdFor, creditItems, existingCredits, getCredit, pointsOfExisting, revocationItems, type Credit } from '../data/credits';
import { linkSetOf, type LinkSet } from '../data/employee-state';
import { isRecognizedOn } from '../domain/recognition';
import { covers, pointsMissing } from '../domain/periods';
import type { Completion, RejectionReason } from '../schemas/credits';
import { Conflict, NotFound } from '../domain/errors';
import { creditsEmail } from '../email/templates/credits';
import { sendEmail } from '../email/send';
import { logger } from '../log';
import { runBounded } from '../bounded';
import type { ApiKeyRecord } from '../data/api-keys';
import { isLinked } from './participants';
import { keepUnmatchedCompletions } from '../data/unmatched';

export interface Sender {
  id: string;
  role: 'provider' | 'employer';
  /** The organisation's user who sent it (the pages); the audit trail names them. */
  userId?: string;
}

export interface CreditResult {
  externalId: string;
  status: 'credited' | 'duplicate' | 'rejected';
  creditId?: string;
  points?: number;
  reason?: RejectionReason;
}

type Ref = { registrationNumber: string } | { diplomaNumber: string };

const refKey = (ref: Ref) => ('registrationNumber' in ref ? regNoKey(ref.registrationNumber) : diplomaKey(ref.diplomaNumber));

/** Participant ids for registration / diploma numbers (one BatchGetItem per 100 distinct refs), by key. */
async function resolveParticipants(refs: Ref[]): Promise<Map<string, string>> {
  const items = await batchGet(refs.map(refKey), { attributes: ['pk', 'participantId'] });
  return new Map(items.map((item) => [item.pk as string, item.participantId as string]));
}

function memo<K, V>(load: (k: K) => Promise<V>) {
  const cache = new Map<K, Promise<V>>();
  return (k: K) => {
    let v = cache.get(k);
    if (!v) {
      v = load(k);
      cache.set(k, v);
    }
    return v;
  };
}

interface Pending {
  index: number;
  credit: Credit;
}

/**
 * Credits per TransactWriteItems. DynamoDB allows 100 items; DynamoDB Local runs transactions one
 * at a time and accepts ~4× more credits per second at 5–33 credits per transaction than at one
 * (ARCHITECTURE.md), while a group cancelled by one failing condition is sent again without it, so
 * smaller groups waste less on a batch full of duplicates. 25 credits are 50 items today.
 */
export const CREDITS_PER_TRANSACTION = 25;
/**
 * Transactions in flight at once: about 50 credits' worth, at most 16 (the participants in flight
 * before grouping). Many large transactions at once only queue on the same items' locks; DynamoDB
 * Local then fails them ("too long waiting for a lock"), and DynamoDB gains nothing from them.
 */
const inFlight = (perTransaction: number) => Math.min(16, Math.max(1, Math.ceil(50 / perTransaction)));

type Rejected = { index: number; participantId?: string; reason: RejectionReason };
interface Planned extends Pending {
  items: TxItem[];
  keys: string[];
  /** The employer links its items were built with (the projection rows they move). */
  links: LinkSet;
  /** Its items again, for other links (an employer was linked since the profile was read). */
  build: (links: LinkSet) => TxItem[];
  /** How often it was built again for new links (bounded). */
  relinks?: number;
}

/** Rebuilds for new links at most this often: each one means another employer was linked meanwhile. */
const MAX_RELINKS = 5;

/** The item a transaction entry writes (DynamoDB refuses two operations on one item in one transaction). */
function itemKey(item: TxItem): string {
  const op = item.Put ?? item.Update ?? item.Delete ?? item.ConditionCheck;
  const key = (item.Put ? item.Put.Item : (op as { Key: Record<string, unknown> }).Key) as Record<string, unknown>;
  return `${op?.TableName}\u0000${String(key.pk)}\u0000${String(key.sk)}`;
}

/**
 * Writes the credits, several per transaction, with the answers one transaction per credit gave.
 *
 * Waves keep the order of the batch wherever two credits touch one item (the same period, or
 * whatever else creditItems writes): a credit goes in the wave after the last one that touched
 * any of its items, so the earlier completion lands first and the later one meets its condition,
 * as before. Within a wave no two credits share an item, so its credits are cut into groups of at
 * most `perTransaction` credits and 100 items, and the groups run in parallel.
 */
async function creditInGroups(
  pending: Pending[],
  actor: Actor,
  now: Date,
  results: CreditResult[],
  rejected: Rejected[],
  perTransaction: number,
  linksOf: (participantId: string) => LinkSet,
) {
  const waves: Planned[][] = [];
  const lastWave = new Map<string, number>();
  for (const p of [...pending].sort((a, b) => a.index - b.index)) {
    const build = (links: LinkSet) => creditItems(p.credit, actor, now, links);
    const links = linksOf(p.credit.participantId);
    const items = build(links);
    const keys = items.map(itemKey);
    const wave = Math.max(0, ...keys.map((k) => (lastWave.get(k) ?? -1) + 1));
    for (const k of keys) lastWave.set(k, wave);
    (waves[wave] ??= []).push({ ...p, items, keys, links, build });
  }
  const answers = { results, rejected };
  for (const wave of waves) {
    const groups = packTransactions(wave, (p) => p.items, { maxUnits: perTransaction });
    await runBounded(groups, inFlight(perTransaction), (g) => creditGroup(g, answers));
  }
}

/**
 * The write phase of creditCompletions alone, for credits already checked: the same waves, groups,
 * conditions and answers, without the batch's reads. The bench measures it against one credit per
 * transaction, like for like (bench/webhook.ts); creditCompletions calls creditInGroups directly,
 * with the links each participant's profile had.
 */
export async function writeCredits(
  credits: Credit[],
  actor: Actor,
  now: Date,
  linksOf: (participantId: string) => LinkSet,
  perTransaction = CREDITS_PER_TRANSACTION,
): Promise<CreditResult[]> {
  const results: CreditResult[] = new Array(credits.length);
  await creditInGroups(credits.map((credit, index) => ({ index, credit })), actor, now, results, [], perTransaction, linksOf);
  return results;
}

type Answers = { results: CreditResult[]; rejected: Rejected[] };

/**
 * One group: one transaction. When a condition cancels it, the cancellation reasons (one per item,
 * in order) name the credits whose items failed: those get their own answer, and the others are
 * sent again as a smaller group until it lands (each round leaves at least one credit out).
 * Reasons are mapped by each credit's range of items, however many items a credit has.
 */
async function creditGroup(group: Planned[], answers: Answers) {
  let open = group;
  while (open.length > 1) {
    try {
      await withConflictRetry(() => transact(open.flatMap((p) => p.items)));
      for (const p of open) credited(p, answers);
      return;
    } catch (err) {
      const codes = cancellationCodes(err);
      if (!codes) throw err;
      const reasons = reasonsOf(err);
      const failed: { p: Planned; codes: string[]; reasons: Reason[] }[] = [];
      const rest: Planned[] = [];
      let at = 0;
      for (const p of open) {
        const own = codes.slice(at, at + p.items.length);
        const ownReasons = reasons.slice(at, at + p.items.length);
        at += p.items.length;
        if (own.some((c) => c !== 'None')) failed.push({ p, codes: own, reasons: ownReasons });
        else rest.push(p);
      }
      if (!failed.length) throw err;
      await runBounded(failed, 4, ({ p, codes: own, reasons: r }) => answerFailed(p, own, r, answers));
      open = rest;
    }
  }
  if (open.length === 1) await creditOne(open[0], answers);
}

function credited({ index, credit }: Planned, answers: Answers) {
  answers.results[index] = { externalId: credit.externalId, status: 'credited', creditId: credit.creditId, points: credit.points };
}

type Reason = { Code?: string; Item?: Record<string, { N?: string }> };
const reasonsOf = (err: unknown): Reason[] => (err as { CancellationReasons?: Reason[] }).CancellationReasons ?? [];

/** A credit alone in its transaction: the answer of its own conditions (a conflict is retried, anything else thrown). */
async function creditOne(p: Planned, answers: Answers) {
  try {
    await withConflictRetry(() => transact(p.items));
    credited(p, answers);
  } catch (err) {
    const codes = cancellationCodes(err);
    if (!codes || !(await answerFromConditions(p, codes, reasonsOf(err), answers))) throw err;
  }
}

/** A credit whose items cancelled its group: answered from its own reasons when they are its conditions, else tried alone. */
async function answerFailed(p: Planned, codes: string[], reasons: Reason[], answers: Answers) {
  if (!(await answerFromConditions(p, codes, reasons, answers))) await creditOne(p, answers);
}

/**
 * The answer when the credit's own conditions failed: the credit exists (a duplicate, whoever
 * wrote it: the completion seen before, or a concurrent delivery of it), with the original's
 * points from the cancellation reason; or the period already has the activity (or is gone).
 * Decided with a consistent read of the credit, as a concurrent delivery of the same completion
 * fails both conditions.
 */
async function answerFromConditions(p: Planned, codes: string[], reasons: Reason[], answers: Answers): Promise<boolean> {
  const { index, credit } = p;
  const { results, rejected } = answers;
  const externalId = credit.externalId;
  if (codes[0] === 'ConditionalCheckFailed') {
    const points = pointsOfExisting(reasons[0]) ?? (await getCredit(credit.creditId, true))?.points ?? credit.points;
    results[index] = { externalId, status: 'duplicate', creditId: credit.creditId, points };
    return true;
  }
  if (codes[1] === 'ConditionalCheckFailed') {
    const same = await getCredit(credit.creditId, true);
    if (same) {
      results[index] = { externalId, status: 'duplicate', creditId: credit.creditId, points: same.points };
      return true;
    }
    // The period's condition also fails when an employer was linked since the profile was read
    // (shared/data/employee-state.ts): then the credit is built again with the links as they are now.
    const fresh = await getParticipant(credit.participantId, true);
    if (fresh && (fresh.linksVersion ?? 0) !== p.links.version && (p.relinks ?? 0) < MAX_RELINKS) {
      const links = linkSetOf(fresh);
      await creditOne({ ...p, links, items: p.build(links), relinks: (p.relinks ?? 0) + 1 }, answers);
      return true;
    }
    results[index] = { externalId, status: 'rejected', reason: 'already-credited-in-period' };
    rejected.push({ index, participantId: credit.participantId, reason: 'already-credited-in-period' });
    return true;
  }
  return false;
}

/**
 * Credits a batch of completions for one sender. Each item gets one result, in order: the checks
 * run in SPEC's order and the first failing one names the reason. The rules that must hold under
 * concurrency — one credit per (sender, externalId), one credit per activity per period — are
 * conditions in the crediting transaction, not reads.
 */
export async function creditCompletions(
  sender: Sender,
  completions: Completion[],
  today: string,
  options: {
    employeesOf?: string;
    /** Credits per transaction (default CREDITS_PER_TRANSACTION); 1 is the one-credit-per-transaction mode the bench compares against. */
    creditsPerTransaction?: number;
  } = {},
): Promise<CreditResult[]> {
  const actor: Actor = { role: sender.role, id: sender.id, ...(sender.userId ? { userId: sender.userId } : {}) };
  const now = new Date();
  const results: CreditResult[] = new Array(completions.length);
  const ids = completions.map((c) => creditIdFor(sender.id, c.externalId));

  // The same externalId twice in one batch is one completion: the first occurrence is processed,
  // the later ones get its answer (as `duplicate` when it was credited) — in order, whatever races.
  const firstOf = new Map<string, number>();
  ids.forEach((id, index) => {
    if (!firstOf.has(id)) firstOf.set(id, index);
  });

  // A completion seen before is a duplicate whatever else holds now. The credit's own condition
  // finds those that pass the checks (its cancellation carries the original credit), so only the
  // refused ones are looked up, below: a first delivery reads no credit at all.
  const participantIds = await resolveParticipants(completions.map((c) => c.participant));
  const activity = memo((id: string) => getActivity(id));
  // The profiles carry each participant's period summary: one BatchGetItem per 100 participants
  // instead of a Query each. Whether the activity was already credited in that period is left to
  // the crediting transaction's condition, which is the rule's only authority anyway.
  const profiles = await getParticipants([...new Set(participantIds.values())]);
  const linked = memo((pid: string) => (options.employeesOf ? isLinked(options.employeesOf, pid) : Promise.resolve(true)));

  const pending: Pending[] = [];
  const rejected: Rejected[] = [];
  await Promise.all(
    completions.map(async (c, index) => {
      if (firstOf.get(ids[index]) !== index) return;
      const reject = (reason: RejectionReason, participantId?: string) => {
        results[index] = { externalId: c.externalId, status: 'rejected', reason };
        rejected.push({ index, participantId, reason });
      };
      const participantId = participantIds.get(refKey(c.participant).pk);
      // An erased (or erasing) participant is no one: its registration number stays reserved (and
      // found), but nothing more is credited to the pseudonym.
      if (!participantId || profiles.get(participantId)?.erasure || !(await linked(participantId))) return reject('participant-not-found');
      const act: Activity | undefined = await activity(c.activityId);
      if (!act || act.ownerId !== sender.id || act.ownerRole !== sender.role || !isRecognizedOn(act, c.completedOn)) {
        return reject('activity-not-recognized', participantId);
      }
      if (c.completedOn > today) return reject('completion-in-future', participantId);
      const period = profiles.get(participantId)?.periods.find((r) => covers(r, c.completedOn));
      if (!period) return reject('not-registered-on-date', participantId);
      pending.push({
        index,
        credit: {
          creditId: ids[index],
          participantId,
          registrationStartsOn: period.startsOn,
          activityId: act.activityId,
          activityTitle: act.title,
          points: act.points,
          completedOn: c.completedOn,
          senderId: sender.id,
          senderRole: sender.role,
          externalId: c.externalId,
          createdAt: now.toISOString(),
        },
      });
    }),
  );

  // A refused completion that was credited before is that credit's duplicate (the refusal is not
  // audited then, nor kept as unmatched).
  if (rejected.length) {
    const seen = await existingCredits(rejected.map((r) => ids[r.index]));
    for (const r of rejected.filter((x) => seen.has(ids[x.index]))) {
      results[r.index] = { externalId: completions[r.index].externalId, status: 'duplicate', creditId: ids[r.index], points: Number(seen.get(ids[r.index])!.points) };
    }
    rejected.splice(0, rejected.length, ...rejected.filter((r) => !seen.has(ids[r.index])));
  }

  // Each participant's employer links as its profile was read: the report projection's rows each credit moves.
  const linksOf = (participantId: string) => linkSetOf(profiles.get(participantId) ?? {});
  await creditInGroups(pending, actor, now, results, rejected, options.creditsPerTransaction ?? CREDITS_PER_TRANSACTION, linksOf);

  completions.forEach((c, index) => {
    const lead = results[firstOf.get(ids[index])!];
    if (results[index]) return;
    results[index] =
      lead.status === 'rejected'
        ? { externalId: c.externalId, status: 'rejected', reason: lead.reason }
        : { externalId: c.externalId, status: 'duplicate', creditId: lead.creditId, points: lead.points };
  });

  await auditRejections(rejected, completions, sender, actor, now);
  // A provider's completion that found no one is kept for the provider to correct (issue 16
  // part 4). Before the answer is returned, so before the webhook stores it: a crash in between
  // leaves the delivery unanswered, and its redelivery keeps it then (once: the id is derived).
  if (sender.role === 'provider') await keepUnmatchedCompletions(rejected, completions, sender.id, now);
  const credited = pending.filter((p) => results[p.index].status === 'credited').map((p) => p.credit);
  await notifyParticipants(credited, profiles);
  return results;
}

/** An employer's own internal activities (what it may credit), newest recognition first. */
export async function internalActivities(employerId: string): Promise<Activity[]> {
  const all = await listActivitiesByOwner(employerId);
  return all.filter((a) => a.internal && a.ownerRole === 'employer' && a.ownerId === employerId).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** One of the employer's own internal activities; another employer's, and a provider's public one, are a 404 like a missing one. */
export async function internalActivityFor(employerId: string, activityId: string): Promise<Activity> {
  const activity = await getActivity(activityId);
  if (!activity || !activity.internal || activity.ownerRole !== 'employer' || activity.ownerId !== employerId) throw new NotFound('No activity with this id.');
  return activity;
}

/**
 * An employer credits its own internal activity to its own linked employees (POST
 * /v1/employers/{id}/credits and the page /werkgever/activiteiten/{id}/toekennen). Each
 * participant's completion gets a derived external id, so sending the same again is answered
 * `duplicate`; after a revocation the same request credits again (see employerExternalIds).
 */
export async function creditEmployees(employerId: string, body: { activityId: string; completedOn: string; participants: string[] }, today: string, userId?: string) {
  const externalIds = await employerExternalIds(employerId, body.activityId, body.completedOn, body.participants);
  const completions = body.participants.map((registrationNumber, i) => ({
    externalId: externalIds[i],
    activityId: body.activityId,
    participant: { registrationNumber },
    completedOn: body.completedOn,
  }));
  // A signed-in user of the employer is named as the one who credited (the audit trail).
  const results = await creditCompletions({ id: employerId, role: 'employer', ...(userId ? { userId } : {}) }, completions, today, { employeesOf: employerId });
  return results.map((r, i) => ({ registrationNumber: body.participants[i], ...r }));
}

/**
 * The external ids of an employer's completions (its API has none): `<activity>:<date>:<REGNO>`,
 * so sending a request again answers `duplicate`; once that credit is revoked, the next generation
 * `…#2`, `…#3` — crediting again what was revoked is a new completion (SPEC: the activity may then
 * be credited again in that period), not a duplicate of the revoked one.
 */
export async function employerExternalIds(employerId: string, activityId: string, completedOn: string, registrationNumbers: string[]): Promise<string[]> {
  const base = registrationNumbers.map((n) => `${activityId}:${completedOn}:${n.toUpperCase()}`);
  const generation = base.map(() => 1);
  const idOf = (i: number) => (generation[i] === 1 ? base[i] : `${base[i]}#${generation[i]}`);
  let open = base.map((_, i) => i);
  while (open.length > 0) {
    // Consistent: a revocation made a moment ago must count.
    const found = await existingCredits(open.map((i) => creditIdFor(employerId, idOf(i))), true);
    open = open.filter((i) => found.get(creditIdFor(employerId, idOf(i)))?.revokedAt);
    for (const i of open) generation[i]++;
  }
  return base.map((_, i) => idOf(i));
}

/** Every refused item goes into the audit trail with its reason (the participant's, else the sender's). */
async function auditRejections(
  rejected: { index: number; participantId?: string; reason: RejectionReason }[],
  completions: Completion[],
  sender: Sender,
  actor: Actor,
  now: Date,
) {
  const items = rejected.map((r) =>
    auditItem(r.participantId ? participantPk(r.participantId) : `${sender.role.toUpperCase()}#${sender.id}`, {
      actor,
      action: 'credit.rejected',
      detail: { externalId: completions[r.index].externalId, activityId: completions[r.index].activityId, completedOn: completions[r.index].completedOn, reason: r.reason },
    }, now),
  );
  await batchPut(items);
}

/**
 * One e-mail per participant per batch, with the new total. The credits are already committed,
 * so a failing e-mail is logged, never turned into a failed delivery (which would be retried).
 * The profiles are the ones the batch read at its start (who has an address); the periods' new
 * totals come in one consistent BatchGetItem per 100, not a Query per participant.
 */
async function notifyParticipants(credited: Credit[], profiles: Map<string, Participant>) {
  const byParticipant = new Map<string, Credit[]>();
  for (const c of credited) if (profiles.get(c.participantId)?.email) byParticipant.set(c.participantId, [...(byParticipant.get(c.participantId) ?? []), c]);
  if (!byParticipant.size) return;
  const latestOf = (credits: Credit[]) => credits.reduce((a, b) => (a.completedOn > b.completedOn ? a : b));
  let periods: Map<string, Record<string, unknown>>;
  try {
    const items = await batchGet(
      [...byParticipant.entries()].map(([participantId, credits]) => ({ pk: participantPk(participantId), sk: registrationSk(latestOf(credits).registrationStartsOn) })),
      { attributes: ['pk', 'sk', 'points', 'endsOn'], consistent: true },
    );
    periods = new Map(items.map((i) => [`${i.pk}\u0000${i.sk}`, i]));
  } catch (err) {
    logger.warn('credit e-mails failed', { error: err as Error });
    return;
  }
  await runBounded([...byParticipant.entries()], 8, async ([participantId, credits]) => {
    try {
      const participant = profiles.get(participantId)!;
      const period = periods.get(`${participantPk(participantId)}\u0000${registrationSk(latestOf(credits).registrationStartsOn)}`);
      if (!period || !participant.email) return;
      const points = Number(period.points ?? 0);
      await sendEmail(
        creditsEmail({
          to: participant.email,
          language: participant.language,
          name: displayName(participant),
          credited: credits.map((c) => ({ activityTitle: c.activityTitle, points: c.points, completedOn: c.completedOn })),
          pointsEarned: points,
          pointsMissing: pointsMissing(points),
          endsOn: period.endsOn as string,
        }),
      );
    } catch (err) {
      logger.warn('credit e-mail failed', { participantId, error: err as Error });
    }
  });
}

/**
 * Revokes a credit: by its sender or the admin (anyone else: 404). Points are withdrawn and the
 * activity may be credited again in that period; the credit stays, marked revoked. Twice → 409.
 */
export async function revokeCredit(creditId: string, reason: string, caller: ApiKeyRecord) {
  const credit = await getCredit(creditId, true);
  if (!credit || (caller.role !== 'admin' && credit.senderId !== caller.ownerId)) throw new NotFound('No credit with this id.');
  if (credit.revokedAt) throw new Conflict('This credit was already revoked.', { revokedAt: credit.revokedAt });
  const now = new Date();
  // The participant's employer links: the report projection's rows lose the points too.
  let links = linkSetOf((await getParticipant(credit.participantId, true)) ?? {});
  await optimistic(async (attempt) => {
    if (attempt > 1) links = linkSetOf((await getParticipant(credit.participantId, true)) ?? {});
    try {
      await withConflictRetry(() => transact(revocationItems(credit, reason, { role: caller.role, id: caller.ownerId }, now, links)));
      return 'revoked';
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[0] === 'ConditionalCheckFailed') throw new Conflict('This credit was already revoked.');
      // An employer linked since the read (the period's linksVersion moved): again with the new links.
      if (codes?.[1] === 'ConditionalCheckFailed') return AGAIN;
      throw err;
    }
  }, { attempts: 6, exhausted: () => new Conflict('Employers were linked repeatedly while the credit was revoked; try again.', { reason: 'concurrent-update' }) });
  return { creditId, status: 'revoked' as const, points: credit.points, revokedAt: now.toISOString(), reason };
}
