import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, type TxItem } from './client';
import { auditPut, type Actor } from './audit';
import { batchGet, queryAll } from './batch';
import { queryPage } from './paging';
import { employerPk, linkKey } from './employers';
import { participantPk } from './participants';
import type { LearningPlan, PlanCredit, PlanDeadline } from '../domain/learning-plans';
import { ACTIVITY, CREDIT, EMPLOYER, LEARNINGPLAN } from './keys';

/**
 * Learning plans (issue 16 part 2). Keys (README.md here, "Learning plans"):
 *
 * - plan        pk EMPLOYER#<employerId>   sk LEARNINGPLAN#<planId>
 *               the whole plan; `version` (1, +1 per replacement) is every write's condition
 * - plan index  pk LEARNINGPLANS           sk EMPLOYER#<employerId>
 *               one per employer that ever had a plan: how the monthly digest finds employers
 *               with plans without scanning
 * - assignment  on the employer link (pk EMPLOYER#<employerId>, sk EMPLOYEE#<participantId>):
 *               `learningPlanId`, `learningPlanAssignedAt`, so the report's one Query of the
 *               links already reads who is on which plan
 */
export const planKey = (employerId: string, planId: string) => ({ pk: employerPk(employerId), sk: LEARNINGPLAN(planId) });
export const PLAN_INDEX_PK = 'LEARNINGPLANS';
const planIndexKey = (employerId: string) => ({ pk: PLAN_INDEX_PK, sk: EMPLOYER(employerId) });

const PLAN_FIELDS = ['employerId', 'planId', 'name', 'topicsPerPeriod', 'deadlines', 'version', 'createdAt', 'updatedAt'] as const;

function fromItem(item: Record<string, unknown>): LearningPlan {
  return {
    employerId: item.employerId as string,
    planId: item.planId as string,
    name: item.name as string,
    topicsPerPeriod: (item.topicsPerPeriod as string[] | undefined) ?? [],
    deadlines: ((item.deadlines as PlanDeadline[] | undefined) ?? []).map((d) => ({ topic: d.topic, before: d.before, reason: d.reason })),
    version: Number(item.version ?? 1),
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

/** What the audit trail keeps of a plan: the plan itself (an employer's text, no personal data). */
const stateOf = (p: LearningPlan) => ({ name: p.name, topicsPerPeriod: p.topicsPerPeriod, deadlines: p.deadlines, version: p.version });

export async function getPlan(employerId: string, planId: string, consistent = false): Promise<LearningPlan | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: planKey(employerId, planId), ConsistentRead: consistent }));
  return res.Item ? fromItem(res.Item) : undefined;
}

/** Every plan of an employer (one Query of its partition's `LEARNINGPLAN#` range). */
export async function listAllPlans(employerId: string): Promise<LearningPlan[]> {
  return (await queryAll({ pk: employerPk(employerId), skPrefix: LEARNINGPLAN(), attributes: [...PLAN_FIELDS] })).map(fromItem);
}

/** One page of an employer's plans, in planId order. */
export async function listPlans(employerId: string, page: { limit: number; start?: Record<string, unknown> }) {
  const res = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': employerPk(employerId), ':p': LEARNINGPLAN() },
    },
    { limit: page.limit, cursor: page.start, keyAttributes: ['pk', 'sk'] },
  );
  return { plans: res.items.map(fromItem), lastKey: res.lastKey };
}

/**
 * The transaction that creates or replaces a plan: the Put conditioned on the version it was
 * decided on (`attribute_not_exists` for a new plan), its audit event on the employer (before =
 * the plan it replaced), and the employer's entry in the plan index.
 */
export function putPlanItems(args: {
  plan: Omit<LearningPlan, 'version' | 'createdAt' | 'updatedAt'>;
  existing: LearningPlan | undefined;
  actor: Actor;
  now: Date;
}): { plan: LearningPlan; items: TxItem[] } {
  const iso = args.now.toISOString();
  const plan: LearningPlan = {
    ...args.plan,
    version: (args.existing?.version ?? 0) + 1,
    createdAt: args.existing?.createdAt ?? iso,
    updatedAt: iso,
  };
  const key = planKey(plan.employerId, plan.planId);
  return {
    plan,
    items: [
      {
        Put: {
          TableName: tableName(),
          Item: { ...key, type: 'learningPlan', ...plan, updatedBy: args.actor },
          ConditionExpression: args.existing ? '#v = :seen' : 'attribute_not_exists(pk)',
          ...(args.existing ? { ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':seen': args.existing.version } } : {}),
        },
      },
      auditPut(
        employerPk(plan.employerId),
        {
          actor: args.actor,
          action: args.existing ? 'learning-plan.replaced' : 'learning-plan.created',
          before: args.existing ? stateOf(args.existing) : undefined,
          after: stateOf(plan),
          detail: { planId: plan.planId },
        },
        args.now,
      ),
      // Idempotent (same item every time): the digest's list of employers with plans.
      { Put: { TableName: tableName(), Item: { ...planIndexKey(plan.employerId), type: 'learningPlanIndex', employerId: plan.employerId } } },
    ],
  };
}

/**
 * The transaction that puts an employee on a plan (or, `planId` null, off any): the link's
 * update, only while the link is live and still names the plan it was decided on (so of two
 * racing assignments each event's `before` is what it replaced); a ConditionCheck that the plan
 * exists; the event on the participant.
 */
export function assignPlanItems(args: {
  employerId: string;
  participantId: string;
  planId: string | null;
  previous: string | null;
  actor: Actor;
  now: Date;
}): TxItem[] {
  const key = linkKey(args.employerId, args.participantId);
  const seen = args.previous === null ? 'attribute_not_exists(learningPlanId)' : 'learningPlanId = :prev';
  return [
    {
      Update: {
        TableName: tableName(),
        Key: key,
        UpdateExpression: args.planId === null ? 'REMOVE learningPlanId, learningPlanAssignedAt' : 'SET learningPlanId = :plan, learningPlanAssignedAt = :now',
        ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(unlinkedAt) AND ${seen}`,
        ...(args.planId !== null || args.previous !== null
          ? {
              ExpressionAttributeValues: {
                ...(args.planId !== null ? { ':plan': args.planId, ':now': args.now.toISOString() } : {}),
                ...(args.previous !== null ? { ':prev': args.previous } : {}),
              },
            }
          : {}),
      },
    },
    ...(args.planId !== null
      ? [{ ConditionCheck: { TableName: tableName(), Key: planKey(args.employerId, args.planId), ConditionExpression: 'attribute_exists(pk)' } }]
      : []),
    auditPut(
      participantPk(args.participantId),
      {
        actor: args.actor,
        action: args.planId === null ? 'learning-plan.unassigned' : 'learning-plan.assigned',
        before: { employerId: args.employerId, planId: args.previous },
        after: { employerId: args.employerId, planId: args.planId },
      },
      args.now,
    ),
  ];
}

/** The employers that ever had a plan (the digest's second source of employers). */
export async function employersWithPlans(): Promise<string[]> {
  return (await queryAll({ pk: PLAN_INDEX_PK, skPrefix: EMPLOYER(), attributes: ['employerId'] })).map((i) => i.employerId as string);
}

/** A participant's credits, projected to what coverage needs (one Query of its gsi1 `CREDIT#` range). */
export async function planCredits(participantId: string): Promise<PlanCredit[]> {
  const items = await queryAll({
    index: 'gsi1',
    pk: participantPk(participantId),
    skPrefix: CREDIT(),
    attributes: ['creditId', 'activityId', 'completedOn', 'registrationStartsOn', 'revokedAt'],
  });
  return items.map((i) => ({
    creditId: i.creditId as string,
    activityId: i.activityId as string,
    completedOn: i.completedOn as string,
    registrationStartsOn: i.registrationStartsOn as string,
    ...(i.revokedAt ? { revokedAt: i.revokedAt as string } : {}),
  }));
}

/** The topics of these activities, by activityId (BatchGetItem, projected). */
export async function activityTopics(activityIds: string[]): Promise<Map<string, string[]>> {
  const items = await batchGet(activityIds.map((id) => ({ pk: ACTIVITY(id), sk: 'ACTIVITY' })), { attributes: ['activityId', 'topics'] });
  return new Map(items.map((i) => [i.activityId as string, (i.topics as string[] | undefined) ?? []]));
}
