import * as z from 'zod/mini';
import { EmailSchema } from './common';

/** The dossier's form **Nieuw e-mailadres** (page `POST /dossier/e-mailadres`). */
export const EmailChangeRequestSchema = z.strictObject({ email: EmailSchema });
export type EmailChangeRequest = z.infer<typeof EmailChangeRequestSchema>;

/** Issue 16 part 5: bounces and complaints: the schemas its routes name (body / query / response), by name. */
export const deliverabilitySchemas: Record<string, z.ZodMiniType> = {};
