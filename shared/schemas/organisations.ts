import * as z from 'zod/mini';
import { EmailSchema, KvkNumberSchema, VatNumberSchema, text } from './common';
import { COMMON_SCHEMES, isPeppolScheme, peppolValueProblem } from '../domain/peppol';

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

/**
 * The buyer's Peppol electronic address (UBL EndpointID): a scheme of the Peppol EAS code list
 * and a value that passes that scheme's Peppol format check (shared/domain/peppol.ts).
 */
export const PeppolIdSchema = z
  .strictObject({
    scheme: z.string().check(
      z.regex(/^\d{4}$/, `scheme must be a 4-digit code of the Peppol EAS list, e.g. ${Object.entries(COMMON_SCHEMES).slice(0, 5).map(([c, n]) => `${c} (${n})`).join(', ')}`),
      z.refine(isPeppolScheme, 'scheme is not in the Peppol EAS code list (Peppol BIS Billing 3.0, rule CL008)'),
    ),
    value: text({ max: 50, pattern: [/^[A-Za-z0-9][A-Za-z0-9.:_\/-]*$/, 'value must be letters, digits and . : _ / - only'] }),
  })
  .check(
    z.refine((v) => typeof v?.scheme !== 'string' || typeof v.value !== 'string' || peppolValueProblem(v.scheme, v.value) === undefined, {
      path: ['value'],
      error: (iss) => {
        const v = iss.input as { scheme: string; value: string };
        return peppolValueProblem(v.scheme, v.value);
      },
    }),
  );

/**
 * The buyer's own reference for its invoices (a purchase order number, a cost centre): printed
 * as "Uw referentie" and sent as UBL BuyerReference. 35 characters: what ERP reference fields
 * (and the EDIFACT an..35 they come from) hold.
 */
export const BuyerReferenceSchema = text({ max: 35 });

export const CreateEmployerRequestSchema = z.strictObject({
  name: text({ max: 200 }),
  kvkNumber: KvkNumberSchema,
  vatNumber: z.optional(VatNumberSchema),
  invoiceEmail: EmailSchema,
  /** HR's address: the monthly digest of employees at risk goes here, never to invoiceEmail. */
  contactEmail: z.optional(EmailSchema),
  buyerReference: z.optional(BuyerReferenceSchema),
  /** Default for a Dutch employer: 0106 + its KvK number. */
  peppolId: z.optional(PeppolIdSchema),
  address: AddressSchema,
});
export type CreateEmployerRequest = z.infer<typeof CreateEmployerRequestSchema>;

export const CreateEmployerResponseSchema = z.object({
  employerId: z.string(),
  apiKey: z.string(),
  /** The short number invoices carry as the reference when the employer has set none. */
  debtorNumber: z.string(),
  /** The key's id, to revoke it later (DELETE /v1/api-keys/{keyId}). */
  keyId: z.string(),
});

/**
 * `PATCH /v1/employers/{employerId}`, merge-patch style: a field present is changed, `null`
 * clears an optional one, an absent one stays; the address is replaced as a whole.
 */
export const UpdateEmployerRequestSchema = z
  .strictObject({
    contactEmail: z.optional(z.nullable(EmailSchema)),
    invoiceEmail: z.optional(EmailSchema),
    buyerReference: z.optional(z.nullable(BuyerReferenceSchema)),
    peppolId: z.optional(z.nullable(PeppolIdSchema)),
    address: z.optional(AddressSchema),
  })
  .check(
    z.refine((v) => Object.keys(v ?? {}).length > 0, {
      error: 'Name at least one field to change: contactEmail, invoiceEmail, buyerReference, peppolId or address',
    }),
  );
export type UpdateEmployerRequest = z.infer<typeof UpdateEmployerRequestSchema>;

const PeppolIdViewSchema = z.object({ scheme: z.string(), value: z.string() });

/** An employer's settings, and what its next invoice will carry because of them. */
export const EmployerSettingsSchema = z.object({
  employerId: z.string(),
  name: z.string(),
  kvkNumber: z.string(),
  vatNumber: z.optional(z.string()),
  invoiceEmail: z.string(),
  contactEmail: z.optional(z.string()),
  buyerReference: z.optional(z.string()),
  debtorNumber: z.string(),
  peppolId: z.optional(PeppolIdViewSchema),
  address: z.object({ street: z.string(), postalCode: z.string(), city: z.string(), country: z.string() }),
  invoicing: z.object({
    /** "Uw referentie" / BuyerReference: the buyerReference, else the debtor number. */
    reference: z.string(),
    /** The buyer's EndpointID: the peppolId, else 0106 + KvK for a Dutch employer, else none. */
    peppolId: z.nullable(PeppolIdViewSchema),
    /** `peppol-bis-3` with an electronic address; a plain EN 16931 e-invoice without one. */
    eInvoice: z.enum(['peppol-bis-3', 'en16931']),
  }),
});
export type EmployerSettings = z.infer<typeof EmployerSettingsSchema>;

/** A rotated webhook secret: shown once, never again. */
export const WebhookSecretResponseSchema = z.object({
  webhookSecret: z.string(),
  /** Until when the previous secret still verifies (24 hours). */
  previousValidUntil: z.string(),
});

/** A reissued API key: shown once (only its hash is stored); `keyId` revokes it. */
export const ApiKeyResponseSchema = z.object({ keyId: z.string(), apiKey: z.string() });

export const KeyIdParamsSchema = z.strictObject({ keyId: z.string().check(z.regex(/^key_[0-9A-Z]{26}$/, 'Unknown key id format')) });
