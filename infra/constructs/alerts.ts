import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';

export interface AlertsProps {
  /** Where the alarms go by e-mail (the register's operations mailbox). Without it the topic has no
   *  subscriber yet: subscribe a mailbox, chat integration or pager to `AlertsTopic` after deploy. */
  email?: string;
}

/**
 * Where an operator hears that something failed: one encrypted, SSL-only SNS topic that every
 * alarm of the stack notifies, in alarm and when it recovers. The topic's key is a customer-managed
 * one because CloudWatch cannot publish to a topic under the AWS-managed SNS key.
 */
export class Alerts extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  readonly alarms: cloudwatch.IAlarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlertsProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'pe-register alerts topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'pe-register alerts', masterKey: this.key, enforceSSL: true });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  /** Sends the alarm's state changes (to ALARM and back to OK) to the topic. */
  watch(...alarms: cloudwatch.Alarm[]): void {
    for (const alarm of alarms) {
      alarm.addAlarmAction(this.action);
      alarm.addOkAction(this.action);
      this.alarms.push(alarm);
    }
  }

  /** The API answered 500s: a bug or a dependency down (the body names a correlation id, the log the cause). */
  watchApi(httpApi: apigw.HttpApi): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, 'ApiServerErrorsAlarm', {
      alarmDescription: 'The HTTP API answered 5xx: see the functions\' logs by correlation id.',
      metric: httpApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.watch(alarm);
    return alarm;
  }
}
