import { httpHandler, type HttpResult } from '../../shared/http/handler';
import { pageRequest } from '../../shared/http/cursor';
import { EmployerParamsSchema, EmployerReportQuerySchema } from '../../shared/schemas/employers';
import { employerFor, employerReport, pageOf } from '../../shared/services/employers';
import { CSV_CONTENT_TYPE, toCsv } from '../../shared/services/csv';
import { negotiate } from '../../shared/http/negotiate';
import { todayInAmsterdam } from '../../shared/dates';

const COLUMNS = ['participantId', 'registrationNumber', 'name', 'title', 'startsOn', 'endsOn', 'status', 'pointsEarned', 'pointsMissing', 'linkedOn', 'atRisk'] as const;

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
    if (type === 'text/csv') {
      // The CSV holds every row (a spreadsheet wants the whole list, not pages).
      const csv = toCsv(COLUMNS, report.rows.map((r) => COLUMNS.map((c) => (c === 'atRisk' ? (r.atRisk ? 'ja' : 'nee') : r[c]))));
      return {
        status: 200,
        raw: true,
        body: csv,
        headers: {
          'content-type': CSV_CONTENT_TYPE,
          'content-disposition': `attachment; filename="pe-report-${employer.employerId}-${today}.csv"`,
          vary: 'accept',
        },
      };
    }
    const { page, last } = pageOf(report.rows, paging.limit, after);
    return {
      status: 200,
      body: { employerId: employer.employerId, asOf: today, employees: page, totals: report.totals, nextCursor: paging.next(last ? { after: last } : undefined) },
      headers: { vary: 'accept' },
    };
  },
});
