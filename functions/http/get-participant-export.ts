import { httpHandler } from '../../shared/http/handler';
import { ParticipantParamsSchema } from '../../shared/schemas/participants';
import { participantFor } from '../../shared/services/participants';
import { exportPersonalData } from '../../shared/services/personal-data/rights';

export const handler = httpHandler({
  route: 'get-participant-export',
  params: ParticipantParamsSchema,
  handler: async ({ params, caller }) => {
    // Self or the admin (the route's roles); another participant gets the 404 of a missing one.
    const participant = await participantFor(caller, params.participantId);
    return { status: 200, body: await exportPersonalData(participant.participantId) };
  },
});
