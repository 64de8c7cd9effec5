import { httpHandler } from '../../shared/http/handler';
import { ProviderParamsSchema } from '../../shared/schemas/credits';
import { CreateUserRequestSchema } from '../../shared/schemas/users';
import { inviteUser } from '../../shared/services/users';

export const handler = httpHandler({
  route: 'create-provider-user',
  params: ProviderParamsSchema,
  body: CreateUserRequestSchema,
  handler: async ({ params, body, caller }) => {
    const user = await inviteUser(caller!, 'provider', params.providerId, body);
    return { status: 201, body: { userId: user.userId, email: user.email, name: user.name } };
  },
});
