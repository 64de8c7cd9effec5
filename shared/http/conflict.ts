import { Conflict } from '../domain/errors';

/**
 * A DynamoDB race that outlasted its retries: a transaction cancelled with `TransactionConflict`
 * on an item (another transaction was writing it), or a single write refused with
 * `TransactionConflictException` (it hit an item inside a running transaction). Nothing of it was
 * written, and sending the request again is the remedy, so it is a 409 `concurrent-update` — not
 * the 500 of an unknown failure. The one mapping table (`problemOf` in errors.ts) maps it, for the API and the pages;
 * services that retry such races themselves (`withConflictRetry`) reach it only when the retries
 * ran out. Any other error is returned as it is.
 */
export function asConcurrentUpdate(err: unknown): unknown {
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] } | undefined;
  const raced =
    e?.name === 'TransactionConflictException' ||
    (e?.name === 'TransactionCanceledException' && (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict'));
  return raced ? new Conflict('Changed by someone else at the same moment; nothing was written. Send it again.', { reason: 'concurrent-update' }) : err;
}
