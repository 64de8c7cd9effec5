import { randomBytes } from 'node:crypto';
import { claimForSending, getInvoice, getInvoiceFile, markDelivered, releaseClaim } from '../../data/invoices';
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

/** Attempts to record a sent e-mail before leaving it to the lease. */
const MARK_ATTEMPTS = 4;

/**
 * Delivers a rendered document by e-mail, exactly once (see documents.ts): only the caller that
 * moves it to `sending` sends. A document without stored files is released untouched ('failed'):
 * its rendering is the worker's (fan-out.ts `requestDelivery`).
 */
export async function deliver(invoiceId: string, opts?: RunOptions): Promise<Delivery> {
  const now = clock(opts);
  const claim = randomBytes(8).toString('hex');
  if (!(await claimForSending(invoiceId, claim, now, SENDING_LEASE_MS))) {
    const inv = await getInvoice(invoiceId);
    return inv?.status === 'sent' || inv?.status === 'unaddressed' ? 'already-sent' : 'in-flight';
  }
  const inv = (await getInvoice(invoiceId))!;
  const to = inv.customer.email;
  if (!to) {
    await markDelivered(invoiceId, claim, 'unaddressed', undefined, now);
    logger.warn('invoice has no e-mail address; left for the API only', { invoiceId });
    return 'unaddressed';
  }
  let messageId: string;
  try {
    const [pdf, xml] = await Promise.all([getInvoiceFile(inv, 'pdf'), inv.kind === 'collective' ? getInvoiceFile(inv, 'xml') : undefined]);
    if (!pdf) throw new Error('not rendered yet');
    const base = fileBase(inv);
    const attachments = [{ filename: `${base}.pdf`, contentType: 'application/pdf', content: pdf }];
    // Businesses get the e-invoice too; a consumer's mail carries the PDF only.
    if (xml) attachments.push({ filename: `${base}.xml`, contentType: 'application/xml', content: xml });
    messageId = await sendEmail(invoiceEmail({ to, doc: inv, attachments, language: inv.language ?? 'nl' }));
  } catch (err) {
    logger.error('invoice e-mail failed; left for the next run', { invoiceId, error: err as Error });
    await releaseClaim(invoiceId, claim, (err as Error).message ?? String(err)).catch(() => undefined);
    return 'failed';
  }
  // SES has the message: from here on only record it. Releasing the claim now would send it again.
  for (let attempt = 1; ; attempt++) {
    try {
      await markDelivered(invoiceId, claim, 'sent', messageId, clock(opts));
      break;
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException' || attempt >= MARK_ATTEMPTS) {
        // The claim stays until its lease runs out; after that a run would send it again — the one
        // duplicate this design allows (at-least-once at the SES boundary).
        logger.error('invoice e-mail sent but not recorded', { invoiceId, messageId, error: err as Error });
        break;
      }
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
  return 'sent';
}
