import { httpHandler } from '../../shared/http/handler';
import { ParticipantParamsSchema } from '../../shared/schemas/participants';
import { dossier, participantFor } from '../../shared/services/participants';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'get-participant',
  params: ParticipantParamsSchema,
  handler: async ({ params, caller }) => {
    const participant = await participantFor(caller, params.participantId);
    return { status: 200, body: await dossier(participant, todayInAmsterdam(), caller) };
  },
});
