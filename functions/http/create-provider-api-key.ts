import { httpHandler } from '../../shared/http/handler';
import { ProviderParamsSchema } from '../../shared/schemas/credits';
import { issueApiKey } from '../../shared/data/organisations';
import { actorOf } from '../../shared/http/actor';
import { NotFound } from '../../shared/http/errors';

export const handler = httpHandler({
  route: 'create-provider-api-key',
  params: ProviderParamsSchema,
  handler: async ({ params, caller }) => {
    if (caller!.role !== 'admin' && caller!.ownerId !== params.providerId) throw new NotFound('No provider with this id.');
    const issued = await issueApiKey({ role: 'provider', id: params.providerId }, actorOf(caller));
    if (!issued) throw new NotFound('No provider with this id.');
    return { status: 201, body: issued };
  },
});
