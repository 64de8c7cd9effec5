import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Mail } from './mail';
import { bindTable, PeFunction } from './pe-function';

export interface QueueWorkerProps {
  table: ITableV2;
  mail: Mail;
  tracing?: boolean;
  /** The worker's entry file below functions/ (an SQS handler with ReportBatchItemFailures). */
  handler: string;
  description: string;
  /** Instead of the job kind's 5 minutes. */
  timeout?: Duration;
  /** Longer than the worker may run with a full batch, so a message is not redelivered mid-work. */
  visibilityTimeout: Duration;
  retentionPeriod: Duration;
  batchSize: number;
  maxConcurrency?: number;
  /** What the dead-letter queue is the dead-letter queue of (cdk-nag SQS3's acknowledgement). */
  deadLetterOf: string;
  alarmDescription: string;
}

export interface QueueWorker {
  queue: sqs.Queue;
  deadLetterQueue: sqs.Queue;
  worker: PeFunction;
  alarm: cloudwatch.Alarm;
}

/**
 * A queue with its worker function, dead-letter queue (5 receives) and an alarm on that DLQ:
 * both queues encrypted and SSL-only, the worker with the table read-write and SES. The parts are
 * created in `scope` under fixed ids (DeadLetterQueue, Worker, Queue, DeadLetterAlarm), so the
 * constructs that use it keep their logical ids.
 */
export function addQueueWorker(scope: Construct, props: QueueWorkerProps): QueueWorker {
  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter queue of the ${props.deadLetterOf} queue.`,
  });

  const worker = new PeFunction(scope, 'Worker', {
    handler: props.handler,
    kind: 'job',
    timeout: props.timeout,
    description: props.description,
    tracing: props.tracing,
  });
  bindTable(worker, props.table, 'readwrite');
  props.mail.allowSending(worker);

  const queue = new sqs.Queue(scope, 'Queue', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: props.visibilityTimeout,
    retentionPeriod: props.retentionPeriod,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 },
  });
  worker.fn.addEventSource(
    new SqsEventSource(queue, {
      batchSize: props.batchSize,
      reportBatchItemFailures: true,
      ...(props.maxConcurrency ? { maxConcurrency: props.maxConcurrency } : {}),
    }),
  );

  const alarm = new cloudwatch.Alarm(scope, 'DeadLetterAlarm', {
    alarmDescription: props.alarmDescription,
    metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  return { queue, deadLetterQueue, worker, alarm };
}
