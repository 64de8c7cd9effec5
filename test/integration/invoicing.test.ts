import { beforeAll, describe, expect, it, vi, afterEach, onTestFinished } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as putTariff from '../../functions/http/put-tariff';
import * as listTariffs from '../../functions/http/list-tariffs';
import * as listFees from '../../functions/http/list-fees';
import * as getInvoiceRoute from '../../functions/http/get-invoice';
import * as listEmployerInvoices from '../../functions/http/list-employer-invoices';
import * as listParticipantInvoices from '../../functions/http/list-participant-invoices';
import * as createCreditNote from '../../functions/http/create-credit-note';
import * as runJobRoute from '../../functions/http/run-job';
import * as importDiplomas from '../../functions/http/import-diplomas';
import * as requestActivation from '../../functions/http/request-activation';
import * as createSession from '../../functions/http/create-session';
import * as createRenewal from '../../functions/http/create-renewal';
import { listEvents } from '../../shared/data/audit';
import { adminKey, attachmentBytes, invoke, sesMessages, waitForMessages } from '../setup/helpers';
import { pdfText } from '../setup/pdf-text';
import { nlDate } from '../../shared/invoices/pdf';
import { db, tableName } from '../../shared/data/client';
import { getFee, payerMonthFees } from '../../shared/data/fees';
import { getInvoice, listPayerInvoices } from '../../shared/data/invoices';
import { getDiploma, listRegistrations } from '../../shared/data/participants';
import { sesClient } from '../../shared/email/send';
import { formatEuro, centsToDecimal, vatOn } from '../../shared/domain/invoice-math';
import { invoiceParticipantFee } from '../../shared/services/invoicing/individual';
import { runInvoiceMails, runMonthlyInvoices } from '../../shared/services/invoicing/monthly-run';
import { deliver } from '../../shared/services/invoicing/deliver';
import { todayInAmsterdam } from '../../shared/dates';
import { addDays, dutchDate } from '../../shared/domain/dates';
import * as scheduledMonthly from '../../functions/scheduled/monthly-invoices';
import * as queueWorker from '../../functions/queue/invoice-employer';
import * as updateEmployer from '../../functions/http/update-employer';
import { getEmployer } from '../../shared/data/organisations';
import type { SQSEvent } from 'aws-lambda';
import { employerWithFees, makeEmployer, makeParticipant, startPaid } from './invoicing.fixtures';
import { holders, participantKey, register, rowsOf } from './employers.fixtures';
import { addMonths } from '../../shared/domain/dates';

/**
 * Tariffs of this file's table: 49,95 at 21 % from 2020; 60,00 at 9 % from 2030 (so invoices
 * can mix rates by the periods' start dates); nothing before 2020 (untariffed fees).
 * Each test bills its own month (the fixtures' clock) and issues in its own year, so numbers
 * and mails never mix between tests.
 */
const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
const clockAt = (iso: string) => ({ now: () => at(iso) });
let admin: string;

beforeAll(async () => {
  admin = await adminKey();
  for (const body of [
    { amountCents: 4995, vatRatePercent: 21, validFrom: '2020-01-01' },
    { amountCents: 6000, vatRatePercent: 9, validFrom: '2030-01-01' },
  ]) {
    const res = await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: admin, body });
    expect(res.statusCode).toBe(200);
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

function xmlValue(xml: string, tag: string): string {
  return new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`).exec(xml)![1];
}

describe('tariffs', () => {
  it('keeps the history, replaces a version with the same date, and answers the one valid today', async () => {
    const first = await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: admin, body: { amountCents: 7000, vatRatePercent: 21, validFrom: '2040-01-01' } });
    expect(first.json).toMatchObject({ amountCents: 7000, validFrom: '2040-01-01', replaced: false });
    const again = await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: admin, body: { amountCents: 7100, vatRatePercent: 21, validFrom: '2040-01-01' } });
    expect(again.json).toMatchObject({ amountCents: 7100, replaced: true });

    const list = await invoke(listTariffs, { path: '/v1/tariffs/registration', apiKey: admin });
    expect(list.statusCode).toBe(200);
    expect(list.json.items.map((t: { validFrom: string; amountCents: number }) => [t.validFrom, t.amountCents])).toEqual([
      ['2020-01-01', 4995],
      ['2030-01-01', 6000],
      ['2040-01-01', 7100],
    ]);
    expect(list.json.current).toMatchObject({ validFrom: '2020-01-01', amountCents: 4995 });
  });

  it('refuses a bad body with every field named, and any caller but the admin', async () => {
    const bad = await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: admin, body: { amountCents: 10.5, vatRatePercent: 21.123, validFrom: '2026-02-30', extra: 1 } });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json.errors.map((e: { path: string }) => e.path).join(' ');
    for (const field of ['amountCents', 'vatRatePercent', 'validFrom']) expect(paths).toContain(field);
    const employer = await makeEmployer('tariff');
    const forbidden = await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: employer.apiKey, body: { amountCents: 1, vatRatePercent: 21, validFrom: '2026-01-01' } });
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('fees', () => {
  it('every paid start has a fee priced by the tariff valid on its startsOn, indexed by month and payer', async () => {
    const employer = await makeEmployer('fees');
    const p1 = await makeParticipant('Bakker');
    const p2 = await makeParticipant('Smit');
    const now = at('2027-03-10');
    const f1 = await startPaid(p1.participantId, { type: 'employer', id: employer.employerId }, '2027-03-10', now);
    const f2 = await startPaid(p2.participantId, { type: 'employer', id: employer.employerId }, '2030-02-01', now, 'renewal');
    expect(f1).toMatchObject({ amountCents: 4995, vatRatePercent: 21, tariffValidFrom: '2020-01-01', untariffed: false, billingMonth: '2027-03', status: 'open' });
    expect(f2).toMatchObject({ amountCents: 6000, vatRatePercent: 9, tariffValidFrom: '2030-01-01', kind: 'renewal' });
    const month = await payerMonthFees('2027-03', { type: 'employer', id: employer.employerId });
    expect(month.map((f) => f.registrationId).sort()).toEqual([f1.registrationId, f2.registrationId].sort());

    const listed = await invoke(listFees, { path: '/v1/fees', query: { month: '2027-03' }, apiKey: admin });
    expect(listed.statusCode).toBe(200);
    expect(listed.json.items.map((f: { registrationId: string }) => f.registrationId)).toEqual(expect.arrayContaining([f1.registrationId, f2.registrationId]));
  });

  it('the automatic first period of a post-2023 diploma carries no fee', async () => {
    const row = {
      diplomaNumber: `DAUTO${Date.now().toString(36).toUpperCase()}`,
      type: 'uitzendprofessional',
      issuedOn: addDays(todayInAmsterdam(), -10),
      holder: { initials: 'C.', lastName: 'Auto', birthDate: '1990-01-01' },
    };
    const res = await invoke(importDiplomas, { path: '/v1/diplomas', apiKey: admin, body: { diplomas: [row] } });
    expect(res.json.registrationsCreated).toBe(1);
    const pid = (await getDiploma(row.diplomaNumber))!.participantId as string;
    const [reg] = await listRegistrations(pid);
    expect(reg.kind).toBe('initial');
    expect(await getFee(reg.registrationId)).toBeUndefined();
  });

  it('without a tariff the period still starts; the fee is untariffed and left out of the invoice', async () => {
    const employer = await makeEmployer('untariffed');
    const p = await makeParticipant('Oud');
    const fee = await startPaid(p.participantId, { type: 'employer', id: employer.employerId }, '2019-06-01', at('2027-05-20'));
    expect(fee).toMatchObject({ untariffed: true, status: 'open' });
    expect(fee.amountCents).toBeUndefined();
    expect((await listRegistrations(p.participantId))[0].startsOn).toBe('2019-06-01');

    const summary = await runMonthlyInvoices('2027-06-01', clockAt('2027-06-01'));
    expect(summary).toMatchObject({ month: '2027-05', invoices: 0, untariffedFees: 1 });
    expect(await sesMessages({ to: employer.email })).toHaveLength(0);
    expect((await getFee(fee.registrationId))!.status).toBe('open');
  });
});

describe('the individual invoice', () => {
  it('is issued when a participant starts their own period, e-mailed once with its PDF, and readable by them only', async () => {
    const email = `self-${Date.now()}@participant.example.nl`;
    const row = {
      diplomaNumber: `DOLD${Date.now().toString(36).toUpperCase()}`,
      type: 'backofficeprofessional',
      issuedOn: '2021-03-01',
      holder: { initials: 'E.', lastName: 'Eigen', birthDate: '1980-02-02', email },
    };
    await invoke(importDiplomas, { path: '/v1/diplomas', apiKey: admin, body: { diplomas: [row] } });
    await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: row.diplomaNumber, birthDate: '1980-02-02', email } });
    const token = /token=([A-Za-z0-9_-]+)/.exec((await waitForMessages({ to: email }))[0].body.text!)![1];
    const session = await invoke(createSession, { path: '/v1/sessions', body: { token } });
    expect(session.statusCode).toBe(201);

    const mails = await sesMessages({ to: email, subject: /^Factuur PE-\d{4}-\d{6}/ });
    expect(mails).toHaveLength(1);
    expect(mails[0].attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
    const pdf = pdfText(attachmentBytes(mails[0].attachments[0]));
    expect(pdf).toContain('E. Eigen');
    expect(pdf).toContain(formatEuro(4995 + vatOn(4995, 21)));

    const { participantId, apiKey } = session.json;
    const [reg] = await listRegistrations(participantId);
    const fee = (await getFee(reg.registrationId))!;
    expect(fee).toMatchObject({ status: 'invoiced', payer: { type: 'participant', id: participantId } });
    // The period as a reader takes a range: up to and including its last valid day.
    expect(pdf).toContain(`${nlDate(reg.startsOn)} t/m ${nlDate(addDays(reg.endsOn, -1))}`);
    expect(pdf).not.toContain(nlDate(reg.endsOn));

    // Exactly once: asking again (a retry, the monthly sweep) sends nothing new.
    const again = await invoiceParticipantFee(reg.registrationId);
    expect(again.outcome).toBe('exists');
    expect(await sesMessages({ to: email, subject: /^Factuur/ })).toHaveLength(1);

    const own = await invoke(getInvoiceRoute, { path: `/v1/invoices/${fee.invoiceId}`, apiKey });
    expect(own.statusCode).toBe(200);
    expect(own.json).toMatchObject({ kind: 'individual', netCents: 4995, vatCents: 1049, totalCents: 6044, lines: [{ kind: 'new', netCents: 4995 }] });
    const other = await makeEmployer('nosy');
    expect((await invoke(getInvoiceRoute, { path: `/v1/invoices/${fee.invoiceId}`, apiKey: other.apiKey })).statusCode).toBe(404);

    // The invoice is an event of its own subject and of the participant's trail.
    const invoiceEvents = (await listEvents(`INVOICE#${fee.invoiceId}`, 10)).items;
    expect(invoiceEvents.map((e) => e.action)).toEqual(['invoice.issued']);
    expect(invoiceEvents[0].after).toMatchObject({ invoiceNumber: own.json.invoiceNumber, totalCents: 6044 });
    const trail = (await listEvents(`PARTICIPANT#${participantId}`, 50)).items.map((e) => e.action);
    expect(trail).toEqual(expect.arrayContaining(['registration.new', 'invoice.issued']));

    // Their own renewal (12 points) is invoiced the same way: a second one-line invoice, kind renewal.
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: `PARTICIPANT#${participantId}`, sk: `REG#${reg.startsOn}` },
        UpdateExpression: 'SET points = :p',
        ExpressionAttributeValues: { ':p': 12 },
      }),
    );
    const renewal = await invoke(createRenewal, { method: 'POST', path: `/v1/participants/${participantId}/renewals`, apiKey });
    expect(renewal.statusCode).toBe(201);
    const renewalFee = (await getFee(renewal.json.registrationId))!;
    expect(renewalFee).toMatchObject({ kind: 'renewal', status: 'invoiced', payer: { type: 'participant' } });
    const renewalInvoice = (await getInvoice(renewalFee.invoiceId!))!;
    expect(renewalInvoice.lines).toMatchObject([{ kind: 'renewal', startsOn: reg.endsOn }]);
    expect(await sesMessages({ to: email, subject: /^Factuur/ })).toHaveLength(2);
    // It was bought today, but what it delivers is the new period: from the old end through its last valid day.
    const covers = `${nlDate(reg.endsOn)} t/m ${nlDate(addDays(renewal.json.endsOn, -1))}`;
    const [renewalMail] = await sesMessages({ to: email, subject: new RegExp(`^Factuur ${renewalInvoice.invoiceNumber}`) });
    const renewalPdf = pdfText(attachmentBytes(renewalMail.attachments[0])).replace(/\s+/g, '');
    expect(renewalPdf).toContain(`Leveringsperiode:${covers}`.replace(/\s+/g, ''));
    expect(renewalPdf).toContain(`verlenging${covers}`.replace(/\s+/g, ''));
    expect(renewalMail.body.text).toContain(`je PE-registratie van ${dutchDate(reg.endsOn)} t/m ${dutchDate(addDays(renewal.json.endsOn, -1))}`);
    const renewalXml = await invoke(getInvoiceRoute, { path: `/v1/invoices/${renewalInvoice.invoiceId}`, apiKey, headers: { accept: 'application/xml' } });
    const lineXml = renewalXml.body.slice(renewalXml.body.indexOf('<cac:InvoiceLine>'));
    for (const xml of [renewalXml.body, lineXml]) {
      expect(xmlValue(xml, 'cbc:StartDate')).toBe(reg.endsOn);
      expect(xmlValue(xml, 'cbc:EndDate')).toBe(addDays(renewal.json.endsOn, -1));
    }
  });
});

describe("a participant's invoice list", () => {
  it('lists the invoices of the periods it paid itself, newest first and paged; only to it and the admin', async () => {
    const p = await makeParticipant('Lijst');
    const employer = await makeEmployer('Lijst');
    const paid = [
      await startPaid(p.participantId, { type: 'participant', id: p.participantId }, '2041-04-01', at('2041-04-01')),
      await startPaid(p.participantId, { type: 'participant', id: p.participantId }, '2043-04-01', at('2043-04-01'), 'renewal'),
    ];
    for (const fee of paid) expect((await invoiceParticipantFee(fee.registrationId, undefined, clockAt(fee.billedOn))).outcome).toBe('issued');
    // A period its employer paid is on the employer's invoice, not in this list.
    await startPaid(p.participantId, { type: 'employer', id: employer.employerId }, '2045-04-01', at('2045-04-01'), 'renewal');
    await runMonthlyInvoices('2045-05-01', clockAt('2045-05-01'));

    const path = `/v1/participants/${p.participantId}/invoices`;
    const key = await participantKey(p.participantId);
    const own = await invoke(listParticipantInvoices, { path, apiKey: key });
    expect(own.statusCode).toBe(200);
    expect(own.json.items.map((i: { issuedOn: string; lineCount: number; documentType: string }) => [i.issuedOn, i.lineCount, i.documentType])).toEqual([
      ['2043-04-01', 1, 'invoice'],
      ['2041-04-01', 1, 'invoice'],
    ]);
    // Priced by the tariff valid on the renewal's start (which one depends on the tariffs this file has put by then).
    const { amountCents, vatRatePercent } = paid[1] as { amountCents: number; vatRatePercent: number };
    expect(own.json.items[0]).toMatchObject({ netCents: amountCents, vatCents: vatOn(amountCents, vatRatePercent), totalCents: amountCents + vatOn(amountCents, vatRatePercent), invoiceNumber: expect.stringMatching(/^PE-2043-\d{6}$/) });
    expect(own.json.nextCursor).toBeUndefined();

    const first = await invoke(listParticipantInvoices, { path, query: { limit: '1' }, apiKey: key });
    expect(first.json.items).toHaveLength(1);
    const second = await invoke(listParticipantInvoices, { path, query: { limit: '1', cursor: first.json.nextCursor }, apiKey: key });
    expect(second.json.items.map((i: { issuedOn: string }) => i.issuedOn)).toEqual(['2041-04-01']);

    const byAdmin = await invoke(listParticipantInvoices, { path, apiKey: admin });
    expect(byAdmin.json.items).toEqual(own.json.items);
    const other = await makeParticipant('Ander');
    expect((await invoke(listParticipantInvoices, { path, apiKey: await participantKey(other.participantId) })).statusCode).toBe(404);
    expect((await invoke(listParticipantInvoices, { path, apiKey: employer.apiKey })).statusCode).toBe(403);
    expect((await invoke(listParticipantInvoices, { path })).statusCode).toBe(401);
    expect((await invoke(listParticipantInvoices, { path: '/v1/participants/par_00000000000000000000000000/invoices', apiKey: admin })).statusCode).toBe(404);
    const bad = await invoke(listParticipantInvoices, { path, query: { limit: '0' }, apiKey: key });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['query.limit']);
  });
});

describe('the monthly collective invoice', () => {
  it("bills an employer's collective registration: one fee per period it started, on next month's invoice", async () => {
    const employer = await makeEmployer('Collectief');
    const people = await holders(10);
    const res = await register(employer, { employees: rowsOf(people) });
    expect(res.statusCode).toBe(201);
    const month = todayInAmsterdam().slice(0, 7);
    const fees = await payerMonthFees(month, { type: 'employer', id: employer.employerId });
    expect(fees).toHaveLength(10);
    expect(fees.every((f) => f.kind === 'new' && f.amountCents === 4995 && f.status === 'open')).toBe(true);

    const asOf = addMonths(`${month}-01`, 1);
    const summary = await runMonthlyInvoices(asOf, clockAt(asOf));
    expect(summary.month).toBe(month);
    const [inv] = (await listPayerInvoices({ type: 'employer', id: employer.employerId }, 5)).items;
    expect(inv).toMatchObject({ lineCount: 10, netCents: 10 * 4995, vatCents: vatOn(10 * 4995, 21), status: 'sent' });
    const lines = (await getInvoice(inv.invoiceId))!.lines;
    const regNos = new Set(lines.map((l) => l.registrationNumber));
    for (const row of res.json.participants) expect(regNos.has(row.registrationNumber)).toBe(true);
    expect(await sesMessages({ to: employer.email })).toHaveLength(1);
  });

  it("bills the renewal of an employer's employee to that employer, also when the employee renews, and issues them no invoice", async () => {
    const employer = await makeEmployer('Verlenging');
    const people = await holders(10);
    const res = await register(employer, { employees: rowsOf(people) });
    expect(res.statusCode).toBe(201);
    const [first, second] = res.json.participants as { participantId: string }[];
    for (const p of [first, second]) {
      const [reg] = await listRegistrations(p.participantId);
      await db().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: `PARTICIPANT#${p.participantId}`, sk: `REG#${reg.startsOn}` },
          UpdateExpression: 'SET points = :p',
          ExpressionAttributeValues: { ':p': 12 },
        }),
      );
    }
    // One renewed by the employer, one by the employee themself: both billed to the employer.
    const byEmployer = await invoke(createRenewal, { method: 'POST', path: `/v1/participants/${first.participantId}/renewals`, apiKey: employer.apiKey });
    const bySelf = await invoke(createRenewal, { method: 'POST', path: `/v1/participants/${second.participantId}/renewals`, apiKey: await participantKey(second.participantId) });
    for (const r of [byEmployer, bySelf]) {
      expect(r.statusCode).toBe(201);
      expect(await getFee(r.json.registrationId)).toMatchObject({ kind: 'renewal', status: 'open', payer: { type: 'employer', id: employer.employerId } });
    }
    const month = todayInAmsterdam().slice(0, 7);
    const fees = await payerMonthFees(month, { type: 'employer', id: employer.employerId });
    expect(fees.filter((f) => f.kind === 'renewal')).toHaveLength(2);
    expect(fees.filter((f) => f.kind === 'new')).toHaveLength(10);
    const holdersOf = (res.json.participants as { diplomaNumber: string }[]).slice(0, 2).map((p) => people.find((h) => h.diplomaNumber === p.diplomaNumber)!);
    for (const h of holdersOf) expect(await sesMessages({ to: h.email, subject: /^Factuur/ })).toHaveLength(0);
  });

  it('invoices each employer with fees once, e-mails PDF + UBL, and agrees to the cent across JSON, PDF and UBL', async () => {
    // Through the API, so as of a day that has come (a run may not be dated ahead): last March's fees.
    const now = at('2025-03-15');
    const a = await employerWithFees('Alfa', 3, '2025-03-15', now);
    // A mixed-rate invoice: two periods starting under the 2030 tariff (9 %).
    const b = await employerWithFees('Beta', 2, '2030-03-01', now);
    const pb = await makeParticipant('Beta21');
    await startPaid(pb.participantId, { type: 'employer', id: b.employerId }, '2025-03-15', now);
    const idle = await makeEmployer('Idle');

    const res = await invoke(runJobRoute, { path: '/v1/jobs/monthly-invoices/runs', apiKey: admin, body: { asOf: '2025-04-01' } });
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ job: 'monthly-invoices', month: '2025-03', employers: 2, invoices: 2, failed: 0 });
    expect(await sesMessages({ to: idle.email })).toHaveLength(0);

    for (const [employer, lines] of [[a, 3], [b, 3]] as const) {
      const mails = await sesMessages({ to: employer.email });
      expect(mails).toHaveLength(1);
      expect(mails[0].attachments.map((x) => x.contentType).sort()).toEqual(['application/pdf', 'application/xml']);
      const list = await invoke(listEmployerInvoices, { path: `/v1/employers/${employer.employerId}/invoices`, apiKey: employer.apiKey });
      expect(list.json.items).toHaveLength(1);
      const { invoiceId } = list.json.items[0];
      const json = (await invoke(getInvoiceRoute, { path: `/v1/invoices/${invoiceId}`, apiKey: employer.apiKey })).json;
      expect(json.lines).toHaveLength(lines);
      expect(json.period).toEqual({ from: '2025-03-01', to: '2025-03-31' });
      expect(json.totalCents).toBe(json.netCents + json.vatCents);
      expect(json.netCents).toBe(json.lines.reduce((s: number, l: { netCents: number }) => s + l.netCents, 0));

      const pdf = pdfText(attachmentBytes(mails[0].attachments.find((x) => x.contentType === 'application/pdf')!));
      const xml = attachmentBytes(mails[0].attachments.find((x) => x.contentType === 'application/xml')!).toString('utf8');
      expect(pdf).toContain(json.invoiceNumber);
      for (const l of json.lines) expect(pdf).toContain(l.registrationNumber);
      expect(pdf).toMatch(new RegExp(`Totaal excl\\. btw\\n${formatEuro(json.netCents)}`));
      expect(pdf).toMatch(new RegExp(`Totaal btw\\n${formatEuro(json.vatCents)}`));
      expect(pdf).toMatch(new RegExp(`Totaal te betalen\\n${formatEuro(json.totalCents)}`));
      for (const v of json.vatBreakdown) expect(pdf).toContain(`${formatEuro(v.vatCents)}`);
      expect(xmlValue(xml, 'cbc:ID')).toBe(json.invoiceNumber);
      expect(xmlValue(xml, 'cbc:TaxExclusiveAmount')).toBe(centsToDecimal(json.netCents));
      expect(xmlValue(xml, 'cbc:TaxAmount')).toBe(centsToDecimal(json.vatCents));
      expect(xmlValue(xml, 'cbc:PayableAmount')).toBe(centsToDecimal(json.totalCents));
    }
    const bJson = (await getInvoice((await listPayerInvoices({ type: 'employer', id: b.employerId }, 5)).items[0].invoiceId))!;
    // VAT per rate on the sum of that rate's lines (BR-CO-17): 2 × 60,00 at 9 % and 49,95 at 21 %.
    expect(bJson.vatBreakdown).toEqual([
      { vatRatePercent: 21, netCents: 4995, vatCents: 1049 },
      { vatRatePercent: 9, netCents: 12000, vatCents: 1080 },
    ]);
    expect(bJson.totalCents).toBe(4995 + 12000 + 1049 + 1080);
    for (const fee of b.fees) expect((await getFee(fee.registrationId))!).toMatchObject({ status: 'invoiced', invoiceId: bJson.invoiceId });

    // A rerun creates nothing and sends nothing.
    const rerun = await invoke(runJobRoute, { path: '/v1/jobs/monthly-invoices/runs', apiKey: admin, body: { asOf: '2025-04-15' } });
    expect(rerun.json).toMatchObject({ month: '2025-03', invoices: 0, sent: 0 });
    expect(await sesMessages({ to: a.email })).toHaveLength(1);
    expect((await listPayerInvoices({ type: 'employer', id: a.employerId }, 5)).items).toHaveLength(1);
  });

  it('numbers consecutively with no gaps and no duplicates when two runs race', async () => {
    const now = at('2031-01-10');
    const employers = [];
    for (let i = 0; i < 6; i++) employers.push(await employerWithFees(`Race${i}`, 1 + (i % 2), '2031-01-10', now));
    const opts = { ...clockAt('2031-02-01'), concurrency: 3 };
    const [r1, r2] = await Promise.all([runMonthlyInvoices('2031-02-01', opts), runMonthlyInvoices('2031-02-01', opts)]);
    expect(r1.invoices + r2.invoices).toBe(6);

    const numbers: string[] = [];
    for (const e of employers) {
      const { items } = await listPayerInvoices({ type: 'employer', id: e.employerId }, 10);
      expect(items).toHaveLength(1);
      numbers.push(items[0].invoiceNumber);
      expect(await sesMessages({ to: e.email })).toHaveLength(1);
    }
    expect(numbers.sort()).toEqual(['PE-2031-000001', 'PE-2031-000002', 'PE-2031-000003', 'PE-2031-000004', 'PE-2031-000005', 'PE-2031-000006']);
  });

  it('completes a run that failed to send: the next run sends the missing e-mail, once', async () => {
    const now = at('2032-04-05');
    const x = await employerWithFees('SendX', 1, '2032-04-05', now);
    const y = await employerWithFees('SendY', 2, '2032-04-05', now);
    const ses = sesClient();
    const realSend = ses.send.bind(ses);
    vi.spyOn(ses, 'send').mockImplementation(async (command: Parameters<typeof realSend>[0]) => {
      const raw = Buffer.from((command.input as { RawMessage: { Data: Uint8Array } }).RawMessage.Data).toString('utf8');
      if (raw.includes(y.email)) throw Object.assign(new Error('Throttling: maximum sending rate exceeded'), { name: 'Throttling' });
      return realSend(command as never);
    });
    const first = await runMonthlyInvoices('2032-05-01', clockAt('2032-05-01'));
    expect(first).toMatchObject({ invoices: 2, failed: 1 });
    expect(await sesMessages({ to: x.email })).toHaveLength(1);
    expect(await sesMessages({ to: y.email })).toHaveLength(0);
    const yInvoice = (await listPayerInvoices({ type: 'employer', id: y.employerId }, 5)).items[0];
    expect(yInvoice.status).toBe('issued');

    vi.restoreAllMocks();
    const second = await runMonthlyInvoices('2032-05-01', clockAt('2032-05-01'));
    expect(second).toMatchObject({ invoices: 0, sent: 1, failed: 0 });
    expect(await sesMessages({ to: x.email })).toHaveLength(1);
    expect(await sesMessages({ to: y.email })).toHaveLength(1);
    expect((await getInvoice(yInvoice.invoiceId))!.invoiceNumber).toBe(yInvoice.invoiceNumber);
  });

  it('completes a run that crashed between the invoice and its fees, and sends nothing twice', async () => {
    const now = at('2033-06-07');
    const z = await employerWithFees('CrashZ', 3, '2033-06-07', now);
    const client = db();
    const realSend = client.send.bind(client);
    let failures = 0;
    vi.spyOn(client, 'send').mockImplementation(async (command: Parameters<typeof realSend>[0]) => {
      const input = command.input as { Key?: { pk?: string } };
      if (command instanceof UpdateCommand && String(input.Key?.pk).startsWith('FEE#') && failures++ === 1) {
        throw Object.assign(new Error('simulated crash while marking fees'), { name: 'InternalServerError' });
      }
      return realSend(command as never);
    });
    const first = await runMonthlyInvoices('2033-07-01', clockAt('2033-07-01'));
    expect(first).toMatchObject({ invoices: 0, failed: 1 });
    vi.restoreAllMocks();
    const [inv] = (await listPayerInvoices({ type: 'employer', id: z.employerId }, 5)).items;
    expect(inv).toMatchObject({ status: 'issued', feesMarked: false });
    expect(await sesMessages({ to: z.email })).toHaveLength(0);

    const second = await runMonthlyInvoices('2033-07-01', clockAt('2033-07-01'));
    expect(second).toMatchObject({ invoices: 0, resumed: 1 });
    expect(await sesMessages({ to: z.email })).toHaveLength(1);
    for (const fee of z.fees) expect((await getFee(fee.registrationId))!).toMatchObject({ status: 'invoiced', invoiceId: inv.invoiceId });
    expect((await listPayerInvoices({ type: 'employer', id: z.employerId }, 5)).items).toHaveLength(1);
  });

  it('a sender that died mid-send keeps the claim until its lease runs out; then the next run sends', async () => {
    const now = at('2034-02-02');
    const w = await employerWithFees('Lease', 1, '2034-02-02', now);
    // Another run claimed the invoice and died before sending: simulate by issuing without e-mail.
    const client = sesClient();
    const hung = vi.spyOn(client, 'send').mockImplementation(async () => new Promise(() => undefined) as never);
    const stuck = runMonthlyInvoices('2034-03-01', clockAt('2034-03-01'));
    // The claim is written before the PDF is rendered: wait until the send itself has hung, or
    // restoring the client below would let this run's send through.
    await vi.waitFor(() => expect(hung).toHaveBeenCalled(), { timeout: 10_000 });
    expect((await listPayerInvoices({ type: 'employer', id: w.employerId }, 5)).items[0]?.status).toBe('sending');
    void stuck;
    vi.restoreAllMocks();

    const early = await runMonthlyInvoices('2034-03-01', clockAt('2034-03-01'));
    expect(early.sent).toBe(0);
    expect(await sesMessages({ to: w.email })).toHaveLength(0);
    const late = await runMonthlyInvoices('2034-03-01', { now: () => new Date(at('2034-03-01').getTime() + 11 * 60_000) });
    expect(late.sent).toBe(1);
    expect(await sesMessages({ to: w.email })).toHaveLength(1);
    const [inv] = (await listPayerInvoices({ type: 'employer', id: w.employerId }, 5)).items;
    expect(inv.status).toBe('sent');
    // Sent documents leave the outbox: no later sender claims them, however late.
    expect(await deliver(inv.invoiceId, { now: () => new Date(Date.now() + 3_600_000) })).toBe('already-sent');
  });

  it('never e-mails an invoice twice when recording the accepted send fails: it retries the record, then leaves the claim to its lease', async () => {
    // DynamoDB answers the record of the send (the outbox completion) with a server error:
    // injected below the client's retry middleware (the deserialize step runs inside its retry
    // loop), so the client's own retries — the one retry layer of the write — see it.
    const client = db();
    let failures = 0;
    let failing: () => boolean = () => false;
    const isMarkSent = (input: unknown) => {
      const values = (input as { ExpressionAttributeValues?: Record<string, { S?: string }> }).ExpressionAttributeValues;
      return values?.[':ostatus']?.S === 'sent' && values?.[':otoken'] !== undefined;
    };
    const name = 'test-fault-mark-sent';
    client.middlewareStack.add(
      (next) => async (args) => {
        if (isMarkSent((args as { input: unknown }).input) && failing()) {
          failures++;
          throw Object.assign(new Error('simulated server error'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });
        }
        return next(args);
      },
      { step: 'deserialize', name },
    );
    onTestFinished(() => {
      client.middlewareStack.remove(name);
    });

    // Fails once: the retry records it.
    const once = await employerWithFees('MarkOnce', 1, '2046-02-02', at('2046-02-02'));
    failing = () => failures === 0;
    expect(await runMonthlyInvoices('2046-03-01', clockAt('2046-03-01'))).toMatchObject({ invoices: 1, sent: 1, failed: 0 });
    failing = () => false;
    expect(failures).toBe(1);
    expect((await listPayerInvoices({ type: 'employer', id: once.employerId }, 5)).items[0].status).toBe('sent');
    expect(await sesMessages({ to: once.email })).toHaveLength(1);

    // Fails every time: the claim stays, so the next runs do not send it again (until the lease ends).
    const always = await employerWithFees('MarkNever', 1, '2047-02-02', at('2047-02-02'));
    failing = () => true;
    expect(await runMonthlyInvoices('2047-03-01', clockAt('2047-03-01'))).toMatchObject({ invoices: 1, sent: 1 });
    failing = () => false;
    // Every attempt of the client's retry layer was refused; nothing retried on top of it.
    expect(failures).toBe(1 + 5);
    expect((await listPayerInvoices({ type: 'employer', id: always.employerId }, 5)).items[0].status).toBe('sending');
    expect(await runInvoiceMails('2047-03-01', clockAt('2047-03-01'))).toMatchObject({ sent: 0, inFlight: 1 });
    expect(await sesMessages({ to: always.email })).toHaveLength(1);
  });

  it('counts individual invoices it did not reach before its deadline as deferred (so the invocation fails and runs again)', async () => {
    const p = await makeParticipant('Uitstel');
    await startPaid(p.participantId, { type: 'participant', id: p.participantId }, '2048-06-06', at('2048-06-06'));
    const cut = await runMonthlyInvoices('2048-07-01', { ...clockAt('2048-07-01'), stopAt: Date.now() - 1 });
    expect(cut).toMatchObject({ individualInvoices: 0, deferred: 1 });
    const next = await runMonthlyInvoices('2048-07-01', clockAt('2048-07-01'));
    expect(next).toMatchObject({ individualInvoices: 1, deferred: 0 });
  });

  it('keeps an employer with many fees in one invoice with all its lines (line items beyond one chunk)', async () => {
    const now = at('2035-09-09');
    const big = await makeEmployer('Big');
    for (let i = 0; i < 401; i += 40) {
      await Promise.all(
        Array.from({ length: Math.min(40, 401 - i) }, async (_, j) => {
          const p = await makeParticipant(`Groot${i + j}`);
          await startPaid(p.participantId, { type: 'employer', id: big.employerId }, '2029-09-09', now);
        }),
      );
    }
    const summary = await runMonthlyInvoices('2035-10-01', clockAt('2035-10-01'));
    expect(summary).toMatchObject({ invoices: 1, sent: 1 });
    const [item] = (await listPayerInvoices({ type: 'employer', id: big.employerId }, 5)).items;
    const inv = (await getInvoice(item.invoiceId))!;
    expect(inv.lines).toHaveLength(401);
    expect(new Set(inv.lines.map((l) => l.registrationId)).size).toBe(401);
    expect(inv.netCents).toBe(401 * 4995);
    expect(inv.vatCents).toBe(vatOn(401 * 4995, 21));
    const mails = await sesMessages({ to: big.email });
    expect(mails).toHaveLength(1);
    expect(pdfText(attachmentBytes(mails[0].attachments[0]))).toContain(formatEuro(inv.totalCents));
  }, 120_000);
});

describe('entry points', () => {
  it('the scheduled run takes asOf from the scheduled time in Amsterdam (late on the 28th UTC is the 1st there)', async () => {
    const e = await employerWithFees('Sched', 1, '2029-02-10', at('2037-02-10'));
    // 23:30 UTC on 28 February = 00:30 on 1 March in Amsterdam: February is invoiced.
    const summary = await scheduledMonthly.handler({ job: 'monthly-invoices', scheduledTime: '2037-02-28T23:30:00Z' });
    expect(summary).toMatchObject({ asOf: '2037-03-01', month: '2037-02' });
    expect((await listPayerInvoices({ type: 'employer', id: e.employerId }, 5)).items).toHaveLength(1);
  });

  it('the scheduled run fails (so Lambda retries, then the DLQ alarms) when it could not complete, e.g. past its deadline', async () => {
    const e = await employerWithFees('Deadline', 1, '2029-04-04', at('2039-04-04'));
    const noTimeLeft = { getRemainingTimeInMillis: () => 0 };
    await expect(scheduledMonthly.handler({ scheduledTime: '2039-05-01T04:00:00Z' }, noTimeLeft)).rejects.toThrow(/not completed/);
    expect((await listPayerInvoices({ type: 'employer', id: e.employerId }, 5)).items).toHaveLength(0);
    const summary = await scheduledMonthly.handler({ scheduledTime: '2039-05-01T04:00:00Z' }, { getRemainingTimeInMillis: () => 600_000 });
    expect(summary).toMatchObject({ month: '2039-04', invoices: 1, deferred: 0 });
  });

  it('the SQS worker invoices the employer-month of each message and reports a bad one alone', async () => {
    const e = await employerWithFees('Queue', 2, '2029-03-03', at('2038-03-03'));
    const event = {
      Records: [
        { messageId: 'm1', body: JSON.stringify({ month: '2038-03', employerId: e.employerId }) },
        { messageId: 'm2', body: '{"month":"March","employerId":1}' },
      ],
    } as unknown as SQSEvent;
    const res = await queueWorker.handler(event);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect((await listPayerInvoices({ type: 'employer', id: e.employerId }, 5)).items).toHaveLength(1);
    expect(await sesMessages({ to: e.email })).toHaveLength(1);
    // Redelivery (SQS is at-least-once) changes nothing.
    expect((await queueWorker.handler({ Records: [event.Records[0]] } as SQSEvent)).batchItemFailures).toEqual([]);
    expect(await sesMessages({ to: e.email })).toHaveLength(1);
  });
});

describe('access and documents', () => {
  let owner: Awaited<ReturnType<typeof employerWithFees>>;
  let invoiceId: string;

  beforeAll(async () => {
    owner = await employerWithFees('Owner', 2, '2029-01-05', at('2036-01-05'));
    await runMonthlyInvoices('2036-02-01', clockAt('2036-02-01'));
    invoiceId = (await listPayerInvoices({ type: 'employer', id: owner.employerId }, 5)).items[0].invoiceId;
  });

  it('another employer gets 404 on the invoice and on the list; the admin sees both', async () => {
    const other = await makeEmployer('Other');
    expect((await invoke(getInvoiceRoute, { path: `/v1/invoices/${invoiceId}`, apiKey: other.apiKey })).statusCode).toBe(404);
    expect((await invoke(listEmployerInvoices, { path: `/v1/employers/${owner.employerId}/invoices`, apiKey: other.apiKey })).statusCode).toBe(404);
    expect((await invoke(getInvoiceRoute, { path: `/v1/invoices/${invoiceId}`, apiKey: admin })).statusCode).toBe(200);
    const list = await invoke(listEmployerInvoices, { path: `/v1/employers/${owner.employerId}/invoices`, apiKey: admin });
    expect(list.json.items[0]).toMatchObject({ invoiceId, period: { from: '2036-01-01', to: '2036-01-31' }, issuedOn: '2036-02-01', totalCents: 2 * (4995 + 1049) });
    expect((await invoke(getInvoiceRoute, { path: '/v1/invoices/inv_00000000000000000000000000', apiKey: admin })).statusCode).toBe(404);
    expect((await invoke(listEmployerInvoices, { path: '/v1/employers/emp_00000000000000000000000000/invoices', apiKey: admin })).statusCode).toBe(404);
  });

  it('serves the PDF and the UBL by Accept header', async () => {
    const pdf = await invoke(getInvoiceRoute, { path: `/v1/invoices/${invoiceId}`, apiKey: owner.apiKey, headers: { accept: 'application/pdf' } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawBody.subarray(0, 5).toString()).toBe('%PDF-');
    const xml = await invoke(getInvoiceRoute, { path: `/v1/invoices/${invoiceId}`, apiKey: owner.apiKey, headers: { accept: 'application/xml' } });
    expect(xml.headers['content-type']).toMatch(/^application\/xml/);
    expect(xml.body).toContain('<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>');
  });

  it('negotiates on q-values: JSON for "application/json, application/pdf;q=0.1" and for */*; 406 for nothing it offers', async () => {
    const get = (accept: string) => invoke(getInvoiceRoute, { path: `/v1/invoices/${invoiceId}`, apiKey: owner.apiKey, headers: { accept } });
    for (const accept of ['application/json, application/pdf;q=0.1', '*/*', 'application/pdf;q=0.2, application/json;q=0.9, application/xml;q=0.5']) {
      const res = await get(accept);
      expect(res.statusCode, accept).toBe(200);
      expect(res.headers['content-type'], accept).toBe('application/json');
      expect(res.headers.vary).toBe('accept');
      expect(res.json.invoiceId).toBe(invoiceId);
    }
    const pdf = await get('application/json;q=0.5, application/pdf');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const none = await get('image/png');
    expect(none.statusCode).toBe(406);
    expect(none.headers['content-type']).toBe('application/problem+json');
    expect(none.json).toMatchObject({ status: 406, available: ['application/json', 'application/pdf', 'application/xml'] });
  });

  it('corrects with a credit note: negative, referencing the invoice, e-mailed, once', async () => {
    const res = await invoke(createCreditNote, { path: `/v1/invoices/${invoiceId}/credit-notes`, apiKey: admin, body: { reason: 'Dubbel gefactureerd' } });
    expect(res.statusCode).toBe(201);
    const original = (await getInvoice(invoiceId))!;
    expect(res.json).toMatchObject({
      documentType: 'credit-note',
      netCents: -original.netCents,
      vatCents: -original.vatCents,
      totalCents: -original.totalCents,
      corrects: { invoiceId, invoiceNumber: original.invoiceNumber },
      reason: 'Dubbel gefactureerd',
      status: 'sent',
    });
    expect(res.json.invoiceNumber).not.toBe(original.invoiceNumber);
    const mails = await sesMessages({ to: owner.email, subject: /^Creditnota/ });
    expect(mails).toHaveLength(1);
    expect(mails[0].body.text).toContain('de creditnota als PDF en als e-factuur (UBL)');
    expect(mails[0].body.text).not.toContain('de factuur als PDF');
    const xml = attachmentBytes(mails[0].attachments.find((a) => a.contentType === 'application/xml')!).toString('utf8');
    expect(xml).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(xmlValue(xml, 'cbc:PayableAmount')).toBe(centsToDecimal(original.totalCents));
    expect(pdfText(attachmentBytes(mails[0].attachments.find((a) => a.contentType === 'application/pdf')!))).toContain(formatEuro(-original.totalCents));
    // The original is untouched (immutable), and a second credit note is refused.
    expect((await getInvoice(invoiceId))!.totalCents).toBe(original.totalCents);
    const again = await invoke(createCreditNote, { path: `/v1/invoices/${invoiceId}/credit-notes`, apiKey: admin, body: { reason: 'nog eens' } });
    expect(again.statusCode).toBe(409);
    expect(again.json.creditNoteId).toBe(res.json.invoiceId);
    const forbidden = await invoke(createCreditNote, { path: `/v1/invoices/${invoiceId}/credit-notes`, apiKey: owner.apiKey, body: { reason: 'x' } });
    expect(forbidden.statusCode).toBe(403);
  });
});

describe("the buyer's reference and electronic address", () => {
  it('BuyerReference / "Uw referentie": the employer\'s own reference, else its debtor number, never the employer id; EndpointID from its peppolId', async () => {
    const now = at('2049-05-10');
    const belgium = { street: 'Rue Neuve 12', postalCode: '1000', city: 'Brussel', country: 'BE' };
    const plain = await makeEmployer('Plain');
    const po = await makeEmployer('Inkoop');
    const belgian = await makeEmployer('Belg', { vatNumber: 'BE0403104581', settings: { address: belgium, peppolId: { scheme: '0208', value: '0403104581' } } });
    const foreignNoPeppol = await makeEmployer('BelgZonderPeppol', { vatNumber: 'BE0403104581', settings: { address: belgium } });
    // Admitted before debtor numbers existed.
    const legacy = await makeEmployer('Oud');
    await db().send(new UpdateCommand({ TableName: tableName(), Key: { pk: `EMPLOYER#${legacy.employerId}`, sk: 'PROFILE' }, UpdateExpression: 'REMOVE debtorNumber' }));

    // The employer sets its purchase order number itself.
    const patched = await invoke(updateEmployer, { method: 'PATCH', path: `/v1/employers/${po.employerId}`, apiKey: po.apiKey, body: { buyerReference: 'PO-49-0001' } });
    expect(patched.statusCode).toBe(200);

    const all = [plain, po, belgian, foreignNoPeppol, legacy];
    for (const e of all) {
      const p = await makeParticipant(`Ref${e.employerId.slice(-4)}`);
      await startPaid(p.participantId, { type: 'employer', id: e.employerId }, '2049-05-10', now);
    }
    const summary = await runMonthlyInvoices('2049-06-01', clockAt('2049-06-01'));
    expect(summary).toMatchObject({ month: '2049-05', invoices: 5, failed: 0 });

    const documents = async (e: { email: string; employerId: string; apiKey: string }) => {
      const [mail] = await sesMessages({ to: e.email });
      const xml = attachmentBytes(mail.attachments.find((x) => x.contentType === 'application/xml')!).toString('utf8');
      const pdf = pdfText(attachmentBytes(mail.attachments.find((x) => x.contentType === 'application/pdf')!));
      const { invoiceId } = (await invoke(listEmployerInvoices, { path: `/v1/employers/${e.employerId}/invoices`, apiKey: e.apiKey })).json.items[0];
      const json = (await invoke(getInvoiceRoute, { path: `/v1/invoices/${invoiceId}`, apiKey: e.apiKey })).json;
      // The register's internal id is nowhere the buyer's accounts payable looks.
      expect(xml).not.toContain(e.employerId);
      expect(pdf).not.toContain(e.employerId);
      return { xml, pdf, json };
    };
    const customerEndpoint = (xml: string) => /<cac:AccountingCustomerParty><cac:Party>(?:<cbc:EndpointID schemeID="(\d{4})">([^<]+)<\/cbc:EndpointID>)?/.exec(xml)!.slice(1, 3);

    const d1 = await documents(plain);
    expect(xmlValue(d1.xml, 'cbc:BuyerReference')).toBe(plain.debtorNumber);
    expect(d1.pdf).toMatch(new RegExp(`Uw referentie:[\\s\\S]{0,40}${plain.debtorNumber}`));
    expect(d1.json).toMatchObject({ buyerReference: plain.debtorNumber, customer: { debtorNumber: plain.debtorNumber } });
    expect(customerEndpoint(d1.xml)).toEqual(['0106', plain.kvkNumber]);

    const d2 = await documents(po);
    expect(xmlValue(d2.xml, 'cbc:BuyerReference')).toBe('PO-49-0001');
    expect(d2.pdf).toContain('PO-49-0001');
    expect(d2.xml).toContain(`<cac:PartyIdentification><cbc:ID>${po.debtorNumber}</cbc:ID></cac:PartyIdentification>`);

    const d3 = await documents(belgian);
    expect(customerEndpoint(d3.xml)).toEqual(['0208', '0403104581']);
    expect(xmlValue(d3.xml, 'cbc:CustomizationID')).toContain('peppol.eu:2017:poacc:billing:3.0');

    const d4 = await documents(foreignNoPeppol);
    expect(customerEndpoint(d4.xml)).toEqual([undefined, undefined]);
    expect(xmlValue(d4.xml, 'cbc:CustomizationID')).toBe('urn:cen.eu:en16931:2017');

    const assigned = (await getEmployer(legacy.employerId, true))!.debtorNumber!;
    expect(assigned).toMatch(/^D-\d{6,}$/);
    expect(xmlValue((await documents(legacy)).xml, 'cbc:BuyerReference')).toBe(assigned);
  });
});
