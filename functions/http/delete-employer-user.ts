import { httpHandler } from '../../shared/http/handler';
import { EmployerUserParamsSchema } from '../../shared/schemas/users';
import { removeUser } from '../../shared/services/users';

export const handler = httpHandler({
  route: 'delete-employer-user',
  params: EmployerUserParamsSchema,
  handler: async ({ params, caller }) => {
    await removeUser(caller!, 'employer', params.employerId, params.userId);
    return { status: 204 };
  },
});
