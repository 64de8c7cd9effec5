import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { config } from '../config';
import { JobFailed } from '../domain/errors';
import type { JobRunOptions, JobSummary } from './run-or-plan';

/**
 * A job run on request, in the cloud: the runner (`POST /v1/jobs/{job}/runs`, /beheer/taken)
 * invokes the job's own function and waits for its summary, instead of carrying every job in its
 * bundle. The job's function runs it through the registry as a manual run (shared/jobs/scheduled.ts),
 * with the same `asOf`, `dryRun` and `stopAt`.
 */

let client: LambdaClient | undefined;
function lambda(): LambdaClient {
  // One attempt more than none: a throttled invoke is retried by the SDK; a job's own error is not
  // an SDK error (it comes back as FunctionError) and is never retried here.
  client ??= new LambdaClient({ region: config.region, maxAttempts: 2 });
  return client;
}

/** What a scheduled job's function takes for a run on request (shared/jobs/scheduled.ts). */
export interface ManualRunEvent {
  manualRun: true;
  asOf: string;
  dryRun?: boolean;
  stopAt?: number;
}

export async function invokeJob(functionName: string, job: string, asOf: string, opts: JobRunOptions = {}): Promise<JobSummary> {
  const event: ManualRunEvent = { manualRun: true, asOf, ...(opts.dryRun ? { dryRun: true } : {}), ...(opts.stopAt ? { stopAt: opts.stopAt } : {}) };
  const res = await lambda().send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode(JSON.stringify(event)) }),
  );
  const text = res.Payload ? new TextDecoder().decode(res.Payload) : '';
  if (res.FunctionError) {
    // Lambda's error payload: {errorType, errorMessage, trace}; the trace stays in the job's own log.
    let what = res.FunctionError;
    try {
      const err = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      what = [err.errorType, err.errorMessage].filter(Boolean).join(': ') || what;
    } catch {
      // Not JSON (a runtime crash): the FunctionError alone.
    }
    throw new JobFailed(job, asOf, what);
  }
  let summary: unknown;
  try {
    summary = JSON.parse(text);
  } catch {
    throw new JobFailed(job, asOf, 'its function answered without a summary');
  }
  if (!summary || typeof summary !== 'object' || (summary as JobSummary).job !== job) throw new JobFailed(job, asOf, 'its function answered without a summary');
  return summary as JobSummary;
}

/** Drop the cached client (tests). */
export function resetLambda(): void {
  client?.destroy();
  client = undefined;
}
