import { httpHandler } from '../../shared/http/handler';
import { FeesQuerySchema } from '../../shared/schemas/invoices';
import { listMonthFees } from '../../shared/services/invoice-views';
import { pageRequest } from '../../shared/http/cursor';

export const handler = httpHandler({
  route: 'list-fees',
  query: FeesQuerySchema,
  handler: async (req) => ({ status: 200, body: await listMonthFees(req.query.month, await pageRequest('list-fees', req)) }),
});
