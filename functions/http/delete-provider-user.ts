import { httpHandler } from '../../shared/http/handler';
import { ProviderUserParamsSchema } from '../../shared/schemas/users';
import { removeUser } from '../../shared/services/users';

export const handler = httpHandler({
  route: 'delete-provider-user',
  params: ProviderUserParamsSchema,
  handler: async ({ params, caller }) => {
    await removeUser(caller!, 'provider', params.providerId, params.userId);
    return { status: 204 };
  },
});
