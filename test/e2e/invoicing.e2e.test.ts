/**
 * Invoicing over real HTTP against `npm start`: a tariff, an employer's collective registration
 * and a participant's own activation create fees; the participant gets an invoice e-mail at once;
 * `POST /v1/jobs/monthly-invoices/runs` invoices the employer, whose e-mail (read from the SES
 * emulator's store) carries the PDF and the UBL; the invoice answers as JSON, PDF and XML.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand, UpdateCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mailsTo, holdLock, sharedStack, waitForMails, type Stack } from './helpers';
import { localDynamoClient } from '../../infra/local/dynamo';
import { DEFAULT_TABLE_NAME } from '../../infra/local/env';
import { pdfText } from '../setup/pdf-text';
import { addMonths } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { centsToDecimal, formatEuro } from '../../shared/domain/invoice-math';

const run = Date.now().toString(36).toUpperCase();


describe('invoicing over HTTP', () => {
  let stack: Stack;
  let release: (() => void) | undefined;
  let employer: { employerId: string; apiKey: string };
  const invoiceEmail = `facturen.${run.toLowerCase()}@employer.example.nl`;
  const selfEmail = `zelf.${run.toLowerCase()}@participant.example.nl`;

  const api = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${stack.baseUrl}${path}`, {
      ...init,
      headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.headers as Record<string, string>) },
    });
  const send = (method: string, body: unknown) => ({ method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  beforeAll(async () => {
    stack = sharedStack();
    // Counts what its job run does to the whole table: no other file may add to it meanwhile.
    release = await holdLock(stack, 'activation-mails');
    const tariff = await api('/v1/tariffs/registration', { key: stack.adminKey, ...send('PUT', { amountCents: 4995, vatRatePercent: 21, validFrom: '2020-01-01' }) });
    expect(tariff.status).toBe(200);
    const admitted = await api('/v1/employers', {
      key: stack.adminKey,
      ...send('POST', { name: 'Uitzendbureau Factuur BV', kvkNumber: '87654321', vatNumber: 'NL123456789B01', invoiceEmail, address: { street: 'Coolsingel 40', postalCode: '3011 AD', city: 'Rotterdam', country: 'NL' } }),
    });
    expect(admitted.status).toBe(201);
    employer = (await admitted.json()) as typeof employer;
    const diplomas = Array.from({ length: 11 }, (_, i) => ({
      diplomaNumber: `INV${run}${i}`,
      type: 'uitzendprofessional',
      issuedOn: '2021-04-01',
      holder: { initials: 'K.', lastName: `Factuur${i}`, birthDate: '1987-07-07', ...(i === 10 ? { email: selfEmail } : {}) },
    }));
    expect((await api('/v1/diplomas', { key: stack.adminKey, ...send('POST', { diplomas }) })).status).toBe(200);
    // Ten employees registered by the employer: ten employer-billed fees.
    const reg = await api(`/v1/employers/${employer.employerId}/collective-registrations`, {
      key: employer.apiKey,
      ...send('POST', { employees: diplomas.slice(0, 10).map((d, i) => ({ diplomaNumber: d.diplomaNumber, birthDate: '1987-07-07', email: `medewerker.${run.toLowerCase()}.${i}@example.nl` })) }),
    });
    expect(reg.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    release?.();
    await stack?.stop();
  });

  /** Re-dates an employer's fees of `month` into `to` in the stack's DynamoDB Local (billing month and its index key). */
  async function billLastMonth(employerId: string, month: string, to: string) {
    const db = DynamoDBDocumentClient.from(localDynamoClient(`http://127.0.0.1:${stack.ports.dynamo}`));
    try {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: DEFAULT_TABLE_NAME,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :payer)',
          ExpressionAttributeValues: { ':pk': `FEES#${month}`, ':payer': `employer#${employerId}#` },
        }),
      );
      expect(Items).toHaveLength(10);
      for (const fee of Items) {
        await db.send(
          new UpdateCommand({
            TableName: DEFAULT_TABLE_NAME,
            Key: { pk: fee.pk, sk: fee.sk },
            UpdateExpression: 'SET gsi2pk = :pk, billingMonth = :m, billedOn = :on',
            ExpressionAttributeValues: { ':pk': `FEES#${to}`, ':m': to, ':on': `${to}-28` },
          }),
        );
      }
    } finally {
      db.destroy();
    }
  }

  it("e-mails a participant's own invoice when their period starts", async () => {
    expect((await api('/v1/activations', send('POST', { diplomaNumber: `INV${run}10`, birthDate: '1987-07-07', email: selfEmail }))).status).toBe(202);
    const token = /token=([A-Za-z0-9_-]+)/.exec((await waitForMails(stack, selfEmail))[0].body.text!)![1];
    const session = await api('/v1/sessions', send('POST', { token }));
    expect(session.status).toBe(201);
    const invoiceMails = (await mailsTo(stack, selfEmail)).filter((m) => /^Factuur PE-/.test(m.subject));
    expect(invoiceMails).toHaveLength(1);
    expect(invoiceMails[0].attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
    expect(pdfText(Buffer.from(invoiceMails[0].attachments[0].content, 'base64'))).toContain(formatEuro(6044));
  });

  it('runs the monthly job over HTTP: one invoice for the employer, mailed with PDF and UBL, readable as JSON, PDF and XML', async () => {
    // A run may not be dated ahead, and it bills the month before its date: move the employer's
    // fees (started today) into last month, as if the registration had been made then.
    const asOf = todayInAmsterdam();
    const lastMonth = addMonths(`${asOf.slice(0, 7)}-01`, -1).slice(0, 7);
    await billLastMonth(employer.employerId, asOf.slice(0, 7), lastMonth);
    // The employer sets its purchase order number itself (PATCH through the local gateway).
    const patched = await api(`/v1/employers/${employer.employerId}`, { key: employer.apiKey, ...send('PATCH', { buyerReference: 'PO-E2E-0042', contactEmail: `hr.${run.toLowerCase()}@employer.example.nl` }) });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ buyerReference: 'PO-E2E-0042', invoicing: { reference: 'PO-E2E-0042', peppolId: { scheme: '0106', value: '87654321' } } });
    const runRes = await api('/v1/jobs/monthly-invoices/runs', { key: stack.adminKey, ...send('POST', { asOf }) });
    expect(runRes.status).toBe(200);
    expect(await runRes.json()).toMatchObject({ job: 'monthly-invoices', asOf, invoices: 1, failed: 0 });

    const mails = await mailsTo(stack, invoiceEmail);
    expect(mails).toHaveLength(1);
    const types = mails[0].attachments.map((a) => a.contentType).sort();
    expect(types).toEqual(['application/pdf', 'application/xml']);

    const list = await api(`/v1/employers/${employer.employerId}/invoices`, { key: employer.apiKey });
    expect(list.status).toBe(200);
    const { items } = (await list.json()) as { items: { invoiceId: string; invoiceNumber: string; totalCents: number }[] };
    expect(items).toHaveLength(1);
    const { invoiceId } = items[0];

    const json = (await (await api(`/v1/invoices/${invoiceId}`, { key: employer.apiKey })).json()) as { invoiceNumber: string; lines: unknown[]; netCents: number; vatCents: number; totalCents: number };
    expect(json.lines).toHaveLength(10);
    expect(json).toMatchObject({ netCents: 49950, vatCents: 10490, totalCents: 60440 });

    const pdf = await api(`/v1/invoices/${invoiceId}`, { key: employer.apiKey, headers: { accept: 'application/pdf' } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const pdfBytes = Buffer.from(await pdf.arrayBuffer());
    expect(pdfText(pdfBytes)).toContain(formatEuro(60440));
    const mailedPdf = Buffer.from(mails[0].attachments.find((a) => a.contentType === 'application/pdf')!.content, 'base64');
    expect(pdfText(mailedPdf)).toContain(json.invoiceNumber);

    const xml = await api(`/v1/invoices/${invoiceId}`, { key: employer.apiKey, headers: { accept: 'application/xml' } });
    expect(xml.headers.get('content-type')).toMatch(/^application\/xml/);
    const xmlText = await xml.text();
    expect(xmlText).toContain(`<cbc:ID>${json.invoiceNumber}</cbc:ID>`);
    expect(xmlText).toContain('<cbc:BuyerReference>PO-E2E-0042</cbc:BuyerReference>');
    expect(xmlText).not.toContain(employer.employerId);
    expect(pdfText(pdfBytes)).toContain('PO-E2E-0042');
    expect(xmlText).toContain(`<cbc:PayableAmount currencyID="EUR">${centsToDecimal(60440)}</cbc:PayableAmount>`);

    // Exactly once over HTTP too: running the month again sends nothing.
    const again = await api('/v1/jobs/monthly-invoices/runs', { key: stack.adminKey, ...send('POST', { asOf }) });
    expect(await again.json()).toMatchObject({ invoices: 0, sent: 0 });
    expect(await mailsTo(stack, invoiceEmail)).toHaveLength(1);
  });

  it('answers 404 to another employer and 401 without a key', async () => {
    const { items } = (await (await api(`/v1/employers/${employer.employerId}/invoices`, { key: stack.adminKey })).json()) as { items: { invoiceId: string }[] };
    const other = await api('/v1/employers', {
      key: stack.adminKey,
      ...send('POST', { name: 'Ander BV', kvkNumber: '11223344', invoiceEmail: 'ander@example.nl', address: { street: 'Plein 1', postalCode: '2511 CR', city: 'Den Haag', country: 'NL' } }),
    });
    const otherKey = ((await other.json()) as { apiKey: string }).apiKey;
    expect((await api(`/v1/invoices/${items[0].invoiceId}`, { key: otherKey })).status).toBe(404);
    expect((await api(`/v1/invoices/${items[0].invoiceId}`)).status).toBe(401);
  });
});
