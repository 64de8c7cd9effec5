import * as z from 'zod/mini';
import { DateSchema } from './common';

export const RunJobRequestSchema = z.strictObject({ asOf: z.optional(DateSchema) });
export const RunJobParamsSchema = z.strictObject({ job: z.string().check(z.regex(/^[a-z][a-z0-9-]{1,40}$/, 'Unknown job name')) });
export const RunJobResponseSchema = z.looseObject({ job: z.string(), asOf: DateSchema });
