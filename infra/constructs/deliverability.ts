import { Duration, NestedStack, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Mail } from './mail';
import { bindTable, PeFunction } from './pe-function';

export interface DeliverabilityProps {
  table: ITableV2;
  mail: Mail;
  tracing?: boolean;
}

/**
 * Bounces and complaints (issue 16 part 5), in a nested stack of their own (the app stack is near
 * CloudFormation's resource limit): the mail's configuration set publishes `Bounce` and
 * `Complaint` events to an SNS topic, encrypted with a customer-managed key (SES cannot publish to
 * a topic under the AWS-managed SNS key) and SSL-only; the topic invokes `events/ses-events`,
 * which marks the addresses undeliverable. SNS invokes Lambda asynchronously: Lambda retries a
 * failed event twice, then puts it in the dead-letter queue (as does SNS for an event it could not
 * deliver at all), whose alarm goes to the operators' topic. The events name recipients: the
 * topic and the queue are encrypted, the queue keeps them 14 days.
 */
export class Deliverability extends NestedStack {
  readonly key: kms.Key;
  readonly topic: sns.Topic;
  readonly eventDestination: ses.ConfigurationSetEventDestination;
  readonly fn: PeFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeliverabilityProps) {
    super(scope, id, { description: 'pe-register: bounces and complaints (SES events → SNS → the function that marks addresses undeliverable)' });

    this.key = new kms.Key(this, 'Key', {
      description: 'pe-register SES events topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SesPublishesEvents',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'pe-register SES bounces and complaints', masterKey: this.key, enforceSSL: true });

    // Bounces and complaints only: deliveries would cost an invocation per e-mail and say nothing the register acts on.
    this.eventDestination = new ses.ConfigurationSetEventDestination(this, 'EventDestination', {
      configurationSet: props.mail.configurationSet,
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the SES events function (its failed invocations and the events SNS could not deliver).',
    });

    this.fn = new PeFunction(this, 'SesEvents', {
      handler: 'events/ses-events',
      kind: 'job',
      // One event is a Query and a transaction per recipient: seconds at most.
      timeout: Duration.minutes(1),
      description: 'SES bounces and complaints: mark the addresses undeliverable (profile, e-mail index)',
      tracing: props.tracing,
    });
    bindTable(this.fn, props.table, 'readwrite');
    this.fn.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(this.deadLetterQueue) });
    this.topic.addSubscription(new subscriptions.LambdaSubscription(this.fn.fn, { deadLetterQueue: this.deadLetterQueue }));

    this.alarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'An SES bounce or complaint event could not be processed and is in the dead-letter queue: the address is not marked.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
