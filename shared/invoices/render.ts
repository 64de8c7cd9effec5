import type { InvoiceDocument } from './model';

/**
 * The PDF and the UBL e-invoice (EN 16931) of a stored document.
 *
 * The renderers are imported on first use: pdfkit and its fonts are most of an invoicing bundle,
 * and a cold function that only answers JSON (or issues an invoice that a worker mails later)
 * should not evaluate them at start-up. esbuild keeps them in the one-file bundle, evaluated lazily.
 */
export async function renderDocuments(doc: InvoiceDocument): Promise<{ pdf: Buffer; xml: string }> {
  const [{ buildPdf }, { buildUbl }] = await Promise.all([import('./pdf'), import('./ubl')]);
  const [pdf, xml] = await Promise.all([buildPdf(doc), Promise.resolve(buildUbl(doc))]);
  return { pdf, xml };
}

/** The PDF alone (a download link needs no UBL). */
export async function renderPdf(doc: InvoiceDocument): Promise<Buffer> {
  const { buildPdf } = await import('./pdf');
  return buildPdf(doc);
}
