import { httpHandler } from '../../shared/http/handler';
import { pageRequest } from '../../shared/http/cursor';
import { EmployerParamsSchema } from '../../shared/schemas/employers';
import { LearningPlansQuerySchema } from '../../shared/schemas/learning-plans';
import { learningPlanPage } from '../../shared/services/learning-plans';

export const handler = httpHandler({
  route: 'list-learning-plans',
  params: EmployerParamsSchema,
  query: LearningPlansQuerySchema,
  handler: async (req) => ({ status: 200, body: await learningPlanPage(req.caller!, req.params.employerId, await pageRequest('list-learning-plans', req)) }),
});
