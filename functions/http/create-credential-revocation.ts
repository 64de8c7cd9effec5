import { httpHandler } from '../../shared/http/handler';
import { ParticipantParamsSchema } from '../../shared/schemas/participants';
import { CredentialRevocationRequestSchema } from '../../shared/schemas/credentials';
import { withdrawCurrentCredential } from '../../shared/services/credentials';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'create-credential-revocation',
  params: ParticipantParamsSchema,
  body: CredentialRevocationRequestSchema,
  handler: async ({ params, body, caller }) => ({
    status: 200,
    body: await withdrawCurrentCredential(params.participantId, body.reason, caller, todayInAmsterdam()),
  }),
});
