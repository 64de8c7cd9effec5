import { httpHandler } from '../../shared/http/handler';
import { EmployerParamsSchema } from '../../shared/schemas/credits';
import { issueApiKey } from '../../shared/data/organisations';
import { actFor, actorOf } from '../../shared/services/access';
import { NotFound } from '../../shared/domain/errors';

export const handler = httpHandler({
  route: 'create-employer-api-key',
  params: EmployerParamsSchema,
  handler: async ({ params, caller }) => {
    actFor(caller, { role: 'employer', id: params.employerId }, 'No employer with this id.');
    const issued = await issueApiKey({ role: 'employer', id: params.employerId }, actorOf(caller));
    if (!issued) throw new NotFound('No employer with this id.');
    return { status: 201, body: issued };
  },
});
