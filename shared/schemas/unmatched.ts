import * as z from 'zod/mini';
import { DateSchema, PageQueryFields, text } from './common';
import { CreditResultSchema } from './credits';

const ParticipantRefSchema = z.union([
  z.strictObject({ registrationNumber: text({ max: 32 }) }),
  z.strictObject({ diplomaNumber: text({ max: 32 }) }),
]);

export const UnmatchedParamsSchema = z.strictObject({ unmatchedId: z.string().check(z.regex(/^unm_[0-9a-f]{26}$/, 'Unknown unmatched completion id format')) });
export const CompletionClaimParamsSchema = z.strictObject({ claimId: z.string().check(z.regex(/^ccl_[0-9A-Z]{26}$/, 'Unknown completion claim id format')) });

export const UnmatchedListQuerySchema = z.strictObject({ ...PageQueryFields });

export const UnmatchedCompletionSchema = z.object({
  unmatchedId: z.string(),
  activityId: z.string(),
  externalId: z.string(),
  completedOn: DateSchema,
  /** The number as the sender gave it (null once erased). */
  participant: z.nullable(ParticipantRefSchema),
  receivedAt: z.string(),
  status: z.enum(['open', 'resolved']),
  creditId: z.optional(z.string()),
  points: z.optional(z.number()),
  resolvedAt: z.optional(z.string()),
});
export const UnmatchedListSchema = z.object({ items: z.array(UnmatchedCompletionSchema), nextCursor: z.optional(z.string()) });

export const CorrectionRequestSchema = z.strictObject({ participant: ParticipantRefSchema });
export type CorrectionRequest = z.infer<typeof CorrectionRequestSchema>;
export const CorrectionResponseSchema = z.extend(CreditResultSchema, { unmatchedId: z.string() });

export const CompletionClaimRequestSchema = z.strictObject({
  activityId: text({ max: 64 }),
  completedOn: DateSchema,
});
export type CompletionClaimRequest = z.infer<typeof CompletionClaimRequestSchema>;
export const CompletionClaimCreatedSchema = z.object({ claimId: z.string(), status: z.literal('pending'), activityId: z.string(), completedOn: DateSchema });

export const CompletionClaimDecisionRequestSchema = z.strictObject({
  decision: z.enum(['approved', 'rejected']),
  reason: z.optional(text({ max: 2000, multiline: true })),
});
export type CompletionClaimDecisionRequest = z.infer<typeof CompletionClaimDecisionRequestSchema>;
export const CompletionClaimDecisionResponseSchema = z.object({
  claimId: z.string(),
  status: z.enum(['approved', 'rejected']),
  reason: z.optional(z.string()),
  /** Approved: the crediting's outcome, as the webhook answers an item. */
  result: z.optional(CreditResultSchema),
});

const ClaimStatusSchema = z.enum(['pending', 'approved', 'rejected']);
export const CompletionClaimsQuerySchema = z.strictObject({ status: z.optional(ClaimStatusSchema), ...PageQueryFields });
export const CompletionClaimSchema = z.object({
  claimId: z.string(),
  participantId: z.string(),
  registrationNumber: z.string(),
  name: z.string(),
  activityId: z.string(),
  activityTitle: z.string(),
  completedOn: DateSchema,
  requestedAt: z.string(),
  status: ClaimStatusSchema,
  decidedAt: z.optional(z.string()),
  reason: z.optional(z.string()),
  result: z.optional(CreditResultSchema),
});
export const CompletionClaimListSchema = z.object({ items: z.array(CompletionClaimSchema), nextCursor: z.optional(z.string()) });

/** Issue 16 part 4: completions that found no one, corrections, completion claims: the schemas its routes name (body / query / response), by name. */
export const unmatchedSchemas: Record<string, z.ZodMiniType> = {
  UnmatchedListQuery: UnmatchedListQuerySchema,
  UnmatchedList: UnmatchedListSchema,
  CorrectionRequest: CorrectionRequestSchema,
  CorrectionResponse: CorrectionResponseSchema,
  CompletionClaimRequest: CompletionClaimRequestSchema,
  CompletionClaimCreated: CompletionClaimCreatedSchema,
  CompletionClaimDecisionRequest: CompletionClaimDecisionRequestSchema,
  CompletionClaimDecisionResponse: CompletionClaimDecisionResponseSchema,
  CompletionClaimsQuery: CompletionClaimsQuerySchema,
  CompletionClaimList: CompletionClaimListSchema,
};
