import { pageHandler } from '../../shared/web/page';
import { sessionEmployer } from '../../shared/web/employer';
import { NotFound } from '../../shared/domain/errors';
import { employerReport } from '../../shared/services/employers/report';
import { download, reportFileName, reportTable } from '../../shared/services/report-export';

/*
 * /werkgever/rapportage/{csv|xlsx}: the report as the API's download builds it (one table for
 * both formats), every row, column names and values in the page's language.
 */
export const handler = pageHandler({
  routes: ['page-employer-report-file'],
  handler: async (ctx) => {
    const format = ctx.params.format;
    if (format !== 'csv' && format !== 'xlsx') throw new NotFound();
    const employer = await sessionEmployer(ctx);
    const report = await employerReport(employer.employerId, ctx.today);
    const file = await download(reportTable(report.rows, report.totals), format, ctx.lang, reportFileName(ctx.lang, employer, ctx.today));
    return {
      file: typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : file.body,
      contentType: file.headers['content-type'],
      filename: `${reportFileName(ctx.lang, employer, ctx.today)}.${format}`,
    };
  },
});
