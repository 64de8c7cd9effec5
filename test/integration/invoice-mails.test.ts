/**
 * The invoice-mails job: invoice and credit-note e-mails that did not go out when the document was
 * issued (SES throttled or down) go out within minutes, exactly once, whoever races — instead of
 * waiting for the next monthly run.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import * as runJobRoute from '../../functions/http/run-job';
import * as scheduled from '../../functions/scheduled/invoice-mails';
import { adminKey, attachmentBytes, invoke, sesMessages } from '../setup/helpers';
import { pdfText } from '../setup/pdf-text';
import { getInvoice } from '../../shared/data/invoices';
import { sesClient } from '../../shared/email/send';
import { jobs } from '../../shared/routes';
import { jobNames } from '../../shared/jobs/registry';
import { invoiceParticipantFee } from '../../shared/services/invoicing/individual';
import { runInvoiceMails } from '../../shared/services/invoicing/monthly-run';
import { makeParticipant, setRegistrationTariff, startPaid } from './invoicing.fixtures';

const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
let admin: string;

beforeAll(async () => {
  admin = await adminKey();
  await setRegistrationTariff(admin);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Fails every SES send, like an outage or throttling that outlasts the retries would. */
function sesDown() {
  return vi.spyOn(sesClient(), 'send').mockRejectedValue(Object.assign(new Error('SES down'), { name: 'ServiceUnavailable' }) as never);
}

/** A participant whose own period started while SES was down: the invoice is issued, its e-mail not sent. */
async function invoiceNotMailed(tag: string, startsOn: string) {
  const email = `${tag.toLowerCase()}-${Date.now().toString(36)}@participant.example.nl`;
  const p = await makeParticipant(tag, email);
  const fee = await startPaid(p.participantId, { type: 'participant', id: p.participantId }, startsOn, at(startsOn));
  const down = sesDown();
  const issued = await invoiceParticipantFee(fee.registrationId, undefined, { now: () => at(startsOn) });
  down.mockRestore();
  expect(issued).toMatchObject({ outcome: 'issued', delivery: 'failed' });
  const invoiceId = (issued as { invoiceId: string }).invoiceId;
  expect(await getInvoice(invoiceId)).toMatchObject({ status: 'issued' });
  expect(await sesMessages({ to: email })).toHaveLength(0);
  return { ...p, email, invoiceId };
}

describe('the invoice-mails job', () => {
  it('runs every 5 minutes in Amsterdam time and is known to the job runner', () => {
    expect(jobs.find((j) => j.name === 'invoice-mails')).toMatchObject({ handler: 'scheduled/invoice-mails', schedule: '2/5 * * * ? *', timeZone: 'Europe/Amsterdam' });
    expect(jobNames()).toContain('invoice-mails');
  });

  it('sends an invoice whose e-mail failed at issue, once, however many runs race', async () => {
    const p = await invoiceNotMailed('Uitval', '2031-03-03');
    const runs = await Promise.all([
      runInvoiceMails('2031-03-03'),
      runInvoiceMails('2031-03-03'),
      invoke(runJobRoute, { path: '/v1/jobs/invoice-mails/runs', apiKey: admin, body: {} }).then((r) => r.json),
    ]);
    for (const run of runs) expect(run).toMatchObject({ job: 'invoice-mails', failed: 0, left: 0 });
    expect(runs.reduce((n, r) => n + (r.sent as number), 0)).toBe(1);

    const mails = await sesMessages({ to: p.email });
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toMatch(/^Factuur PE-2031-\d{6}/);
    expect(pdfText(attachmentBytes(mails[0].attachments[0]))).toContain(p.name);
    expect(await getInvoice(p.invoiceId)).toMatchObject({ status: 'sent' });

    // Sent documents leave the outbox: the next run finds nothing.
    expect(await runInvoiceMails('2031-03-03')).toEqual({ job: 'invoice-mails', asOf: '2031-03-03', pending: 0, sent: 0, inFlight: 0, unaddressed: 0, failed: 0, left: 0 });
    expect(await sesMessages({ to: p.email })).toHaveLength(1);
  });

  it('fails the scheduled invocation while nothing can be sent (so Lambda retries and the alarm goes off), and sends once SES is back', async () => {
    const p = await invoiceNotMailed('Storing', '2032-04-04');
    const down = sesDown();
    const event = { job: 'invoice-mails', scheduledTime: '2032-04-04T08:02:00Z' };
    const context = { getRemainingTimeInMillis: () => 300_000 };
    await expect(scheduled.handler(event, context)).rejects.toThrow(/invoice-mails as of 2032-04-04: 1 e-mail\(s\) failed and none was sent/);
    expect(down).toHaveBeenCalledWith(expect.any(SendRawEmailCommand));
    down.mockRestore();
    expect(await getInvoice(p.invoiceId)).toMatchObject({ status: 'issued' });

    expect(await scheduled.handler(event, context)).toMatchObject({ asOf: '2032-04-04', pending: 1, sent: 1, failed: 0 });
    expect(await sesMessages({ to: p.email })).toHaveLength(1);
  });

  it('leaves what it did not reach before its deadline in the outbox for the next run', async () => {
    const p = await invoiceNotMailed('Laat', '2033-05-05');
    expect(await runInvoiceMails('2033-05-05', { stopAt: Date.now() - 1 })).toMatchObject({ pending: 1, sent: 0, left: 1 });
    expect(await sesMessages({ to: p.email })).toHaveLength(0);
    expect(await runInvoiceMails('2033-05-05')).toMatchObject({ pending: 1, sent: 1, left: 0 });
    expect(await sesMessages({ to: p.email })).toHaveLength(1);
  });
});
