import { httpHandler } from '../../shared/http/handler';
import { CreateEmployerRequestSchema } from '../../shared/schemas/organisations';
import { createEmployer } from '../../shared/data/organisations';
import { actorOf } from '../../shared/services/access';

export const handler = httpHandler({
  route: 'create-employer',
  body: CreateEmployerRequestSchema,
  handler: async ({ body, caller }) => {
    const created = await createEmployer(body, actorOf(caller));
    return { status: 201, body: created, headers: { location: `/v1/employers/${created.employerId}` } };
  },
});
