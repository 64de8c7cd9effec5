import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, type TxItem } from './client';
import { DELIVERY, PROVIDER } from './keys';
import { packJson, unpackJson } from './packed';

/**
 * The delivery log of the completion webhook: one item per processed delivery in the provider's
 * own partition (pk `PROVIDER#<providerId>`, sk `DELIVERY#<receivedAt>#<webhook-id>`), written in
 * the same transaction that completes the delivery's idempotency record, so a delivery is logged
 * exactly when its answer is stored (a redelivery that gets the stored answer adds nothing). The
 * idempotency records themselves are keyed by webhook-id and cannot be listed per provider.
 * Kept `DELIVERY_LOG_DAYS` (TTL). Holds the per-item outcomes only (externalId, status, reason,
 * points), never the participants' numbers.
 */
export const DELIVERY_LOG_DAYS = 30;

export interface DeliveryOutcome {
  externalId: string;
  status: 'credited' | 'duplicate' | 'rejected';
  points?: number;
  reason?: string;
}

export interface DeliveryLogEntry {
  webhookId: string;
  receivedAt: string;
  results: DeliveryOutcome[];
}

const pkOf = (providerId: string) => PROVIDER(providerId);

export function deliveryLogItem(providerId: string, webhookId: string, results: DeliveryOutcome[], now = new Date()): TxItem {
  const receivedAt = now.toISOString();
  return {
    Put: {
      TableName: tableName(),
      Item: {
        pk: pkOf(providerId),
        sk: DELIVERY(receivedAt, webhookId),
        type: 'webhookDelivery',
        webhookId,
        receivedAt,
        // Packed (shared/data/packed.ts): up to 500 outcomes, read whole by the provider's page only.
        resultsGz: packJson(results.map((r) => ({ externalId: r.externalId, status: r.status, ...(r.points !== undefined ? { points: r.points } : {}), ...(r.reason ? { reason: r.reason } : {}) }))),
        expiresAt: Math.floor(now.getTime() / 1000) + DELIVERY_LOG_DAYS * 86_400,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The provider's latest deliveries, newest first (one Query of its partition's `DELIVERY#` range). */
export async function latestDeliveries(providerId: string, limit = 50): Promise<DeliveryLogEntry[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pkOf(providerId), ':prefix': DELIVERY() },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  const nowSec = Date.now() / 1000;
  // The TTL deletes lazily: an expired entry is no longer shown.
  return (res.Items ?? [])
    .filter((i) => typeof i.expiresAt !== 'number' || i.expiresAt > nowSec)
    .map((i) => ({
      webhookId: i.webhookId as string,
      receivedAt: i.receivedAt as string,
      // Entries logged before the results were packed keep them as a list.
      results: (i.resultsGz ? unpackJson(i.resultsGz as Uint8Array) : (i.results ?? [])) as DeliveryOutcome[],
    }));
}
