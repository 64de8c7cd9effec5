import { httpHandler } from '../../shared/http/handler';
import { EmployerParamsSchema } from '../../shared/schemas/employers';
import { UpdateEmployerRequestSchema } from '../../shared/schemas/organisations';
import { changeEmployerSettings } from '../../shared/services/employer-settings';
import { actorOf } from '../../shared/services/access';

export const handler = httpHandler({
  route: 'update-employer',
  params: EmployerParamsSchema,
  body: UpdateEmployerRequestSchema,
  handler: async ({ params, body, caller }) => ({
    status: 200,
    body: await changeEmployerSettings(caller!, params.employerId, body, actorOf(caller)),
  }),
});
