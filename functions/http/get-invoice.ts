import { httpHandler } from '../../shared/http/handler';
import { InvoiceParamsSchema } from '../../shared/schemas/invoices';
import { invoiceFor, invoiceView } from '../../shared/services/invoice-views';
import { renderDocuments } from '../../shared/invoices/render';

/** JSON by default; the PDF or the UBL e-invoice when the Accept header asks for it. */
function wanted(accept: string | undefined): 'json' | 'pdf' | 'xml' {
  const a = (accept ?? '').toLowerCase();
  if (a.includes('application/pdf')) return 'pdf';
  if (/\b(application|text)\/xml\b/.test(a)) return 'xml';
  return 'json';
}

export const handler = httpHandler({
  route: 'get-invoice',
  params: InvoiceParamsSchema,
  handler: async ({ params, caller, headers }) => {
    const inv = await invoiceFor(caller, params.invoiceId);
    const format = wanted(headers.accept);
    if (format === 'json') return { status: 200, body: invoiceView(inv) };
    const { pdf, xml } = await renderDocuments(inv);
    const base = `${inv.documentType === 'credit-note' ? 'creditnota' : 'factuur'}-${inv.invoiceNumber}`;
    return format === 'pdf'
      ? { status: 200, raw: true, body: pdf, headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${base}.pdf"` } }
      : { status: 200, raw: true, body: xml, headers: { 'content-type': 'application/xml; charset=utf-8', 'content-disposition': `inline; filename="${base}.xml"` } };
  },
});
