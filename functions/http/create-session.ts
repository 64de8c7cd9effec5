import { httpHandler } from '../../shared/http/handler';
import { SessionRequestSchema } from '../../shared/schemas/participants';
import { createSession } from '../../shared/services/registrations';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'create-session',
  body: SessionRequestSchema,
  handler: async ({ body }) => ({ status: 201, body: await createSession(body.token, todayInAmsterdam()) }),
});
