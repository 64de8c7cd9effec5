import { httpHandler } from '../../shared/http/handler';
import { CreditNoteRequestSchema, InvoiceParamsSchema } from '../../shared/schemas/invoices';
import { createCreditNote } from '../../shared/services/invoicing/credit-notes';
import { invoiceView } from '../../shared/services/invoice-views';
import { getInvoice } from '../../shared/data/invoices';
import { actorOf } from '../../shared/services/access';

export const handler = httpHandler({
  route: 'create-credit-note',
  params: InvoiceParamsSchema,
  body: CreditNoteRequestSchema,
  handler: async ({ params, body, caller }) => {
    const { invoice } = await createCreditNote(params.invoiceId, body.reason, actorOf(caller));
    // Read back: the answer shows the delivery state the e-mail attempt left.
    return { status: 201, body: invoiceView((await getInvoice(invoice.invoiceId)) ?? invoice) };
  },
});
