import {
  claimActivationMail,
  countPendingMails,
  enrolmentKey,
  enrolmentMailDone,
  getActivationMailHolder,
  getActivationMailHolders,
  MAIL_PENDING_SHARDS,
  pendingMailsPage,
  type Enrolment,
} from '../data/employers';
import { isClaimable } from '../data/outbox';
import { getParticipants, type Participant } from '../data/participants';
import { drain, sendOnce, type DrainOptions, type Flow, type Tally } from '../jobs/drain';
import type { JobRunOptions, JobSummary } from '../jobs/run-or-plan';
import { logger } from '../log';
import { sendActivation } from './activation';

/**
 * The activation e-mails of collective registrations (SPEC: Employers — each collectively
 * registered employee receives one). Every enrolment is born `pending` in the outbox (an outbox
 * item, shared/data/outbox.ts, with the sparse index `MAILPENDING#<shard>`, see
 * shared/data/README.md) and leaves it when its e-mail is recorded as sent. The request sends what
 * fits its time budget; the `activation-mails` job sends the rest. Both drain the same flow
 * (`activationMailFlow`): claim (a lease under a claim token) → send → complete, so a concurrent
 * request, concurrent job runs or a crash never send one twice, and a failed send stays in the
 * outbox for the next run.
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

/** The drain's budget (shared/jobs/drain.ts); concurrency defaults to 8. */
export type MailBudget = Partial<DrainOptions>;

/** The drain's one tally: `sent`, `failed`, `undeliverable`, `skipped` (held by another process, or another collective registration mails the employee), `notDue` (sent already), `notStarted`. */
export type MailTally = Tally;

const missing = (name: string, message: string) => Object.assign(new Error(message), { name });

/** One activation e-mail as an outbox flow. */
export const activationMailFlow: Flow<MailTarget> = {
  name: 'activation e-mail',
  due: ({ enrolment }) => isClaimable(enrolment),
  send: ({ enrolment: e, participant }) =>
    sendOnce(
      enrolmentKey(e.collectiveRegistrationId, e.participantId),
      // An enrolment erased or never written is nobody's to mail: the claim never creates one.
      { leaseMs: MAIL_LEASE_MS, extraCondition: { expression: 'attribute_exists(pk)' } },
      async () => {
        // Rows enrolled before the outbox lack the employer; they are not in the outbox either.
        if (e.employerId && !(await claimActivationMail(e.employerId, e.participantId, e.collectiveRegistrationId))) {
          const holder = (await getActivationMailHolder(e.employerId, e.participantId)) ?? 'unknown';
          return { outcome: 'skipped', ...enrolmentMailDone({ status: 'superseded', by: holder }) };
        }
        if (!participant) throw missing('ParticipantMissing', 'The participant of this enrolment is missing');
        // The address on file (SPEC: Accounts). The enrolment wrote the upload's address there when
        // there was none; the fallback serves enrolments written before it did.
        const to = participant.email ?? e.email;
        if (!to) throw missing('NoAddress', 'No address to send the activation e-mail to');
        if (participant.email && participant.emailUndeliverable) {
          logger.info('activation e-mail not sent: the address on file is undeliverable', { collectiveRegistrationId: e.collectiveRegistrationId, participantId: e.participantId });
          return { outcome: 'undeliverable', ...enrolmentMailDone({ status: 'undeliverable' }) };
        }
        await sendActivation(participant, to, participant.language, e.employerId);
        return enrolmentMailDone({ status: 'sent' });
      },
      { flow: 'activation e-mail', ids: { collectiveRegistrationId: e.collectiveRegistrationId, participantId: e.participantId } },
    ),
};

/**
 * Sends the activation e-mails of these enrolments that are not sent yet, with bounded
 * concurrency, within the budget. Never throws: each failure is counted, logged and left pending.
 */
export async function sendActivationMails(targets: readonly MailTarget[], budget: MailBudget = {}): Promise<MailTally> {
  return drain(targets, activationMailFlow, { ...budget, concurrency: budget.concurrency ?? CONCURRENCY });
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

/**
 * The outbox's claimable enrolments, page by page, with their profiles: rows another process holds
 * a live lease on are left to it (the claim would refuse them anyway). Concurrent runs start on
 * different shards, so they mostly work side by side, not in each other's way.
 */
async function* duePages(shards: number[]): AsyncGenerator<MailTarget[]> {
  for (const shard of shards) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await pendingMailsPage(shard, { limit: PAGE_SIZE, startKey });
      const now = Date.now();
      const free = page.items.filter((e) => isClaimable(e, now));
      const profiles = await getParticipants([...new Set(free.map((e) => e.participantId))]);
      yield free.map((enrolment) => ({ enrolment, participant: profiles.get(enrolment.participantId) }));
      startKey = page.nextKey;
    } while (startKey);
  }
}

/**
 * The `activation-mails` job: sends every activation e-mail still in the outbox, oldest first per
 * shard, reading only the outbox index (never the table). `asOf` is only reported: an e-mail is
 * due as soon as its enrolment exists. With `stopAt`, no e-mail is started after it. Safe to run
 * concurrently with itself and with collective registrations: each e-mail is claimed first.
 */
export async function runActivationMails(asOf: string, opts: JobRunOptions = {}): Promise<ActivationMailsSummary> {
  const shards = shuffled([...Array(MAIL_PENDING_SHARDS).keys()]);
  const tally = opts.stopAt !== undefined && Date.now() >= opts.stopAt
    ? undefined
    : await drain(duePages(shards), activationMailFlow, { concurrency: CONCURRENCY, stopAt: opts.stopAt });
  const pending = await countPendingMails();
  const summary: ActivationMailsSummary = { job: 'activation-mails', asOf, sent: tally?.sent ?? 0, failed: tally?.failed ?? 0, pending };
  logger.info('activation-mails run', { ...summary, outOfTime: !tally || tally.notStarted > 0 });
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
      const free = page.items.filter((e) => isClaimable(e, now));
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
