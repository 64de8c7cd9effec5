import { httpHandler } from '../../shared/http/handler';
import { ActivationClaimsQuerySchema } from '../../shared/schemas/participants';
import { listActivationClaims } from '../../shared/services/activation-claims';

export const handler = httpHandler({
  route: 'list-activation-claims',
  query: ActivationClaimsQuerySchema,
  handler: async ({ query }) => ({ status: 200, body: await listActivationClaims(query) }),
});
