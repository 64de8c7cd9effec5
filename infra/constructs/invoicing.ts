import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Mail } from './mail';
import type { PeFunction } from './pe-function';
import { addQueueWorker } from './queue-worker';

export interface InvoicingProps {
  table: ITableV2;
  mail: Mail;
  tracing?: boolean;
  /** Workers at once: bounds the contention on the year's invoice counter and the SES rate. */
  maxConcurrency?: number;
}

/**
 * The monthly run's fan-out: the run (job function, or POST /v1/jobs/monthly-invoices/runs)
 * finds the employers with open fees and puts one message per employer on this queue; the worker
 * issues, marks and e-mails that employer's invoice. 10,000 employers are then 10,000 small,
 * independent units of work instead of one run past Lambda's 15 minutes. Every unit is
 * idempotent (run guard, outbox), so redelivery is safe; a unit that keeps failing ends in the
 * dead-letter queue, which alarms, and the next run completes it anyway.
 */
export class Invoicing extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly worker: PeFunction;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: InvoicingProps) {
    super(scope, id);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue, worker: this.worker, alarm: this.alarm } = addQueueWorker(this, {
      table: props.table,
      mail: props.mail,
      tracing: props.tracing,
      handler: 'queue/invoice-employer',
      description: 'Monthly invoices: issue, mark and e-mail one employer-month per message',
      // Longer than the worker may run with a full batch (5 employer-months in 5 minutes).
      visibilityTimeout: Duration.minutes(30),
      retentionPeriod: Duration.days(4),
      batchSize: 5,
      maxConcurrency: props.maxConcurrency ?? 20,
      deadLetterOf: 'employer-invoice',
      alarmDescription: 'An employer invoice failed after all retries and is in the dead-letter queue.',
    }));
  }

  /** Lets a function start the fan-out: send to the queue, and find it through INVOICE_QUEUE_URL. */
  allowEnqueue(fn: PeFunction): void {
    this.queue.grantSendMessages(fn.role);
    fn.addEnvironment('INVOICE_QUEUE_URL', this.queue.queueUrl);
  }
}
