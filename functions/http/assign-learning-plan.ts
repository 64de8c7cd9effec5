import { httpHandler } from '../../shared/http/handler';
import { actorOf } from '../../shared/services/access';
import { AssignLearningPlanRequestSchema, EmployeePlanParamsSchema } from '../../shared/schemas/learning-plans';
import { assignLearningPlan } from '../../shared/services/learning-plans';

export const handler = httpHandler({
  route: 'assign-learning-plan',
  params: EmployeePlanParamsSchema,
  body: AssignLearningPlanRequestSchema,
  handler: async ({ params, body, caller }) => ({
    status: 200,
    body: await assignLearningPlan(caller!, params.employerId, params.participantId, body.planId, actorOf(caller)),
  }),
});
