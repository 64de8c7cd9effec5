import { httpHandler } from '../../shared/http/handler';
import { actorOf } from '../../shared/services/access';
import { ParticipantParamsSchema, UpdateParticipantRequestSchema } from '../../shared/schemas/participants';
import { dossier, participantFor, updateParticipant } from '../../shared/services/participants';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'update-participant',
  params: ParticipantParamsSchema,
  body: UpdateParticipantRequestSchema,
  handler: async ({ params, body, caller }) => {
    const participant = await participantFor(caller, params.participantId);
    const updated = await updateParticipant(participant, body, actorOf(caller));
    return { status: 200, body: await dossier(updated, todayInAmsterdam(), caller) };
  },
});
