import { httpHandler } from '../../shared/http/handler';
import { pageRequest } from '../../shared/http/cursor';
import { ActivationClaimsQuerySchema } from '../../shared/schemas/participants';
import { listActivationClaims } from '../../shared/services/activation-claims';

export const handler = httpHandler({
  route: 'list-activation-claims',
  query: ActivationClaimsQuerySchema,
  handler: async (req) => ({ status: 200, body: await listActivationClaims(req.query.status, await pageRequest('list-activation-claims', req)) }),
});
