import { httpHandler } from '../../shared/http/handler';
import { RunJobParamsSchema, RunJobRequestSchema } from '../../shared/schemas/jobs';
import { isJob, runJob } from '../../shared/jobs/registry';
import { NotFound } from '../../shared/http/errors';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'run-job',
  params: RunJobParamsSchema,
  body: RunJobRequestSchema,
  handler: async ({ params, body }) => {
    if (!isJob(params.job)) throw new NotFound(`No job named ${params.job}.`);
    return { status: 200, body: await runJob(params.job, body.asOf ?? todayInAmsterdam()) };
  },
});
