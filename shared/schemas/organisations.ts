import * as z from 'zod/mini';
import { EmailSchema, KvkNumberSchema, VatNumberSchema, text } from './common';

export const CreateProviderRequestSchema = z.strictObject({
  name: text({ max: 200 }),
  kvkNumber: KvkNumberSchema,
  contactEmail: EmailSchema,
});
export type CreateProviderRequest = z.infer<typeof CreateProviderRequestSchema>;

export const CreateProviderResponseSchema = z.object({
  providerId: z.string(),
  apiKey: z.string(),
  /** The key's id, to revoke it later (DELETE /v1/api-keys/{keyId}). */
  keyId: z.string(),
  webhookSecret: z.string(),
});

export const AddressSchema = z.strictObject({
  street: text({ max: 200 }),
  postalCode: text({ max: 20 }),
  city: text({ max: 100 }),
  /** ISO 3166-1 alpha-2, e.g. NL (the e-invoice needs the code). */
  country: z.string().check(z.regex(/^[A-Z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as NL')),
});

export const CreateEmployerRequestSchema = z.strictObject({
  name: text({ max: 200 }),
  kvkNumber: KvkNumberSchema,
  vatNumber: z.optional(VatNumberSchema),
  invoiceEmail: EmailSchema,
  address: AddressSchema,
});
export type CreateEmployerRequest = z.infer<typeof CreateEmployerRequestSchema>;

export const CreateEmployerResponseSchema = z.object({
  employerId: z.string(),
  apiKey: z.string(),
  /** The key's id, to revoke it later (DELETE /v1/api-keys/{keyId}). */
  keyId: z.string(),
});

/** A rotated webhook secret: shown once, never again. */
export const WebhookSecretResponseSchema = z.object({
  webhookSecret: z.string(),
  /** Until when the previous secret still verifies (24 hours). */
  previousValidUntil: z.string(),
});

/** A reissued API key: shown once (only its hash is stored); `keyId` revokes it. */
export const ApiKeyResponseSchema = z.object({ keyId: z.string(), apiKey: z.string() });

export const KeyIdParamsSchema = z.strictObject({ keyId: z.string().check(z.regex(/^key_[0-9A-Z]{26}$/, 'Unknown key id format')) });
