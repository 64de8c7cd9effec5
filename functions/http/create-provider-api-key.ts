import { httpHandler } from '../../shared/http/handler';
import { ProviderParamsSchema } from '../../shared/schemas/credits';
import { issueApiKey } from '../../shared/data/organisations';
import { actFor, actorOf } from '../../shared/services/access';
import { NotFound } from '../../shared/domain/errors';

export const handler = httpHandler({
  route: 'create-provider-api-key',
  params: ProviderParamsSchema,
  handler: async ({ params, caller }) => {
    actFor(caller, { role: 'provider', id: params.providerId }, 'No provider with this id.');
    const issued = await issueApiKey({ role: 'provider', id: params.providerId }, actorOf(caller));
    if (!issued) throw new NotFound('No provider with this id.');
    return { status: 201, body: issued };
  },
});
