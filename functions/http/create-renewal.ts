import { httpHandler } from '../../shared/http/handler';
import { ParticipantParamsSchema } from '../../shared/schemas/participants';
import { participantFor } from '../../shared/services/participants';
import { renew } from '../../shared/services/registrations';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'create-renewal',
  params: ParticipantParamsSchema,
  handler: async ({ params, caller }) => {
    const participant = await participantFor(caller, params.participantId);
    const renewal = await renew(participant, caller!, todayInAmsterdam());
    return { status: 201, body: renewal, headers: { location: `/v1/participants/${participant.participantId}` } };
  },
});
