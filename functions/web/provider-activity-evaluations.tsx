import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Heading, Link, Paragraph } from '../../shared/web/components';
import { EvaluationItems, RatingSummary } from '../../shared/web/evaluations';
import { getProvider } from '../../shared/data/organisations';
import { ownerEvaluations } from '../../shared/services/evaluations';
import { ratingOf } from '../../shared/domain/evaluations';
import { ActivityParamsSchema } from '../../shared/schemas/recognition';
import { validate } from '../../shared/http/validation';
import { NotFound } from '../../shared/domain/errors';
import { pageRequest } from '../../shared/http/cursor';

/*
 * /opleider/evaluaties/{activityId} (issue 16 part 3): all of one activity's evaluations, newest
 * first, paged (a cursor signed for this route, this provider and this activity), through the
 * API's service (`GET /v1/activities/{id}/evaluations`): another provider's activity is the 404 page.
 */
type Page = Extract<PageResult, { title: string }>;

export const handler = pageHandler({
  routes: ['page-provider-activity-evaluations'],
  viewer: async (ctx) => {
    const p = await getProvider(ctx.session!.ownerId);
    return p ? { name: p.name } : {};
  },
  handler: activityPage,
});

async function activityPage(ctx: PageContext): Promise<Page> {
  const { t, lang } = ctx;
  const e = t.evaluations;
  const checked = validate(ActivityParamsSchema, { activityId: ctx.params.activityId ?? '' });
  if (!checked.ok) throw new NotFound();
  const activityId = checked.data.activityId;
  const query = { ...(ctx.query.cursor ? { cursor: ctx.query.cursor } : {}), limit: 50 };
  const { activity, list } = await ownerEvaluations(ctx.caller!, activityId, await pageRequest('page-provider-activity-evaluations', { caller: ctx.caller, params: { activityId }, query }));
  const rating = ratingOf(activity);
  return {
    title: e.activityTitle(activity.title),
    body: (
      <>
        <Heading>{e.activityTitle(activity.title)}</Heading>
        {rating ? <RatingSummary t={t} lang={lang} rating={rating} /> : <Paragraph>{e.noRatings}</Paragraph>}
        {list.items.length ? <EvaluationItems t={t} lang={lang} caption={e.allCaption(activity.title)} items={list.items} /> : null}
        {list.nextCursor ? (
          <Paragraph>
            <Link href={`/opleider/evaluaties/${encodeURIComponent(activityId)}?${new URLSearchParams({ cursor: list.nextCursor })}`}>{e.nextPage}</Link>
          </Paragraph>
        ) : null}
        <Paragraph>
          <Link href="/opleider/evaluaties">{e.backToOverview}</Link>
        </Paragraph>
      </>
    ),
  };
}
