import type * as z from 'zod/mini';

/** Issue 16 part 6: export, erasure: the schemas its routes name (body / query / response), by name. */
export const dataRightsSchemas: Record<string, z.ZodMiniType> = {};
