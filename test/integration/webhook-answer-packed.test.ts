/**
 * The webhook's answer and its delivery log are stored packed (shared/data/packed.ts): one gzip'd
 * JSON Binary per item instead of 500 nested maps. A replay answers the same bytes' meaning, the
 * provider's log shows every outcome, and records written before (the answer as a map, the log's
 * results as a list) still answer and show.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { importedParticipants, newProvider, recognisedActivity, signedDelivery, uid, type NewProvider } from './webhook.fixtures';
import { lookupApiKey } from '../../shared/data/api-keys';
import { db, tableName } from '../../shared/data/client';
import { idempotencyKey, claimIdempotency, hashBody } from '../../shared/data/idempotency';
import { latestDeliveries } from '../../shared/data/webhook-deliveries';
import { packJson, unpackJson } from '../../shared/data/packed';
import { DELIVERY, PROVIDER } from '../../shared/data/keys';
import { addDays } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';

const today = todayInAmsterdam();
let provider: NewProvider;
let activity: { activityId: string; points: number };

beforeAll(async () => {
  provider = await newProvider();
  activity = await recognisedActivity((await lookupApiKey(provider.apiKey))!, addDays(today, -400));
});

const registrationNumbers = async (n: number) => (await importedParticipants(n, today)).map((p) => p.registrationNumber);
const deliver = (webhookId: string, body: string) => signedDelivery(provider, body, webhookId);

const rawItem = async (key: Record<string, string>) => (await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }))).Item!;

describe('the stored answer of a delivery', () => {
  it('is one packed value, a few KB for 100 results, and a replay answers it unchanged', async () => {
    const numbers = await registrationNumbers(100);
    const body = JSON.stringify({ completions: numbers.map((n, i) => ({ externalId: `pk-${uid()}-${i}`, activityId: activity.activityId, participant: { registrationNumber: n }, completedOn: addDays(today, -1) })) });
    const webhookId = `msg_${uid()}`;
    const first = await deliver(webhookId, body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json.results.every((r: { status: string }) => r.status === 'credited')).toBe(true);

    const record = await rawItem(idempotencyKey(`${provider.providerId}#webhook`, webhookId));
    expect(record.response).toBeUndefined();
    expect(record.responseGz).toBeInstanceOf(Uint8Array);
    expect(unpackJson(record.responseGz)).toEqual({ status: 200, body: first.json });
    // As maps the 100 results (each with its 68-character credit id) are ~12 KB; packed, well under.
    expect(record.responseGz.byteLength).toBeLessThan(JSON.stringify(first.json).length / 2);

    const again = await deliver(webhookId, body);
    expect(again.statusCode).toBe(200);
    expect(again.json).toEqual(first.json);

    const [logged] = await latestDeliveries(provider.providerId, 1);
    expect(logged.webhookId).toBe(webhookId);
    expect(logged.results).toEqual(first.json.results.map((r: { externalId: string; status: string; points: number }) => ({ externalId: r.externalId, status: r.status, points: r.points })));
    const logItem = await rawItem({ pk: PROVIDER(provider.providerId), sk: DELIVERY(logged.receivedAt, webhookId) });
    expect(logItem.results).toBeUndefined();
    expect(logItem.resultsGz).toBeInstanceOf(Uint8Array);
  });

  it('answers and shows what was stored before the packing: the answer as a map, the log as a list', async () => {
    const scope = `${provider.providerId}#webhook`;
    const key = `msg_old_${uid()}`;
    const answer = { results: [{ externalId: 'old-1', status: 'duplicate', creditId: 'crd_old', points: 2 }] };
    const bodyHash = hashBody({ completions: [] });
    const now = new Date();
    await db().send(new PutCommand({
      TableName: tableName(),
      Item: { ...idempotencyKey(scope, key), type: 'idempotency', scope, key, operation: 'webhook-completions', bodyHash, status: 'completed', resourceId: key, response: { status: 200, body: answer }, createdAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + 3600 },
    }));
    expect(await claimIdempotency({ scope, key, operation: 'webhook-completions', bodyHash, resourceId: key })).toEqual({ kind: 'completed', resourceId: key, response: { status: 200, body: answer } });

    const receivedAt = new Date(Date.now() + 60_000).toISOString();
    await db().send(new PutCommand({
      TableName: tableName(),
      Item: { pk: PROVIDER(provider.providerId), sk: DELIVERY(receivedAt, key), type: 'webhookDelivery', webhookId: key, receivedAt, results: [{ externalId: 'old-1', status: 'duplicate', points: 2 }] },
    }));
    const [shown] = await latestDeliveries(provider.providerId, 1);
    expect(shown).toEqual({ webhookId: key, receivedAt, results: [{ externalId: 'old-1', status: 'duplicate', points: 2 }] });
  });

  it('packs and unpacks any JSON value', () => {
    const value = { a: [1, 'twee', { drie: null, vier: true }], ü: 'ß€' };
    expect(unpackJson(packJson(value))).toEqual(value);
  });
});
