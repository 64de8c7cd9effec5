import { addDays, addYears } from './dates';

/**
 * Registration periods: pure rules, no I/O. A period runs from `startsOn` (inclusive) to
 * `endsOn` (exclusive), two years. Status is always derived from dates (and the existence of a
 * following period), never read from a stored flag.
 */
export const PERIOD_YEARS = 2;
export const POINTS_REQUIRED = 12;
/** Diplomas issued on or after this date are registered automatically at import. */
export const AUTO_REGISTRATION_FROM = '2023-01-01';

export type PeriodKind = 'initial' | 'new' | 'renewal' | 're-activation';
export type PeriodStatus = 'active' | 'lapsed' | 'renewed' | 'upcoming';

export interface Period {
  startsOn: string;
  endsOn: string;
}

export function periodStartingOn(startsOn: string): Period {
  return { startsOn, endsOn: addYears(startsOn, PERIOD_YEARS) };
}

/**
 * The last day a period is valid: the day before its (exclusive) `endsOn`. What a person reads
 * as the end ("geldig tot en met 28 februari 2027"); the API's `endsOn` stays exclusive.
 */
export function lastValidDay(endsOn: string): string {
  return addDays(endsOn, -1);
}

export function covers(period: Period, date: string): boolean {
  return period.startsOn <= date && date < period.endsOn;
}

export function overlaps(a: Period, b: Period): boolean {
  return a.startsOn < b.endsOn && b.startsOn < a.endsOn;
}

/** The period that directly follows `period` (a renewal), if any. */
export function successorOf<P extends Period>(period: P, all: readonly P[]): P | undefined {
  return all.find((p) => p.startsOn === period.endsOn);
}

/**
 * - `upcoming`: it has not started yet
 * - `renewed`: a following period exists (and this one has started)
 * - `active`: today is within it and it has not been renewed
 * - `lapsed`: it ended without a renewal
 */
export function statusOf(period: Period, all: readonly Period[], today: string): PeriodStatus {
  if (today < period.startsOn) return 'upcoming';
  if (successorOf(period, all)) return 'renewed';
  return today < period.endsOn ? 'active' : 'lapsed';
}

/** The end of the unbroken chain of periods from `period` (a renewal extends it): the register's "valid until" is the day before. */
export function chainEndsOn(period: Period, all: readonly Period[]): string {
  let endsOn = period.endsOn;
  for (let next = all.find((p) => p.startsOn === endsOn); next; next = all.find((p) => p.startsOn === endsOn)) endsOn = next.endsOn;
  return endsOn;
}

/** Registered today: some period covers today. */
export function isRegisteredOn(all: readonly Period[], date: string): boolean {
  return all.some((p) => covers(p, date));
}

export function pointsMissing(earned: number): number {
  return Math.max(0, POINTS_REQUIRED - earned);
}

/**
 * The period to show as "current": the one covering today; else the latest that started
 * (lapsed); else the first upcoming one; else null.
 */
export function currentPeriod<P extends Period>(all: readonly P[], today: string): P | null {
  const sorted = [...all].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  const covering = sorted.find((p) => covers(p, today));
  if (covering) return covering;
  const started = sorted.filter((p) => p.startsOn <= today);
  if (started.length) return started[started.length - 1];
  return sorted[0] ?? null;
}

export type RenewalRefusal = { reason: 'not-started' | 'ended' | 'already-renewed' | 'points-missing'; pointsMissing?: number };

/**
 * May this period be renewed today? Only once it holds ≥ 12 points, while it has not ended, and
 * only once. Returns the refusal, or null when renewal is allowed.
 */
export function renewalRefusal(period: Period, earned: number, all: readonly Period[], today: string): RenewalRefusal | null {
  if (successorOf(period, all)) return { reason: 'already-renewed' };
  if (today < period.startsOn) return { reason: 'not-started' };
  if (today >= period.endsOn) return { reason: 'ended' };
  if (earned < POINTS_REQUIRED) return { reason: 'points-missing', pointsMissing: pointsMissing(earned) };
  return null;
}

/** The period a renewal creates: it starts on the old `endsOn`. */
export function renewalOf(period: Period): Period {
  return periodStartingOn(period.endsOn);
}

/**
 * A new period (first registration, re-activation) may start on `startsOn` only when no period
 * reaches past that day: periods are appended, so they never overlap. The table enforces the same
 * rule with a condition on the participant's `latestEndsOn`.
 */
export function canStartNewPeriod(all: readonly Period[], startsOn: string): boolean {
  return startsOn >= latestEnd(all);
}

/** The last `endsOn` of all periods ('' when none): a new period must start on or after it. */
export function latestEnd(all: readonly Period[]): string {
  return all.reduce((max, p) => (p.endsOn > max ? p.endsOn : max), '');
}
