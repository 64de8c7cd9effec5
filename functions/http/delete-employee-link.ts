import { httpHandler } from '../../shared/http/handler';
import { actorOf } from '../../shared/services/access';
import { EmployeeParamsSchema } from '../../shared/schemas/employers';
import { employerFor } from '../../shared/services/employers/access';
import { unlinkEmployee } from '../../shared/services/employers/registration';

export const handler = httpHandler({
  route: 'delete-employee-link',
  params: EmployeeParamsSchema,
  handler: async ({ params, caller }) => {
    await employerFor(caller, params.employerId);
    await unlinkEmployee(params.employerId, params.participantId, actorOf(caller));
    return { status: 204 };
  },
});
