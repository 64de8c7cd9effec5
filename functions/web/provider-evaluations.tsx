import { pageHandler } from '../../shared/web/page';
import { DataList, Heading, Link, Paragraph, Table } from '../../shared/web/components';
import { formatAverage } from '../../shared/web/evaluations';
import { getProvider } from '../../shared/data/organisations';
import { ownActivities } from '../../shared/services/catalogue';
import { OVERVIEW_EVALUATIONS, ownerOverview } from '../../shared/services/evaluations';
import { formatDate } from '../../shared/i18n';
import { todayInAmsterdam } from '../../shared/dates';

/*
 * /opleider/evaluaties (issue 16 part 3): per activity of the signed-in provider its average, the
 * number of ratings and the newest comments — never who gave them (an evaluation item holds no
 * participant). The provider's activities are its gsi2 partition (one Query, the aggregate on
 * each item); the newest evaluations one Query per rated activity. The API
 * (`GET /v1/activities/{id}/evaluations`) pages through all of them.
 */
export const handler = pageHandler({
  routes: ['page-provider-evaluations'],
  viewer: async (ctx) => {
    const p = await getProvider(ctx.session!.ownerId);
    return p ? { name: p.name } : {};
  },
  handler: async (ctx) => {
    const { t, lang } = ctx;
    const e = t.evaluations;
    const overview = await ownerOverview(await ownActivities(ctx.caller!));
    const day = (iso: string) => formatDate(lang, todayInAmsterdam(new Date(iso)));
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
                  <DataList
                    items={[
                      { key: e.averageLabel, value: e.average(formatAverage(lang, a.rating.average)) },
                      { key: e.countLabel, value: String(a.rating.count) },
                    ]}
                  />
                  <Table
                    caption={e.latestCaption(a.title, Math.min(a.items.length, OVERVIEW_EVALUATIONS))}
                    headers={e.evaluationColumns}
                    rows={a.items.map((i) => [day(i.at), e.average(String(i.rating)), i.comment ?? e.noComment])}
                  />
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
  },
});
