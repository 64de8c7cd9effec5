import * as z from 'zod/mini';
import { PageQueryFields } from './common';
import { ActivitiesQuerySchema, CatalogueItemSchema } from './recognition';

/*
 * Issue 16 part 7: the catalogue for learning platforms (`GET /v1/catalogue/feed.json`,
 * `GET /v1/catalogue/sessions.ics`). The filters are the catalogue's own (same codes, same id
 * formats), so a platform filters exactly as `/v1/activities` and `/scholingskalender` do.
 */
const { topic, providerId } = ActivitiesQuerySchema.shape;

export const CatalogueFeedQuerySchema = z.strictObject({
  topic,
  providerId,
  /**
   * Only what changed at or after this instant (ISO 8601 with `Z` or an offset). Normalised to UTC
   * milliseconds, the spelling `updatedAt` is stored in, so the comparison is one of strings.
   */
  updatedSince: z.optional(
    z.pipe(
      z.iso.datetime({ offset: true }),
      z.transform((v) => new Date(v).toISOString()),
    ),
  ),
  ...PageQueryFields,
});
export type CatalogueFeedQuery = z.infer<typeof CatalogueFeedQuerySchema>;

export const CatalogueFeedItemSchema = z.object({
  ...CatalogueItemSchema.shape,
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
