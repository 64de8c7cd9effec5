import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { activationRequestMessage } from '../../shared/services/activation';
import { isSignInMessage, signInRequestMessage } from '../../shared/services/sign-in';
import { logger } from '../../shared/log';

/**
 * Activation requests, matched after POST /v1/activations (or /activeren) has answered (so its
 * timing reveals no match), and sign-in requests (/inloggen: is the address on file?), mailed
 * after their answer: one SQS message per request. A failed one (SES or DynamoDB trouble) is reported alone
 * (ReportBatchItemFailures) and retried by SQS, then ends in the dead-letter queue. A redelivery
 * can send a second activation e-mail (each link works); a claim is never queued twice.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      await (isSignInMessage(record.body) ? signInRequestMessage(record.body) : activationRequestMessage(record.body));
    } catch (err) {
      // The error's name only: the message and the error text may hold personal data.
      logger.error('queued request failed', { messageId: record.messageId, error: (err as Error)?.name });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
