/*
 * Evaluations (issue 16 part 3): the rules on how an activity's ratings are shown. The public
 * (the catalogue, the activity page, GET /v1/activities…) sees the average only from
 * PUBLIC_MIN_RATINGS ratings on — with fewer, a reader who knows who took part could guess one
 * person's rating — and never a comment.
 */
export const PUBLIC_MIN_RATINGS = 5;

/** The average to one decimal, and the count; undefined without ratings. */
export function ratingOf(a: { ratingSum?: number; ratingCount?: number }): { average: number; count: number } | undefined {
  const count = Number(a.ratingCount ?? 0);
  if (!count) return undefined;
  return { average: Math.round((Number(a.ratingSum ?? 0) / count) * 10) / 10, count };
}

/** What the public sees of an activity's ratings: `{rating}` from PUBLIC_MIN_RATINGS on, else nothing. */
export function publicRating(a: { ratingSum?: number; ratingCount?: number }): { rating?: { average: number; count: number } } {
  const r = ratingOf(a);
  return r && r.count >= PUBLIC_MIN_RATINGS ? { rating: r } : {};
}
