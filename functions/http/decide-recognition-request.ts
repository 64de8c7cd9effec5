import { httpHandler } from '../../shared/http/handler';
import { DecisionRequestSchema, RequestParamsSchema } from '../../shared/schemas/recognition';
import { decide } from '../../shared/services/recognition';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'decide-recognition-request',
  params: RequestParamsSchema,
  body: DecisionRequestSchema,
  handler: async ({ params, body, caller }) => ({ status: 200, body: await decide(caller!, params.requestId, body, todayInAmsterdam()) }),
});
