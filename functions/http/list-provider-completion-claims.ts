import { httpHandler } from '../../shared/http/handler';
import { pageRequest } from '../../shared/http/cursor';
import { ProviderParamsSchema } from '../../shared/schemas/credits';
import { CompletionClaimsQuerySchema } from '../../shared/schemas/unmatched';
import { listClaims, mustBeOwnerOrAdmin } from '../../shared/services/unmatched';

export const handler = httpHandler({
  route: 'list-provider-completion-claims',
  params: ProviderParamsSchema,
  query: CompletionClaimsQuerySchema,
  handler: async (req) => {
    mustBeOwnerOrAdmin(req.caller, 'provider', req.params.providerId);
    return { status: 200, body: await listClaims(req.params.providerId, req.query.status, await pageRequest('list-provider-completion-claims', req)) };
  },
});
