import * as z from 'zod/mini';
import { PageQueryFields } from './common';
import { ActivitiesQuerySchema, CatalogueItemSchema } from './recognition';

/*
 * Issue 16 part 7: the catalogue for learning platforms (`GET /v1/catalogue/feed.json`,
 * `GET /v1/catalogue/sessions.ics`). The filters are the catalogue's own (same codes, same id
 * formats), so a platform filters exactly as `/v1/activities` and `/scholingskalender` do.
 */
const { topic, providerId } = ActivitiesQuerySchema.shape;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Date.parse rolls 2026-02-30 over into March: the day must exist in its month. */
function realDay(day: string): boolean {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
}

export const CatalogueFeedQuerySchema = z.strictObject({
  topic,
  providerId,
  /**
   * Only what changed at or after this instant (ISO 8601 with `Z` or an offset). Normalised to UTC
   * milliseconds, the spelling `updatedAt` is stored in, so the comparison is one of strings.
   */
  updatedSince: z.optional(
    z.pipe(
      z.string().check(
        z.regex(INSTANT, 'updatedSince is an ISO 8601 instant with Z or an offset, such as 2026-12-01T09:00:00Z'),
        // Only what has the shape (the pattern speaks for the rest): one error per bad value.
        z.refine((v) => !INSTANT.test(v) || (Number.isFinite(Date.parse(v)) && realDay(v.slice(0, 10))), 'updatedSince is not a real moment'),
      ),
      z.transform((v) => new Date(v).toISOString()),
    ),
  ),
  ...PageQueryFields,
});
export type CatalogueFeedQuery = z.infer<typeof CatalogueFeedQuerySchema>;

/**
 * A catalogue item without its `rating`: ratings move with every evaluation, which `updatedAt`
 * does not follow (it would rewrite every copy of an activity per rating), so a platform syncing
 * by `updatedSince` would keep a stale average. The rating is on `GET /v1/activities/{id}`.
 */
export const CatalogueFeedItemSchema = z.object({
  ...z.omit(CatalogueItemSchema, { rating: true }).shape,
  /** The activity's public page (`/scholingskalender/{activityId}`). */
  url: z.string(),
  /** The last change (approval, sessions) or, when later, the start of its first recognised day: what `updatedSince` compares. */
  updatedAt: z.string(),
});
export const CatalogueFeedSchema = z.object({ items: z.array(CatalogueFeedItemSchema), nextCursor: z.optional(z.string()) });
export type CatalogueFeed = z.infer<typeof CatalogueFeedSchema>;

export const SessionsFeedQuerySchema = z.strictObject({ topic, providerId });
export type SessionsFeedQuery = z.infer<typeof SessionsFeedQuerySchema>;

/** Issue 16 part 7: the catalogue for learning platforms: the schemas its routes name (body / query / response), by name. */
export const catalogueFeedSchemas: Record<string, z.ZodMiniType> = {
  CatalogueFeedQuery: CatalogueFeedQuerySchema,
  CatalogueFeed: CatalogueFeedSchema,
  SessionsFeedQuery: SessionsFeedQuerySchema,
};
