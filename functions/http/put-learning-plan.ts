import { httpHandler } from '../../shared/http/handler';
import { actorOf } from '../../shared/services/access';
import { LearningPlanParamsSchema, PutLearningPlanRequestSchema } from '../../shared/schemas/learning-plans';
import { planTopicErrors, planView, saveLearningPlan } from '../../shared/services/learning-plans';

export const handler = httpHandler({
  route: 'put-learning-plan',
  params: LearningPlanParamsSchema,
  body: PutLearningPlanRequestSchema,
  bodyRules: planTopicErrors,
  handler: async ({ params, body, caller }) => {
    const { plan } = await saveLearningPlan(caller!, params.employerId, params.planId, body, actorOf(caller));
    return { status: 200, body: planView(plan) };
  },
});
