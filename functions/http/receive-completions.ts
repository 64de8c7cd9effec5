import * as z from 'zod/mini';
import { httpHandler } from '../../shared/http/handler';
import { verifyWebhook } from '../../shared/http/webhook';
import { parseOrThrow } from '../../shared/http/validation';
import { BadRequest, Unauthorized } from '../../shared/domain/errors';
import { CompletionsRequestSchema } from '../../shared/schemas/credits';
import { getProvider } from '../../shared/data/organisations';
import { receiveDelivery, webhookSecretsOf } from '../../shared/services/webhooks';
import { todayInAmsterdam } from '../../shared/dates';

const Params = z.object({ providerId: z.string() });

/** The completion webhook: authenticated by its Standard Webhooks signature alone. */
export const handler = httpHandler({
  route: 'receive-completions',
  params: Params,
  bodyMode: 'raw',
  handler: async ({ params, rawBody, headers, context }) => {
    const provider = /^prv_[0-9A-Z]{26}$/.test(params.providerId) ? await getProvider(params.providerId) : undefined;
    // An unknown provider answers like a bad signature: nothing to learn from probing ids.
    if (!provider) throw new Unauthorized('The webhook signature does not verify.');
    const webhookId = await verifyWebhook(() => webhookSecretsOf(provider), rawBody, headers);

    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch (err) {
      throw new BadRequest(`The request body is not valid JSON: ${(err as Error).message}`, [{ path: '', message: 'Malformed JSON' }]);
    }
    const body = parseOrThrow(CompletionsRequestSchema, json);
    const { answer, replayed } = await receiveDelivery({
      providerId: provider.providerId,
      webhookId,
      completions: body.completions,
      today: todayInAmsterdam(),
      deadline: Date.now() + context.getRemainingTimeInMillis(),
    });
    return { status: 200, body: answer, headers: replayed ? { 'x-webhook-replayed': 'true' } : undefined };
  },
});
