import { httpHandler } from '../../shared/http/handler';
import { EmployerCreditsRequestSchema, EmployerParamsSchema } from '../../shared/schemas/credits';
import { creditCompletions, employerExternalIds } from '../../shared/services/crediting';
import { NotFound } from '../../shared/http/errors';
import { todayInAmsterdam } from '../../shared/dates';

/**
 * An employer credits its own internal activity to its own linked employees. Each participant's
 * completion gets a derived external id, so re-sending the same request is answered `duplicate`;
 * after a revocation the same request credits again (see employerExternalIds).
 */
export const handler = httpHandler({
  route: 'create-employer-credits',
  params: EmployerParamsSchema,
  body: EmployerCreditsRequestSchema,
  handler: async ({ params, body, caller }) => {
    if (caller!.ownerId !== params.employerId) throw new NotFound('No employer with this id.');
    const externalIds = await employerExternalIds(params.employerId, body.activityId, body.completedOn, body.participants);
    const completions = body.participants.map((registrationNumber, i) => ({
      externalId: externalIds[i],
      activityId: body.activityId,
      participant: { registrationNumber },
      completedOn: body.completedOn,
    }));
    const results = await creditCompletions({ id: params.employerId, role: 'employer', ...(caller?.userId ? { userId: caller.userId } : {}) }, completions, todayInAmsterdam(), { employeesOf: params.employerId });
    return { status: 200, body: { results: results.map((r, i) => ({ registrationNumber: body.participants[i], ...r })) } };
  },
});
