import { httpHandler } from '../../shared/http/handler';
import { ParticipantParamsSchema } from '../../shared/schemas/participants';
import { participantFor } from '../../shared/services/participants';
import { currentCredential } from '../../shared/services/credentials';
import { VC_JWT_MEDIA_TYPE } from '../../shared/domain/credentials';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'get-participant-credential',
  params: ParticipantParamsSchema,
  handler: async ({ params, caller }) => {
    const participant = await participantFor(caller, params.participantId);
    const credential = await currentCredential(participant.participantId, todayInAmsterdam());
    return { status: 200, raw: true, body: credential.jws, headers: { 'content-type': VC_JWT_MEDIA_TYPE, 'cache-control': 'private, no-store' } };
  },
});
