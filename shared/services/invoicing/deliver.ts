import { getInvoice, getInvoiceFile, invoiceOutboxKey, OUTBOX_INDEX_KEYS } from '../../data/invoices';
import { sendOnce, type Outcome } from '../../jobs/drain';
import { invoiceEmail } from '../../email/templates/invoice';
import { sendEmail } from '../../email/send';
import { logger } from '../../log';
import { clock, fileBase, type RunOptions } from './documents';

/*
 * Delivery by e-mail from the stored files: this module sends what the invoicing worker rendered
 * and never renders itself, so the job that drains the outbox does not bundle the renderer.
 */

export const SENDING_LEASE_MS = 10 * 60 * 1000;

/** `queued`: handed to the invoicing worker (cloud), which renders and delivers it. */
export type Delivery = 'sent' | 'already-sent' | 'in-flight' | 'failed' | 'unaddressed' | 'queued';

/**
 * Delivers a rendered document by e-mail, exactly once (see documents.ts), as an outbox item
 * (shared/jobs/drain.ts `sendOnce`): only the caller whose claim lands sends; a failed send is
 * released (due again); after SES accepted the mail only the record is left, and if that fails
 * (past the SDK's own retries) the claim stays until its lease runs out. Only documents still in
 * the outbox index may be claimed (`gsi3pk`), so a document sent before the outbox existed never is.
 * A document without stored files is released ('failed'): its rendering is the worker's
 * (fan-out.ts `requestDelivery`).
 */
export async function deliver(invoiceId: string, opts?: RunOptions): Promise<Delivery> {
  const now = clock(opts);
  const outcome = await sendOnce(
    invoiceOutboxKey(invoiceId),
    { now: now.getTime(), leaseMs: SENDING_LEASE_MS, extraCondition: { expression: 'attribute_exists(gsi3pk)' }, set: { sendingSince: now.toISOString() } },
    async () => {
      const inv = (await getInvoice(invoiceId))!;
      const to = inv.customer.email;
      if (!to) {
        logger.warn('invoice has no e-mail address; left for the API only', { invoiceId });
        return { outcome: 'noAddress', status: 'no-email', set: { sentAt: now.toISOString() }, remove: [...OUTBOX_INDEX_KEYS, 'sendingSince'] };
      }
      const [pdf, xml] = await Promise.all([getInvoiceFile(inv, 'pdf'), inv.kind === 'collective' ? getInvoiceFile(inv, 'xml') : undefined]);
      if (!pdf) throw Object.assign(new Error('not rendered yet'), { name: 'NotRendered' });
      const base = fileBase(inv);
      const attachments = [{ filename: `${base}.pdf`, contentType: 'application/pdf', content: pdf }];
      // Businesses get the e-invoice too; a consumer's mail carries the PDF only.
      if (xml) attachments.push({ filename: `${base}.xml`, contentType: 'application/xml', content: xml });
      const messageId = await sendEmail(invoiceEmail({ to, doc: inv, attachments, language: inv.language ?? 'nl' }));
      return { set: { sentAt: clock(opts).toISOString(), messageId }, remove: [...OUTBOX_INDEX_KEYS, 'sendingSince'] };
    },
    { flow: 'invoice e-mail', ids: { invoiceId } },
  );
  return deliveryOf(invoiceId, outcome);
}

async function deliveryOf(invoiceId: string, outcome: Outcome): Promise<Delivery> {
  if (outcome === 'sent') return 'sent';
  if (outcome === 'noAddress') return 'unaddressed';
  if (outcome !== 'skipped') return 'failed';
  // Not claimed: done already, or another sender holds it.
  const inv = await getInvoice(invoiceId);
  return inv?.status === 'sent' || inv?.status === 'unaddressed' ? 'already-sent' : 'in-flight';
}
