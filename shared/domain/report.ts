import { addMonths } from './dates';
import type { PlanCoverage } from './learning-plans';
import { currentPeriod, isRegisteredOn, pointsMissing, statusOf, type Period, type PeriodStatus } from './periods';

/**
 * The employer report: one row per linked employee and totals over all of them. Pure rules, no
 * I/O: the service feeds in the profile's period summary and the current period's points.
 */
export const AT_RISK_POINTS = 6;
export const AT_RISK_MONTHS = 6;

export type ReportStatus = PeriodStatus | 'not-registered';

export interface ReportInput {
  participantId: string;
  registrationNumber: string;
  name: string;
  /** The register title the diploma gives while registered. */
  diplomaTitle: string;
  periods: Period[];
  /** Points of the current period (see `currentPeriod`). */
  points: number;
  linkedOn: string;
}

export interface ReportRow {
  participantId: string;
  registrationNumber: string;
  name: string;
  /** The title, only while registered (active or renewed); null otherwise. */
  title: string | null;
  startsOn: string | null;
  endsOn: string | null;
  status: ReportStatus;
  pointsEarned: number;
  pointsMissing: number;
  linkedOn: string;
  /** Fewer than 6 points with fewer than 6 months left in an unrenewed active period. */
  atRisk: boolean;
  /** Issue 16 part 5: the employee's address on file bounced for good or drew a complaint (absent otherwise). */
  emailUndeliverable?: true;
  /** Only for an employee on a learning plan: its requirements, open and covered. */
  plan?: PlanCoverage;
}

export interface ReportTotals {
  /** Linked employees (each counted once). */
  employees: number;
  /** Registered today: status active or renewed. */
  active: number;
  lapsed: number;
  /** Registered today and not at risk (active = onTrack + atRisk). */
  onTrack: number;
  atRisk: number;
}

/** "< 6 points with < 6 months left": the period ends before today + 6 months and is not renewed. */
export function isAtRisk(status: ReportStatus, endsOn: string | null, points: number, today: string): boolean {
  return status === 'active' && endsOn !== null && points < AT_RISK_POINTS && endsOn < addMonths(today, AT_RISK_MONTHS);
}

export function reportRow(input: ReportInput, today: string): ReportRow {
  const current = currentPeriod(input.periods, today);
  const status: ReportStatus = current ? statusOf(current, input.periods, today) : 'not-registered';
  const points = current ? input.points : 0;
  return {
    participantId: input.participantId,
    registrationNumber: input.registrationNumber,
    name: input.name,
    title: isRegisteredOn(input.periods, today) ? input.diplomaTitle : null,
    startsOn: current?.startsOn ?? null,
    endsOn: current?.endsOn ?? null,
    status,
    pointsEarned: points,
    pointsMissing: pointsMissing(points),
    linkedOn: input.linkedOn,
    atRisk: isAtRisk(status, current?.endsOn ?? null, points, today),
  };
}

export function totalsOf(rows: readonly ReportRow[]): ReportTotals {
  const registered = rows.filter((r) => r.status === 'active' || r.status === 'renewed');
  const atRisk = rows.filter((r) => r.atRisk).length;
  return {
    employees: rows.length,
    active: registered.length,
    lapsed: rows.filter((r) => r.status === 'lapsed').length,
    onTrack: registered.length - atRisk,
    atRisk,
  };
}
