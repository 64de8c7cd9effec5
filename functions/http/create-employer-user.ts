import { httpHandler } from '../../shared/http/handler';
import { EmployerParamsSchema } from '../../shared/schemas/credits';
import { CreateUserRequestSchema } from '../../shared/schemas/users';
import { inviteUser } from '../../shared/services/users';

export const handler = httpHandler({
  route: 'create-employer-user',
  params: EmployerParamsSchema,
  body: CreateUserRequestSchema,
  handler: async ({ params, body, caller }) => {
    const user = await inviteUser(caller!, 'employer', params.employerId, body);
    return { status: 201, body: { userId: user.userId, email: user.email, name: user.name } };
  },
});
