import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';

let doc: DynamoDBDocumentClient | undefined;

/**
 * The document client, created once per process (module scope survives across Lambda
 * invocations) and lazily, so tests can point TABLE_NAME/DYNAMODB_ENDPOINT before first use.
 */
export function db(): DynamoDBDocumentClient {
  if (!doc) {
    const endpoint = config.dynamoEndpoint;
    const client = new DynamoDBClient({
      region: config.region,
      ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
      maxAttempts: 5,
    });
    doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }
  return doc;
}

export function tableName(): string {
  return config.tableName;
}

/** Drop the cached client (tests that switch endpoints). */
export function resetDb(): void {
  doc?.destroy();
  doc = undefined;
}

/** Consumed capacity, summed by the meter (benchmarks only). */
export interface CapacityTotals {
  read: number;
  write: number;
  calls: number;
}

const totals: CapacityTotals = { read: 0, write: 0, calls: 0 };
let metered = false;

/**
 * Benchmarks: ask DynamoDB for ReturnConsumedCapacity=TOTAL on every call of this process's
 * client and sum what it reports (read and write units, table and indexes).
 */
export function enableCapacityMeter(): void {
  if (metered) return;
  metered = true;
  db().middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const out = result.output as { ConsumedCapacity?: unknown };
      const list = (Array.isArray(out.ConsumedCapacity) ? out.ConsumedCapacity : out.ConsumedCapacity ? [out.ConsumedCapacity] : []) as {
        CapacityUnits?: number;
      }[];
      const units = list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      // With TOTAL, DynamoDB reports CapacityUnits only (table + indexes, transactional items
      // already at their doubled rate): the command says whether they are reads or writes.
      const isRead = /^(Get|BatchGet|Query|Scan|TransactGet)/.test(String(context.commandName));
      if (isRead) totals.read += units;
      else totals.write += units;
      totals.calls++;
      return result;
    },
    { step: 'initialize', name: 'capacityMeter' },
  );
}

export function capacityTotals(): CapacityTotals {
  return { ...totals };
}

export function resetCapacity(): void {
  totals.read = 0;
  totals.write = 0;
  totals.calls = 0;
}
