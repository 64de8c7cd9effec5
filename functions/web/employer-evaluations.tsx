import { pageHandler } from '../../shared/web/page';
import { Heading, Paragraph, Table } from '../../shared/web/components';
import { EmployerNav, employerViewer, sessionEmployer } from '../../shared/web/employer';
import { formatAverage } from '../../shared/web/evaluations';
import { employerEvaluations } from '../../shared/services/evaluations';

/*
 * /werkgever/evaluaties (issue 16 part 3): the activities the employer's employees rated while
 * linked to it — the employer's `EVALUATED#<activityId>` markers, written in the rating's own
 * transaction (one Query) — with each activity's average over all participants (one BatchGetItem
 * of the activities). The average from 5 ratings on, as in the catalogue (an employer knows who of
 * its staff took part, so fewer would reveal one person's rating); its own internal activities always.
 */
export const handler = pageHandler({
  routes: ['page-employer-evaluations'],
  viewer: employerViewer,
  handler: async (ctx) => {
    const { t, lang } = ctx;
    const e = t.evaluations;
    const employer = await sessionEmployer(ctx);
    const rows = await employerEvaluations(employer.employerId);
    return {
      title: e.employerTitle,
      body: (
        <>
          <Heading>{e.employerTitle}</Heading>
          <EmployerNav t={t} current="/werkgever/evaluaties" />
          <Paragraph>{e.employerIntro}</Paragraph>
          {rows.length ? (
            <Table
              caption={e.employerCaption}
              headers={e.employerColumns}
              rows={rows.map((r) => [r.title, r.providerName, r.average !== undefined ? e.average(formatAverage(lang, r.average)) : e.fewRatings, String(r.count)])}
            />
          ) : (
            <Paragraph>{e.employerNone}</Paragraph>
          )}
        </>
      ),
    };
  },
});
