import * as z from 'zod/mini';
import { DateSchema, EmailSchema, EndsOnSchema, PageQueryFields, text } from './common';
import { CreditViewSchema, DiplomaTypeSchema, PeriodViewSchema } from './participants';
import { PlanCoverageSchema } from './learning-plans';

export const MIN_COLLECTIVE = 10;
export const MAX_COLLECTIVE = 1000;

const EmployerIdSchema = z.string().check(z.regex(/^emp_[0-9A-Z]{26}$/, 'Unknown employer id format'));
const ParticipantIdSchema = z.string().check(z.regex(/^par_[0-9A-Z]{26}$/, 'Unknown participant id format'));

export const EmployerParamsSchema = z.strictObject({ employerId: EmployerIdSchema });
export const EmployeeParamsSchema = z.strictObject({ employerId: EmployerIdSchema, participantId: ParticipantIdSchema });

/** The `Idempotency-Key` header: visible ASCII, as the IETF draft and Stripe use it. */
export const IdempotencyKeySchema = z.string().check(z.regex(/^[\x21-\x7E]{1,255}$/, 'Idempotency-Key must be 1–255 visible ASCII characters'));

export const CollectiveRegistrationRowSchema = z.strictObject({
  diplomaNumber: text({ max: 32, pattern: [/^[A-Za-z0-9-]{4,32}$/, 'diplomaNumber must be 4–32 letters, digits or dashes'] }),
  birthDate: DateSchema,
  email: EmailSchema,
});
export type CollectiveRegistrationRow = z.infer<typeof CollectiveRegistrationRowSchema>;

/** JSON body; a `text/csv` body with the header `diplomaNumber,birthDate,email` is read into the same shape. */
export const CollectiveRegistrationRequestSchema = z.strictObject({
  employees: z
    .array(CollectiveRegistrationRowSchema)
    .check(
      z.minLength(MIN_COLLECTIVE, `A collective registration needs at least ${MIN_COLLECTIVE} employees`),
      z.maxLength(MAX_COLLECTIVE, `A collective registration takes at most ${MAX_COLLECTIVE} employees`),
    ),
});
export type CollectiveRegistrationRequest = z.infer<typeof CollectiveRegistrationRequestSchema>;

export const CollectiveRegistrationResponseSchema = z.object({
  collectiveRegistrationId: z.string(),
  participants: z.array(
    z.object({
      diplomaNumber: z.string(),
      participantId: z.string(),
      registrationNumber: z.string(),
      outcome: z.enum(['registered', 'linked']),
    }),
  ),
});

/** `format`: JSON (default), CSV, or an Excel workbook; `lang`: the CSV's and workbook's column names and values (Dutch by default, else Accept-Language). */
const FormatField = { format: z.optional(z.enum(['json', 'csv', 'xlsx'])), lang: z.optional(z.enum(['nl', 'en'])) };

export const EmployerReportQuerySchema = z.strictObject({ ...PageQueryFields, ...FormatField });
export const EmployeeHistoryQuerySchema = z.strictObject({ ...FormatField });

const ReportStatusSchema = z.enum(['active', 'lapsed', 'renewed', 'upcoming', 'not-registered']);

export const ReportRowSchema = z.object({
  participantId: z.string(),
  registrationNumber: z.string(),
  name: z.string(),
  title: z.nullable(z.string()),
  startsOn: z.nullable(DateSchema),
  endsOn: z.nullable(EndsOnSchema),
  status: ReportStatusSchema,
  pointsEarned: z.number(),
  pointsMissing: z.number(),
  linkedOn: DateSchema,
  atRisk: z.boolean(),
  /** Issue 16 part 5: present (true) when the employee's address bounced for good or drew a complaint; they get no reminders until they confirm a new one. */
  emailUndeliverable: z.optional(z.literal(true)),
  /** Only for an employee on a learning plan (issue 16 part 2): its requirements, open and covered. */
  plan: z.optional(PlanCoverageSchema),
});

export const EmployerReportSchema = z.object({
  employerId: z.string(),
  asOf: DateSchema,
  employees: z.array(ReportRowSchema),
  totals: z.object({
    employees: z.int(),
    active: z.int(),
    lapsed: z.int(),
    onTrack: z.int(),
    atRisk: z.int(),
  }),
  nextCursor: z.optional(z.string()),
});

export const EmployeeHistorySchema = z.object({
  employerId: z.string(),
  asOf: DateSchema,
  participantId: z.string(),
  registrationNumber: z.string(),
  name: z.string(),
  title: z.nullable(z.string()),
  diploma: z.object({ diplomaNumber: z.string(), type: DiplomaTypeSchema, issuedOn: DateSchema }),
  linkedOn: DateSchema,
  // A history for an audit: the periods without the (today-dependent) renewable flag.
  registrations: z.array(z.omit(PeriodViewSchema, { renewable: true })),
  credits: z.array(
    // Never the employee's own rating of the activity: that is the participant's, not the employer's.
    z.extend(z.omit(CreditViewSchema, { evaluation: true }), {
      /** The period the credit counts toward (the one covering completedOn). */
      registrationStartsOn: z.nullable(DateSchema),
    }),
  ),
});
