import { createHash, randomBytes } from 'node:crypto';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { batchPut, queryAll } from './batch';
import { AGAIN, cancellationCodes, optimistic, transact, type TxItem } from './client';
import { participantPk } from './participants';
import type { InvoiceDocument, InvoiceLine } from '../invoices/model';
import type { FeePayer } from './fees';
import type { OutboxFields, OutboxStatus } from './outbox';
import { COUNTER, CREDITNOTE, FILE, INVOICE, INVRUN, LINES, PAYER } from './keys';

/**
 * Invoices and credit notes. Keys (see README.md in this folder):
 * - header `INVOICE#<id>` / `INVOICE`: the document without its lines, immutable once written
 *   except for its delivery state (`status`, `sentAt`, …); gsi1 `<payer partition>` /
 *   `INVOICE#<issuedOn>#<id>` (a payer's documents: `payerIndexPk`); gsi3 `OUTBOX` /
 *   `<createdAt>#<id>` while not yet sent (sparse: the delivery backlog every run drains). Its
 *   delivery is an outbox item (shared/data/outbox.ts) on the header itself.
 * - lines `INVOICE#<id>` / `LINES#<linesKey>#<chunk>`: up to 400 lines per item, written before
 *   the header under a key unique to the issuing attempt; the header names the attempt whose
 *   lines it carries, so lines of a losing or crashed attempt are never read.
 * - counter `COUNTER#INVOICE#<yyyy>` / `COUNTER`: `n` = the last number issued that year.
 * - run guard `INVRUN#<yyyy-mm>#<employerId>` / `INVRUN`: one collective invoice per employer-month.
 * - credit guard `CREDITNOTE#<invoiceId>` / `CREDITNOTE`: one credit note per invoice.
 * - rendered files `INVOICE#<id>` / `FILE#<filesKey>#<pdf|xml>#<chunk>`: the PDF and the UBL as the
 *   invoicing worker rendered them (binary, up to 300 KB per item), written before the header's
 *   `files` names their attempt (first renderer wins), so the functions that answer people serve
 *   and mail the stored bytes and never bundle the renderer.
 * No TTL on any of them: invoices are kept (7 years at least).
 */
export type DeliveryStatus = 'issued' | 'sending' | 'sent' | 'unaddressed';

/**
 * Delivery is an outbox item (shared/data/outbox.ts): the header carries the outbox attributes
 * (`outboxStatus`, `leaseUntil`, `claimToken`, `attempts`, `lastError`), born `pending`; `status`
 * is what the API and pages show, derived from them (`failed` is still `issued`: due again).
 * Headers written before the outbox (no `outboxStatus`) keep their stored `status`.
 */
function deliveryStatus(item: Record<string, unknown>): DeliveryStatus {
  switch (item.outboxStatus as OutboxStatus | undefined) {
    case undefined:
      return (item.status as DeliveryStatus | undefined) ?? 'issued';
    case 'sending':
      return 'sending';
    case 'sent':
      return 'sent';
    case 'no-email':
      return 'unaddressed';
    default:
      return 'issued';
  }
}

export interface StoredInvoice extends InvoiceDocument, OutboxFields {
  payer: FeePayer;
  /** The collective invoice's month (`yyyy-mm`). */
  month?: string;
  /** Language of the delivery e-mail (individual invoices follow the participant's choice). */
  language?: 'nl' | 'en';
  status: DeliveryStatus;
  linesKey: string;
  lineCount: number;
  feesMarked: boolean;
  createdAt: string;
  sendingSince?: string;
  sentAt?: string;
  messageId?: string;
  /** Set once the worker stored the rendered PDF and UBL (see `putInvoiceFiles`). */
  files?: InvoiceFiles;
}

export interface InvoiceFiles {
  key: string;
  pdfChunks: number;
  xmlChunks: number;
  renderedAt: string;
}

export type InvoiceFileKind = 'pdf' | 'xml';
/** Bytes per file item: well inside DynamoDB's 400 KB item limit with the key attributes. */
export const FILE_BYTES_PER_ITEM = 300 * 1024;

export const LINES_PER_ITEM = 400;
export const invoiceKey = (invoiceId: string) => ({ pk: INVOICE(invoiceId), sk: 'INVOICE' });
/** One per collective invoice of an employer-month: part 1 the monthly invoice, 2… supplementary ones. */
export const runGuardKey = (month: string, employerId: string, part = 1) => ({ pk: part > 1 ? INVRUN(month, employerId, part) : INVRUN(month, employerId), sk: 'INVRUN' });
export const creditGuardKey = (invoiceId: string) => ({ pk: CREDITNOTE(invoiceId), sk: 'CREDITNOTE' });
/** The run guard's Put, in the collective invoice's numbering transaction: once per employer-month (and part). */
export function runGuardPut(month: string, employerId: string, part: number, invoiceId: string, now: Date): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...runGuardKey(month, employerId, part), type: 'invoice-run', invoiceId, month, employerId, part, createdAt: now.toISOString() },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The credit guard's Put, in the credit note's numbering transaction: one credit note per invoice. */
export function creditGuardPut(invoiceId: string, creditNoteId: string, now: Date): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...creditGuardKey(invoiceId), type: 'credit-guard', creditNoteId, invoiceId, createdAt: now.toISOString() },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export const counterKey = (year: string) => ({ pk: COUNTER('INVOICE', year), sk: 'COUNTER' });

/**
 * The gsi1 partition of a payer's documents. An employer's: `PAYER#<employerId>`. A participant's:
 * its own `PARTICIPANT#<participantId>`, beside its credits (`CREDIT#…`) and employer links
 * (`EMPLOYER#…`), so the dossier reads credits and invoices in one Query.
 */
export const payerIndexPk = (payer: Pick<FeePayer, 'type' | 'id'>) => (payer.type === 'participant' ? participantPk(payer.id) : PAYER(payer.id));

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A stable id from a seed (`inv_` + 26 Crockford characters of its SHA-256): the same employer
 * and month, or the same fee, always give the same invoice id, so every attempt — concurrent or
 * after a crash — works on one document.
 */
export function stableId(prefix: string, seed: string): string {
  const hash = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < 26; i++) out += CROCKFORD[hash[i] & 31];
  return `${prefix}_${out}`;
}

export function formatInvoiceNumber(year: string, n: number): string {
  return `PE-${year}-${String(n).padStart(6, '0')}`;
}

function headerItem(inv: StoredInvoice) {
  const { lines: _lines, ...rest } = inv;
  return {
    ...invoiceKey(inv.invoiceId),
    type: inv.documentType,
    ...rest,
    outboxStatus: 'pending',
    gsi1pk: payerIndexPk(inv.payer),
    gsi1sk: INVOICE(inv.issuedOn, inv.invoiceId),
    gsi3pk: 'OUTBOX',
    gsi3sk: `${inv.createdAt}#${inv.invoiceId}`,
  };
}

function fromHeader(item: Record<string, unknown>, lines: InvoiceLine[]): StoredInvoice {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _a, gsi1sk: _b, gsi3pk: _c, gsi3sk: _d, ...rest } = item;
  return { ...(rest as unknown as StoredInvoice), status: deliveryStatus(item), lines };
}

/** A header as an index Query returns it (without its lines). */
export const headerFromItem = (item: Record<string, unknown>): StoredInvoice => fromHeader(item, []);

/** The Put of a new header, write-once. */
export function invoicePut(inv: StoredInvoice): TxItem {
  return { Put: { TableName: tableName(), Item: headerItem(inv), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** Writes an attempt's line items (before the header that will name them). */
export async function writeLines(invoiceId: string, linesKey: string, lines: InvoiceLine[]): Promise<number> {
  const items = [];
  for (let i = 0, chunk = 0; i < Math.max(lines.length, 1); i += LINES_PER_ITEM, chunk++) {
    items.push({
      pk: INVOICE(invoiceId),
      sk: LINES(linesKey, String(chunk).padStart(4, '0')),
      type: 'invoice-lines',
      lines: lines.slice(i, i + LINES_PER_ITEM),
    });
  }
  // 25 per BatchWriteItem; each chunk is ≤ ~100 KB, well inside the 16 MB request limit.
  await batchPut(items);
  return items.length;
}

/** Header and lines of one document (one Query on its partition), or undefined. */
export async function getInvoice(invoiceId: string): Promise<StoredInvoice | undefined> {
  // Header and lines sort together (`INVOICE`, `LINES#…`); the rendered files (`FILE#…`) before them, unread.
  const items = await queryAll({ pk: INVOICE(invoiceId), skBetween: ['INVOICE', 'LINES$'], consistent: true });
  const header = items.find((i) => i.sk === 'INVOICE');
  if (!header) return undefined;
  const prefix = LINES(String(header.linesKey), '');
  const lines = items
    .filter((i) => String(i.sk).startsWith(prefix))
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
    .flatMap((i) => i.lines as InvoiceLine[]);
  return fromHeader(header, lines);
}

/** The header alone (no lines), consistent. */
export async function getInvoiceHeader(invoiceId: string): Promise<StoredInvoice | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: invoiceKey(invoiceId), ConsistentRead: true }));
  return res.Item ? fromHeader(res.Item, []) : undefined;
}

export async function getRunGuard(month: string, employerId: string, part = 1): Promise<string | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: runGuardKey(month, employerId, part), ConsistentRead: true }));
  return res.Item?.invoiceId as string | undefined;
}

export async function getCreditGuard(invoiceId: string): Promise<string | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: creditGuardKey(invoiceId), ConsistentRead: true }));
  return res.Item?.creditNoteId as string | undefined;
}

export type NumberedWrite = { status: 'written'; invoiceNumber: string } | { status: 'refused'; codes: string[] };

/**
 * Allocates the next number of `year` and writes the document in the same transaction: the
 * counter moves from the value just read to the next one (a condition on its current value), so
 * a number is used exactly when its document is written — no gaps, no duplicates. A lost race on
 * the counter (another document took the number) is retried with a fresh read; any other
 * refused item (a guard: the document exists already) is returned to the caller.
 */
export async function writeNumbered(year: string, build: (invoiceNumber: string) => TxItem[]): Promise<NumberedWrite> {
  return optimistic<NumberedWrite>(async () => {
    const res = await db().send(new GetCommand({ TableName: tableName(), Key: counterKey(year), ConsistentRead: true }));
    const current = Number(res.Item?.n ?? 0);
    const invoiceNumber = formatInvoiceNumber(year, current + 1);
    const counter: TxItem = current
      ? {
          Update: {
            TableName: tableName(),
            Key: counterKey(year),
            UpdateExpression: 'SET n = :next',
            ConditionExpression: 'n = :current',
            ExpressionAttributeValues: { ':next': current + 1, ':current': current },
          },
        }
      : {
          Put: {
            TableName: tableName(),
            Item: { ...counterKey(year), type: 'counter', n: 1 },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        };
    const items = [counter, ...build(invoiceNumber)];
    try {
      await transact(items);
      return { status: 'written', invoiceNumber };
    } catch (err) {
      const codes = cancellationCodes(err);
      const conflict = (err as { name?: string }).name === 'TransactionConflictException';
      if (!codes && !conflict) throw err;
      const others = (codes ?? []).slice(1);
      if (others.some((c) => c === 'ConditionalCheckFailed')) return { status: 'refused', codes: codes! };
      // The counter moved (or a concurrent transaction touched an item): read again and retry.
      return AGAIN;
    }
  }, {
    attempts: 200,
    backoffMs: (attempt) => Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt - 1, 6)),
    exhausted: () => new Error(`Could not allocate an invoice number for ${year} after 200 attempts`),
  });
}

/**
 * Stores a document's rendered files: the chunks under a key unique to this rendering, then the
 * header's `files` naming them, only if no other rendering got there first (the bytes of a losing
 * one are never read). Returns false when another rendering won.
 */
export async function putInvoiceFiles(invoiceId: string, files: Record<InvoiceFileKind, Buffer>, now: Date): Promise<boolean> {
  const key = randomBytes(6).toString('hex');
  const items: Record<string, unknown>[] = [];
  const chunks = { pdf: 0, xml: 0 };
  for (const kind of ['pdf', 'xml'] as const) {
    const bytes = files[kind];
    for (let i = 0; i < Math.max(bytes.length, 1); i += FILE_BYTES_PER_ITEM, chunks[kind]++) {
      items.push({
        pk: INVOICE(invoiceId),
        sk: FILE(key, kind, String(chunks[kind]).padStart(4, '0')),
        type: 'invoice-file',
        bytes: bytes.subarray(i, i + FILE_BYTES_PER_ITEM),
      });
    }
  }
  // Two 300 KB chunks per BatchWriteItem stay under its 16 MB request limit many times over.
  await batchPut(items);
  const stored: InvoiceFiles = { key, pdfChunks: chunks.pdf, xmlChunks: chunks.xml, renderedAt: now.toISOString() };
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: invoiceKey(invoiceId),
        UpdateExpression: 'SET files = :files',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(files)',
        ExpressionAttributeValues: { ':files': stored },
      }),
    );
    return true;
  } catch (err) {
    if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}

/** One rendered file of a document, or undefined while the worker has not rendered it. */
export async function getInvoiceFile(inv: Pick<StoredInvoice, 'invoiceId' | 'files'>, kind: InvoiceFileKind): Promise<Buffer | undefined> {
  if (!inv.files) return undefined;
  const items = await queryAll({ pk: INVOICE(inv.invoiceId), skPrefix: FILE(inv.files.key, kind, ''), consistent: true });
  const parts = items.sort((a, b) => String(a.sk).localeCompare(String(b.sk))).map((i) => Buffer.from(i.bytes as Uint8Array));
  return Buffer.concat(parts);
}

export async function setFeesMarked(invoiceId: string) {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: invoiceKey(invoiceId),
      UpdateExpression: 'SET feesMarked = :true',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':true': true },
    }),
  );
}

/** The outbox item of a document's delivery: its header. */
export const invoiceOutboxKey = invoiceKey;

/** The attributes a completed delivery removes: it leaves the outbox index. */
export const OUTBOX_INDEX_KEYS = ['gsi3pk', 'gsi3sk'];

/** The delivery backlog: documents not yet sent, oldest first (sparse index, small). */
export async function outbox(): Promise<string[]> {
  const items = await queryAll({ index: 'gsi3', pk: 'OUTBOX', attributes: ['invoiceId'] });
  return items.map((i) => i.invoiceId as string);
}

/** A payer's documents, newest first, one page. */
export async function listPayerInvoices(payer: Pick<FeePayer, 'type' | 'id'>, limit: number, cursor?: Record<string, unknown>) {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :inv)',
      ExpressionAttributeValues: { ':pk': payerIndexPk(payer), ':inv': INVOICE() },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  return { items: (res.Items ?? []).map(headerFromItem), lastKey: res.LastEvaluatedKey };
}
