import type * as z from 'zod/mini';

/** Issue 16 part 2: learning plans: the schemas its routes name (body / query / response), by name. */
export const learningPlansSchemas: Record<string, z.ZodMiniType> = {};
