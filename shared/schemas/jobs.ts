import * as z from 'zod/mini';
import { DateSchema } from './common';
import { asOfProblem } from '../jobs/run-or-plan';

export const RunJobRequestSchema = z.strictObject({
  /** Default today; never after today (Europe/Amsterdam). */
  asOf: z.optional(DateSchema.check(z.refine((d) => asOfProblem(d) === undefined, { error: (iss) => asOfProblem(String(iss.input)) }))),
  /** Report what the run would do (counts and the first 50 items) without sending or writing anything. */
  dryRun: z.optional(z.boolean()),
});
export const RunJobParamsSchema = z.strictObject({ job: z.string().check(z.regex(/^[a-z][a-z0-9-]{1,40}$/, 'Unknown job name')) });
export const RunJobResponseSchema = z.looseObject({
  job: z.string(),
  asOf: DateSchema,
  /** Present (true) on a dry run, which also lists `items` (at most 50 of `itemsTotal`). */
  dryRun: z.optional(z.boolean()),
  items: z.optional(z.array(z.looseObject({ type: z.string() }))),
  itemsTotal: z.optional(z.int()),
});
