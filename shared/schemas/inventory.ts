import type * as z from 'zod/mini';

/** Issue 16 part 1: inventory before registering: the schemas its routes name (body / query / response), by name. */
export const inventorySchemas: Record<string, z.ZodMiniType> = {};
