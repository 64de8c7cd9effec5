import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { activationRequestMessage } from '../../shared/services/activation';
import { logger } from '../../shared/log';

/**
 * Activation requests, matched after POST /v1/activations has answered (so its timing reveals no
 * match): one SQS message per request. A failed one (SES or DynamoDB trouble) is reported alone
 * (ReportBatchItemFailures) and retried by SQS, then ends in the dead-letter queue. A redelivery
 * can send a second activation e-mail (each link works); a claim is never queued twice.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      await activationRequestMessage(record.body);
    } catch (err) {
      // The error's name only: the message and the error text may hold personal data.
      logger.error('activation request failed', { messageId: record.messageId, error: (err as Error)?.name });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
