import { httpHandler } from '../../shared/http/handler';
import { CreateProviderRequestSchema } from '../../shared/schemas/organisations';
import { createProvider } from '../../shared/data/organisations';
import { actorOf } from '../../shared/services/access';

export const handler = httpHandler({
  route: 'create-provider',
  body: CreateProviderRequestSchema,
  handler: async ({ body, caller }) => {
    const created = await createProvider(body, actorOf(caller));
    return { status: 201, body: created, headers: { location: `/v1/providers/${created.providerId}` } };
  },
});
