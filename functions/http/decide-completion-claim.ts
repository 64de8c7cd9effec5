import { httpHandler } from '../../shared/http/handler';
import { CompletionClaimDecisionRequestSchema, CompletionClaimParamsSchema } from '../../shared/schemas/unmatched';
import { decideClaim } from '../../shared/services/unmatched';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'decide-completion-claim',
  params: CompletionClaimParamsSchema,
  body: CompletionClaimDecisionRequestSchema,
  handler: async ({ params, body, caller }) => ({ status: 200, body: await decideClaim(caller!, params.claimId, body, todayInAmsterdam()) }),
});
