import * as z from 'zod/mini';
import { PageQueryFields, text } from './common';

/** The longest comment a participant may give (about a page of text). */
export const COMMENT_MAX = 2000;

/** `POST /v1/credits/{creditId}/evaluation`: the participant's rating of the credited activity, once. */
export const EvaluationRequestSchema = z.strictObject({
  rating: z.int('rating must be a whole number from 1 to 5').check(z.gte(1, 'rating must be at least 1'), z.lte(5, 'rating must be at most 5')),
  comment: z.optional(text({ max: COMMENT_MAX, multiline: true })),
});
export type EvaluationRequest = z.infer<typeof EvaluationRequestSchema>;

export const EvaluationResponseSchema = z.object({
  creditId: z.string(),
  activityId: z.string(),
  rating: z.int(),
  comment: z.optional(z.string()),
  at: z.string(),
});

/** An activity's public rating: the average (one decimal) and the count, shown from 5 ratings on. */
export const RatingSchema = z.object({ average: z.number(), count: z.int() });

export const EvaluationItemSchema = z.object({
  rating: z.int(),
  /** Absent when none was given, or when it was erased with the participant's data. */
  comment: z.optional(z.string()),
  at: z.string(),
});

export const EvaluationListSchema = z.object({
  average: z.nullable(z.number()),
  count: z.int(),
  items: z.array(EvaluationItemSchema),
  nextCursor: z.optional(z.string()),
});

export const EvaluationsQuerySchema = z.strictObject({ ...PageQueryFields });

/** Issue 16 part 3: evaluations: the schemas its routes name (body / query / response), by name. */
export const evaluationsSchemas: Record<string, z.ZodMiniType> = {
  EvaluationRequest: EvaluationRequestSchema,
  Evaluation: EvaluationResponseSchema,
  EvaluationList: EvaluationListSchema,
  EvaluationsQuery: EvaluationsQuerySchema,
  Rating: RatingSchema,
};
