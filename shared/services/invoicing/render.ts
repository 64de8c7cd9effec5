import { getInvoice, putInvoiceFiles } from '../../data/invoices';
import { renderDocuments } from '../../invoices/render';
import { logger } from '../../log';
import { clock, type RunOptions } from './documents';
import { deliver, type Delivery } from './deliver';

/*
 * The one place that renders: the invoicing worker's (functions/queue/invoice-employer.ts, and
 * in-process locally through fan-out.ts). pdfkit, its fonts and the UBL writer are in no other
 * function's bundle (test/infra/stack.test.ts).
 */

/** Renders a document's PDF and UBL once and stores them with it; a document rendered before is left alone. */
export async function renderStored(invoiceId: string, opts?: RunOptions): Promise<boolean> {
  const inv = await getInvoice(invoiceId);
  if (!inv) throw new Error(`No invoice ${invoiceId} to render`);
  if (inv.files) return false;
  const { pdf, xml } = await renderDocuments(inv);
  const stored = await putInvoiceFiles(invoiceId, { pdf, xml: Buffer.from(xml, 'utf8') }, clock(opts));
  if (!stored) logger.info('invoice rendered concurrently; the first rendering is kept', { invoiceId });
  return stored;
}

/** The worker's unit for one document: render it (if not yet), then deliver it (if not yet). */
export async function renderAndDeliver(invoiceId: string, opts?: RunOptions): Promise<Delivery> {
  await renderStored(invoiceId, opts);
  return deliver(invoiceId, opts);
}
