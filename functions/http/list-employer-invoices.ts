import { httpHandler } from '../../shared/http/handler';
import { EmployerParamsSchema } from '../../shared/schemas/credits';
import { InvoiceListQuerySchema } from '../../shared/schemas/invoices';
import { listInvoicesOf } from '../../shared/services/invoice-views';
import { employerFor } from '../../shared/services/employers/access';
import { pageRequest } from '../../shared/http/cursor';

export const handler = httpHandler({
  route: 'list-employer-invoices',
  params: EmployerParamsSchema,
  query: InvoiceListQuerySchema,
  handler: async (req) => {
    const { params, caller } = req;
    // Another employer's invoices answer like a missing employer; the admin gets 404 for a missing one.
    await employerFor(caller, params.employerId);
    return { status: 200, body: await listInvoicesOf({ type: 'employer', id: params.employerId }, await pageRequest('list-employer-invoices', req)) };
  },
});
