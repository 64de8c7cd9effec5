import { httpHandler } from '../../shared/http/handler';
import { pageRequest } from '../../shared/http/cursor';
import { EmployerParamsSchema } from '../../shared/schemas/credits';
import { UsersQuerySchema } from '../../shared/schemas/users';
import { listOrganisationUsers } from '../../shared/services/users';

export const handler = httpHandler({
  route: 'list-employer-users',
  params: EmployerParamsSchema,
  query: UsersQuerySchema,
  handler: async (req) => ({ status: 200, body: await listOrganisationUsers(req.caller!, 'employer', req.params.employerId, await pageRequest('list-employer-users', req)) }),
});
