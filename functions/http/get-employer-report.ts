import { httpHandler, type HttpResult } from '../../shared/http/handler';
import { pageRequest } from '../../shared/http/cursor';
import { EmployerParamsSchema, EmployerReportQuerySchema } from '../../shared/schemas/employers';
import { employerFor } from '../../shared/services/employers/access';
import { employerReport, pageOf } from '../../shared/services/employers/report';
import { exportLanguage } from '../../shared/http/negotiate';
import { download, exportFormatOf, reportFileName, reportTable } from '../../shared/services/report-export';
import { negotiate } from '../../shared/http/negotiate';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'get-employer-report',
  params: EmployerParamsSchema,
  query: EmployerReportQuerySchema,
  handler: async (req): Promise<HttpResult> => {
    const { params, query, caller, headers } = req;
    const type = negotiate('get-employer-report', headers.accept, query.format);
    const employer = await employerFor(caller, params.employerId);
    const paging = await pageRequest('get-employer-report', req);
    const today = todayInAmsterdam();
    const after = typeof paging.start?.after === 'string' ? paging.start.after : undefined;
    const report = await employerReport(employer.employerId, today);
    const format = exportFormatOf(type);
    if (format !== 'json') {
      // A download holds every row (a spreadsheet wants the whole list, not pages).
      const lang = exportLanguage(query.lang, headers['accept-language']);
      const file = await download(reportTable(report.rows, report.totals), format, lang, reportFileName(lang, employer, today));
      return { status: 200, raw: true, body: file.body, headers: file.headers };
    }
    const { page, last } = pageOf(report.rows, paging.limit, after);
    return {
      status: 200,
      body: { employerId: employer.employerId, asOf: today, employees: page, totals: report.totals, nextCursor: paging.next(last ? { after: last } : undefined) },
      headers: { vary: 'accept, accept-language' },
    };
  },
});
