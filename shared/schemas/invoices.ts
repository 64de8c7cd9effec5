import * as z from 'zod/mini';
import { DateSchema, EndsOnSchema, PageQueryFields, text } from './common';

/** Money: whole euro cents. */
const Cents = z.int();
/** VAT rate in percent: 0–100, at most two decimals (21, 9, 0 …). */
export const VatRateSchema = z
  .number()
  .check(
    z.refine((n) => n >= 0 && n <= 100, 'vatRatePercent must be between 0 and 100'),
    z.refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-9, 'vatRatePercent may have at most two decimals'),
  );

export const PutTariffRequestSchema = z.strictObject({
  amountCents: z.int().check(z.minimum(0), z.maximum(100_000_000)),
  vatRatePercent: VatRateSchema,
  validFrom: DateSchema,
});
export type PutTariffRequest = z.infer<typeof PutTariffRequestSchema>;

export const TariffSchema = z.object({
  amountCents: Cents,
  vatRatePercent: z.number(),
  validFrom: DateSchema,
  setAt: z.string(),
  /** True when this PUT replaced an earlier version with the same validFrom. */
  replaced: z.optional(z.boolean()),
});
export const TariffListSchema = z.object({
  items: z.array(TariffSchema),
  /** The tariff valid today, if any. */
  current: z.nullable(TariffSchema),
});

export const InvoiceParamsSchema = z.strictObject({
  invoiceId: z.string().check(z.regex(/^inv_[0-9A-Z]{26}$/, 'Unknown invoice id format')),
});
export const InvoiceListQuerySchema = z.strictObject({ ...PageQueryFields });
export const FeesQuerySchema = z.strictObject({
  month: z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM')),
  ...PageQueryFields,
});

const PeriodSchema = z.object({ from: DateSchema, to: DateSchema });
const KindSchema = z.enum(['new', 'renewal', 're-activation']);

export const InvoiceLineSchema = z.object({
  registrationNumber: z.string(),
  name: z.string(),
  kind: KindSchema,
  startsOn: DateSchema,
  /** Exclusive, as every period end in the register. */
  endsOn: EndsOnSchema,
  netCents: Cents,
  vatRatePercent: z.number(),
});

const DocumentReferenceSchema = z.object({ invoiceId: z.string(), invoiceNumber: z.string(), issuedOn: DateSchema });
const VatBreakdownSchema = z.object({ vatRatePercent: z.number(), netCents: Cents, vatCents: Cents });
const DeliverySchema = z.enum(['issued', 'sending', 'sent', 'unaddressed']);

export const InvoiceSchema = z.object({
  invoiceId: z.string(),
  invoiceNumber: z.string(),
  documentType: z.enum(['invoice', 'credit-note']),
  kind: z.enum(['collective', 'individual']),
  issuedOn: DateSchema,
  dueOn: z.optional(DateSchema),
  period: PeriodSchema,
  customer: z.object({
    type: z.enum(['employer', 'participant']),
    id: z.string(),
    name: z.string(),
    kvkNumber: z.optional(z.string()),
    vatNumber: z.optional(z.string()),
    debtorNumber: z.optional(z.string()),
  }),
  /** "Uw referentie" / UBL BuyerReference. */
  buyerReference: z.string(),
  lines: z.array(InvoiceLineSchema),
  vatBreakdown: z.array(VatBreakdownSchema),
  netCents: Cents,
  vatCents: Cents,
  totalCents: Cents,
  status: DeliverySchema,
  sentAt: z.optional(z.string()),
  corrects: z.optional(DocumentReferenceSchema),
  reason: z.optional(z.string()),
  /** A supplementary invoice (fees of an already-invoiced month): the month's first invoice. */
  supplements: z.optional(DocumentReferenceSchema),
});

export const InvoiceListSchema = z.object({
  items: z.array(
    z.object({
      invoiceId: z.string(),
      invoiceNumber: z.string(),
      documentType: z.enum(['invoice', 'credit-note']),
      period: PeriodSchema,
      issuedOn: DateSchema,
      dueOn: z.optional(DateSchema),
      lineCount: z.int(),
      netCents: Cents,
      vatCents: Cents,
      totalCents: Cents,
      status: DeliverySchema,
      corrects: z.optional(z.string()),
    }),
  ),
  nextCursor: z.optional(z.string()),
});

export const CreditNoteRequestSchema = z.strictObject({ reason: text({ max: 500, multiline: true }) });

export const FeeListSchema = z.object({
  items: z.array(
    z.object({
      registrationId: z.string(),
      participantId: z.string(),
      kind: KindSchema,
      startsOn: DateSchema,
      endsOn: DateSchema,
      payer: z.object({ type: z.enum(['participant', 'employer']), id: z.string() }),
      billedOn: DateSchema,
      billingMonth: z.string(),
      amountCents: z.optional(Cents),
      vatRatePercent: z.optional(z.number()),
      tariffValidFrom: z.optional(DateSchema),
      untariffed: z.boolean(),
      status: z.enum(['open', 'invoiced']),
      invoiceId: z.optional(z.string()),
      createdAt: z.string(),
    }),
  ),
  nextCursor: z.optional(z.string()),
});
