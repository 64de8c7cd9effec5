import type { ApiKeyRecord } from '../data/api-keys';
import type { Actor } from '../data/audit';
import { getLink } from '../data/employers';
import { assignPlanItems, getPlan, listAllPlans, listPlans, putPlanItems } from '../data/learning-plans';
import { optimistic, transactOrAgain } from '../data/client';
import { ensureTopicsSeeded, listTopics } from '../data/topics';
import { dueSoon, type LearningPlan, type PlanRequirement } from '../domain/learning-plans';
import { BadRequest, Conflict, NotFound, type FieldError } from '../domain/errors';
import type { PageRequest } from '../data/paging';
import { TopicCodeSchema } from '../schemas/recognition';
import type { PutLearningPlanRequest } from '../schemas/learning-plans';
import { employerFor } from './employers/access';
import { employerReport } from './employers/report';

/*
 * Learning plans (issue 16 part 2; README "Learning plans"): an employer's plans, who is on
 * which, and what their credits cover. The rules are in shared/domain/learning-plans.ts.
 */

type Caller = ApiKeyRecord;

class PlanNotFound extends NotFound {
  constructor(detail: string, reason: 'plan-not-found' | 'employee-not-found') {
    super(detail, { reason });
  }
}

/**
 * Every topic code of the body that is unknown or retired, by its place (`topicsPerPeriod[2]`,
 * `deadlines[0].topic`). Codes the schema refuses are the schema's to name. Also the HTTP
 * recipe's `bodyRules`, so one 400 names the schema's problems and these together.
 */
export async function planTopicErrors(input: unknown): Promise<FieldError[]> {
  const body = (input !== null && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const wanted: { code: string; path: string }[] = [];
  if (Array.isArray(body.topicsPerPeriod)) body.topicsPerPeriod.forEach((code, i) => wanted.push({ code: code as string, path: `topicsPerPeriod[${i}]` }));
  if (Array.isArray(body.deadlines)) {
    body.deadlines.forEach((d, i) => wanted.push({ code: (d as Record<string, unknown> | null)?.topic as string, path: `deadlines[${i}].topic` }));
  }
  const wellFormed = wanted.filter((w) => TopicCodeSchema.safeParse(w.code).success);
  if (!wellFormed.length) return [];
  await ensureTopicsSeeded();
  const topics = new Map((await listTopics()).map((t) => [t.code, t]));
  const errors: FieldError[] = [];
  for (const { code, path } of wellFormed) {
    const topic = topics.get(code);
    if (!topic) errors.push({ path, message: `Unknown topic code ${code}` });
    else if (topic.retired) errors.push({ path, message: `Topic ${code} is retired and cannot be used in a new plan` });
  }
  return errors;
}

/** The view of a plan the API and the pages show. */
export const planView = (p: LearningPlan) => ({ ...p });

/**
 * Creates or replaces a plan. Concurrency: **last writer wins, every write audited** — each PUT
 * is a transaction conditioned on the version it read (absent for a new plan); a PUT that loses
 * a race reads again and lands on top, so two PUTs at once both answer 200 (versions n+1 and
 * n+2), the plan is the later one, and the employer's audit trail holds both, each with the plan
 * it replaced as `before`: nothing is lost silently. The web form passes `expectedVersion` (the
 * version it was rendered with) and is refused with 409 `concurrent-update` instead of
 * overwriting a colleague's change it never saw.
 */
export async function saveLearningPlan(
  caller: Caller,
  employerId: string,
  planId: string,
  body: PutLearningPlanRequest,
  actor: Actor,
  opts: { expectedVersion?: number } = {},
): Promise<{ plan: LearningPlan; created: boolean }> {
  const employer = await employerFor(caller, employerId);
  const errors = await planTopicErrors(body);
  if (errors.length) throw new BadRequest(`The request body is invalid: ${errors.length} error(s).`, errors);
  return optimistic(async () => {
    const existing = await getPlan(employer.employerId, planId, true);
    if (opts.expectedVersion !== undefined && (existing?.version ?? 0) !== opts.expectedVersion) {
      throw new Conflict('The plan was changed by someone else in the meantime.', { reason: 'concurrent-update' });
    }
    const { plan, items } = putPlanItems({
      plan: { employerId: employer.employerId, planId, name: body.name, topicsPerPeriod: body.topicsPerPeriod, deadlines: body.deadlines },
      existing,
      actor,
      now: new Date(),
    });
    return transactOrAgain(items, { plan, created: !existing });
  }, {
    attempts: 8,
    backoffMs: planBackoff,
    exhausted: () => new Conflict('The plan was changed repeatedly at the same moment; send it again.', { reason: 'concurrent-update' }),
  });
}

/** A lost race waits a little longer each time, with jitter so two writers do not meet again. */
const planBackoff = (attempt: number) => 5 + Math.random() * 20 * attempt;

export async function learningPlanPage(caller: Caller, employerId: string, page: PageRequest) {
  const employer = await employerFor(caller, employerId);
  const { plans, lastKey } = await listPlans(employer.employerId, page);
  const nextCursor = page.next(lastKey);
  return { items: plans.map(planView), ...(nextCursor ? { nextCursor } : {}) };
}

/** Every plan of the employer, by planId order (the pages show them all: an employer has a handful). */
export async function allLearningPlans(caller: Caller, employerId: string): Promise<LearningPlan[]> {
  const employer = await employerFor(caller, employerId);
  return listAllPlans(employer.employerId);
}

export async function learningPlanOf(caller: Caller, employerId: string, planId: string): Promise<LearningPlan | undefined> {
  const employer = await employerFor(caller, employerId);
  return getPlan(employer.employerId, planId);
}

/**
 * Puts a linked employee on one of the employer's plans (replacing the previous one), or off
 * any (`planId` null). Another employer's (or an unlinked) employee: 404 `employee-not-found`;
 * a plan this employer does not have: 404 `plan-not-found` (the plan is named in the body, but
 * it is an object of the employer like the employee, and another employer's plan must answer as
 * a missing one).
 */
export async function assignLearningPlan(caller: Caller, employerId: string, participantId: string, planId: string | null, actor: Actor) {
  const employer = await employerFor(caller, employerId);
  return optimistic(async () => {
    const [link, plan] = await Promise.all([
      getLink(employer.employerId, participantId, true),
      planId === null ? Promise.resolve(undefined) : getPlan(employer.employerId, planId, true),
    ]);
    if (!link || link.unlinkedAt) throw new PlanNotFound('No employee with this id.', 'employee-not-found');
    if (planId !== null && !plan) throw new PlanNotFound('This employer has no learning plan with this id.', 'plan-not-found');
    const previous = link.learningPlanId ?? null;
    return transactOrAgain(assignPlanItems({ employerId: employer.employerId, participantId, planId, previous, actor, now: new Date() }), {
      participantId,
      planId,
      previousPlanId: previous,
    });
  }, {
    attempts: 6,
    backoffMs: planBackoff,
    exhausted: () => new Conflict('The employee was changed repeatedly at the same moment; send it again.', { reason: 'concurrent-update' }),
  });
}

/** An employee's open requirements as the digest names them. */
export interface PlanReminder {
  name: string;
  registrationNumber: string;
  planName: string;
  open: (PlanRequirement & { topicName: string })[];
}

/**
 * The employer's planned employees with requirements open on `asOf` that are worth a reminder
 * (every open period topic; deadlines up to 90 days ahead, and overdue ones), by name. Reads the
 * report (its cost: README "The employer report", plus the plans' reads above) and the topics.
 */
export async function planReminders(employerId: string, asOf: string): Promise<PlanReminder[]> {
  const rows = (await employerReport(employerId, asOf)).rows.filter((r) => r.plan);
  if (!rows.length) return [];
  const [plans, topics] = await Promise.all([listAllPlans(employerId), listTopics()]);
  const planNames = new Map(plans.map((p) => [p.planId, p.name]));
  const topicNames = new Map(topics.map((t) => [t.code, t.name]));
  return rows
    .map((r) => ({
      name: r.name,
      registrationNumber: r.registrationNumber,
      planName: planNames.get(r.plan!.planId) ?? r.plan!.planId,
      open: dueSoon(r.plan!, asOf).map((o) => ({ ...o, topicName: topicNames.get(o.topic) ?? o.topic })),
    }))
    .filter((r) => r.open.length)
    .sort((a, b) => a.name.localeCompare(b.name));
}
