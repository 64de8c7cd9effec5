/**
 * TransactionConflict, injected. DynamoDB cancels a transaction that races another one on the
 * same item with `TransactionCanceledException` and the reason `TransactionConflict` on that item;
 * DynamoDB Local runs transactions one at a time and never does (ARCHITECTURE.md, "Measured on
 * this machine"), so the code that retries them is reached by no ordinary test. This helper puts
 * a middleware on this process's document client (`db()`, the one the handlers use when a test
 * `invoke`s them) that cancels the next `times` TransactWriteItems calls that `match`, before
 * they reach DynamoDB Local (so nothing of them is written), with the error the SDK would give.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { db } from '../../shared/data/client';

const NAME = 'transactionConflictInjection';

export interface ConflictInjection {
  /** Transactions cancelled so far. */
  readonly injected: number;
  /** Transactions that matched and went through to DynamoDB Local (after the injected ones). */
  readonly passed: number;
  /** Takes the middleware off the client again. */
  remove(): void;
}

type TxItems = Record<string, unknown>[];

/**
 * `times`: how many matching transactions to cancel (`Infinity`: a conflict that never ends).
 * `match(items)`: which transactions (default: all). `conflicting(item)`: which of its items get
 * `TransactionConflict` as their reason (default: the first); the others get `None`, as DynamoDB
 * reports them. Items are matched on their JSON (keys are plain values or `{S: …}`, depending on
 * where the document client's marshalling is), e.g. `json.includes('"CREDIT#')`.
 */
export function injectTransactionConflicts(opts: { times: number; match?: (json: string) => boolean; conflicting?: (itemJson: string, index: number) => boolean }): ConflictInjection {
  let injected = 0;
  let passed = 0;
  const client = db();
  client.middlewareStack.remove(NAME);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!/^TransactWrite/.test(String(context.commandName))) return next(args);
      const items = ((args.input as { TransactItems?: TxItems }).TransactItems ?? []) as TxItems;
      const json = JSON.stringify(items);
      if (opts.match && !opts.match(json)) return next(args);
      if (injected >= opts.times) {
        passed++;
        return next(args);
      }
      injected++;
      const hit = opts.conflicting ?? ((_: string, i: number) => i === 0);
      const reasons = items.map((item, i) => (hit(JSON.stringify(item), i) ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' }));
      throw new TransactionCanceledException({
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
        $metadata: { httpStatusCode: 400, attempts: 1, totalRetryDelay: 0 },
        CancellationReasons: reasons,
      });
    },
    { step: 'initialize', name: NAME },
  );
  return {
    get injected() {
      return injected;
    },
    get passed() {
      return passed;
    },
    remove() {
      client.middlewareStack.remove(NAME);
    },
  };
}
