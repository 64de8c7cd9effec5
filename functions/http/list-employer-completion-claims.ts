import { httpHandler } from '../../shared/http/handler';
import { pageRequest } from '../../shared/http/cursor';
import { EmployerParamsSchema } from '../../shared/schemas/credits';
import { CompletionClaimsQuerySchema } from '../../shared/schemas/unmatched';
import { listClaims, mustBeOwnerOrAdmin } from '../../shared/services/unmatched';

export const handler = httpHandler({
  route: 'list-employer-completion-claims',
  params: EmployerParamsSchema,
  query: CompletionClaimsQuerySchema,
  handler: async (req) => {
    mustBeOwnerOrAdmin(req.caller, 'employer', req.params.employerId);
    return { status: 200, body: await listClaims(req.params.employerId, req.query.status, await pageRequest('list-employer-completion-claims', req)) };
  },
});
