import { addDays } from './dates';

/**
 * Learning plans (issue 16 part 2): which of a plan's requirements an employee's credits cover.
 * Pure rules, no I/O: the service feeds in the plan, the employee's credits and the topics of
 * the credited activities.
 */

export interface PlanDeadline {
  topic: string;
  /** Exclusive: a credit completed on this day is too late. */
  before: string;
  reason: string;
}

export interface LearningPlan {
  employerId: string;
  planId: string;
  name: string;
  topicsPerPeriod: string[];
  deadlines: PlanDeadline[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What coverage needs of a credit. */
export interface PlanCredit {
  creditId: string;
  activityId: string;
  completedOn: string;
  /** The period the credit counts toward (its `startsOn`). */
  registrationStartsOn: string;
  revokedAt?: string;
}

export interface PlanRequirement {
  topic: string;
  kind: 'period' | 'deadline';
  before?: string;
  reason?: string;
  creditId?: string;
  completedOn?: string;
}

export interface PlanCoverage {
  planId: string;
  open: PlanRequirement[];
  covered: PlanRequirement[];
}

/** The digest names open deadlines that fall within this many days (and those already passed). */
export const DEADLINE_HORIZON_DAYS = 90;

/**
 * Each requirement of the plan, covered or open:
 * - a period topic is covered by a credit of the current period (`currentStartsOn`: the period
 *   the report shows; none → every period topic is open) whose activity has the topic;
 * - a deadline `{topic, before}` by a credit whose activity has the topic, completed before
 *   `before` (strictly), in any period.
 * Revoked credits cover nothing. Of several covering credits the earliest is named.
 */
export function planCoverage(
  plan: Pick<LearningPlan, 'planId' | 'topicsPerPeriod' | 'deadlines'>,
  credits: readonly PlanCredit[],
  topicsOf: (activityId: string) => readonly string[],
  currentStartsOn: string | null,
): PlanCoverage {
  const live = credits
    .filter((c) => !c.revokedAt)
    .sort((a, b) => a.completedOn.localeCompare(b.completedOn) || a.creditId.localeCompare(b.creditId));
  const open: PlanRequirement[] = [];
  const covered: PlanRequirement[] = [];
  const settle = (item: PlanRequirement, by: PlanCredit | undefined) =>
    by ? covered.push({ ...item, creditId: by.creditId, completedOn: by.completedOn }) : open.push(item);
  for (const topic of plan.topicsPerPeriod) {
    const by = currentStartsOn === null ? undefined : live.find((c) => c.registrationStartsOn === currentStartsOn && topicsOf(c.activityId).includes(topic));
    settle({ topic, kind: 'period' }, by);
  }
  for (const d of [...plan.deadlines].sort((a, b) => a.before.localeCompare(b.before) || a.topic.localeCompare(b.topic))) {
    const by = live.find((c) => c.completedOn < d.before && topicsOf(c.activityId).includes(d.topic));
    settle({ topic: d.topic, kind: 'deadline', before: d.before, reason: d.reason }, by);
  }
  return { planId: plan.planId, open, covered };
}

/**
 * The open requirements worth a reminder on `asOf`: every open period topic, and open deadlines
 * up to `DEADLINE_HORIZON_DAYS` ahead (overdue ones included: they are still open).
 */
export function dueSoon(coverage: PlanCoverage, asOf: string): PlanRequirement[] {
  const horizon = addDays(asOf, DEADLINE_HORIZON_DAYS);
  return coverage.open.filter((r) => r.kind === 'period' || (r.before !== undefined && r.before <= horizon));
}
