import { httpHandler } from '../../shared/http/handler';
import { RegisterNumberParamsSchema } from '../../shared/schemas/participants';
import { lookupRegister } from '../../shared/services/participants';
import { todayInAmsterdam } from '../../shared/dates';

export const handler = httpHandler({
  route: 'get-register-entry',
  params: RegisterNumberParamsSchema,
  handler: async ({ params }) => ({
    status: 200,
    body: await lookupRegister(params.registrationNumber, todayInAmsterdam()),
    headers: { 'cache-control': 'public, max-age=60' },
  }),
});
