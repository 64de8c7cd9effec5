import { ArnFormat, Aws, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Job } from '../../shared/routes';
import { jobFunctionVariable } from '../../shared/jobs/registry';
import type { Mail } from './mail';
import { bindTable, logicalIdOfArn, PeFunction } from './pe-function';

export interface ScheduledJobsProps {
  jobs: readonly Job[];
  table: ITableV2;
  mail: Mail;
  tracing?: boolean;
}

/** What one job gets: its function, schedule, dead-letter queue and alarms. */
export interface ScheduledJob {
  fn: PeFunction;
  schedule: scheduler.Schedule;
  deadLetterQueue: sqs.Queue;
  alarms: cloudwatch.Alarm[];
}

/**
 * One EventBridge Scheduler schedule per entry of the job list, in the job's own time zone (so a
 * "07:00" job stays at 07:00 Amsterdam time across daylight saving). Failed deliveries and failed
 * runs are retried, then parked in the job's dead-letter queue, which raises an alarm.
 */
export class ScheduledJobs extends Construct {
  readonly jobs = new Map<string, ScheduledJob>();

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);

    for (const job of props.jobs) {
      const jobScope = new Construct(this, job.name);

      const fn = new PeFunction(jobScope, 'Handler', {
        handler: job.handler,
        kind: 'job',
        description: `Scheduled job ${job.name}: ${job.summary}`,
        tracing: props.tracing,
      });
      bindTable(fn, props.table, 'readwrite');
      props.mail.allowSending(fn);

      const deadLetterQueue = new sqs.Queue(jobScope, 'DeadLetterQueue', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          `This queue is itself the dead-letter queue of job ${job.name} (schedule DeadLetterConfig and the ` +
          "function's on-failure destination); the rule only recognises SQS redrive and Lambda DeadLetterConfig.",
      });

      // Scheduler invokes Lambda asynchronously: its retry policy and DLQ only cover failures to
      // hand the event over (throttling, permissions). Errors thrown by the job itself are retried by
      // Lambda's async invocation and then, without this, silently dropped. Both paths end in the
      // same queue, so one alarm covers them. Jobs are idempotent (conditional writes), so retries are safe.
      fn.fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(deadLetterQueue),
      });

      // One role per schedule (instead of CDK's shared one): it may invoke this job's function and
      // write to this job's dead-letter queue, nothing else.
      const schedulerRole = new iam.Role(jobScope, 'SchedulerRole', {
        description: `EventBridge Scheduler role of job ${job.name}`,
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
      });
      const fnLogicalId = logicalIdOfArn(fn, fn.fn.functionArn);
      if (fnLogicalId) {
        Validations.of(schedulerRole).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${fnLogicalId}.Arn>:*]`,
          reason:
            `LambdaInvoke grants lambda:InvokeFunction on the ${job.name} function and its qualified ` +
            'ARNs (<function>:*, i.e. its versions/aliases); the wildcard never reaches another function.',
        });
      }

      const schedule = new scheduler.Schedule(jobScope, 'Schedule', {
        description: job.summary,
        schedule: scheduler.ScheduleExpression.expression(`cron(${job.schedule})`, TimeZone.of(job.timeZone)),
        // Exactly on time: a job "as of" a date must not drift into the next day.
        timeWindow: scheduler.TimeWindow.off(),
        target: new LambdaInvoke(fn.fn, {
          input: scheduler.ScheduleTargetInput.fromObject({
            job: job.name,
            scheduledTime: scheduler.ContextAttribute.scheduledTime,
          }),
          retryAttempts: 3,
          maxEventAge: Duration.hours(6),
          deadLetterQueue,
          role: schedulerRole,
        }),
      });

      const alarms = [
        new cloudwatch.Alarm(jobScope, 'DeadLetterAlarm', {
          alarmDescription: `Job ${job.name}: an invocation failed after all retries and is in its dead-letter queue.`,
          metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        new cloudwatch.Alarm(jobScope, 'ErrorsAlarm', {
          alarmDescription: `Job ${job.name}: the function threw.`,
          metric: fn.fn.metricErrors({ period: Duration.minutes(5) }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      ];

      this.jobs.set(job.name, { fn, schedule, deadLetterQueue, alarms });
    }
  }

  /**
   * Lets a job runner (`POST /v1/jobs/{job}/runs`, /beheer/taken) run each job in the job's own
   * function (shared/jobs/remote.ts): every job's function name in the runner's environment
   * (`JOB_FUNCTION_<NAME>`), and lambda:InvokeFunction on exactly those functions, unqualified
   * (no `:*`, so no version or alias and no other function). The ARN is built from the name, so a
   * runner in a nested stack takes one parameter per job.
   */
  allowRunning(runner: PeFunction): void {
    const resources: string[] = [];
    for (const [name, { fn }] of this.jobs) {
      runner.addEnvironment(jobFunctionVariable(name), fn.fn.functionName);
      resources.push(Stack.of(runner).formatArn({ service: 'lambda', resource: 'function', resourceName: fn.fn.functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }));
    }
    if (resources.length) runner.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources }));
  }
}
