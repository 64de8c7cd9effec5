import { httpHandler } from '../../shared/http/handler';
import { EmployerParamsSchema } from '../../shared/schemas/credits';
import { issueApiKey } from '../../shared/data/organisations';
import { actorOf } from '../../shared/http/actor';
import { NotFound } from '../../shared/http/errors';

export const handler = httpHandler({
  route: 'create-employer-api-key',
  params: EmployerParamsSchema,
  handler: async ({ params, caller }) => {
    if (caller!.role !== 'admin' && caller!.ownerId !== params.employerId) throw new NotFound('No employer with this id.');
    const issued = await issueApiKey({ role: 'employer', id: params.employerId }, actorOf(caller));
    if (!issued) throw new NotFound('No employer with this id.');
    return { status: 201, body: issued };
  },
});
