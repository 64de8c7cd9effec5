import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Mail } from './mail';
import type { PeFunction } from './pe-function';
import { addQueueWorker } from './queue-worker';

export interface ActivationQueueProps {
  table: ITableV2;
  mail: Mail;
  tracing?: boolean;
}

/** A request is a GetItem or two, an e-mail or a claim: seconds, even with SES throttling. */
const WORKER_TIMEOUT = Duration.minutes(1);

/**
 * Activation requests, matched after the answer: POST /v1/activations puts the request on this
 * queue and answers 202 at once, so the answer takes as long whether or not the diploma number and
 * birth date belong together (SPEC: Accounts); the worker matches it within seconds and mails the
 * address on file or queues an activation claim. A request that keeps failing (SES or DynamoDB
 * down) ends in the dead-letter queue, which alarms. The messages hold the request's personal data
 * (birth date, address): both queues are encrypted and refuse plain HTTP.
 */
export class ActivationQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly worker: PeFunction;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ActivationQueueProps) {
    super(scope, id);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue, worker: this.worker, alarm: this.alarm } = addQueueWorker(this, {
      table: props.table,
      mail: props.mail,
      tracing: props.tracing,
      handler: 'queue/activation-requests',
      description: 'Activation requests: match diploma number and birth date, then mail the address on file or queue a claim',
      timeout: WORKER_TIMEOUT,
      // Six times the worker's timeout (AWS's advice for Lambda event sources): a message is not
      // redelivered while a worker still holds it, and a failed one is retried within minutes.
      visibilityTimeout: Duration.minutes(6),
      // An activation request is worth little after a day: the holder asks again.
      retentionPeriod: Duration.days(1),
      batchSize: 10,
      deadLetterOf: 'activation-request',
      alarmDescription: 'An activation request failed after all retries and is in the dead-letter queue.',
    }));
  }

  /** Lets a function queue activation requests: send to the queue, found through ACTIVATION_QUEUE_URL. */
  allowEnqueue(fn: PeFunction): void {
    this.queue.grantSendMessages(fn.role);
    fn.addEnvironment('ACTIVATION_QUEUE_URL', this.queue.queueUrl);
  }
}
