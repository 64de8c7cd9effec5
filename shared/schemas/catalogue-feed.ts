import type * as z from 'zod/mini';

/** Issue 16 part 7: the catalogue for learning platforms: the schemas its routes name (body / query / response), by name. */
export const catalogueFeedSchemas: Record<string, z.ZodMiniType> = {};
