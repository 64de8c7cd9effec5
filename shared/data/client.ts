import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
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
// The client the meter is on: resetDb() makes a new one, which needs the meter again.
let metered: DynamoDBDocumentClient | undefined;

/**
 * Benchmarks: ask DynamoDB for ReturnConsumedCapacity=TOTAL on every call of this process's
 * client and sum what it reports (read and write units, table and indexes).
 */
export function enableCapacityMeter(): void {
  if (metered === db()) return;
  metered = db();
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

// ---------------------------------------------------------------- transactions

/** One item of a TransactWriteItems call. */
export type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit on the items of one TransactWriteItems. */
export const MAX_TRANSACTION_ITEMS = 100;

/**
 * Packs whole units (a row's, an employee's, a credit's items) into transactions of at most
 * `maxItems` items and `maxUnits` units, in order; a unit is never split across two.
 */
export function packTransactions<U>(units: readonly U[], itemsOf: (unit: U) => readonly TxItem[], opts: { maxItems?: number; maxUnits?: number } = {}): U[][] {
  const maxItems = opts.maxItems ?? MAX_TRANSACTION_ITEMS;
  const maxUnits = opts.maxUnits ?? Infinity;
  const packs: U[][] = [];
  let pack: U[] = [];
  let size = 0;
  for (const unit of units) {
    const n = itemsOf(unit).length;
    if (pack.length && (pack.length >= maxUnits || size + n > maxItems)) {
      packs.push(pack);
      pack = [];
      size = 0;
    }
    pack.push(unit);
    size += n;
  }
  if (pack.length) packs.push(pack);
  return packs;
}

export async function transact(items: TxItem[], token?: string): Promise<void> {
  await db().send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token }));
}

/** Reasons a transaction was cancelled, one per item ('None' where the item was fine). */
export function cancellationCodes(err: unknown): string[] | undefined {
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e?.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` again (with back-off, up to 6 times) when DynamoDB cancels its transaction for racing
 * another on the same item: `optimistic` with a thrown `TransactionConflict` as the lost race. When
 * every attempt lost, the last conflict is rethrown (the recipes answer it 409 `concurrent-update`).
 */
export async function withConflictRetry<T>(fn: () => Promise<T>): Promise<T> {
  let lastConflict: unknown;
  return optimistic<T>(
    async () => {
      try {
        return await fn();
      } catch (err) {
        if (!cancellationCodes(err)?.includes('TransactionConflict')) throw err;
        lastConflict = err;
        return AGAIN;
      }
    },
    { attempts: 7, exhausted: () => lastConflict as Error, backoffMs: (attempt) => 20 * 2 ** (attempt - 1) + Math.random() * 20 },
  );
}

/** What an optimistic step returns when its write lost a race: read again and decide again. */
export const AGAIN: unique symbol = Symbol('again');

export interface OptimisticOptions {
  /** Attempts in all (the first included) before giving up. */
  attempts: number;
  /** The error thrown when every attempt lost its race (the services' 409 `concurrent-update`). */
  exhausted: () => Error;
  /** Pause before attempt `attempt + 1` (1-based), to let the racing writer finish; none by default. */
  backoffMs?: (attempt: number) => number;
}

/**
 * The one optimistic read-modify-write loop: `step` reads what it needs, decides, and writes
 * conditioned on what it read; it returns its answer, or `AGAIN` when the write lost a race (a
 * cancelled transaction, a failed version condition). After `attempts` lost races, `exhausted()`
 * is thrown. Errors `step` throws end the loop at once. Not p-retry: a lost race is an ordinary
 * outcome the step decides on (some races are final answers, e.g. "already decided"), not an
 * error to classify, and the back-off is the caller's.
 */
export async function optimistic<T>(step: (attempt: number) => Promise<T | typeof AGAIN>, opts: OptimisticOptions): Promise<T> {
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    const out = await step(attempt);
    if (out !== AGAIN) return out as T;
    if (attempt < opts.attempts && opts.backoffMs) await sleep(opts.backoffMs(attempt));
  }
  throw opts.exhausted();
}

/** `transact(items)`, with a cancelled transaction (a condition or a conflict) as `AGAIN` for `optimistic`. */
export async function transactOrAgain<T>(items: TxItem[], answer: T): Promise<T | typeof AGAIN> {
  try {
    await transact(items);
    return answer;
  } catch (err) {
    if (!cancellationCodes(err)) throw err;
    return AGAIN;
  }
}
