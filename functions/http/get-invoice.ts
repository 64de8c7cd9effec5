import { httpHandler, type HttpResult } from '../../shared/http/handler';
import { InvoiceParamsSchema } from '../../shared/schemas/invoices';
import { invoiceFor, invoiceView } from '../../shared/services/invoice-views';
import { invoiceFile } from '../../shared/services/invoicing/files';
import { negotiate } from '../../shared/http/negotiate';

export const handler = httpHandler({
  route: 'get-invoice',
  params: InvoiceParamsSchema,
  handler: async ({ params, caller, headers }): Promise<HttpResult> => {
    // JSON by default; the PDF or the UBL e-invoice (as the invoicing worker stored them) when the Accept header prefers it.
    const type = negotiate('get-invoice', headers.accept);
    const inv = await invoiceFor(caller, params.invoiceId);
    if (type === 'application/json') return { status: 200, body: invoiceView(inv), headers: { vary: 'accept' } };
    const file = await invoiceFile(inv, type === 'application/pdf' ? 'pdf' : 'xml');
    return {
      status: 200,
      raw: true,
      body: type === 'application/pdf' ? file.bytes : file.bytes.toString('utf8'),
      headers: { 'content-type': file.contentType, 'content-disposition': `inline; filename="${file.filename}"`, vary: 'accept' },
    };
  },
});
