import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { workInvoicingMessage } from '../../shared/services/invoicing/worker';
import { logger } from '../../shared/log';

/**
 * The invoicing worker, the one function that bundles the PDF/UBL renderer: the monthly run's
 * fan-out (one SQS message per employer-month: issue, mark, render, deliver) and the documents
 * issued elsewhere (one message per invoice or credit note: render once, store, deliver). Each is
 * idempotent (run guard, stored files, outbox), so SQS's at-least-once delivery and retries are safe; a message that
 * keeps failing ends in the queue's dead-letter queue. Failed messages are reported one by one
 * (ReportBatchItemFailures), so the others in the batch are not redone.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const outcome = await workInvoicingMessage(record.body);
      if ('delivery' in outcome && outcome.delivery === 'failed') throw new Error('invoice e-mail failed');
      if (outcome.kind === 'document') continue;
      // Unbillable fees: fail the message so it ends in the dead-letter queue and the alarm goes off;
      // redriven after the admin set the tariff, it bills them on a supplementary invoice.
      if (outcome.untariffed > 0) throw new Error(`${outcome.untariffed} fee(s) have no tariff valid on their start date`);
    } catch (err) {
      logger.error('employer invoice failed', { messageId: record.messageId, error: err as Error });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
