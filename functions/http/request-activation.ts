import { httpHandler } from '../../shared/http/handler';
import { ActivationRequestSchema } from '../../shared/schemas/participants';
import { requestActivation } from '../../shared/services/activation';

// Always the same 202, match or not, so the endpoint reveals nobody's diploma.
const ACCEPTED = {
  status: 'accepted',
  detail: 'If the details match a diploma in the register, an activation e-mail is on its way.',
};

export const handler = httpHandler({
  route: 'request-activation',
  body: ActivationRequestSchema,
  handler: async ({ body }) => {
    await requestActivation(body);
    return { status: 202, body: ACCEPTED };
  },
});
