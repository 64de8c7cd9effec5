import { httpHandler } from '../../shared/http/handler';
import { CredentialVerificationRequestSchema } from '../../shared/schemas/credentials';
import { verifyCredential } from '../../shared/services/credentials';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'create-credential-verification',
  body: CredentialVerificationRequestSchema,
  handler: async ({ body }) => ({ status: 200, body: await verifyCredential(body.credential, todayInAmsterdam()) }),
});
