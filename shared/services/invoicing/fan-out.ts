import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { runBounded } from '../../bounded';
import type { TariffSchedule } from '../../data/tariffs';
import { config } from '../../config';
import { logger } from '../../log';
import type { RunOptions } from './documents';
import type { Delivery } from './deliver';
import type { EmployerOutcome } from './collective';

/**
 * The invoicing worker's queue. Issuing writes the document and hands its rendering and delivery
 * here; the monthly run hands each employer-month here. In the cloud: SQS (INVOICE_QUEUE_URL),
 * worked by functions/queue/invoice-employer.ts, the one function that bundles the renderer.
 * Locally (no queue): the worker's own code, in this process, awaited — the same units of work.
 */
export type InvoicingMessage = { month: string; employerId: string } | { invoiceId: string };

/*
 * Not a literal on purpose: esbuild bundles `import('./worker')` (and with it pdfkit) into every
 * function that imports this module, but leaves `import(variable)` alone. The cloud never gets
 * here (it has the queue; test/infra/stack.test.ts checks every enqueuing function has its URL).
 */
const LOCAL_WORKER = './worker';
type LocalWorker = typeof import('./worker');
const localWorker = () => import(/* @vite-ignore */ LOCAL_WORKER) as Promise<LocalWorker>;

let sqs: SQSClient | undefined;

export async function enqueue(messages: InvoicingMessage[]): Promise<void> {
  sqs ??= new SQSClient({ region: config.region });
  for (let i = 0; i < messages.length; i += 10) {
    const batch = messages.slice(i, i + 10);
    const res = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: config.invoiceQueueUrl,
        Entries: batch.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
      }),
    );
    if (res.Failed?.length) throw new Error(`SQS refused ${res.Failed.length} invoicing messages`);
  }
}

/**
 * Hands a document to the worker to render (once) and deliver. Cloud: `queued`. Locally: what the
 * worker's delivery did. A failure to queue is logged, not thrown: the document is in the outbox,
 * and the invoice-mails job queues it again.
 */
export async function requestDelivery(invoiceId: string, opts?: RunOptions): Promise<Delivery> {
  try {
    if (config.invoiceQueueUrl) {
      await enqueue([{ invoiceId }]);
      return 'queued';
    }
    return await (await localWorker()).renderAndDeliver(invoiceId, opts);
  } catch (err) {
    logger.error('invoice not handed to the worker; the invoice-mails job will', { invoiceId, error: err as Error });
    return 'failed';
  }
}

/** Settled results of `work` over `items`, `concurrency` at a time; items not started before `stopAt` stay undefined. */
export async function settleBounded<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>, stopAt?: number) {
  return runBounded(items, concurrency, async (item): Promise<PromiseSettledResult<R> | undefined> => {
    if (stopAt && Date.now() > stopAt) return undefined;
    try {
      return { status: 'fulfilled', value: await work(item) };
    } catch (reason) {
      return { status: 'rejected', reason };
    }
  });
}

/**
 * The monthly run's employer-months. Cloud: one message each (`enqueued`). Locally: the worker's
 * unit for each in this process (`results`; undefined for one not reached before `stopAt`).
 */
export async function fanOutEmployers(
  month: string,
  employerIds: string[],
  tariffs: TariffSchedule,
  opts?: RunOptions,
): Promise<{ enqueued: number } | { results: (PromiseSettledResult<EmployerOutcome> | undefined)[] }> {
  if (config.invoiceQueueUrl) {
    await enqueue(employerIds.map((employerId) => ({ month, employerId })));
    return { enqueued: employerIds.length };
  }
  const worker = await localWorker();
  return { results: await settleBounded(employerIds, opts?.concurrency ?? 4, (id) => worker.invoiceEmployerMonth(month, id, tariffs, opts), opts?.stopAt) };
}
