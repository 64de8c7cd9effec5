import * as z from 'zod/mini';
import { DateSchema, EmailSchema, EndsOnSchema, PageQueryFields, ValidUntilSchema, text } from './common';
import { AddressSchema } from './organisations';

export const DiplomaTypeSchema = z.enum(['uitzendprofessional', 'backofficeprofessional']);
export const LanguageSchema = z.enum(['nl', 'en']);

export const HolderSchema = z.strictObject({
  initials: text({ max: 20, pattern: [/^(?:\p{Lu}\.?\s?){1,6}$/u, 'initials must be capital letters such as J.P.'] }),
  prefix: z.optional(text({ max: 20 })),
  lastName: text({ max: 100 }),
  birthDate: DateSchema,
  email: z.optional(EmailSchema),
  language: z.optional(LanguageSchema),
});

export const DiplomaRowSchema = z.strictObject({
  diplomaNumber: text({ max: 32, pattern: [/^[A-Za-z0-9-]{4,32}$/, 'diplomaNumber must be 4–32 letters, digits or dashes'] }),
  type: DiplomaTypeSchema,
  issuedOn: DateSchema,
  holder: HolderSchema,
});
export type DiplomaRow = z.infer<typeof DiplomaRowSchema>;

export const ImportDiplomasRequestSchema = z.strictObject({
  diplomas: z.array(DiplomaRowSchema).check(z.minLength(1), z.maxLength(1000)),
});
export const ImportDiplomasResponseSchema = z.object({
  created: z.int(),
  /** Rows that changed a field of the diploma or its holder. */
  updated: z.int(),
  /** Rows identical to what the register holds: nothing written, no audit event. */
  unchanged: z.int(),
  registrationsCreated: z.int(),
  /** Rows skipped because their diploma's holder was erased (AVG/GDPR); present only when there are any. */
  erased: z.optional(z.int()),
});

export const ActivationRequestSchema = z.strictObject({
  diplomaNumber: text({ max: 32 }),
  birthDate: DateSchema,
  email: EmailSchema,
  language: z.optional(LanguageSchema),
});
export type ActivationRequest = z.infer<typeof ActivationRequestSchema>;
/** The sign-in form (`/inloggen`): the address a one-time link goes to, if it is on file. */
/**
 * The address a sign-in link is asked for: an e-mail address, or one at `localhost` — the local
 * stack's first admin user is `beheer@localhost` by default (WEB.md), which no public address
 * validator accepts. Asking costs the same for any address, so this widens nothing.
 */
export const SignInEmailSchema = z.union([EmailSchema, z.string().check(z.regex(/^[A-Za-z0-9._+-]{1,64}@localhost$/, 'Must be an e-mail address'))]);
export const SignInRequestSchema = z.strictObject({ email: SignInEmailSchema });
export type SignInRequest = z.infer<typeof SignInRequestSchema>;
export const ActivationResponseSchema = z.object({ status: z.literal('accepted'), detail: z.string() });

// ---------------------------------------------------------------- activation claims (staff)

export const ClaimStatusSchema = z.enum(['pending', 'approved', 'rejected']);
const ClaimIdSchema = z.string().check(z.regex(/^clm_[0-9A-Z]{26}$/, 'Unknown claim id format'));
export const ActivationClaimParamsSchema = z.strictObject({ claimId: ClaimIdSchema });

export const ActivationClaimsQuerySchema = z.strictObject({
  /** Default `pending`: the claims waiting for an identity check. */
  status: z.optional(ClaimStatusSchema),
  ...PageQueryFields,
});

export const ActivationClaimDecisionRequestSchema = z.strictObject({
  decision: z.enum(['approved', 'rejected']),
  reason: z.optional(text({ max: 2000, multiline: true })),
});
export type ActivationClaimDecisionRequest = z.infer<typeof ActivationClaimDecisionRequestSchema>;

export const ActivationClaimSchema = z.object({
  claimId: z.string(),
  participantId: z.string(),
  diplomaNumber: z.string(),
  /** The holder's name as on the diploma, to check the claimant against. */
  name: z.string(),
  /** The claimed address: the activation e-mail goes here on approval. */
  email: z.string(),
  language: LanguageSchema,
  requestedAt: z.string(),
  status: ClaimStatusSchema,
  decidedAt: z.optional(z.string()),
  decidedBy: z.optional(z.object({ role: z.string(), id: z.string() })),
  reason: z.optional(z.string()),
});
export const ActivationClaimListSchema = z.object({ items: z.array(ActivationClaimSchema), nextCursor: z.optional(z.string()) });
export const ActivationClaimDecisionResponseSchema = z.extend(ActivationClaimSchema, {
  /** Whether the activation e-mail went out (approval only; the decision stands either way). */
  notified: z.boolean(),
});

export const SessionRequestSchema = z.strictObject({ token: text({ min: 10, max: 200 }) });
export const SessionResponseSchema = z.object({ participantId: z.string(), apiKey: z.string(), registration: z.nullable(z.object({ registrationId: z.string(), startsOn: DateSchema, endsOn: EndsOnSchema })) });

export const ParticipantParamsSchema = z.strictObject({ participantId: z.string().check(z.regex(/^par_[0-9A-Z]{26}$/, 'Unknown participant id format')) });

export const CreditViewSchema = z.object({
  creditId: z.string(),
  activityId: z.string(),
  activityTitle: z.string(),
  points: z.number(),
  completedOn: DateSchema,
  status: z.enum(['credited', 'revoked']),
  /** A revoked credit: when, and the reason its sender gave. */
  revokedAt: z.optional(z.string()),
  revocationReason: z.optional(z.string()),
  /** The participant's own rating of the activity (issue 16 part 3), once given; for the participant itself and the admin only, as `email`. */
  evaluation: z.optional(z.object({ rating: z.int(), at: z.string() })),
});

export const PeriodViewSchema = z.object({
  registrationId: z.string(),
  startsOn: DateSchema,
  endsOn: EndsOnSchema,
  validUntil: ValidUntilSchema,
  kind: z.string(),
  status: z.enum(['active', 'lapsed', 'renewed', 'upcoming']),
  pointsEarned: z.number(),
  pointsRequired: z.number(),
  pointsMissing: z.number(),
  renewable: z.boolean(),
});

/** A Dutch postal code: four digits (not starting with 0), two letters, a space between or not. */
export const DUTCH_POSTAL_CODE = /^[1-9][0-9]{3} ?[A-Za-z]{2}$/;

/** Where a participant's own invoices go: printed under their name, the UBL buyer's address. */
export const InvoiceAddressSchema = z.extend(AddressSchema, {
  /** A name the address adds under the participant's own (their company, "t.a.v. …"). */
  name: z.optional(text({ max: 200 })),
}).check(
  // Checked once the fields themselves are fine: a Dutch address needs a Dutch postal code (1234 AB).
  z.refine((a) => a.country !== 'NL' || DUTCH_POSTAL_CODE.test(a.postalCode), {
    path: ['postalCode'],
    error: 'postalCode must be a Dutch postal code such as 1234 AB when country is NL',
  }),
);

/**
 * PATCH /v1/participants/{participantId}: the participant's own settings. Not the e-mail address:
 * that changes only through a confirmation link, so an unknown field (`email` too) is a 400.
 */
export const UpdateParticipantRequestSchema = z.strictObject({
  language: z.optional(LanguageSchema),
  /** `null` removes it. Invoices already issued keep the customer they were issued to. */
  invoiceAddress: z.optional(z.nullable(InvoiceAddressSchema)),
});
export type UpdateParticipantRequest = z.infer<typeof UpdateParticipantRequestSchema>;

export const DossierSchema = z.object({
  participantId: z.string(),
  registrationNumber: z.string(),
  name: z.string(),
  title: z.nullable(z.string()),
  /** For the participant itself and the admin only; absent for a linked employer. */
  email: z.optional(z.nullable(z.string())),
  /** The language of the participant's e-mails. */
  language: LanguageSchema,
  /** For the participant itself and the admin only, as `email`; null when none is set. */
  invoiceAddress: z.optional(z.nullable(z.object({ name: z.optional(z.string()), street: z.string(), postalCode: z.string(), city: z.string(), country: z.string() }))),
  diploma: z.object({ diplomaNumber: z.string(), type: DiplomaTypeSchema, issuedOn: DateSchema }),
  current: z.nullable(PeriodViewSchema),
  registrations: z.array(PeriodViewSchema),
  credits: z.array(CreditViewSchema),
});

export const RenewalResponseSchema = z.object({ registrationId: z.string(), startsOn: DateSchema, endsOn: EndsOnSchema });

export const RegisterNumberParamsSchema = z.strictObject({
  registrationNumber: z.string().check(z.regex(/^PE-[0-9A-Z]{6}$/i, 'registrationNumber looks like PE-4K7Q9M')),
});
export const RegisterSearchQuerySchema = z.strictObject({
  lastName: text({ min: 2, max: 100 }),
  initials: z.optional(text({ max: 20 })),
});
/** The register page's one field (WEB.md): a name as people type it, or a registration number. */
export const RegisterLookupQuerySchema = z.strictObject({ q: text({ min: 2, max: 120 }) });
export const RegisterEntrySchema = z.object({
  registrationNumber: z.string(),
  name: z.string(),
  title: z.string(),
  status: z.enum(['active', 'renewed']),
  /** The last valid day of the unbroken run of periods (a renewal extends it). */
  validUntil: ValidUntilSchema,
});
export const RegisterSearchResponseSchema = z.object({ items: z.array(RegisterEntrySchema) });

export const EventsQuerySchema = z.strictObject({ ...PageQueryFields });
export const EventListSchema = z.object({
  items: z.array(z.object({ eventId: z.string(), at: z.string(), actor: z.object({ role: z.string(), id: z.string(), userId: z.optional(z.string()) }), action: z.string(), before: z.optional(z.unknown()), after: z.optional(z.unknown()), detail: z.optional(z.unknown()) })),
  nextCursor: z.optional(z.string()),
});
