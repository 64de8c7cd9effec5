import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { capacityTotals, db, enableCapacityMeter, resetCapacity, tableName } from '../../shared/data/client';

describe('the capacity meter (used by the bench)', () => {
  it('sums the units DynamoDB reports: writes for puts and transactions, reads for gets', async () => {
    enableCapacityMeter();
    resetCapacity();
    await db().send(new PutCommand({ TableName: tableName(), Item: { pk: 'm1', sk: 'x' } }));
    expect(capacityTotals()).toMatchObject({ write: 1, read: 0, calls: 1 });
    await db().send(new GetCommand({ TableName: tableName(), Key: { pk: 'm1', sk: 'x' } }));
    expect(capacityTotals()).toMatchObject({ write: 1, read: 0.5, calls: 2 });
    const tx = await db().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: { pk: 'm2', sk: 'x', gsi1pk: 'g', gsi1sk: 'h' } } },
          { Put: { TableName: tableName(), Item: { pk: 'm3', sk: 'x' } } },
        ],
      }),
    );
    const reported = (tx.ConsumedCapacity ?? []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
    expect(reported).toBeGreaterThan(0);
    expect(capacityTotals()).toMatchObject({ write: 1 + reported, read: 0.5, calls: 3 });
  });
});
