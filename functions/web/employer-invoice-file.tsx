import { pageHandler } from '../../shared/web/page';
import { invoiceFor } from '../../shared/services/invoice-views';
import { invoiceFile } from '../../shared/services/invoicing/files';
import { NotFound } from '../../shared/domain/errors';
import { validate } from '../../shared/http/validation';
import { InvoiceParamsSchema } from '../../shared/schemas/invoices';

/*
 * /werkgever/facturen/{invoiceId}/{pdf|ubl}: one of the employer's invoices or credit notes as
 * the API renders it. Whose document it is, `invoiceFor` decides as for `GET /v1/invoices/{id}`:
 * another employer's, a participant's own or an unknown id is the 404 page.
 */
export const handler = pageHandler({
  routes: ['page-employer-invoice-file'],
  handler: async (ctx) => {
    const format = ctx.params.format;
    const params = validate(InvoiceParamsSchema, { invoiceId: ctx.params.invoiceId });
    if (!params.ok || (format !== 'pdf' && format !== 'ubl')) throw new NotFound();
    const inv = await invoiceFor(ctx.caller, params.data.invoiceId);
    // As the invoicing worker stored them: this page bundles no renderer.
    const { bytes, contentType, filename } = await invoiceFile(inv, format === 'pdf' ? 'pdf' : 'xml');
    return { file: bytes, contentType, filename };
  },
});
