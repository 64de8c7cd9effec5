import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Mail } from './mail';
import { bindTable, PeFunction } from './pe-function';

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

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the employer-invoice queue.',
    });

    this.worker = new PeFunction(this, 'Worker', {
      handler: 'queue/invoice-employer',
      kind: 'job',
      description: 'Monthly invoices: issue, mark and e-mail one employer-month per message',
      tracing: props.tracing,
    });
    bindTable(this.worker, props.table, 'readwrite');
    props.mail.allowSending(this.worker);

    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Longer than the worker may run with a full batch, so a message is not redelivered mid-work.
      visibilityTimeout: Duration.minutes(30),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });
    this.worker.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 5,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency ?? 20,
      }),
    );

    this.alarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'An employer invoice failed after all retries and is in the dead-letter queue.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** Lets a function start the fan-out: send to the queue, and find it through INVOICE_QUEUE_URL. */
  allowEnqueue(fn: PeFunction): void {
    this.queue.grantSendMessages(fn.role);
    fn.addEnvironment('INVOICE_QUEUE_URL', this.queue.queueUrl);
  }
}
