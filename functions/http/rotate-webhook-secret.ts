import { httpHandler } from '../../shared/http/handler';
import { ProviderParamsSchema } from '../../shared/schemas/credits';
import { rotateWebhookSecret } from '../../shared/data/organisations';
import { actorOf } from '../../shared/http/actor';
import { Conflict, NotFound } from '../../shared/http/errors';

export const handler = httpHandler({
  route: 'rotate-webhook-secret',
  params: ProviderParamsSchema,
  handler: async ({ params, caller }) => {
    // Another provider's secrets answer like a missing provider.
    if (caller!.role !== 'admin' && caller!.ownerId !== params.providerId) throw new NotFound('No provider with this id.');
    const rotated = await rotateWebhookSecret(params.providerId, actorOf(caller));
    if (rotated.kind === 'not-found') throw new NotFound('No provider with this id.');
    if (rotated.kind === 'concurrent') {
      throw new Conflict('Another rotation of this provider\'s webhook secret landed first; rotate again if you need a secret of your own.', { reason: 'concurrent-rotation' });
    }
    return { status: 201, body: { webhookSecret: rotated.webhookSecret, previousValidUntil: rotated.previousValidUntil } };
  },
});
