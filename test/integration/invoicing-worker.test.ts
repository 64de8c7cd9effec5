/**
 * Issue 17 point 4: issuing writes the document and hands its rendering and delivery to the
 * invoicing worker; the worker renders once, stores the PDF and UBL with the document and mails
 * them; the API answers the stored bytes. In the cloud the hand-over is an SQS message (mocked
 * here: SQS cannot run locally); the worker is the real handler, fed that message.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import * as getInvoiceRoute from '../../functions/http/get-invoice';
import * as createCreditNote from '../../functions/http/create-credit-note';
import * as queueWorker from '../../functions/queue/invoice-employer';
import { adminKey, attachmentBytes, invoke, sesMessages } from '../setup/helpers';
import { getInvoiceHeader } from '../../shared/data/invoices';
import { invoiceParticipantFee } from '../../shared/services/invoicing/individual';
import { makeParticipant, setRegistrationTariff, startPaid } from './invoicing.fixtures';

const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/invoicing';
let admin: string;

beforeAll(async () => {
  admin = await adminKey();
  await setRegistrationTariff(admin);
});

afterEach(() => {
  delete process.env.INVOICE_QUEUE_URL;
});

/** Cloud mode: the queue is there (mocked); returns the message bodies sent to it. */
function cloudQueue() {
  process.env.INVOICE_QUEUE_URL = QUEUE;
  const sqs = mockClient(SQSClient);
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  return {
    bodies: () => sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => (c.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody!) as Record<string, string>)),
    urls: () => sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.QueueUrl),
    restore: () => sqs.restore(),
  };
}

const work = (bodies: Record<string, string>[]) =>
  queueWorker.handler({ Records: bodies.map((b, i) => ({ messageId: `m${i}`, body: JSON.stringify(b) })) } as unknown as SQSEvent);

describe('rendering and delivery in the invoicing worker', () => {
  it('a period start issues the invoice and queues it; the worker renders it once, stores it, mails it; the API serves the stored bytes', async () => {
    const email = `render-${Date.now().toString(36)}@participant.example.nl`;
    const p = await makeParticipant('Wachtrij', email);
    const fee = await startPaid(p.participantId, { type: 'participant', id: p.participantId }, '2051-04-04', at('2051-04-04'));

    const queue = cloudQueue();
    const issued = await invoiceParticipantFee(fee.registrationId, undefined, { now: () => at('2051-04-04') });
    queue.restore();
    expect(issued).toMatchObject({ outcome: 'issued', delivery: 'queued' });
    const invoiceId = (issued as { invoiceId: string }).invoiceId;
    // Issued and queued, nothing rendered or sent by the issuing function.
    expect(queue.urls()).toEqual([QUEUE]);
    expect(queue.bodies()).toEqual([{ invoiceId }]);
    expect(await getInvoiceHeader(invoiceId)).toMatchObject({ status: 'issued', outboxStatus: 'pending' });
    expect((await getInvoiceHeader(invoiceId))!.files).toBeUndefined();
    expect(await sesMessages({ to: email })).toHaveLength(0);

    // The worker's run of that message: the event the rest waits for.
    expect((await work(queue.bodies())).batchItemFailures).toEqual([]);
    const header = (await getInvoiceHeader(invoiceId))!;
    expect(header).toMatchObject({ status: 'sent', outboxStatus: 'sent', files: { pdfChunks: 1, xmlChunks: 1 } });
    const mails = await sesMessages({ to: email });
    expect(mails).toHaveLength(1);
    const mailed = attachmentBytes(mails[0].attachments[0]);

    const pdf = await invoke(getInvoiceRoute, { path: `/v1/invoices/${invoiceId}`, apiKey: admin, headers: { accept: 'application/pdf' } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawBody.equals(mailed)).toBe(true);
    const xml = await invoke(getInvoiceRoute, { path: `/v1/invoices/${invoiceId}`, apiKey: admin, headers: { accept: 'application/xml' } });
    expect(xml.body).toContain('<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>');

    // Redelivery (SQS is at-least-once): no second rendering, no second mail.
    expect((await work(queue.bodies())).batchItemFailures).toEqual([]);
    expect((await getInvoiceHeader(invoiceId))!.files).toEqual(header.files);
    expect(await sesMessages({ to: email })).toHaveLength(1);
  });

  it('a credit note is answered as issued and queued; the worker renders and mails it', async () => {
    const email = `credit-${Date.now().toString(36)}@participant.example.nl`;
    const p = await makeParticipant('Creditwachtrij', email);
    const fee = await startPaid(p.participantId, { type: 'participant', id: p.participantId }, '2052-05-05', at('2052-05-05'));
    const issued = await invoiceParticipantFee(fee.registrationId, undefined, { now: () => at('2052-05-05') });
    // Locally (no queue) the worker's own code ran in-process: rendered and sent already.
    expect(issued).toMatchObject({ outcome: 'issued', delivery: 'sent' });
    const invoiceId = (issued as { invoiceId: string }).invoiceId;

    const queue = cloudQueue();
    const res = await invoke(createCreditNote, { path: `/v1/invoices/${invoiceId}/credit-notes`, apiKey: admin, body: { reason: 'Dubbel' } });
    queue.restore();
    expect(res.statusCode).toBe(201);
    expect(res.json).toMatchObject({ documentType: 'credit-note', status: 'issued' });
    expect(queue.bodies()).toEqual([{ invoiceId: res.json.invoiceId }]);
    expect(await sesMessages({ to: email, subject: /^Creditnota/ })).toHaveLength(0);

    expect((await work(queue.bodies())).batchItemFailures).toEqual([]);
    expect(await sesMessages({ to: email, subject: /^Creditnota/ })).toHaveLength(1);
    expect(await getInvoiceHeader(res.json.invoiceId as string)).toMatchObject({ status: 'sent' });
  });
});
