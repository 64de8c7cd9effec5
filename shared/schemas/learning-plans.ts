import * as z from 'zod/mini';
import { DateSchema, PageQueryFields, text } from './common';
import { TopicCodeSchema } from './recognition';

/*
 * Issue 16 part 2: learning plans (leerlijnen, the employer guide's §6): per role or department,
 * the topics every employee on the plan should cover in each registration period, and dated
 * requirements (a new cao: "T03 before 2027-03-01").
 */

export const MAX_PLAN_TOPICS = 30;
export const MAX_PLAN_DEADLINES = 30;

/**
 * The client's own slug for a plan: lower-case letters, digits and single dashes, 2–64
 * characters, starting and ending with a letter or digit (`intercedent`, `payroll-2027`). Strict
 * so it is safe in a URL, a sort key and a CSV cell as it stands.
 */
export const PlanIdSchema = z.string().check(
  z.regex(/^[a-z0-9](?:[a-z0-9]|-(?!-)){0,62}[a-z0-9]$/, 'A plan id is 2–64 lower-case letters, digits and single dashes, starting and ending with a letter or digit'),
);

const EmployerIdSchema = z.string().check(z.regex(/^emp_[0-9A-Z]{26}$/, 'Unknown employer id format'));
const ParticipantIdSchema = z.string().check(z.regex(/^par_[0-9A-Z]{26}$/, 'Unknown participant id format'));

export const LearningPlanParamsSchema = z.strictObject({ employerId: EmployerIdSchema, planId: PlanIdSchema });
export const EmployeePlanParamsSchema = z.strictObject({ employerId: EmployerIdSchema, participantId: ParticipantIdSchema });

export const PlanDeadlineSchema = z.strictObject({
  topic: TopicCodeSchema,
  /** The requirement holds for a credit completed strictly before this day. */
  before: DateSchema,
  /** Why (a new cao, a change in the law): shown to HR and in the digest. */
  reason: text({ max: 200 }),
});

/** `PUT /v1/employers/{employerId}/learning-plans/{planId}`: create or replace the whole plan. */
export const PutLearningPlanRequestSchema = z.strictObject({
  name: text({ max: 120 }),
  topicsPerPeriod: z
    .array(TopicCodeSchema)
    .check(z.maxLength(MAX_PLAN_TOPICS), z.refine((codes) => new Set(codes).size === codes.length, 'Name each topic once')),
  deadlines: z
    .array(PlanDeadlineSchema)
    .check(
      z.maxLength(MAX_PLAN_DEADLINES),
      z.refine((d) => new Set(d.map((x) => `${x.topic}#${x.before}`)).size === d.length, 'Name each topic and date once'),
    ),
});
export type PutLearningPlanRequest = z.infer<typeof PutLearningPlanRequestSchema>;

export const LearningPlanSchema = z.object({
  planId: z.string(),
  employerId: z.string(),
  name: z.string(),
  topicsPerPeriod: z.array(z.string()),
  deadlines: z.array(z.object({ topic: z.string(), before: DateSchema, reason: z.string() })),
  /** 1 on creation, +1 per replacement: which of two concurrent PUTs landed last (both are in the audit trail). */
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const LearningPlansQuerySchema = z.strictObject({ ...PageQueryFields });
export const LearningPlanListSchema = z.object({ items: z.array(LearningPlanSchema), nextCursor: z.optional(z.string()) });

/** `PUT …/employees/{participantId}/learning-plan`: `null` takes the employee off any plan. */
export const AssignLearningPlanRequestSchema = z.strictObject({ planId: z.nullable(PlanIdSchema) });
export const AssignLearningPlanResponseSchema = z.object({ participantId: z.string(), planId: z.nullable(z.string()), previousPlanId: z.nullable(z.string()) });

/**
 * One requirement of a plan for one employee. `period`: the topic must be covered by a credit
 * of the current registration period; `deadline`: by a credit completed before `before`
 * (any period). Covered items name the credit that covers them.
 */
export const PlanRequirementSchema = z.object({
  topic: z.string(),
  kind: z.enum(['period', 'deadline']),
  before: z.optional(DateSchema),
  reason: z.optional(z.string()),
  /** Covered items: the (not revoked) credit that covers it, and when it was completed. */
  creditId: z.optional(z.string()),
  completedOn: z.optional(DateSchema),
});

/** A report row's plan: the employee's requirements, split into open and covered. */
export const PlanCoverageSchema = z.object({
  planId: z.string(),
  open: z.array(PlanRequirementSchema),
  covered: z.array(PlanRequirementSchema),
});

/** Issue 16 part 2: learning plans: the schemas its routes name (body / query / response), by name. */
export const learningPlansSchemas: Record<string, z.ZodMiniType> = {
  PutLearningPlanRequest: PutLearningPlanRequestSchema,
  LearningPlan: LearningPlanSchema,
  LearningPlansQuery: LearningPlansQuerySchema,
  LearningPlanList: LearningPlanListSchema,
  AssignLearningPlanRequest: AssignLearningPlanRequestSchema,
  AssignLearningPlanResponse: AssignLearningPlanResponseSchema,
};
