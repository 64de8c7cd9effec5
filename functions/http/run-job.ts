import { httpHandler } from '../../shared/http/handler';
import { RunJobParamsSchema, RunJobRequestSchema } from '../../shared/schemas/jobs';
import { isJob, runJob } from '../../shared/jobs/registry';
import { NotFound } from '../../shared/domain/errors';
import { todayInAmsterdam } from '../../shared/dates';

/** Time left for the answer after a job stops starting new work (API Gateway cuts at 29–30 s). */
const ANSWER_RESERVE_MS = 10_000;

export const handler = httpHandler({
  route: 'run-job',
  params: RunJobParamsSchema,
  body: RunJobRequestSchema,
  handler: async ({ params, body, context }) => {
    if (!isJob(params.job)) throw new NotFound(`No job named ${params.job}.`);
    const stopAt = Date.now() + context.getRemainingTimeInMillis() - ANSWER_RESERVE_MS;
    return { status: 200, body: await runJob(params.job, body.asOf ?? todayInAmsterdam(), { stopAt, dryRun: body.dryRun }) };
  },
});
