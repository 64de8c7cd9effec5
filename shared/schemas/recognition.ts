import * as z from 'zod/mini';
import { DateSchema, PageQueryFields, text } from './common';
import { ACTIVITY_TYPES, COMPLETION_TYPES, DECISIONS, NATURES, REQUEST_STATUSES } from '../domain/recognition';

// ---------------------------------------------------------------- shared pieces

/** Topic codes: the default list uses T01…T13; the admin may add codes of the same shape. */
export const TopicCodeSchema = z.string().check(z.regex(/^[A-Z][A-Z0-9]{1,9}$/, 'A topic code is a capital letter and 1–9 capitals or digits, such as T01'));
const ActivityIdSchema = z.string().check(z.regex(/^act_[0-9A-Z]{26}$/, 'Unknown activity id format'));
const RequestIdSchema = z.string().check(z.regex(/^req_[0-9A-Z]{26}$/, 'Unknown request id format'));
const ProviderIdSchema = z.string().check(z.regex(/^prv_[0-9A-Z]{26}$/, 'Unknown provider id format'));

export const ActivityTypeSchema = z.enum(ACTIVITY_TYPES);
export const NatureSchema = z.enum(NATURES);
export const RequestStatusSchema = z.enum(REQUEST_STATUSES);

export const SessionSchema = z
  .strictObject({
    startsOn: DateSchema,
    endsOn: z.optional(DateSchema),
    location: z.optional(text({ max: 200 })),
    online: z.optional(z.boolean()),
  })
  .check(
    z.refine((s) => !s.endsOn || s.startsOn <= s.endsOn, { message: 'endsOn must be on or after startsOn', path: ['endsOn'] }),
    z.refine((s) => Boolean(s.location) || s.online === true, { message: 'A session needs a location or online: true', path: ['location'] }),
  );
export type Session = z.infer<typeof SessionSchema>;

export const CompletionSchema = z.strictObject({
  type: z.enum(COMPLETION_TYPES),
  description: text({ max: 2000, multiline: true }),
});

// ---------------------------------------------------------------- topics

export const TopicParamsSchema = z.strictObject({ code: TopicCodeSchema });
export const PutTopicRequestSchema = z.strictObject({
  name: text({ max: 200 }),
  /** true retires the topic (no new requests may use it), false brings it back. */
  retired: z.optional(z.boolean()),
});
export const TopicSchema = z.object({
  code: z.string(),
  name: z.string(),
  retired: z.boolean(),
  retiredAt: z.optional(z.string()),
});
export const TopicListSchema = z.object({ items: z.array(TopicSchema), nextCursor: z.optional(z.string()) });

// ---------------------------------------------------------------- recognition requests

/** The body of a submission, and of a resubmission (PUT replaces the whole content). */
export const RecognitionRequestBodySchema = z.strictObject({
  // Titles go into e-mail subjects: one line.
  title: text({ max: 200 }),
  description: text({ max: 5000, multiline: true }),
  learningGoals: z.array(text({ max: 500, multiline: true })).check(z.minLength(1, 'At least one learning goal is required'), z.maxLength(30)),
  activityType: ActivityTypeSchema,
  nature: NatureSchema,
  topics: z
    .array(TopicCodeSchema)
    .check(
      z.minLength(1, 'At least one topic is required'),
      z.maxLength(20),
      z.refine((codes) => new Set(codes).size === codes.length, 'Name each topic once'),
    ),
  netStudyMinutes: z.int().check(z.gte(30, 'Net study time must be at least 30 minutes'), z.lte(6000, 'Net study time must be at most 6000 minutes')),
  completion: CompletionSchema,
  /** Employers only (and for them the default): the activity stays out of the public catalogue. */
  internal: z.optional(z.boolean()),
  sessions: z.optional(z.array(SessionSchema).check(z.maxLength(100))),
});
export type RecognitionRequestBody = z.infer<typeof RecognitionRequestBodySchema>;

export const RequestParamsSchema = z.strictObject({ requestId: RequestIdSchema });

export const SubmitRecognitionResponseSchema = z.object({ requestId: z.string(), status: RequestStatusSchema });

export const HistoryEntrySchema = z.object({
  at: z.string(),
  actor: z.object({ role: z.string(), id: z.string(), userId: z.optional(z.string()) }),
  transition: z.enum(['submitted', 'resubmitted', ...DECISIONS]),
  from: z.optional(RequestStatusSchema),
  to: RequestStatusSchema,
  reason: z.optional(z.string()),
});

export const RecognitionRequestSchema = z.object({
  requestId: z.string(),
  status: RequestStatusSchema,
  version: z.int(),
  ownerId: z.string(),
  ownerRole: z.enum(['provider', 'employer']),
  title: z.string(),
  description: z.string(),
  learningGoals: z.array(z.string()),
  activityType: ActivityTypeSchema,
  nature: NatureSchema,
  topics: z.array(z.string()),
  netStudyMinutes: z.int(),
  completion: z.object({ type: z.enum(COMPLETION_TYPES), description: z.string() }),
  internal: z.boolean(),
  sessions: z.array(z.object({ startsOn: DateSchema, endsOn: z.optional(DateSchema), location: z.optional(z.string()), online: z.optional(z.boolean()) })),
  submittedAt: z.string(),
  updatedAt: z.string(),
  decidedAt: z.optional(z.string()),
  activityId: z.optional(z.string()),
  points: z.optional(z.number()),
  /** Every transition, oldest first: who, when, from → to, and the reason. */
  history: z.array(HistoryEntrySchema),
});

export const RecognitionRequestsQuerySchema = z.strictObject({
  /** Admin: defaults to `submitted` (the review queue). Providers and employers: all their own when absent. */
  status: z.optional(RequestStatusSchema),
  ...PageQueryFields,
});

export const RecognitionRequestSummarySchema = z.object({
  requestId: z.string(),
  status: RequestStatusSchema,
  title: z.string(),
  ownerId: z.string(),
  ownerRole: z.enum(['provider', 'employer']),
  activityType: ActivityTypeSchema,
  internal: z.boolean(),
  submittedAt: z.string(),
  /** When the request entered its current status (the admin's queue is ordered by it, oldest first). */
  statusAt: z.string(),
});
export const RecognitionRequestListSchema = z.object({ items: z.array(RecognitionRequestSummarySchema), nextCursor: z.optional(z.string()) });

export const DecisionRequestSchema = z.strictObject({
  decision: z.enum(DECISIONS),
  /** Required for `rejected` and `changes-requested`; it goes to the submitter. */
  reason: z.optional(text({ max: 2000, multiline: true })),
  /** Approval only; exclusive end of recognition (default: two years after the decision date). */
  recognizedUntil: z.optional(DateSchema),
});
export type DecisionRequest = z.infer<typeof DecisionRequestSchema>;

export const DecisionResponseSchema = z.object({
  requestId: z.string(),
  status: RequestStatusSchema,
  decision: z.enum(DECISIONS),
  decidedAt: z.string(),
  reason: z.optional(z.string()),
  activityId: z.optional(z.string()),
  points: z.optional(z.number()),
  recognizedFrom: z.optional(DateSchema),
  recognizedUntil: z.optional(DateSchema),
  /** Whether the e-mail to the submitter went out (the decision stands either way). */
  notified: z.boolean(),
});

// ---------------------------------------------------------------- activities (the catalogue)

export const ActivityParamsSchema = z.strictObject({ activityId: ActivityIdSchema });

export const ActivitiesQuerySchema = z.strictObject({
  topic: z.optional(TopicCodeSchema),
  type: z.optional(ActivityTypeSchema),
  providerId: z.optional(ProviderIdSchema),
  /** Case- and accent-insensitive text in the title or description. */
  q: z.optional(text({ max: 100 })),
  /** Only activities with a session starting on or after this date. */
  from: z.optional(DateSchema),
  ...PageQueryFields,
});

const SessionViewSchema = z.object({ startsOn: DateSchema, endsOn: z.optional(DateSchema), location: z.optional(z.string()), online: z.optional(z.boolean()) });

export const CatalogueItemSchema = z.object({
  activityId: z.string(),
  title: z.string(),
  description: z.string(),
  providerId: z.string(),
  providerName: z.string(),
  activityType: ActivityTypeSchema,
  nature: NatureSchema,
  topics: z.array(z.string()),
  points: z.number(),
  recognizedFrom: DateSchema,
  recognizedUntil: DateSchema,
  sessions: z.array(SessionViewSchema),
  /** The participants' average rating (issue 16 part 3), only from 5 ratings on. */
  rating: z.optional(z.object({ average: z.number(), count: z.int() })),
});
export const CatalogueSchema = z.object({ items: z.array(CatalogueItemSchema), nextCursor: z.optional(z.string()) });

export const ActivitySchema = z.object({
  activityId: z.string(),
  requestId: z.optional(z.string()),
  title: z.string(),
  description: z.string(),
  learningGoals: z.array(z.string()),
  ownerId: z.string(),
  ownerRole: z.enum(['provider', 'employer']),
  providerId: z.optional(z.string()),
  providerName: z.string(),
  activityType: ActivityTypeSchema,
  nature: NatureSchema,
  topics: z.array(z.string()),
  netStudyMinutes: z.int(),
  points: z.number(),
  completion: z.object({ type: z.enum(COMPLETION_TYPES), description: z.string() }),
  internal: z.boolean(),
  recognizedFrom: DateSchema,
  recognizedUntil: DateSchema,
  /** Recognized today (recognizedFrom ≤ today < recognizedUntil). */
  recognized: z.boolean(),
  sessions: z.array(SessionViewSchema),
  /** The participants' average rating (issue 16 part 3), only from 5 ratings on. */
  rating: z.optional(z.object({ average: z.number(), count: z.int() })),
});
