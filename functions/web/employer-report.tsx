import { pageHandler } from '../../shared/web/page';
import { Heading, Link, Paragraph, Table } from '../../shared/web/components';
import { EmployerNav, employerViewer, sessionEmployer } from '../../shared/web/employer';
import { employerReport } from '../../shared/services/employers/report';
import { formatDate } from '../../shared/i18n';

/*
 * /werkgever/rapportage: the report for audits — its totals, and the downloads (CSV for Dutch
 * Excel and a real workbook) by /werkgever/rapportage/{csv|xlsx}, in this page's language.
 */
export const handler = pageHandler({
  routes: ['page-employer-report'],
  viewer: employerViewer,
  handler: async (ctx) => {
    const { t, lang } = ctx;
    const e = t.employer;
    const employer = await sessionEmployer(ctx);
    const { totals } = await employerReport(employer.employerId, ctx.today);
    return {
      title: e.reportTitle,
      body: (
        <>
          <Heading>{e.reportTitle}</Heading>
          <EmployerNav t={t} current="/werkgever/rapportage" />
          <Paragraph>{e.reportIntro}</Paragraph>
          <Paragraph>{e.asOf(formatDate(lang, ctx.today))}</Paragraph>
          <Table
            caption={e.totalsHeading}
            headers={e.chartColumns}
            rows={[
              [e.totals.employees, String(totals.employees)],
              [e.totals.active, String(totals.active)],
              [e.totals.onTrack, String(totals.onTrack)],
              [e.totals.atRisk, String(totals.atRisk)],
              [e.totals.lapsed, String(totals.lapsed)],
            ]}
          />
          <Heading level={2}>{e.downloadsHeading}</Heading>
          <Paragraph>{e.downloadHint}</Paragraph>
          <ul class="utrecht-unordered-list">
            <li class="utrecht-unordered-list__item">
              <Link href="/werkgever/rapportage/csv" download>
                {e.downloadCsv}
              </Link>
            </li>
            <li class="utrecht-unordered-list__item">
              <Link href="/werkgever/rapportage/xlsx" download>
                {e.downloadXlsx}
              </Link>
            </li>
          </ul>
        </>
      ),
    };
  },
});
