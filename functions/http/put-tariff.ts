import { httpHandler } from '../../shared/http/handler';
import { PutTariffRequestSchema } from '../../shared/schemas/invoices';
import { putTariff } from '../../shared/data/tariffs';
import { actorOf } from '../../shared/services/access';

export const handler = httpHandler({
  route: 'put-tariff',
  body: PutTariffRequestSchema,
  handler: async ({ body, caller }) => {
    const { tariff, replaced } = await putTariff(body, actorOf(caller));
    const { setBy: _by, ...view } = tariff;
    return { status: 200, body: { ...view, replaced } };
  },
});
