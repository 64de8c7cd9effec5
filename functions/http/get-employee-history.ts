import { httpHandler, type HttpResult } from '../../shared/http/handler';
import { EmployeeHistoryQuerySchema, EmployeeParamsSchema } from '../../shared/schemas/employers';
import { employeeHistory } from '../../shared/services/employers/report';
import { employerFor } from '../../shared/services/employers/access';
import { exportLanguage } from '../../shared/http/negotiate';
import { download, exportFormatOf, historyFileName, historyTable } from '../../shared/services/report-export';
import { negotiate } from '../../shared/http/negotiate';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'get-employee-history',
  params: EmployeeParamsSchema,
  query: EmployeeHistoryQuerySchema,
  handler: async ({ params, query, caller, headers }): Promise<HttpResult> => {
    const type = negotiate('get-employee-history', headers.accept, query.format);
    const employer = await employerFor(caller, params.employerId);
    const today = todayInAmsterdam();
    const history = await employeeHistory(employer.employerId, params.participantId, today);
    const format = exportFormatOf(type);
    if (format !== 'json') {
      const lang = exportLanguage(query.lang, headers['accept-language']);
      const rows = history.credits.map((c) => ({ ...c, registrationNumber: history.registrationNumber, name: history.name }));
      const file = await download(historyTable(rows), format, lang, historyFileName(lang, history.registrationNumber, today));
      return { status: 200, raw: true, body: file.body, headers: file.headers };
    }
    return { status: 200, body: history, headers: { vary: 'accept, accept-language' } };
  },
});
