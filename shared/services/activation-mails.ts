import {
  claimActivationMail,
  claimMail,
  countPendingMails,
  getActivationMailHolder,
  getActivationMailHolders,
  MAIL_PENDING_SHARDS,
  markMailed,
  markMailSuperseded,
  markMailUndeliverable,
  pendingMailsPage,
  releaseMail,
  type Enrolment,
} from '../data/employers';
import { getParticipants, type Participant } from '../data/participants';
import type { JobRunOptions, JobSummary } from '../jobs/registry';
import { logger } from '../log';
import { sendActivation } from './activation';

/**
 * The activation e-mails of collective registrations (SPEC: Employers — each collectively
 * registered employee receives one). Every enrolment is born in a sparse outbox index
 * (`MAILPENDING#<shard>`, see shared/data/README.md) and leaves it when its e-mail is recorded as
 * sent. The request sends what fits its time budget; the `activation-mails` job sends the rest.
 * Both go through `sendActivationMails`: claim (a conditional lease) → send → record, so a
 * concurrent request, concurrent job runs or a crash never send one twice, and a failed send
 * stays in the outbox for the next run.
 *
 * An employee gets one such e-mail per employer, however many of its collective registrations
 * name them: before sending, the enrolment's registration takes the employer's right to mail that
 * employee (`claimActivationMail`); an enrolment of another registration finds it taken and leaves
 * the outbox unsent (`mailSupersededBy`). A new e-mail is theirs to ask for (`POST /v1/activations`).
 */

/** How long a process may hold an employee's activation e-mail before another may send it. */
export const MAIL_LEASE_MS = 60_000;
const CONCURRENCY = 8;
const PAGE_SIZE = 100;

export interface MailTarget {
  enrolment: Enrolment;
  /** The employee's profile as read now: the address on file and language win over the upload's. */
  participant: Participant | undefined;
}

export interface MailBudget {
  /** Epoch ms: no e-mail is started after this (the ones in flight finish). */
  deadline?: number;
  /** At most this many e-mails are started (claimed). */
  max?: number;
  concurrency?: number;
  /** Start no new e-mail after one failed (SES is down or throttling: leave the rest to the job). */
  stopOnFailure?: boolean;
}

export interface MailTally {
  sent: number;
  failed: number;
  /** Not sent: the address on file bounced for good or drew a complaint (out of the outbox, never retried). */
  undeliverable: number;
  /** Already sent, being sent by another process (its lease is live), or the employee's e-mail belongs to another of the employer's collective registrations. */
  skipped: number;
  /** Not tried: the budget ran out first. They stay in the outbox. */
  notStarted: number;
}

type Outcome = 'sent' | 'failed' | 'skipped' | 'undeliverable';

/** The error's name only: addresses and message text may hold personal data. */
const errorName = (err: unknown) => ((err as Error)?.name || 'Error').slice(0, 100);

async function mailOne({ enrolment: e, participant }: MailTarget): Promise<Outcome> {
  const ids = { collectiveRegistrationId: e.collectiveRegistrationId, participantId: e.participantId };
  let claimed: boolean;
  try {
    claimed = await claimMail(e.collectiveRegistrationId, e.participantId, MAIL_LEASE_MS);
  } catch (err) {
    logger.warn('activation e-mail: claim failed', { ...ids, error: errorName(err) });
    return 'failed';
  }
  if (!claimed) return 'skipped';
  try {
    // Rows enrolled before the outbox lack the employer; they are not in the outbox either.
    if (e.employerId && !(await claimActivationMail(e.employerId, e.participantId, e.collectiveRegistrationId))) {
      const holder = (await getActivationMailHolder(e.employerId, e.participantId)) ?? 'unknown';
      await markMailSuperseded(e.collectiveRegistrationId, e.participantId, holder);
      return 'skipped';
    }
  } catch (err) {
    logger.warn('activation e-mail: claim failed', { ...ids, error: errorName(err) });
    await releaseMail(e.collectiveRegistrationId, e.participantId).catch(() => undefined);
    return 'failed';
  }
  try {
    if (!participant) throw Object.assign(new Error('The participant of this enrolment is missing'), { name: 'ParticipantMissing' });
    // The address on file (SPEC: Accounts). The enrolment wrote the upload's address there when
    // there was none; the fallback serves enrolments written before it did.
    const to = participant.email ?? e.email;
    if (!to) throw Object.assign(new Error('No address to send the activation e-mail to'), { name: 'NoAddress' });
    if (participant.email && participant.emailUndeliverable) {
      await markMailUndeliverable(e.collectiveRegistrationId, e.participantId);
      logger.info('activation e-mail not sent: the address on file is undeliverable', ids);
      return 'undeliverable';
    }
    await sendActivation(participant, to, participant.language, e.employerId);
  } catch (err) {
    logger.warn('activation e-mail: send failed; it stays pending', { ...ids, error: errorName(err) });
    await releaseMail(e.collectiveRegistrationId, e.participantId, errorName(err)).catch(() => undefined);
    return 'failed';
  }
  try {
    await markMailed(e.collectiveRegistrationId, e.participantId);
  } catch (err) {
    // Sent, but not recorded: the lease keeps others off for MAIL_LEASE_MS; after that it would be
    // sent again. Nothing better is possible without a transactional mail server.
    logger.error('activation e-mail sent but not recorded', { ...ids, error: errorName(err) });
  }
  return 'sent';
}

/**
 * Sends the activation e-mails of these enrolments that are not sent yet, with bounded
 * concurrency, within the budget. Never throws: each failure is counted, logged and left pending.
 */
export async function sendActivationMails(targets: readonly MailTarget[], budget: MailBudget = {}): Promise<MailTally> {
  const tally: MailTally = { sent: 0, failed: 0, undeliverable: 0, skipped: 0, notStarted: 0 };
  let next = 0;
  let started = 0;
  const exhausted = () =>
    (budget.deadline !== undefined && Date.now() >= budget.deadline) ||
    (budget.max !== undefined && started >= budget.max) ||
    (budget.stopOnFailure === true && tally.failed > 0);
  const worker = async () => {
    while (next < targets.length && !exhausted()) {
      const target = targets[next++];
      if (target.enrolment.mailedAt || target.enrolment.mailSupersededBy) {
        tally.skipped++;
        continue;
      }
      started++;
      const outcome = await mailOne(target);
      tally[outcome]++;
      // A claim another process holds costs no e-mail: it does not count against `max`.
      if (outcome === 'skipped') started--;
    }
  };
  await Promise.all(Array.from({ length: Math.min(budget.concurrency ?? CONCURRENCY, targets.length) }, worker));
  tally.notStarted = targets.length - next;
  return tally;
}

export interface ActivationMailsSummary extends JobSummary {
  job: 'activation-mails';
  sent: number;
  failed: number;
  /** Still in the outbox after this run (failed ones, those out of time, those others hold). */
  pending: number;
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Not sent yet and not being sent: rows another process holds a live lease on are left to it (the claim would refuse them anyway). */
const isFree = (e: Enrolment, now: number) => !e.mailedAt && !e.mailSupersededBy && !(e.mailLeaseUntil !== undefined && e.mailLeaseUntil > now);

/**
 * The `activation-mails` job: sends every activation e-mail still in the outbox, oldest first per
 * shard, reading only the outbox index (never the table). `asOf` is only reported: an e-mail is
 * due as soon as its enrolment exists. With `stopAt`, no e-mail is started after it. Safe to run
 * concurrently with itself and with collective registrations: each e-mail is claimed first.
 */
export async function runActivationMails(asOf: string, opts: JobRunOptions = {}): Promise<ActivationMailsSummary> {
  let sent = 0;
  let failed = 0;
  let outOfTime = false;
  // Concurrent runs start on different shards, so they mostly work side by side, not in each other's way.
  for (const shard of shuffled([...Array(MAIL_PENDING_SHARDS).keys()])) {
    let startKey: Record<string, unknown> | undefined;
    do {
      if (opts.stopAt !== undefined && Date.now() >= opts.stopAt) {
        outOfTime = true;
        break;
      }
      const page = await pendingMailsPage(shard, { limit: PAGE_SIZE, startKey });
      const now = Date.now();
      const free = page.items.filter((e) => isFree(e, now));
      const profiles = await getParticipants([...new Set(free.map((e) => e.participantId))]);
      const tally = await sendActivationMails(
        free.map((enrolment) => ({ enrolment, participant: profiles.get(enrolment.participantId) })),
        { deadline: opts.stopAt },
      );
      sent += tally.sent;
      failed += tally.failed;
      if (tally.notStarted) outOfTime = true;
      startKey = page.nextKey;
    } while (startKey && !outOfTime);
    if (outOfTime) break;
  }
  const pending = await countPendingMails();
  const summary: ActivationMailsSummary = { job: 'activation-mails', asOf, sent, failed, pending };
  logger.info('activation-mails run', { ...summary, outOfTime });
  return summary;
}

/**
 * What `activation-mails` would send now: the outbox's enrolments that are neither sent nor held
 * by a live lease (the ones a run would claim), less those whose employee another collective
 * registration of the employer mails (holding the right already, or ahead in this list), read
 * only — no claim, no e-mail.
 */
export async function planActivationMails(asOf: string) {
  const items: { type: 'activation-mail'; collectiveRegistrationId: string; participantId: string }[] = [];
  const planned = new Map<string, string>();
  for (let shard = 0; shard < MAIL_PENDING_SHARDS; shard++) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await pendingMailsPage(shard, { limit: PAGE_SIZE, startKey });
      const now = Date.now();
      const free = page.items.filter((e) => isFree(e, now));
      const holders = await getActivationMailHolders(free.filter((e) => e.employerId).map((e) => ({ employerId: e.employerId!, participantId: e.participantId })));
      for (const e of free) {
        const right = `${e.employerId}#${e.participantId}`;
        const holder = e.employerId ? (holders.get(right) ?? planned.get(right)) : undefined;
        if (holder !== undefined && holder !== e.collectiveRegistrationId) continue;
        if (e.employerId) planned.set(right, e.collectiveRegistrationId);
        items.push({ type: 'activation-mail', collectiveRegistrationId: e.collectiveRegistrationId, participantId: e.participantId });
      }
      startKey = page.nextKey;
    } while (startKey);
  }
  return { job: 'activation-mails' as const, asOf, pending: await countPendingMails(), wouldSend: items.length, items };
}

export const activationMailsJob = (asOf: string, opts?: JobRunOptions) => runActivationMails(asOf, opts);
