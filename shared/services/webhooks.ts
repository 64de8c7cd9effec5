import type { Completion } from '../schemas/credits';
import { claimIdempotency, completeIdempotencyItem, hashBody, releaseIdempotencyLease } from '../data/idempotency';
import { deliveryLogItem } from '../data/webhook-deliveries';
import { AGAIN, optimistic, transact } from '../data/client';
import { Conflict } from '../domain/errors';
import { liveWebhookSecrets, webhookSecretContext, type Provider } from '../data/organisations';
import { openSecret, SealMismatch } from '../crypto/secrets';
import { logger } from '../log';
import { creditCompletions, type CreditResult } from './crediting';

/**
 * The provider's secrets that verify now (current, then the previous one within its 24 hours),
 * opened one by one. One that does not open for this provider (copied from another provider's
 * item, or altered) verifies nothing; KMS being unreachable is an error (500, the sender retries).
 */
export async function* webhookSecretsOf(provider: Provider, now = new Date()): AsyncGenerator<string> {
  for (const secret of liveWebhookSecrets(provider, now)) {
    try {
      yield await openSecret(secret.sealed, webhookSecretContext(provider.providerId));
    } catch (err) {
      if (!(err instanceof SealMismatch)) throw err;
      logger.error('a webhook secret of this provider does not open for it', { providerId: provider.providerId });
    }
  }
}

/**
 * One completion webhook delivery, processed once per (provider, `webhook-id`), through the
 * project's idempotency records (scope `<providerId>#webhook`, key = the webhook-id):
 *
 * - the first delivery claims the id with the body's hash and a lease, credits, and stores its
 *   answer; a redelivery of the same body gets that answer;
 * - the same id with another body is refused (409 `webhook-id-reused`) and credits nothing, so a
 *   sender that reuses ids cannot have completions silently dropped;
 * - a delivery of the same body while the first is still running waits (bounded) for its answer
 *   instead of crediting beside it, so concurrent deliveries all get the one answer; past the wait
 *   it gets 409 with Retry-After;
 * - a processed delivery is logged per provider (shared/data/webhook-deliveries.ts) with the same
 *   write that stores its answer;
 * - a first delivery that died mid-way (its lease ran out) is redone by the next one: crediting
 *   is idempotent per externalId, so completions it had credited come back as `duplicate`.
 */
const OPERATION = 'webhook-completions';
/**
 * Longer than the function may run (29 s), so a lease that has run out means its delivery is gone
 * and redoing it cannot run beside it.
 */
export const DELIVERY_LEASE_MS = 60_000;
/** How long a concurrent delivery waits for the first one's answer: a batch of 500 takes ~1–2 s. */
export const DELIVERY_WAIT_MS = 8_000;
/** Time kept free before the function's deadline, to answer after waiting. */
const DEADLINE_RESERVE_MS = 2_000;

export interface Delivery {
  answer: { results: CreditResult[] };
  /** A stored answer of an earlier delivery of this webhook-id. */
  replayed: boolean;
}

const scopeOf = (providerId: string) => `${providerId}#webhook`;

export async function receiveDelivery(args: {
  providerId: string;
  webhookId: string;
  completions: Completion[];
  today: string;
  /** Epoch ms by which the function must have answered (the Lambda's deadline). */
  deadline: number;
}): Promise<Delivery> {
  const scope = scopeOf(args.providerId);
  const bodyHash = hashBody({ completions: args.completions });
  const waitUntil = Math.min(Date.now() + DELIVERY_WAIT_MS, args.deadline - DEADLINE_RESERVE_MS);
  const backoffMs = (attempt: number) => Math.min(50 * 2 ** (attempt - 1), 500);
  // The one optimistic loop (shared/data/client.ts): a delivery of this webhook-id still in
  // progress is a lost race (AGAIN); the wait is bounded by time, not by a count, so the step
  // itself answers 409 when the next pause would pass the wait's end.
  const inProgress = (headers?: Record<string, string>) =>
    new Conflict('A delivery with this webhook-id is still being processed; retry later for its answer.', { reason: 'webhook-in-progress' }, headers);
  return optimistic<Delivery>(async (attempt) => {
    const state = await claimIdempotency({ scope, key: args.webhookId, operation: OPERATION, bodyHash, resourceId: args.webhookId, leaseMs: DELIVERY_LEASE_MS });
    if (state.kind === 'mismatch') {
      throw new Conflict('This webhook-id was delivered before with another body; nothing was credited. Send new completions under a new webhook-id.', {
        reason: 'webhook-id-reused',
      });
    }
    if (state.kind === 'completed') return { answer: state.response.body as Delivery['answer'], replayed: true };
    if (state.kind === 'claimed') {
      try {
        const results = await creditCompletions({ id: args.providerId, role: 'provider' }, args.completions, args.today);
        const answer = { results };
        // The answer is stored and the delivery logged (the provider's /opleider/koppeling page) in one write.
        await transact([
          completeIdempotencyItem({ scope, key: args.webhookId, bodyHash, response: { status: 200, body: answer } }),
          deliveryLogItem(args.providerId, args.webhookId, results),
        ]);
        return { answer, replayed: false };
      } catch (err) {
        await releaseIdempotencyLease({ scope, key: args.webhookId, bodyHash });
        throw err;
      }
    }
    if (Date.now() + backoffMs(attempt) > waitUntil) {
      // By the lease's end the first delivery has answered or may be redone; a live one answers sooner.
      const retryAfter = Math.min(10, Math.max(1, Math.ceil(((state.leaseUntil ?? 0) - Date.now()) / 1000)));
      throw inProgress({ 'retry-after': String(retryAfter) });
    }
    return AGAIN;
  }, { attempts: Number.POSITIVE_INFINITY, exhausted: () => inProgress(), backoffMs });
}
