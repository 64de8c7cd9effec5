import { loadTariffs } from '../../data/tariffs';
import type { RunOptions } from './documents';
import { invoiceEmployerMonth, type EmployerOutcome } from './collective';
import { renderAndDeliver } from './render';
import type { Delivery } from './deliver';
import type { InvoicingMessage } from './fan-out';

/*
 * The invoicing worker's units of work (functions/queue/invoice-employer.ts in the cloud; in-process
 * locally through fan-out.ts): an employer-month to issue, or a document to render and deliver.
 * This module and what it imports are the only code that bundles the renderer.
 */
export { invoiceEmployerMonth, renderAndDeliver };

export type WorkOutcome = ({ kind: 'employer-month' } & EmployerOutcome) | { kind: 'document'; invoiceId: string; delivery: Delivery };

/** One SQS message: `{month, employerId}` or `{invoiceId}`. */
export async function workInvoicingMessage(body: string, opts?: RunOptions): Promise<WorkOutcome> {
  const message = JSON.parse(body) as Partial<InvoicingMessage> & Record<string, unknown>;
  if (typeof message.invoiceId === 'string' && /^inv_[0-9A-Z]{26}$/.test(message.invoiceId)) {
    return { kind: 'document', invoiceId: message.invoiceId, delivery: await renderAndDeliver(message.invoiceId, opts) };
  }
  const { month, employerId } = message as { month?: unknown; employerId?: unknown };
  if (typeof month !== 'string' || !/^\d{4}-\d{2}$/.test(month) || typeof employerId !== 'string') throw new Error('Malformed invoice message');
  return { kind: 'employer-month', ...(await invoiceEmployerMonth(month, employerId, await loadTariffs(), opts)) };
}
