import * as z from 'zod/mini';
import { text } from './common';

/** `POST /v1/participants/{participantId}/erasure`: why (the participant's request, a retention decision, …). */
export const ErasureRequestSchema = z.strictObject({ reason: text({ max: 500, multiline: true }) });
export type ErasureRequest = z.infer<typeof ErasureRequestSchema>;

const CountsSchema = z.looseObject({});

export const ErasureResponseSchema = z.object({
  participantId: z.string(),
  status: z.literal('erased'),
  /** True when the participant had been erased before this call: nothing was done again. */
  alreadyErased: z.boolean(),
  /** What replaces the name where one must stay (e.g. on invoices issued from now on). */
  pseudonym: z.string(),
  reason: z.string(),
  erasedAt: z.string(),
  /** Per holder: counts of items pseudonymised, deleted, ended, revoked, spent, unlinked or kept. Empty when `alreadyErased`. */
  summary: z.record(z.string(), CountsSchema),
});

export const PersonalDataExportSchema = z.looseObject({
  participantId: z.string(),
  exportedAt: z.string(),
  /** The erasure mark (status, reason, by, at, pseudonym), or null. */
  erasure: z.nullable(z.looseObject({})),
  /** What this is and what is kept why (`nl`, `en`). */
  explanation: z.object({ nl: z.string(), en: z.string() }),
  /** Per holder that keeps something after an erasure: why. */
  kept: z.record(z.string(), z.string()),
  /** One section per holder of personal data (profile, diploma, periods, credits, invoices, …). */
  sections: z.record(z.string(), z.unknown()),
});

/** Issue 16 part 6: export, erasure: the schemas its routes name (body / query / response), by name. */
export const dataRightsSchemas: Record<string, z.ZodMiniType> = {
  ErasureRequest: ErasureRequestSchema,
  ErasureResponse: ErasureResponseSchema,
  PersonalDataExport: PersonalDataExportSchema,
};
