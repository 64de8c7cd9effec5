import { httpHandler } from '../../shared/http/handler';
import { ProviderParamsSchema } from '../../shared/schemas/credits';
import { rotateWebhookSecret } from '../../shared/data/organisations';
import { actFor, actorOf } from '../../shared/services/access';
import { Conflict, NotFound } from '../../shared/domain/errors';

export const handler = httpHandler({
  route: 'rotate-webhook-secret',
  params: ProviderParamsSchema,
  handler: async ({ params, caller }) => {
    // Another provider's secrets answer like a missing provider.
    actFor(caller, { role: 'provider', id: params.providerId }, 'No provider with this id.');
    const rotated = await rotateWebhookSecret(params.providerId, actorOf(caller));
    if (rotated.kind === 'not-found') throw new NotFound('No provider with this id.');
    if (rotated.kind === 'concurrent') {
      throw new Conflict('Another rotation of this provider\'s webhook secret landed first; rotate again if you need a secret of your own.', { reason: 'concurrent-rotation' });
    }
    return { status: 201, body: { webhookSecret: rotated.webhookSecret, previousValidUntil: rotated.previousValidUntil } };
  },
});
