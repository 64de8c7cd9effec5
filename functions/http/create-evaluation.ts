import { httpHandler } from '../../shared/http/handler';
import { CreditParamsSchema } from '../../shared/schemas/credits';
import { EvaluationRequestSchema } from '../../shared/schemas/evaluations';
import { evaluateCredit } from '../../shared/services/evaluations';

export const handler = httpHandler({
  route: 'create-evaluation',
  params: CreditParamsSchema,
  body: EvaluationRequestSchema,
  handler: async ({ params, body, caller }) => ({ status: 201, body: await evaluateCredit(caller!, params.creditId, body) }),
});
