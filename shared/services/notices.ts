import { logger } from '../log';
import { lapseCredentials, planCredentialLapse } from './credential-status';
import { newId } from '../ids';
import { dueNotice, isAtRisk, monthOf, type NoticeKind } from '../domain/notices';
import { POINTS_REQUIRED, pointsMissing } from '../domain/periods';
import {
  completeNotice,
  digestClaimOptions,
  digestKey,
  digestMonthDone,
  digestSent,
  getDigest,
  linkedEmployerIds,
  markDigestMonthDone,
  noticeClaimOptions,
  noticeKey,
  noticeReleaseItems,
  queryAtRisk,
  queryDueNotices,
  recordNoEmail,
  retireNotices,
  type DueEntry,
} from '../data/notices';
import { newClaimToken } from '../data/outbox';
import { displayName, getParticipant, titleFor, type Participant } from '../data/participants';
import { getEmployer } from '../data/organisations';
import { employerDigestEmail, noticeEmail, type DigestEmployee } from '../email/templates/notices';
import { sendEmail } from '../email/send';
import { drain, sendOnce, type Flow, type Outcome } from '../jobs/drain';
import { runBounded } from '../bounded';
import { planReminders } from './learning-plans';
import { employersWithPlans } from '../data/learning-plans';

/**
 * The daily `expiry-notices` job (06:00 Europe/Amsterdam, or on demand as of any date):
 * 1. reads the due index (gsi3, sk ≤ asOf) — only the periods with a notice due;
 * 2. per period (the drain's flow `noticeFlow`, shared/jobs/drain.ts): skips it when renewed (a
 *    later period exists) and takes it out of the index; records `no-email` when there is no
 *    address (`undeliverable` when it bounced or complained); otherwise claims the notice in the
 *    outbox (shared/data/outbox.ts, with the period's lease in the same transaction), sends it
 *    through SES, and completes it (outbox `sent` + the period's index key moved to its next
 *    notice, one transaction). A failed send releases the claim: the notice stays due for the next run.
 * 3. from the 1st of each month until done: the employer digest.
 *
 * Exactly once: see the README in shared/data ("Expiry notices").
 */
export type ByKind = Record<NoticeKind, number>;

export interface ExpiryNoticesSummary {
  job: 'expiry-notices';
  asOf: string;
  /** Periods with a notice due on asOf (read from the index). */
  due: number;
  /** Notices SES accepted in this run. */
  sent: number;
  byKind: ByKind;
  /** Due notices of participants without an e-mail address (recorded, not sent). */
  noEmail: number;
  /** Due notices of participants whose address bounced for good or complained (recorded `undeliverable`, not sent, not retried). */
  undeliverable: number;
  /** Sends that failed (after the SES client's retries): still due, the next run tries again. */
  failed: number;
  /** Renewed (or followed by a later period) since they entered the index: no notice, out of the index. */
  skippedRenewed: number;
  /** Claimed or completed by another run meanwhile (concurrent runs). */
  inFlight: number;
  /** Not started because the run's time budget ran out (still due). */
  deferred: number;
  /** Employer digests sent in this run (only from the 1st of a month until all are out). */
  employerDigests: number;
  employerDigestsFailed: number;
  /** Employers with employees at risk but no HR address (`contactEmail`): no digest (never to the invoice address). */
  employerDigestsNoContact: number;
  /** Issue 18, when there were any: credentials of periods that ended unrenewed, revoked; renewed ones only left the lapse index; deferred/failed stay on it for the next run. */
  credentials?: { revoked: number; renewed: number; deferred: number; failed: number };
  [key: string]: unknown;
}

export interface NoticeRunOptions {
  /** The clock for leases (tests move it forward). */
  now?: () => Date;
  /** How long a claim holds. Longer than the job function's timeout (5 min), so an expired lease means its run is gone. */
  leaseMs?: number;
  /** Notices processed at the same time (SES's sending rate is the limit, not DynamoDB). */
  concurrency?: number;
  /** Epoch ms: claim nothing new after this (the Lambda's remaining time); the rest stays due. */
  stopAt?: number;
}

export const NOTICE_LEASE_MS = 15 * 60_000;

const emptyByKind = (): ByKind => ({ '90': 0, '30': 0, '7': 0, lapsed: 0 });

export async function runExpiryNotices(asOf: string, opts: NoticeRunOptions = {}): Promise<ExpiryNoticesSummary> {
  const runId = newId('run');
  const now = opts.now ?? (() => new Date());
  const leaseMs = opts.leaseMs ?? NOTICE_LEASE_MS;

  const entries = await queryDueNotices(asOf);
  // Oldest notice dates first: a backlog is worked off in the order it arose.
  entries.sort((a, b) => a.indexSk.localeCompare(b.indexSk));

  const byKind = emptyByKind();
  const tally = await drain(entries, noticeFlow({ asOf, runId, now, leaseMs, byKind }), { concurrency: opts.concurrency ?? 4, stopAt: opts.stopAt });
  const digests = await runEmployerDigests(asOf, { runId, now, leaseMs, stopAt: opts.stopAt });
  // Issue 18: the credentials of periods that ended unrenewed are revoked in the same run (reported when there were any).
  const credentials = await lapseCredentials(asOf, { stopAt: opts.stopAt });
  const summary: ExpiryNoticesSummary = {
    job: 'expiry-notices',
    asOf,
    due: entries.length - tally.notDue,
    sent: tally.sent,
    byKind,
    noEmail: tally.noAddress,
    undeliverable: tally.undeliverable,
    failed: tally.failed,
    skippedRenewed: tally.retired,
    inFlight: tally.skipped,
    deferred: tally.notStarted,
    employerDigests: digests.sent,
    employerDigestsFailed: digests.failed,
    employerDigestsNoContact: digests.noContact,
    ...(credentials.revoked || credentials.renewed || credentials.deferred || credentials.failed ? { credentials } : {}),
  };
  logger.info('expiry-notices run', { runId, ...summary });
  return summary;
}

interface Ctx {
  asOf: string;
  runId: string;
  now: () => Date;
  leaseMs: number;
}

/**
 * What a due entry calls for, read-only: the selection a run acts on and a dry run reports.
 * `kind` undefined: not due (the index is read eventually consistently: an entry another run just
 * advanced can still show).
 */
type Triage =
  | { type: 'not-due' }
  | { type: 'gone'; kind: NoticeKind }
  | { type: 'renewed'; kind: NoticeKind; reason: 'renewed' | 'superseded' }
  | { type: 'no-email' | 'undeliverable'; kind: NoticeKind; participant: Participant }
  | { type: 'send'; kind: NoticeKind; participant: Participant };

async function triage(entry: DueEntry, asOf: string): Promise<Triage> {
  const kind = dueNotice(entry.endsOn, asOf, entry.lastNoticeKind);
  if (!kind) return { type: 'not-due' };
  const participant = await getParticipant(entry.participantId);
  // Erased (or being erased: the erasure takes its periods out of this index next): no e-mail.
  if (!participant || participant.erasure) return { type: 'gone', kind };
  // Renewed, or re-activated after a lapse: a later period exists, this one gets nothing more.
  // (The renewal transaction already removed the key; this catches index reads that predate it.)
  if (participant.latestEndsOn && participant.latestEndsOn > entry.endsOn) {
    return { type: 'renewed', kind, reason: participant.periods.some((p) => p.startsOn === entry.endsOn) ? 'renewed' : 'superseded' };
  }
  // A bounced or complained address gets nothing more until a new one is confirmed (issue 16 part 5).
  return { type: !participant.email ? 'no-email' : participant.emailUndeliverable ? 'undeliverable' : 'send', kind, participant };
}

/**
 * One period's due notice as an outbox flow: `due` on the index entry as read (the index is read
 * eventually consistently: an entry another run just advanced can still show), then the triage,
 * then claim → send → complete through `sendOnce`, with the period row's lease in the claim's
 * transaction and its release. `byKind` counts the notices sent.
 */
function noticeFlow(ctx: Ctx & { byKind: ByKind }): Flow<DueEntry> {
  return {
    name: 'expiry notice',
    due: (entry) => dueNotice(entry.endsOn, ctx.asOf, entry.lastNoticeKind) !== undefined,
    async send(entry): Promise<Outcome> {
      const t = await triage(entry, ctx.asOf);
      if (t.type === 'not-due') return 'notDue';
      if (t.type === 'gone') {
        await retireNotices(entry, 'no-participant');
        return 'notDue';
      }
      if (t.type === 'renewed') {
        await retireNotices(entry, t.reason);
        return 'retired';
      }
      const { kind, participant } = t;
      const ids = { participantId: entry.participantId, registrationId: entry.registrationId, kind };
      if (t.type === 'no-email' || t.type === 'undeliverable') {
        const recorded = await recordNoEmail({ entry, kind, asOf: ctx.asOf, now: ctx.now(), status: t.type });
        if (recorded) logger.info(t.type === 'no-email' ? 'notice due, no e-mail on file' : 'notice due, the address on file is undeliverable', ids);
        return recorded ? (t.type === 'no-email' ? 'noAddress' : 'undeliverable') : 'skipped';
      }
      const token = newClaimToken();
      const outcome = await sendOnce(
        noticeKey(entry.participantId, entry.startsOn, kind),
        noticeClaimOptions({ entry, kind, runId: ctx.runId, asOf: ctx.asOf, now: ctx.now(), leaseMs: ctx.leaseMs, token }),
        async () => {
          const messageId = await sendEmail(noticeEmail(mailFor(participant, entry, kind, ctx.asOf)));
          return { record: () => completeNotice({ entry, kind, token, asOf: ctx.asOf, messageId, now: ctx.now() }) };
        },
        { flow: 'expiry notice', ids, release: { extraItems: noticeReleaseItems(entry, token) } },
      );
      if (outcome === 'sent') ctx.byKind[kind]++;
      return outcome;
    },
  };
}

function mailFor(participant: Participant, entry: DueEntry, kind: NoticeKind, asOf: string) {
  return {
    to: participant.email!,
    language: participant.language,
    kind,
    name: displayName(participant),
    title: titleFor(participant.diplomaType),
    asOf,
    startsOn: entry.startsOn,
    endsOn: entry.endsOn,
    pointsEarned: entry.points,
    pointsRequired: POINTS_REQUIRED,
  };
}

// ---------------------------------------------------------------- employer digests

/**
 * The monthly employer digest, part of the daily run: due from the 1st of each month until every
 * employer with at-risk employees has had it (a missed 1st is caught up the next day). On the
 * other days of the month it costs one GetItem (the month's marker).
 *
 * Finding the employers never scans: the at-risk periods come from the due index (see
 * `queryAtRisk`), then each at-risk participant's employer links from gsi1 — so the cost follows
 * the at-risk employees, not the employers or the register. Each employer's digest is claimed
 * in its guard row `DIGEST#<employerId>#<yyyy-mm>` (same lease protocol as a notice): once per
 * employer per month, also under concurrent runs.
 */
async function digestTargets(asOf: string): Promise<{ month: string; byEmployer?: Map<string, DueEntry[]>; withPlans?: Set<string> }> {
  const month = monthOf(asOf);
  if (await digestMonthDone(month)) return { month };
  const atRisk = (await queryAtRisk(asOf)).filter((e) => isAtRisk(e, asOf, POINTS_REQUIRED));
  const byEmployer = new Map<string, DueEntry[]>();
  await runBounded(atRisk, 8, async (entry) => {
    for (const employerId of await linkedEmployerIds(entry.participantId)) {
      const list = byEmployer.get(employerId) ?? [];
      list.push(entry);
      byEmployer.set(employerId, list);
    }
  });
  // Learning plans (issue 16 part 2): employers with plans get the digest for their employees'
  // open requirements too, at-risk employees or not (one Query of the plan index; an employer
  // with nothing open is skipped before its claim).
  const withPlans = new Set(await employersWithPlans());
  for (const employerId of withPlans) if (!byEmployer.has(employerId)) byEmployer.set(employerId, []);
  return { month, byEmployer, withPlans };
}

export async function runEmployerDigests(
  asOf: string,
  ctx: { runId: string; now: () => Date; leaseMs: number; stopAt?: number },
): Promise<{ sent: number; failed: number; noContact: number }> {
  const { month, byEmployer, withPlans } = await digestTargets(asOf);
  if (!byEmployer) return { sent: 0, failed: 0, noContact: 0 };

  const profiles = new Map<string, Promise<Participant | undefined>>();
  const profile = (id: string) => {
    if (!profiles.has(id)) profiles.set(id, getParticipant(id));
    return profiles.get(id)!;
  };
  const isSent = async (employerId: string) => (await getDigest(employerId, month))?.outboxStatus === 'sent';

  /** One employer's digest of the month as an outbox flow; `notDue`: nothing (more) to send this month. */
  const digestFlow: Flow<[string, DueEntry[]]> = {
    name: 'employer digest',
    async send([employerId, entries]): Promise<Outcome> {
      const employer = await getEmployer(employerId);
      const hasPlans = Boolean(employer && withPlans?.has(employerId));
      // A digest sent already this month (the month stays open while another employer's failed):
      // nothing more to do, so not the coverage reads either (one GetItem instead of a report).
      if (hasPlans && employer!.contactEmail && (await isSent(employerId))) return 'notDue';
      // Only employers with plans pay for the coverage reads.
      const plans = hasPlans ? await planReminders(employerId, asOf) : [];
      if (!entries.length && !plans.length) return 'notDue';
      // The digest is for HR, and names employees: never to the invoice mailbox. Without an HR
      // address nothing is sent and the month does not wait for one (else every day of the month
      // would read the at-risk index again); a contactEmail set later gets the next month's digest.
      if (employer && !employer.contactEmail) {
        logger.info('employer digest due, no HR contact address on file', { employerId, month });
        return 'noAddress';
      }
      const outcome = await sendOnce(
        digestKey(employerId, month),
        digestClaimOptions({ employerId, month, runId: ctx.runId, asOf, now: ctx.now(), leaseMs: ctx.leaseMs }),
        async () => {
          if (!employer?.contactEmail) throw Object.assign(new Error('employer not found'), { name: 'EmployerNotFound' });
          const employees: DigestEmployee[] = [];
          for (const e of entries) {
            const p = await profile(e.participantId);
            if (!p || p.erasure) continue;
            employees.push({ name: displayName(p), registrationNumber: p.registrationNumber, endsOn: e.endsOn, pointsEarned: e.points, pointsMissing: pointsMissing(e.points) });
          }
          const messageId = await sendEmail(employerDigestEmail({ to: employer.contactEmail, employerName: employer.name, month, asOf, employees, plans }));
          logger.info('employer digest sent', { employerId, month, employees: employees.length, messageId });
          return digestSent({ messageId, employees: employees.length, now: ctx.now() });
        },
        { flow: 'employer digest', ids: { employerId, month } },
      );
      // Refused: sent already (nothing to do), or another run is sending it (the month is done only once it is sent).
      return outcome === 'skipped' && (await isSent(employerId)) ? 'notDue' : outcome;
    },
  };
  const tally = await drain([...byEmployer.entries()], digestFlow, { concurrency: 4, stopAt: ctx.stopAt });
  if (!tally.failed && !tally.skipped && !tally.notStarted) await markDigestMonthDone(month, asOf, byEmployer.size, ctx.now());
  return { sent: tally.sent, failed: tally.failed, noContact: tally.noAddress };
}

// ---------------------------------------------------------------- dry run

export type NoticePlanItem =
  | { type: 'credential-lapse'; participantId: string; startsOn: string; endsOn: string; action: 'revoke' | 'expire' }
  | { type: 'notice'; participantId: string; registrationId: string; kind: NoticeKind }
  | { type: 'employer-digest'; employerId: string; month: string; employees: number };

/**
 * What a run as of `asOf` would do, from the same selection (due index, triage, digest targets),
 * reading only: no claim, no lease, no index move, no e-mail. `items` are the e-mails it would send.
 */
export async function planExpiryNotices(asOf: string) {
  const entries = await queryDueNotices(asOf);
  entries.sort((a, b) => a.indexSk.localeCompare(b.indexSk));
  const summary = { job: 'expiry-notices' as const, asOf, due: 0, wouldSend: 0, byKind: emptyByKind(), noEmail: 0, undeliverable: 0, skippedRenewed: 0, employerDigests: 0, employerDigestsNoContact: 0 };
  const items: NoticePlanItem[] = [];
  const triaged = await runBounded(entries, 4, (entry) => triage(entry, asOf));
  entries.forEach((entry, i) => {
    const t = triaged[i];
    if (t.type === 'not-due' || t.type === 'gone') return;
    summary.due++;
    if (t.type === 'renewed') summary.skippedRenewed++;
    else if (t.type === 'no-email') summary.noEmail++;
    else if (t.type === 'undeliverable') summary.undeliverable++;
    else {
      summary.wouldSend++;
      summary.byKind[t.kind]++;
      items.push({ type: 'notice', participantId: entry.participantId, registrationId: entry.registrationId, kind: t.kind });
    }
  });
  const { month, byEmployer, withPlans } = await digestTargets(asOf);
  for (const [employerId, list] of [...(byEmployer ?? new Map<string, DueEntry[]>())].sort(([a], [b]) => a.localeCompare(b))) {
    if ((await getDigest(employerId, month))?.outboxStatus === 'sent') continue;
    const employer = await getEmployer(employerId);
    if (!list.length && !(employer && withPlans?.has(employerId) ? await planReminders(employerId, asOf) : []).length) continue;
    if (employer && !employer.contactEmail) {
      summary.employerDigestsNoContact++;
      continue;
    }
    summary.employerDigests++;
    items.push({ type: 'employer-digest', employerId, month, employees: list.length });
  }
  const { items: lapses, ...credentials } = await planCredentialLapse(asOf);
  return { ...summary, ...(lapses.length ? { credentials } : {}), items: [...items, ...lapses] };
}

/** The registry's runner. */
export const expiryNoticesJob = (asOf: string, opts?: { stopAt?: number }) => runExpiryNotices(asOf, { stopAt: opts?.stopAt });
