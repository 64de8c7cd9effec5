import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { capacityTotals, db, enableCapacityMeter, resetCapacity, tableName } from '../../shared/data/client';

describe('the capacity meter (used by the bench)', () => {
  it('sums write units of puts and transactions and read units of gets', async () => {
    enableCapacityMeter();
    resetCapacity();
    await db().send(new PutCommand({ TableName: tableName(), Item: { pk: 'm1', sk: 'x' } }));
    expect(capacityTotals()).toMatchObject({ write: 1, read: 0, calls: 1 });
    await db().send(new GetCommand({ TableName: tableName(), Key: { pk: 'm1', sk: 'x' } }));
    expect(capacityTotals().read).toBe(0.5);
    await db().send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: tableName(), Item: { pk: 'm2', sk: 'x' } } }, { Put: { TableName: tableName(), Item: { pk: 'm3', sk: 'x' } } }] }));
    // Transactional writes cost two units per item.
    expect(capacityTotals().write).toBe(5);
  });
});
