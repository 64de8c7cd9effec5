import { pageHandler } from '../../shared/web/page';
import { invoiceFor } from '../../shared/services/invoice-views';
import { invoiceFile } from '../../shared/services/invoicing/files';
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
    // As the invoicing worker stored it: this page bundles no renderer.
    const { bytes, contentType, filename } = await invoiceFile(inv, 'pdf');
    return { file: bytes, contentType, filename };
  },
});
