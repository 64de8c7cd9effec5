import { httpHandler } from '../../shared/http/handler';
import { FeesQuerySchema } from '../../shared/schemas/invoices';
import { listMonthFees } from '../../shared/services/invoice-views';
import { DEFAULT_LIMIT } from '../../shared/http/cursor';

export const handler = httpHandler({
  route: 'list-fees',
  query: FeesQuerySchema,
  handler: async ({ query }) => ({ status: 200, body: await listMonthFees(query.month, query.limit ?? DEFAULT_LIMIT, query.cursor) }),
});
