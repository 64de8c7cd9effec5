import { httpHandler } from '../../shared/http/handler';
import { pageRequest } from '../../shared/http/cursor';
import { ActivityParamsSchema } from '../../shared/schemas/recognition';
import { EvaluationsQuerySchema } from '../../shared/schemas/evaluations';
import { listEvaluations } from '../../shared/services/evaluations';

export const handler = httpHandler({
  route: 'list-activity-evaluations',
  params: ActivityParamsSchema,
  query: EvaluationsQuerySchema,
  handler: async (req) => ({
    status: 200,
    body: await listEvaluations(req.caller!, req.params.activityId, await pageRequest('list-activity-evaluations', req)),
    headers: { 'cache-control': 'private, no-store' },
  }),
});
