import type { EmployeeLink } from '../data/employers';
import { activityTopics, listAllPlans, planCredits } from '../data/learning-plans';
import { planCoverage, type PlanCoverage } from '../domain/learning-plans';
import { runBounded } from '../bounded';

/*
 * What planned employees' credits cover (issue 16 part 2), for the report, the overview and the
 * digest. Apart from services/learning-plans.ts so the report's module can use it without an
 * import cycle.
 */

/** Credits of this many employees are read at once (one Query each). */
const CREDIT_READS = 8;

/**
 * The coverage of every planned employee among `links`, by participantId. Cost: nothing when no
 * one is on a plan; else one Query of the employer's plans, one Query per planned employee (its
 * credits, projected; `CREDIT_READS` at a time, bounded) and ⌈activities/100⌉ BatchGetItem of
 * the credited activities' topics. `currentStartsOf` gives the employee's current period (null:
 * none, so every period topic is open).
 */
export async function coverageOf(
  employerId: string,
  links: readonly Pick<EmployeeLink, 'participantId' | 'learningPlanId'>[],
  currentStartsOf: (participantId: string) => string | null,
): Promise<Map<string, PlanCoverage>> {
  const planned = links.filter((l) => l.learningPlanId);
  const out = new Map<string, PlanCoverage>();
  if (!planned.length) return out;
  const [plans, credits] = await Promise.all([
    listAllPlans(employerId).then((list) => new Map(list.map((p) => [p.planId, p]))),
    runBounded(planned, CREDIT_READS, (l) => planCredits(l.participantId)),
  ]);
  const activityIds = [...new Set(credits.flat().filter((c) => !c.revokedAt).map((c) => c.activityId))];
  const topics = activityIds.length ? await activityTopics(activityIds) : new Map<string, string[]>();
  planned.forEach((l, i) => {
    const plan = plans.get(l.learningPlanId!);
    if (!plan) return;
    out.set(l.participantId, planCoverage(plan, credits[i], (id) => topics.get(id) ?? [], currentStartsOf(l.participantId)));
  });
  return out;
}

