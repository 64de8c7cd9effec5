import { httpHandler } from '../../shared/http/handler';
import { CreditParamsSchema, RevocationRequestSchema } from '../../shared/schemas/credits';
import { revokeCredit } from '../../shared/services/crediting';

export const handler = httpHandler({
  route: 'revoke-credit',
  params: CreditParamsSchema,
  body: RevocationRequestSchema,
  handler: async ({ params, body, caller }) => ({ status: 200, body: await revokeCredit(params.creditId, body.reason, caller!) }),
});
