import type * as z from 'zod/mini';

/** Issue 16 part 3: evaluations: the schemas its routes name (body / query / response), by name. */
export const evaluationsSchemas: Record<string, z.ZodMiniType> = {};
