import { httpHandler } from '../../shared/http/handler';
import { pageRequest } from '../../shared/http/cursor';
import { ProviderParamsSchema } from '../../shared/schemas/credits';
import { UsersQuerySchema } from '../../shared/schemas/users';
import { listOrganisationUsers } from '../../shared/services/users';

export const handler = httpHandler({
  route: 'list-provider-users',
  params: ProviderParamsSchema,
  query: UsersQuerySchema,
  handler: async (req) => ({ status: 200, body: await listOrganisationUsers(req.caller!, 'provider', req.params.providerId, await pageRequest('list-provider-users', req)) }),
});
