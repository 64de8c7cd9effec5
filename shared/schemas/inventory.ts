import * as z from 'zod/mini';
import { DateSchema, EmailSchema, ValidUntilSchema } from './common';
import { CollectiveRegistrationRowSchema, MAX_COLLECTIVE } from './employers';
import { DiplomaTypeSchema } from './participants';

/** An inventory takes what a collective registration takes, from one row on. */
export const MIN_INVENTORY = 1;
export const MAX_INVENTORY = MAX_COLLECTIVE;

/** A collective registration's row, with the e-mail optional (it is needed only to register). */
export const InventoryRowSchema = z.extend(CollectiveRegistrationRowSchema, { email: z.optional(EmailSchema) });
export type InventoryRow = z.infer<typeof InventoryRowSchema>;

/** JSON body; a `text/csv` body (`Diplomanummer;Geboortedatum;E-mailadres`, the last column optional) is read into the same shape. */
export const InventoryRequestSchema = z.strictObject({
  employees: z
    .array(InventoryRowSchema)
    .check(
      z.minLength(MIN_INVENTORY, `An inventory needs at least ${MIN_INVENTORY} employee`),
      z.maxLength(MAX_INVENTORY, `An inventory takes at most ${MAX_INVENTORY} employees`),
    ),
});
export type InventoryRequest = z.infer<typeof InventoryRequestSchema>;

export const PeStateSchema = z.enum(['registered', 'lapsed', 'never-registered', 'not-found']);
export type PeState = z.infer<typeof PeStateSchema>;

export const InventoryResultSchema = z.object({
  diplomaNumber: z.string(),
  /** The diploma is in the register AND the row's birth date is its holder's; else nothing more is said. */
  found: z.boolean(),
  diplomaType: z.optional(DiplomaTypeSchema),
  issuedOn: z.optional(DateSchema),
  peState: PeStateSchema,
  /** registered: the last valid day of the running registration (with its renewal); lapsed: the last valid day of the last period. */
  validUntil: z.optional(ValidUntilSchema),
  /** registered only: the running period is the automatic first period of a diploma issued on or after 2023-01-01 (no fee, nobody registered it). */
  automatic: z.optional(z.boolean()),
});
export type InventoryResult = z.infer<typeof InventoryResultSchema>;

export const InventoryResponseSchema = z.object({ rows: z.array(InventoryResultSchema) });
export type InventoryResponse = z.infer<typeof InventoryResponseSchema>;

/** Issue 16 part 1: inventory before registering: the schemas its routes name (body / query / response), by name. */
export const inventorySchemas: Record<string, z.ZodMiniType> = {
  InventoryRequest: InventoryRequestSchema,
  InventoryResponse: InventoryResponseSchema,
};
