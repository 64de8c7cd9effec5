import { httpHandler } from '../../shared/http/handler';
import { CorrectionRequestSchema, UnmatchedParamsSchema } from '../../shared/schemas/unmatched';
import { correctUnmatched } from '../../shared/services/unmatched';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'create-correction',
  params: UnmatchedParamsSchema,
  body: CorrectionRequestSchema,
  handler: async ({ params, body, caller }) => ({ status: 200, body: await correctUnmatched(caller!, params.unmatchedId, body.participant, todayInAmsterdam()) }),
});
