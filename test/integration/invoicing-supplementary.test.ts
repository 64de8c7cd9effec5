/**
 * No fee is left unbilled: fees of a month that are still open after its invoice — priced only
 * later (no tariff at the time), or started after an early run — go on a supplementary invoice
 * when the month is run again; fees already invoiced are never billed twice.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as putTariff from '../../functions/http/put-tariff';
import * as scheduledMonthly from '../../functions/scheduled/monthly-invoices';
import * as getInvoiceRoute from '../../functions/http/get-invoice';
import { adminKey, attachmentBytes, invoke, sesMessages } from '../setup/helpers';
import { pdfText, pdfTextLines } from '../setup/pdf-text';
import { nlDate } from '../../shared/invoices/pdf';
import { getFee } from '../../shared/data/fees';
import { getInvoice, listPayerInvoices } from '../../shared/data/invoices';
import { runMonthlyInvoices } from '../../shared/services/invoicing/monthly-run';
import { employerWithFees, makeParticipant, startPaid } from './invoicing.fixtures';

const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
const clockAt = (iso: string) => ({ now: () => at(iso) });
let admin: string;

async function tariff(validFrom: string, amountCents: number) {
  const res = await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: admin, body: { amountCents, vatRatePercent: 21, validFrom } });
  expect(res.statusCode).toBe(200);
}

async function invoicesOf(employerId: string) {
  const page = await listPayerInvoices({ type: 'employer', id: employerId }, 10);
  return Promise.all(page.items.reverse().map(async (i) => (await getInvoice(i.invoiceId))!));
}

beforeAll(async () => {
  admin = await adminKey();
  await tariff('2020-01-01', 4995);
});

describe('supplementary invoices', () => {
  it('bills a fee that had no tariff at invoicing once one is set, on a supplementary invoice numbered next; the scheduled run alarms until then', async () => {
    const employer = await employerWithFees('Aanvulling', 2, '2031-05-05', at('2031-05-05'));
    // A period that started before any tariff existed: its fee cannot be priced yet.
    const old = await makeParticipant('Vroeg');
    const unpriced = await startPaid(old.participantId, { type: 'employer', id: employer.employerId }, '2019-09-01', at('2031-05-06'));

    expect(await runMonthlyInvoices('2031-06-01', clockAt('2031-06-01'))).toMatchObject({ invoices: 1, untariffedFees: 1 });
    const [first] = await invoicesOf(employer.employerId);
    expect(first.lines.map((l) => l.registrationId).sort()).toEqual(employer.fees.map((f) => f.registrationId).sort());
    expect((await getFee(unpriced.registrationId))!.status).toBe('open');

    // Still no tariff: the scheduled run issues nothing and fails, so the dead-letter alarm goes off.
    const event = { job: 'monthly-invoices', scheduledTime: '2031-06-01T04:00:00Z' };
    const context = { getRemainingTimeInMillis: () => 900_000 };
    await expect(scheduledMonthly.handler(event, context)).rejects.toThrow(/1 fee\(s\) have no tariff valid on their start date/);
    expect(await invoicesOf(employer.employerId)).toHaveLength(1);

    await tariff('2019-01-01', 3995);
    const [r1, r2] = await Promise.all([runMonthlyInvoices('2031-06-02', clockAt('2031-06-02')), runMonthlyInvoices('2031-06-02', clockAt('2031-06-02'))]);
    expect(r1.invoices + r2.invoices).toBe(1);
    expect([r1.untariffedFees, r2.untariffedFees]).toEqual([0, 0]);

    const invoices = await invoicesOf(employer.employerId);
    expect(invoices).toHaveLength(2);
    const [, supplement] = invoices;
    expect(supplement.lines).toMatchObject([{ registrationId: unpriced.registrationId, netCents: 3995 }]);
    expect(supplement.period).toEqual(first.period);
    // Numbered right after the first in the same year, no gap.
    const seq = (n: string) => Number(n.slice(-6));
    expect(seq(supplement.invoiceNumber)).toBe(seq(first.invoiceNumber) + 1);
    expect((await getFee(unpriced.registrationId))!).toMatchObject({ status: 'invoiced', invoiceId: supplement.invoiceId, amountCents: 3995 });
    // It says what it is and names the month's first invoice: in the PDF, the UBL (BG-3) and the e-mail.
    expect(supplement.supplements).toEqual({ invoiceId: first.invoiceId, invoiceNumber: first.invoiceNumber, issuedOn: first.issuedOn });
    expect(first.supplements).toBeUndefined();
    const [firstMail] = await sesMessages({ to: employer.email, subject: /^Factuur / });
    const [supplementMail] = await sesMessages({ to: employer.email, subject: /^Aanvullende factuur / });
    expect(firstMail.subject).toContain(first.invoiceNumber);
    expect(supplementMail.subject).toBe(`Aanvullende factuur ${supplement.invoiceNumber} — PE-register`);
    expect(supplementMail.body.text).toContain(`aanvulling op factuur ${first.invoiceNumber}`);
    const attachment = (mail: typeof firstMail, type: string) => attachmentBytes(mail.attachments.find((a) => a.contentType === type)!);
    const supplementPdf = pdfTextLines(attachment(supplementMail, 'application/pdf'));
    expect(supplementPdf[0]).toBe('Aanvullende factuur');
    // (A value may wrap within its box: compare without the line breaks.)
    const squeeze = (t: string) => t.replace(/\s+/g, '');
    expect(squeeze(supplementPdf.join(''))).toContain(squeeze(`Aanvulling op factuur: ${first.invoiceNumber} van ${nlDate(first.issuedOn)}`));
    expect(pdfTextLines(attachment(firstMail, 'application/pdf'))[0]).toBe('Factuur');
    expect(pdfText(attachment(firstMail, 'application/pdf'))).not.toContain('Aanvulling op factuur');
    const xml = attachment(supplementMail, 'application/xml').toString('utf8');
    expect(xml).toContain('<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>');
    expect(xml).toContain(`<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>${first.invoiceNumber}</cbc:ID><cbc:IssueDate>${first.issuedOn}</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>`);
    expect(attachment(firstMail, 'application/xml').toString('utf8')).not.toContain('<cac:BillingReference>');
    const json = await invoke(getInvoiceRoute, { path: `/v1/invoices/${supplement.invoiceId}`, apiKey: admin });
    expect(json.json.supplements).toEqual(supplement.supplements);

    // The month is complete now: another run issues and sends nothing, and the scheduled run succeeds.
    expect(await scheduledMonthly.handler(event, context)).toMatchObject({ invoices: 0, untariffedFees: 0, sent: 0 });
    expect(await invoicesOf(employer.employerId)).toHaveLength(2);
    expect(await sesMessages({ to: employer.email, subject: /factuur/i })).toHaveLength(2);
  });

  it('an early run (asOf before the month ended) does not strand the fees started after it', async () => {
    const employer = await employerWithFees('Vroegrun', 1, '2032-03-03', at('2032-03-03'));
    expect(await runMonthlyInvoices('2032-04-01', clockAt('2032-03-10'))).toMatchObject({ invoices: 1 });
    const late = await makeParticipant('Laat');
    const lateFee = await startPaid(late.participantId, { type: 'employer', id: employer.employerId }, '2032-03-25', at('2032-03-25'));

    expect(await runMonthlyInvoices('2032-04-01', clockAt('2032-04-01'))).toMatchObject({ invoices: 1, untariffedFees: 0 });
    const [first, supplement] = await invoicesOf(employer.employerId);
    expect(first.lines.map((l) => l.registrationId)).toEqual([employer.fees[0].registrationId]);
    expect(supplement.lines.map((l) => l.registrationId)).toEqual([lateFee.registrationId]);
    expect(supplement.supplements).toMatchObject({ invoiceId: first.invoiceId, invoiceNumber: first.invoiceNumber });
    expect(await runMonthlyInvoices('2032-04-01', clockAt('2032-04-01'))).toMatchObject({ invoices: 0, sent: 0 });
  });
});
