import type * as z from 'zod/mini';

/** Issue 16 part 4: completions that found no one, corrections, completion claims: the schemas its routes name (body / query / response), by name. */
export const unmatchedSchemas: Record<string, z.ZodMiniType> = {};
