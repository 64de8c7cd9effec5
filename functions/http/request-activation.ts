import { httpHandler } from '../../shared/http/handler';
import { ActivationRequestSchema } from '../../shared/schemas/participants';
import { enqueueActivation } from '../../shared/services/activation';

// Always the same 202, match or not, so the endpoint reveals nobody's diploma; and answered
// before the match is made (it is queued), so neither does its timing.
const ACCEPTED = {
  status: 'accepted',
  detail: 'If the details match a diploma in the register, an activation e-mail is on its way.',
};

export const handler = httpHandler({
  route: 'request-activation',
  body: ActivationRequestSchema,
  handler: async ({ body }) => {
    await enqueueActivation(body);
    return { status: 202, body: ACCEPTED };
  },
});
