import { getInvoiceFile, getInvoiceHeader, type InvoiceFileKind, type StoredInvoice } from '../../data/invoices';
import { AGAIN, optimistic } from '../../data/client';
import { NotYetAvailable } from '../../domain/errors';
import { fileBase } from './documents';
import { requestDelivery } from './fan-out';

/*
 * A document's PDF or UBL as the invoicing worker rendered and stored it, for the functions that
 * answer people (GET /v1/invoices/{id} with Accept PDF/XML, the invoice download pages): they serve
 * the stored bytes and bundle no renderer.
 */

/** The worker had not stored the files within the wait: the one answer beyond API.md, a 503 to retry. */
export class NotRenderedYet extends NotYetAvailable {
  constructor(retryAfterSeconds: number) {
    super(`The document is still being rendered; try again in ${retryAfterSeconds} seconds.`, retryAfterSeconds, { reason: 'not-rendered-yet' });
  }
}

/** Polls of the header after handing the document to the worker: ~12 s in all, inside API Gateway's 30 s. */
const WAIT_MS = [100, 200, 400, 800, 1500, 3000, 3000, 3000];

export const FILE_TYPES: Record<InvoiceFileKind, { contentType: string; extension: string }> = {
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
  xml: { contentType: 'application/xml; charset=utf-8', extension: 'xml' },
};

/**
 * The stored file, and its download name. A document issued moments ago may not be rendered yet
 * (its worker message is on the queue), and one issued before files were stored never was: the
 * document is handed to the worker (again: rendering is once, delivery too) and its header polled
 * until the files are there. Locally the hand-over renders in-process, so the first poll finds them.
 */
export async function invoiceFile(inv: StoredInvoice, kind: InvoiceFileKind): Promise<{ bytes: Buffer; filename: string; contentType: string }> {
  const found = (bytes: Buffer) => ({ bytes, filename: `${fileBase(inv)}.${FILE_TYPES[kind].extension}`, contentType: FILE_TYPES[kind].contentType });
  const stored = await getInvoiceFile(inv, kind);
  if (stored) return found(stored);
  await requestDelivery(inv.invoiceId);
  // Polled on the one optimistic loop: a header without the file yet is a lost round.
  return optimistic(
    async () => {
      const header = await getInvoiceHeader(inv.invoiceId);
      const bytes = header?.files && (await getInvoiceFile(header, kind));
      return bytes ? found(bytes) : AGAIN;
    },
    { attempts: WAIT_MS.length + 1, exhausted: () => new NotRenderedYet(10), backoffMs: (attempt) => WAIT_MS[attempt - 1] },
  );
}
