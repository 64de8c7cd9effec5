import type * as z from 'zod/mini';

/** Issue 16 part 5: bounces and complaints: the schemas its routes name (body / query / response), by name. */
export const deliverabilitySchemas: Record<string, z.ZodMiniType> = {};
