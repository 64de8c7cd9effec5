import { httpHandler } from '../../shared/http/handler';
import { ActivationClaimDecisionRequestSchema, ActivationClaimParamsSchema } from '../../shared/schemas/participants';
import { decideActivationClaim } from '../../shared/services/activation-claims';

export const handler = httpHandler({
  route: 'decide-activation-claim',
  params: ActivationClaimParamsSchema,
  body: ActivationClaimDecisionRequestSchema,
  handler: async ({ params, body, caller }) => ({ status: 200, body: await decideActivationClaim(caller!, params.claimId, body) }),
});
