import { httpHandler, type HttpResult } from '../../shared/http/handler';
import { InvoiceParamsSchema } from '../../shared/schemas/invoices';
import { invoiceFor, invoiceView } from '../../shared/services/invoice-views';
import { renderDocuments } from '../../shared/invoices/render';
import { negotiate } from '../../shared/http/negotiate';

export const handler = httpHandler({
  route: 'get-invoice',
  params: InvoiceParamsSchema,
  handler: async ({ params, caller, headers }): Promise<HttpResult> => {
    // JSON by default; the PDF or the UBL e-invoice when the Accept header prefers it.
    const type = negotiate('get-invoice', headers.accept);
    const inv = await invoiceFor(caller, params.invoiceId);
    if (type === 'application/json') return { status: 200, body: invoiceView(inv), headers: { vary: 'accept' } };
    const { pdf, xml } = await renderDocuments(inv);
    const base = `${inv.documentType === 'credit-note' ? 'creditnota' : 'factuur'}-${inv.invoiceNumber}`;
    return type === 'application/pdf'
      ? { status: 200, raw: true, body: pdf, headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${base}.pdf"`, vary: 'accept' } }
      : { status: 200, raw: true, body: xml, headers: { 'content-type': 'application/xml; charset=utf-8', 'content-disposition': `inline; filename="${base}.xml"`, vary: 'accept' } };
  },
});
