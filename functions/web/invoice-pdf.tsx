import { pageHandler } from '../../shared/web/page';
import { invoiceFor } from '../../shared/services/invoice-views';
import { renderPdf } from '../../shared/invoices/render';
import { NotFound } from '../../shared/domain/errors';
import { validate } from '../../shared/http/validation';
import { InvoiceParamsSchema } from '../../shared/schemas/invoices';

/*
 * /dossier/facturen/{invoiceId}: the PDF of one of the participant's own invoices (or credit
 * notes). Whose document it is, `invoiceFor` decides as for the API: someone else's, an
 * employer's or an unknown id is the 404 page.
 */
export const handler = pageHandler({
  routes: ['page-invoice-pdf'],
  handler: async (ctx) => {
    // Not an id this register hands out (the API's own check): nothing to look up.
    const params = validate(InvoiceParamsSchema, ctx.params);
    if (!params.ok) throw new NotFound();
    const inv = await invoiceFor(ctx.caller, params.data.invoiceId);
    const file = await renderPdf(inv);
    const base = `${inv.documentType === 'credit-note' ? 'creditnota' : 'factuur'}-${inv.invoiceNumber}`;
    return { file, contentType: 'application/pdf', filename: `${base}.pdf` };
  },
});
