import pMap from 'p-map';
import { claim, complete, release, type ClaimOptions, type CompleteOptions, type OutboxKey, type ReleaseOptions } from '../data/outbox';
import { logger } from '../log';

/**
 * The one drain of the outbox flows (activation mails, expiry notices, employer digests, invoice
 * delivery, sign-in link mails — shared/services/sign-in.ts `signInMailFlow`, one request per
 * queued message): bounded concurrency (p-map), nothing started after the deadline, one tally.
 *
 * A flow is small:
 *
 *   const flow: Flow<Item> = {
 *     name: 'activation e-mail',
 *     due: (item) => !item.mailedAt,                    // optional, cheap, on the item as read
 *     send: (item) => sendOnce(keyOf(item), { leaseMs }, async (token) => {
 *       await sendEmail(...);                          // throw: released, counted failed, stays due
 *       return { set: { sentAt: new Date().toISOString() } };
 *     }, { flow: 'activation e-mail', ids }),
 *   };
 *   const tally = await drain(items, flow, { concurrency: 8, stopAt });
 */

/** What became of one item. A flow uses the ones it has; the rest stay 0 in its tally. */
export type Outcome =
  /** The message went out (and was recorded). */
  | 'sent'
  /** The send failed: released, still due for the next run. */
  | 'failed'
  /** Not this run's: done already, held by another process (live lease), or superseded. */
  | 'skipped'
  /** The address bounced for good or drew a complaint: recorded, never retried. */
  | 'undeliverable'
  /** No address to send to: recorded, not sent. */
  | 'noAddress'
  /** No longer called for (renewed, superseded): taken out of the due index without a message. */
  | 'retired'
  /** Not due (the flow's `due` said so, or the item turned out to be gone): nothing done. */
  | 'notDue';

/** The one tally of every outbox flow. */
export type Tally = Record<Outcome, number> & {
  /** Not tried: the deadline, `max` or `stopOnFailure` stopped the drain first. They stay due. */
  notStarted: number;
};

export const emptyTally = (): Tally => ({ sent: 0, failed: 0, skipped: 0, undeliverable: 0, noAddress: 0, retired: 0, notDue: 0, notStarted: 0 });

export interface Flow<T> {
  /** For logs ("activation e-mail"): never personal data. */
  name: string;
  /** Cheap check on the item as read; false → counted `notDue`, nothing started. Default: due. */
  due?(item: T): boolean;
  /**
   * One item, start to end (usually through `sendOnce`). A throw is counted `failed` and logged
   * by its error name; the item's claim, if any, is the flow's to release (`sendOnce` does).
   */
  send(item: T): Promise<Outcome>;
}

export interface DrainOptions {
  /** Items in flight at once (SES's sending rate is the limit, not DynamoDB). */
  concurrency: number;
  /** Epoch ms: nothing is started after it (the ones in flight finish); the rest is `notStarted`. */
  stopAt?: number;
  /** At most this many items started; a `skipped` or `notDue` one gives its place back. */
  max?: number;
  /** Start nothing new once one failed (SES is down or throttling: leave the rest to the job). */
  stopOnFailure?: boolean;
}

/** The error's name only: addresses and message text may hold personal data. */
export const errorName = (err: unknown) => String((err as Error)?.name || 'Error').slice(0, 100);

const isPages = <T>(items: Iterable<T> | AsyncIterable<readonly T[]>): items is AsyncIterable<readonly T[]> => Symbol.asyncIterator in Object(items);

/**
 * Sends what is due of `items` — an array, or pages read one after another (an async iterable of
 * arrays: the next page is read only when the drain goes on) — with at most `concurrency` at a
 * time, within the budget. Never throws for an item: each one's outcome is counted.
 */
export async function drain<T>(items: Iterable<T> | AsyncIterable<readonly T[]>, flow: Flow<T>, opts: DrainOptions): Promise<Tally> {
  const tally = emptyTally();
  let started = 0;
  const exhausted = () =>
    (opts.stopAt !== undefined && Date.now() >= opts.stopAt) ||
    (opts.max !== undefined && started >= opts.max) ||
    (opts.stopOnFailure === true && tally.failed > 0);
  const one = async (item: T) => {
    if (flow.due && !flow.due(item)) {
      tally.notDue++;
      return;
    }
    if (exhausted()) {
      tally.notStarted++;
      return;
    }
    started++;
    let outcome: Outcome;
    try {
      outcome = await flow.send(item);
    } catch (err) {
      logger.warn(`${flow.name}: failed; it stays due`, { error: errorName(err) });
      outcome = 'failed';
    }
    tally[outcome]++;
    // No message was attempted: it does not count against `max`.
    if (outcome === 'skipped' || outcome === 'notDue') started--;
  };
  const run = (list: Iterable<T>) => pMap(list, one, { concurrency: opts.concurrency });
  if (!isPages(items)) {
    await run(items);
    return tally;
  }
  for await (const page of items) {
    await run(page);
    // Out of budget: the next pages stay unread (their items stay due; they are not counted).
    if (tally.notStarted || (opts.stopAt !== undefined && Date.now() >= opts.stopAt)) break;
  }
  return tally;
}

/** What a send through `sendOnce` recorded: `complete`'s options, and the outcome to count. */
export interface Delivery extends CompleteOptions {
  /** Default `sent`. `skipped`, `undeliverable`, `noAddress`: recorded with `status` instead, no message sent. */
  outcome?: Extract<Outcome, 'sent' | 'skipped' | 'undeliverable' | 'noAddress'>;
  /** Records it instead of `complete(key, token, this)` (a flow whose completion may need a second try). */
  record?: (token: string) => Promise<boolean>;
}

/**
 * The protocol of one outbox item, once (`log.release`: extra writes of the release): claim (`skipped` when refused) → `work(token)` → complete
 * with what it returns. A throw from `work` releases the claim with the error's name (`failed`,
 * still due; a lost release only means the lease runs out first). A completion that fails after
 * the message went out is logged: the lease keeps others off until it runs out, then the message
 * would go again — the one duplicate possible without a transactional mail server.
 */
export async function sendOnce(
  key: OutboxKey,
  claimOptions: ClaimOptions,
  work: (token: string) => Promise<Delivery>,
  log: { flow: string; ids: Record<string, unknown>; release?: ReleaseOptions },
): Promise<Outcome> {
  let token: string | undefined;
  try {
    token = await claim(key, claimOptions);
  } catch (err) {
    logger.warn(`${log.flow}: claim failed`, { ...log.ids, error: errorName(err) });
    return 'failed';
  }
  if (!token) return 'skipped';
  let delivery: Delivery;
  try {
    delivery = await work(token);
  } catch (err) {
    logger.warn(`${log.flow}: not sent; it stays due`, { ...log.ids, error: errorName(err) });
    await release(key, token, errorName(err), log.release).catch((releaseErr: unknown) =>
      logger.warn(`${log.flow}: could not release the claim; its lease will run out`, { ...log.ids, error: errorName(releaseErr) }),
    );
    return 'failed';
  }
  const { outcome = 'sent', record, ...completion } = delivery;
  try {
    // False: the lease ran out and another process took the item over; this one records nothing.
    if ((await (record ? record(token) : complete(key, token, completion))) === false) {
      logger.error(`${log.flow}: ${outcome}, but the claim was taken over before it was recorded`, log.ids);
    }
  } catch (err) {
    if (outcome === 'sent') logger.error(`${log.flow}: sent but not recorded`, { ...log.ids, error: errorName(err) });
    else logger.warn(`${log.flow}: outcome not recorded; it stays due`, { ...log.ids, outcome, error: errorName(err) });
  }
  return outcome;
}
