import { addDays } from './dates';
import type { Period } from './periods';

/**
 * Expiry notices: pure rules, no I/O. A period gets at most four notices, in this order:
 * 90, 30 and 7 days before its `endsOn`, and the lapse notice on (or after) its `endsOn` when it
 * was not renewed. The job sends, per period, only the LATEST notice that is due and not yet
 * sent, so a missed run is caught up with one e-mail and an earlier notice never follows a later one.
 */
export type NoticeKind = '90' | '30' | '7' | 'lapsed';

/** In the order they fall due. */
export const NOTICE_KINDS: readonly NoticeKind[] = ['90', '30', '7', 'lapsed'];

/** Days before `endsOn` of each countdown notice. */
export const COUNTDOWN_DAYS = { '90': 90, '30': 30, '7': 7 } as const;

/** The window the employer digest looks at: periods ending within this many days. */
export const AT_RISK_DAYS = 90;

/** 0, 1, 2, 3 in the order above; -1 for "none sent yet". */
export function noticeRank(kind: NoticeKind | undefined): number {
  return kind === undefined ? -1 : NOTICE_KINDS.indexOf(kind);
}

/** The day a notice falls due for a period ending on `endsOn`. */
export function noticeDate(endsOn: string, kind: NoticeKind): string {
  return kind === 'lapsed' ? endsOn : addDays(endsOn, -COUNTDOWN_DAYS[kind]);
}

/** All four notices of a period with their due dates, in order. */
export function noticeSchedule(endsOn: string): { kind: NoticeKind; on: string }[] {
  return NOTICE_KINDS.map((kind) => ({ kind, on: noticeDate(endsOn, kind) }));
}

/**
 * The notice to send on `asOf`: the latest one whose date has come and that comes after
 * `lastSent`; null when none is due. (Whether the period was renewed is not a date rule: the
 * caller skips renewed periods.)
 */
export function dueNotice(endsOn: string, asOf: string, lastSent?: NoticeKind): NoticeKind | null {
  let due: NoticeKind | null = null;
  for (const { kind, on } of noticeSchedule(endsOn)) {
    if (on <= asOf && noticeRank(kind) > noticeRank(lastSent)) due = kind;
  }
  return due;
}

/**
 * The due date of the notice after `sent` (the first notice when nothing was sent); null after
 * the lapse notice — the period then leaves the due index.
 */
export function nextNoticeOn(endsOn: string, sent?: NoticeKind): string | null {
  const next = NOTICE_KINDS[noticeRank(sent) + 1];
  return next ? noticeDate(endsOn, next) : null;
}

/**
 * The due-index date a period gets when it is recorded on `today` (every period start: import,
 * session, re-activation, renewal, collective registration):
 * - normally `endsOn − 90`;
 * - a period recorded late, when countdown dates have already passed (an imported diploma issued
 *   almost two years ago), gets the date of the latest countdown notice already passed, so the
 *   next run sends exactly that one — the same catch-up as for a missed run — and not a burst;
 * - a period that had already ended when it was recorded gets no notices at all *(decision)*:
 *   the holder never had a running registration in the register to lose, and a first import of
 *   the diploma register must not mail every past holder.
 */
export function firstNoticeOn(period: Period, today: string): string | null {
  if (today >= period.endsOn) return null;
  let date = noticeDate(period.endsOn, '90');
  for (const kind of ['30', '7'] as const) {
    const on = noticeDate(period.endsOn, kind);
    if (on <= today) date = on;
  }
  return date;
}

/** `yyyy-mm` of a date: the employer digest is once per employer per calendar month. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/**
 * At risk (for the employer digest): the period is still running on `asOf`, ends within 90 days
 * and misses points.
 */
export function isAtRisk(period: Period & { points: number }, asOf: string, pointsRequired = 12): boolean {
  return period.endsOn > asOf && period.endsOn <= addDays(asOf, AT_RISK_DAYS) && period.points < pointsRequired;
}
