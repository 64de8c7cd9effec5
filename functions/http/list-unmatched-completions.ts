import { httpHandler } from '../../shared/http/handler';
import { pageRequest } from '../../shared/http/cursor';
import { ProviderParamsSchema } from '../../shared/schemas/credits';
import { UnmatchedListQuerySchema } from '../../shared/schemas/unmatched';
import { listUnmatched, mustBeOwnerOrAdmin } from '../../shared/services/unmatched';

export const handler = httpHandler({
  route: 'list-unmatched-completions',
  params: ProviderParamsSchema,
  query: UnmatchedListQuerySchema,
  handler: async (req) => {
    mustBeOwnerOrAdmin(req.caller, 'provider', req.params.providerId);
    return { status: 200, body: await listUnmatched(req.params.providerId, await pageRequest('list-unmatched-completions', req)) };
  },
});
