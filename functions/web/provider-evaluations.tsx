import { pageHandler, type PageContext, type PageResult } from '../../shared/web/page';
import { Heading, Link, Paragraph } from '../../shared/web/components';
import { EvaluationItems, RatingSummary } from '../../shared/web/evaluations';
import { getProvider } from '../../shared/data/organisations';
import { ownActivities } from '../../shared/services/catalogue';
import { OVERVIEW_EVALUATIONS, ownerOverview } from '../../shared/services/evaluations';

/*
 * /opleider/evaluaties (issue 16 part 3): per activity of the signed-in provider its average, the
 * number of ratings and the newest comments — never who gave them (an evaluation item holds no
 * participant). The provider's activities are its gsi2 partition (one Query, the aggregate on
 * each item); the newest evaluations one Query per rated activity. All of one activity's:
 * provider-activity-evaluations.tsx.
 */
type Page = Extract<PageResult, { title: string }>;

export const handler = pageHandler({
  routes: ['page-provider-evaluations'],
  viewer: async (ctx) => {
    const p = await getProvider(ctx.session!.ownerId);
    return p ? { name: p.name } : {};
  },
  handler: overviewPage,
});

async function overviewPage(ctx: PageContext): Promise<Page> {
  const { t, lang } = ctx;
  const e = t.evaluations;
  const overview = await ownerOverview(await ownActivities(ctx.caller!));
  return {
    title: e.providerTitle,
    body: (
      <>
        <Heading>{e.providerTitle}</Heading>
        <Paragraph>{e.providerIntro}</Paragraph>
        {overview.length ? null : <Paragraph>{e.noActivities}</Paragraph>}
        {overview.map((a) => (
          <section aria-labelledby={`act-${a.activityId}`} key={a.activityId}>
            <Heading level={2}>
              <span id={`act-${a.activityId}`}>{a.title}</span>
            </Heading>
            {a.rating ? (
              <>
                <RatingSummary t={t} lang={lang} rating={a.rating} />
                <EvaluationItems t={t} lang={lang} caption={e.latestCaption(a.title, Math.min(a.items.length, OVERVIEW_EVALUATIONS))} items={a.items} />
                {a.rating.count > a.items.length ? (
                  <Paragraph>
                    <Link href={`/opleider/evaluaties/${encodeURIComponent(a.activityId)}`}>{e.allOf(a.title)}</Link>
                  </Paragraph>
                ) : null}
              </>
            ) : (
              <Paragraph>{e.noRatings}</Paragraph>
            )}
          </section>
        ))}
        <Paragraph>
          <Link href="/opleider">{t.provider.homeTitle}</Link>
        </Paragraph>
      </>
    ),
  };
}
