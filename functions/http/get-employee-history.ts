import { httpHandler, type HttpResult } from '../../shared/http/handler';
import { EmployeeHistoryQuerySchema, EmployeeParamsSchema } from '../../shared/schemas/employers';
import { employeeHistory, employerFor } from '../../shared/services/employers';
import { CSV_CONTENT_TYPE, toCsv } from '../../shared/services/csv';
import { negotiate } from '../../shared/http/negotiate';
import { todayInAmsterdam } from '../../shared/dates';

const COLUMNS = ['registrationNumber', 'name', 'completedOn', 'activityId', 'activityTitle', 'points', 'status', 'registrationStartsOn', 'creditId', 'revokedAt'] as const;

export const handler = httpHandler({
  route: 'get-employee-history',
  params: EmployeeParamsSchema,
  query: EmployeeHistoryQuerySchema,
  handler: async ({ params, query, caller, headers }): Promise<HttpResult> => {
    const type = negotiate('get-employee-history', headers.accept, query.format);
    const employer = await employerFor(caller, params.employerId);
    const today = todayInAmsterdam();
    const history = await employeeHistory(employer.employerId, params.participantId, today);
    if (type === 'text/csv') {
      const rows = history.credits.map((c) => {
        const row: Partial<Record<(typeof COLUMNS)[number], string | number | null>> = {
          ...c,
          registrationNumber: history.registrationNumber,
          name: history.name,
        };
        return COLUMNS.map((col) => row[col]);
      });
      return {
        status: 200,
        raw: true,
        body: toCsv(COLUMNS, rows),
        headers: {
          'content-type': CSV_CONTENT_TYPE,
          'content-disposition': `attachment; filename="pe-history-${history.registrationNumber}-${today}.csv"`,
          vary: 'accept',
        },
      };
    }
    return { status: 200, body: history, headers: { vary: 'accept' } };
  },
});
