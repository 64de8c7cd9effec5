import { httpHandler } from '../../shared/http/handler';
import { ParticipantParamsSchema } from '../../shared/schemas/participants';
import { CompletionClaimRequestSchema } from '../../shared/schemas/unmatched';
import { fileClaim, mustBeSelfOrAdmin } from '../../shared/services/unmatched';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'create-completion-claim',
  params: ParticipantParamsSchema,
  body: CompletionClaimRequestSchema,
  handler: async ({ params, body, caller }) => {
    mustBeSelfOrAdmin(caller, params.participantId);
    return { status: 201, body: await fileClaim(params.participantId, body, todayInAmsterdam()) };
  },
});
