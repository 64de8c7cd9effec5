import { httpHandler } from '../../shared/http/handler';
import { actorOf } from '../../shared/services/access';
import { ParticipantParamsSchema } from '../../shared/schemas/participants';
import { ErasureRequestSchema } from '../../shared/schemas/data-rights';
import { eraseParticipant } from '../../shared/services/personal-data/rights';

export const handler = httpHandler({
  route: 'create-participant-erasure',
  params: ParticipantParamsSchema,
  body: ErasureRequestSchema,
  handler: async ({ params, body, caller }) => ({
    status: 200,
    body: await eraseParticipant(params.participantId, { reason: body.reason, actor: actorOf(caller) }),
  }),
});
