import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { config } from '../config';
import { logger } from '../log';

/*
 * Work that must not show in an answer — in its content or its timing — because it would tell
 * whether an identifier is known: matching an activation request (diploma number + birth date),
 * mailing a sign-in link (is the address on file?). The request queues it and answers; the work
 * runs afterwards. In the cloud: one SQS message on the requests queue (ACTIVATION_QUEUE_URL),
 * worked by functions/queue/activation-requests.ts. Locally: in-process, one after another, each
 * once the request that queued it has answered.
 */

let sqs: SQSClient | undefined;
/** The local queue: one piece of work after another. */
let localQueue: Promise<void> = Promise.resolve();

/** The error's name only: addresses and message text may hold personal data. */
const errorName = (err: unknown) => ((err as Error)?.name || 'Error').slice(0, 100);

/**
 * Queues `message` (JSON) for `work`. Cloud: one SQS message (a failure to queue is the caller's
 * 500, which says nothing about a match). Locally: `work(message)` once the current request has
 * answered; its errors are logged under `label`, never thrown to the requester.
 */
export async function afterAnswer(message: string, work: (message: string) => Promise<unknown>, label: string): Promise<void> {
  if (config.activationQueueUrl) {
    sqs ??= new SQSClient({ region: config.region });
    await sqs.send(new SendMessageCommand({ QueueUrl: config.activationQueueUrl, MessageBody: message }));
    return;
  }
  localQueue = localQueue
    // setImmediate runs after the handler has returned and the gateway has written the answer.
    .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
    .then(() => work(message))
    .then(
      () => undefined,
      (err: unknown) => logger.error(`${label} failed`, { error: errorName(err) }),
    );
}

/** Resolves once the local queue has worked off everything queued so far (tests, before asserting that nothing happened). */
export function whenAnswersIdle(): Promise<void> {
  return localQueue;
}
