import { httpHandler } from '../../shared/http/handler';
import { ParticipantParamsSchema } from '../../shared/schemas/participants';
import { InvoiceListQuerySchema } from '../../shared/schemas/invoices';
import { listInvoicesOf, ownInvoicesHolder } from '../../shared/services/invoice-views';
import { pageRequest } from '../../shared/http/cursor';

/**
 * The invoices a participant paid for its own periods (and their credit notes), newest first: for
 * the participant itself and the admin. Fees an employer paid are on the employer's invoices, not
 * here; an employer does not see a participant's own invoices.
 */
export const handler = httpHandler({
  route: 'list-participant-invoices',
  params: ParticipantParamsSchema,
  query: InvoiceListQuerySchema,
  handler: async (req) => {
    const { params, caller } = req;
    // Another participant's invoices answer like a missing participant.
    await ownInvoicesHolder(caller, params.participantId);
    return { status: 200, body: await listInvoicesOf({ type: 'participant', id: params.participantId }, await pageRequest('list-participant-invoices', req)) };
  },
});
