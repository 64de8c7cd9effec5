/**
 * The outbox protocol (shared/data/outbox.ts) against DynamoDB Local: claim, complete and release
 * are each conditioned on the claim token, so a process whose lease ran out (and was taken over)
 * changes nothing — the activation-mail release once did not check it — and a claim with extra
 * writes lands all-or-nothing.
 */
import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { db, tableName } from '../../shared/data/client';
import { claim, complete, isClaimable, release } from '../../shared/data/outbox';
import { drain, sendOnce } from '../../shared/jobs/drain';

const key = () => ({ pk: `OUTBOXTEST#${randomUUID()}`, sk: 'ITEM' });
const read = async (k: { pk: string; sk: string }) => (await db().send(new GetCommand({ TableName: tableName(), Key: k, ConsistentRead: true }))).Item;

describe('outbox', () => {
  it('claim → complete: one holder at a time; the completion records the status and drops lease and token', async () => {
    const k = key();
    const token = await claim(k, { leaseMs: 60_000 });
    expect(token).toBeTypeOf('string');
    // Held: nobody else gets it, however many try at once.
    expect(await Promise.all([1, 2, 3].map(() => claim(k, { leaseMs: 60_000 })))).toEqual([undefined, undefined, undefined]);
    expect(await complete(k, 'not-the-token', { set: { sentAt: 'x' } })).toBe(false);
    expect(await complete(k, token!, { set: { sentAt: '2026-01-01T00:00:00Z', messageId: 'm-1' } })).toBe(true);
    const item = await read(k);
    expect(item).toMatchObject({ outboxStatus: 'sent', attempts: 1, sentAt: '2026-01-01T00:00:00Z', messageId: 'm-1' });
    expect(item?.leaseUntil).toBeUndefined();
    expect(item?.claimToken).toBeUndefined();
    // Done: never claimed again, not even after any lease.
    expect(await claim(k, { leaseMs: 60_000, now: Date.now() + 86_400_000 })).toBeUndefined();
    expect(isClaimable(item!)).toBe(false);
  });

  it('a release or completion by a process whose lease ran out and was taken over changes nothing', async () => {
    const k = key();
    const t0 = Date.now();
    const stale = await claim(k, { leaseMs: 1_000, now: t0 });
    // The lease runs out; another process takes the item over.
    const fresh = await claim(k, { leaseMs: 60_000, now: t0 + 2_000 });
    expect(fresh).toBeTypeOf('string');
    expect(fresh).not.toBe(stale);

    expect(await release(k, stale!, 'Timeout')).toBe(false);
    expect(await complete(k, stale!)).toBe(false);
    expect(await read(k)).toMatchObject({ outboxStatus: 'sending', claimToken: fresh, attempts: 2 });
    expect(await claim(k, { leaseMs: 60_000, now: t0 + 3_000 })).toBeUndefined();

    // The holder's own release leaves it due, with the error name; the next claim takes it.
    expect(await release(k, fresh!, 'ServiceUnavailable')).toBe(true);
    const released = await read(k);
    expect(released).toMatchObject({ outboxStatus: 'failed', lastError: 'ServiceUnavailable', attempts: 2 });
    expect(released?.leaseUntil).toBeUndefined();
    expect(isClaimable(released!)).toBe(true);
    expect(await claim(k, { leaseMs: 60_000 })).toBeTypeOf('string');
  });

  it('a claim with extra items lands all-or-nothing; an extra condition must hold on the item', async () => {
    const k = key();
    const guard = key();
    await db().send(new PutCommand({ TableName: tableName(), Item: { ...guard, taken: true } }));
    const guardFree = { ConditionCheck: { TableName: tableName(), Key: guard, ConditionExpression: 'attribute_not_exists(taken)' } };
    const sideWrite = (g: { pk: string; sk: string }) => ({ Put: { TableName: tableName(), Item: { ...g, sk: 'SIDE', written: true } } });

    // The extra check refuses: no claim, and the side write did not land either.
    expect(await claim(k, { leaseMs: 60_000, extraItems: [guardFree, sideWrite(k)] })).toBeUndefined();
    expect(await read(k)).toBeUndefined();
    expect(await read({ pk: k.pk, sk: 'SIDE' })).toBeUndefined();

    // Both land together.
    const token = await claim(k, { leaseMs: 60_000, set: { kind: 'test' }, extraItems: [sideWrite(k)] });
    expect(token).toBeTypeOf('string');
    expect(await read(k)).toMatchObject({ outboxStatus: 'sending', claimToken: token, kind: 'test' });
    expect(await read({ pk: k.pk, sk: 'SIDE' })).toMatchObject({ written: true });

    // `attribute_exists(pk)`: an outbox entry that must already exist is not created by a claim.
    expect(await claim(key(), { leaseMs: 60_000, extraCondition: { expression: 'attribute_exists(pk)' } })).toBeUndefined();
  });

  it('complete with extra items: a refused extra item throws and leaves the claim held; a stale token returns false', async () => {
    const k = key();
    const token = (await claim(k, { leaseMs: 60_000 }))!;
    const refusing = { ConditionCheck: { TableName: tableName(), Key: key(), ConditionExpression: 'attribute_exists(pk)' } };
    await expect(complete(k, token, { extraItems: [refusing] })).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(await read(k)).toMatchObject({ outboxStatus: 'sending', claimToken: token });
    expect(await complete(k, 'stale', { extraItems: [refusing] })).toBe(false);
    expect(await complete(k, token, { status: 'undeliverable', remove: ['kind'] })).toBe(true);
    expect(await read(k)).toMatchObject({ outboxStatus: 'undeliverable' });
  });

  it('sendOnce through the drain: a failing send is released (still due), a held item is skipped, a good one completed once', async () => {
    const [good, bad, held] = [key(), key(), key()];
    await claim(held, { leaseMs: 60_000 });
    let sends = 0;
    const flow = {
      name: 'test',
      send: (k: { pk: string; sk: string }) =>
        sendOnce(k, { leaseMs: 60_000 }, async () => {
          sends++;
          if (k === bad) throw Object.assign(new Error('down'), { name: 'Throttling' });
          return { set: { messageId: 'm' } };
        }, { flow: 'test', ids: {} }),
    };
    expect(await drain([good, bad, held, good], flow, { concurrency: 1 })).toMatchObject({ sent: 1, failed: 1, skipped: 2 });
    expect(sends).toBe(2);
    expect(await read(good)).toMatchObject({ outboxStatus: 'sent', messageId: 'm' });
    expect(await read(bad)).toMatchObject({ outboxStatus: 'failed', lastError: 'Throttling' });
  });
});
