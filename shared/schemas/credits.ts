import * as z from 'zod/mini';
import { DateSchema, text } from './common';

const ParticipantRefSchema = z.union([
  z.strictObject({ registrationNumber: text({ max: 32 }) }),
  z.strictObject({ diplomaNumber: text({ max: 32 }) }),
]);

export const CompletionSchema = z.strictObject({
  externalId: text({ max: 128 }),
  activityId: text({ max: 64 }),
  participant: ParticipantRefSchema,
  completedOn: DateSchema,
});
export type Completion = z.infer<typeof CompletionSchema>;

export const CompletionsRequestSchema = z.strictObject({
  completions: z.array(CompletionSchema).check(z.minLength(1), z.maxLength(500)),
});

export const REJECTION_REASONS = [
  'participant-not-found',
  'activity-not-recognized',
  'completion-in-future',
  'not-registered-on-date',
  'already-credited-in-period',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const CreditResultSchema = z.object({
  externalId: z.string(),
  status: z.enum(['credited', 'duplicate', 'rejected']),
  creditId: z.optional(z.string()),
  points: z.optional(z.number()),
  reason: z.optional(z.enum(REJECTION_REASONS)),
});
export const CompletionsResponseSchema = z.object({ results: z.array(CreditResultSchema) });

export const ProviderParamsSchema = z.strictObject({ providerId: z.string().check(z.regex(/^prv_[0-9A-Z]{26}$/, 'Unknown provider id format')) });
export const CreditParamsSchema = z.strictObject({ creditId: z.string().check(z.regex(/^crd_[0-9a-z]{26}$/, 'Unknown credit id format')) });
export const RevocationRequestSchema = z.strictObject({ reason: text({ max: 500, multiline: true }) });
export const RevocationResponseSchema = z.object({
  creditId: z.string(),
  status: z.literal('revoked'),
  points: z.number(),
  revokedAt: z.string(),
  reason: z.string(),
});

export const EmployerParamsSchema = z.strictObject({ employerId: z.string().check(z.regex(/^emp_[0-9A-Z]{26}$/, 'Unknown employer id format')) });
export const EmployerCreditsRequestSchema = z.strictObject({
  activityId: text({ max: 64 }),
  completedOn: DateSchema,
  participants: z.array(text({ max: 32 })).check(z.minLength(1), z.maxLength(500)),
});
export const EmployerCreditsResponseSchema = z.object({
  results: z.array(z.object({ registrationNumber: z.string(), externalId: z.string(), status: z.enum(['credited', 'duplicate', 'rejected']), creditId: z.optional(z.string()), points: z.optional(z.number()), reason: z.optional(z.enum(REJECTION_REASONS)) })),
});
