import { httpHandler } from '../../shared/http/handler';
import { EmployerCreditsRequestSchema, EmployerParamsSchema } from '../../shared/schemas/credits';
import { creditEmployees } from '../../shared/services/crediting';
import { actFor } from '../../shared/services/access';
import { todayInAmsterdam } from '../../shared/dates';

/** An employer credits its own internal activity to its own linked employees (shared/services/crediting.ts). */
export const handler = httpHandler({
  route: 'create-employer-credits',
  params: EmployerParamsSchema,
  body: EmployerCreditsRequestSchema,
  handler: async ({ params, body, caller }) => {
    actFor(caller, { role: 'employer', id: params.employerId }, 'No employer with this id.', { admin: false });
    return { status: 200, body: { results: await creditEmployees(params.employerId, body, todayInAmsterdam(), caller?.userId) } };
  },
});
