import { httpHandler } from '../../shared/http/handler';
import { EmployerCreditsRequestSchema, EmployerParamsSchema } from '../../shared/schemas/credits';
import { creditEmployees } from '../../shared/services/crediting';
import { NotFound } from '../../shared/http/errors';
import { todayInAmsterdam } from '../../shared/dates';

/** An employer credits its own internal activity to its own linked employees (shared/services/crediting.ts). */
export const handler = httpHandler({
  route: 'create-employer-credits',
  params: EmployerParamsSchema,
  body: EmployerCreditsRequestSchema,
  handler: async ({ params, body, caller }) => {
    if (caller!.ownerId !== params.employerId) throw new NotFound('No employer with this id.');
    return { status: 200, body: { results: await creditEmployees(params.employerId, body, todayInAmsterdam()) } };
  },
});
