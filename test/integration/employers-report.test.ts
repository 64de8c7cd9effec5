import { XLSX_CONTENT_TYPE } from '../../shared/services/report-export';
import { beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { db, tableName } from '../../shared/data/client';
import { createApiKey } from '../../shared/data/api-keys';
import { getLink, linkEmployee } from '../../shared/data/employers';
import { addMonths, addYears } from '../../shared/domain/dates';
import * as getReport from '../../functions/http/get-employer-report';
import * as getHistory from '../../functions/http/get-employee-history';
import * as deleteLink from '../../functions/http/delete-employee-link';
import * as getParticipantHandler from '../../functions/http/get-participant';
import { adminKey, invoke, type InvokeResponse } from '../setup/helpers';
import { eventsOf, holders, newEmployer, participantIdOf, register, rowsOf, setPoints, today, type Employer, type Holder } from './employers.fixtures';


/** A credit item in the shape the crediting feature writes (another engineer builds it). */
async function putCredit(c: { creditId: string; participantId: string; activityTitle: string; points: number; completedOn: string; registrationStartsOn: string; revokedAt?: string }) {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        pk: `CREDIT#${c.creditId}`,
        sk: 'CREDIT',
        type: 'credit',
        activityId: `act_${c.creditId}`,
        senderId: 'prv_TEST',
        ...c,
        ...(c.revokedAt ? { revocationReason: 'Attendance not proven' } : {}),
        gsi1pk: `PARTICIPANT#${c.participantId}`,
        gsi1sk: `CREDIT#${c.completedOn}#${c.creditId}`,
      },
    }),
  );
}

const report = (employerId: string, apiKey: string | undefined, query: Record<string, string | number> = {}, headers: Record<string, string> = {}) =>
  invoke(getReport, { path: `/v1/employers/${employerId}/report`, apiKey, query, headers });
const history = (employerId: string, participantId: string, apiKey: string | undefined, query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  invoke(getHistory, { path: `/v1/employers/${employerId}/report/${participantId}`, apiKey, query, headers });
const unlink = (employerId: string, participantId: string, apiKey: string | undefined) =>
  invoke(deleteLink, { method: 'DELETE', path: `/v1/employers/${employerId}/employees/${participantId}`, apiKey });

function csvRows(res: InvokeResponse): Record<string, string>[] {
  return parse(res.body, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
}

// One employer with a known mix of employees; another employer next to it.
let a: Employer;
let b: Employer;
let fresh: Holder[];
let ids: { fresh: string[]; atRisk: string; full: string; lapsed: string; unlinked: string; other: string[] };
const atRiskStart = addMonths(today, -20);

beforeAll(async () => {
  [a, b] = [await newEmployer('A Uitzend BV'), await newEmployer('B Payroll BV')];
  fresh = await holders(8);
  const [atRisk] = await holders(1, { issuedOn: atRiskStart });
  const [full] = await holders(1, { issuedOn: atRiskStart });
  const [lapsed] = await holders(1, { issuedOn: addYears(today, -3) });
  const others = await holders(10);
  expect((await register(a, { employees: rowsOf([...fresh, atRisk, full]) })).statusCode).toBe(201);
  expect((await register(b, { employees: rowsOf(others) })).statusCode).toBe(201);
  ids = {
    fresh: await Promise.all(fresh.map((h) => participantIdOf(h.diplomaNumber))),
    atRisk: await participantIdOf(atRisk.diplomaNumber),
    full: await participantIdOf(full.diplomaNumber),
    lapsed: await participantIdOf(lapsed.diplomaNumber),
    unlinked: '',
    other: await Promise.all(others.map((h) => participantIdOf(h.diplomaNumber))),
  };
  ids.unlinked = ids.fresh.pop()!;
  // A lapsed employee linked earlier (a collective registration would re-activate them instead).
  await linkEmployee(a.employerId, ids.lapsed, { role: 'admin', id: 'admin' }, today);
  await setPoints(ids.fresh[0], today, 7.5);
  await setPoints(ids.atRisk, atRiskStart, 2);
  await setPoints(ids.full, atRiskStart, 12);
  await putCredit({ creditId: 'crd_1', participantId: ids.atRisk, activityTitle: 'Arbeidsrecht; de basis', points: 1.5, completedOn: addMonths(today, -10), registrationStartsOn: atRiskStart });
  await putCredit({ creditId: 'crd_2', participantId: ids.atRisk, activityTitle: 'Waadi', points: 0.5, completedOn: addMonths(today, -2), registrationStartsOn: atRiskStart });
  await putCredit({ creditId: 'crd_3', participantId: ids.atRisk, activityTitle: 'Privacy (AVG)', points: 2, completedOn: addMonths(today, -1), registrationStartsOn: atRiskStart, revokedAt: new Date().toISOString() });
  expect((await unlink(a.employerId, ids.unlinked, await adminKey())).statusCode).toBe(204);
});

describe('the employer report (JSON)', () => {
  it('one row per linked employee, with the current period and points, and totals over all of them', async () => {
    const res = await report(a.employerId, a.apiKey);
    expect(res.statusCode).toBe(200);
    const rows = res.json.employees as Record<string, unknown>[];
    const expected = [...ids.fresh, ids.atRisk, ids.full, ids.lapsed].sort();
    expect(rows.map((r) => r.participantId)).toEqual(expected);
    const row = (id: string) => rows.find((r) => r.participantId === id)!;
    expect(row(ids.fresh[0])).toMatchObject({
      name: expect.stringMatching(/^A\. Bakker\d+$/),
      registrationNumber: expect.stringMatching(/^PE-/),
      title: 'Register-Uitzendprofessional',
      startsOn: today,
      endsOn: addYears(today, 2),
      status: 'active',
      pointsEarned: 7.5,
      pointsMissing: 4.5,
      linkedOn: today,
      atRisk: false,
    });
    expect(row(ids.atRisk)).toMatchObject({ status: 'active', startsOn: atRiskStart, pointsEarned: 2, pointsMissing: 10, atRisk: true });
    expect(row(ids.full)).toMatchObject({ status: 'active', pointsEarned: 12, pointsMissing: 0, atRisk: false });
    expect(row(ids.lapsed)).toMatchObject({ status: 'lapsed', title: null, atRisk: false });
    expect(res.json.totals).toEqual({ employees: 10, active: 9, lapsed: 1, onTrack: 8, atRisk: 1 });
    expect(res.json.nextCursor).toBeUndefined();
  });

  it('pages with limit and cursor; every page carries the totals of all employees', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await report(a.employerId, a.apiKey, { limit: 4, ...(cursor ? { cursor } : {}) });
      expect(res.statusCode).toBe(200);
      expect(res.json.employees.length).toBeLessThanOrEqual(4);
      expect(res.json.totals.employees).toBe(10);
      seen.push(...res.json.employees.map((r: { participantId: string }) => r.participantId));
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids.fresh, ids.atRisk, ids.full, ids.lapsed].sort());
    expect((await report(a.employerId, a.apiKey, { cursor: 'garbage' })).statusCode).toBe(400);
    expect((await report(a.employerId, a.apiKey, { limit: 500 })).statusCode).toBe(400);
  });

  it("shows only the employer's own employees; the admin sees any employer's report", async () => {
    const own = await report(b.employerId, b.apiKey);
    expect(own.json.employees.map((r: { participantId: string }) => r.participantId).sort()).toEqual([...ids.other].sort());
    expect(own.json.totals).toMatchObject({ employees: 10, active: 10, atRisk: 0 });
    const admin = await report(a.employerId, await adminKey());
    expect(admin.statusCode).toBe(200);
    expect(admin.json.totals.employees).toBe(10);
  });
});

describe('the employer report (CSV)', () => {
  it('?format=csv gives every row for Dutch Excel: BOM, semicolons, CRLF, decimal comma, Dutch column names and values by default', async () => {
    const res = await report(a.employerId, a.apiKey, { format: 'csv', limit: 2 });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-language']).toBe('nl');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="rapportage-a-uitzend-bv-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.rawBody.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(res.body.split('\r\n')[0]).toBe(
      '\uFEFFRegistratienummer;Naam;Titel;Startdatum;Einddatum;Status;Punten behaald;Punten ontbrekend;Gekoppeld op;Risico;Deelnemer-ID;Leerlijn;Leerlijn open',
    );
    expect(res.body.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const rows = csvRows(res);
    expect(rows).toHaveLength(10); // all rows, whatever the limit
    const json = (await report(a.employerId, a.apiKey)).json.employees as Record<string, unknown>[];
    expect(rows.map((r) => r['Deelnemer-ID'])).toEqual(json.map((r) => r.participantId));
    const first = rows.find((r) => r['Deelnemer-ID'] === ids.fresh[0])!;
    expect(first).toMatchObject({ 'Punten behaald': '7,5', 'Punten ontbrekend': '4,5', Status: 'actief', Startdatum: today, Risico: 'nee' });
    expect(rows.find((r) => r['Deelnemer-ID'] === ids.lapsed)).toMatchObject({ Titel: '', Status: 'verlopen' });
    expect(rows.find((r) => r['Deelnemer-ID'] === ids.atRisk)?.Risico).toBe('ja');
  });

  it('in English with ?lang=en or Accept-Language: en, yes/no included; ?lang= wins over the header', async () => {
    const byQuery = await report(a.employerId, a.apiKey, { format: 'csv', lang: 'en' });
    expect(byQuery.headers['content-language']).toBe('en');
    expect(byQuery.headers['content-disposition']).toMatch(/filename="report-a-uitzend-bv-/);
    expect(byQuery.body.split('\r\n')[0]).toBe(
      '\uFEFFRegistration number;Name;Title;Start date;End date;Status;Points earned;Points missing;Linked on;At risk;Participant ID;Learning plan;Learning plan open',
    );
    const rows = csvRows(byQuery);
    expect(rows.find((r) => r['Participant ID'] === ids.atRisk)).toMatchObject({ 'At risk': 'yes', Status: 'active', 'Points earned': '2' });
    expect(rows.find((r) => r['Participant ID'] === ids.lapsed)).toMatchObject({ 'At risk': 'no', Status: 'lapsed' });
    const byHeader = await report(a.employerId, a.apiKey, { format: 'csv' }, { 'accept-language': 'en-GB,en;q=0.9,nl;q=0.5' });
    expect(byHeader.body).toBe(byQuery.body);
    const overruled = await report(a.employerId, a.apiKey, { format: 'csv', lang: 'nl' }, { 'accept-language': 'en' });
    expect(overruled.body.split('\r\n')[0]).toMatch(/^\uFEFFRegistratienummer;/);
    // A language the register does not speak falls back to Dutch.
    expect((await report(a.employerId, a.apiKey, { format: 'csv' }, { 'accept-language': 'de-DE' })).headers['content-language']).toBe('nl');
    expect((await report(a.employerId, a.apiKey, { format: 'csv', lang: 'de' })).statusCode).toBe(400);
  });

  it('Accept: text/csv gives the same CSV; Accept: application/json the JSON, whatever the language', async () => {
    const byAccept = await report(a.employerId, a.apiKey, {}, { accept: 'text/csv' });
    const byQuery = await report(a.employerId, a.apiKey, { format: 'csv' });
    expect(byAccept.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(byAccept.body).toBe(byQuery.body);
    const json = await report(a.employerId, a.apiKey, {}, { accept: 'application/json', 'accept-language': 'en' });
    expect(json.headers['content-type']).toBe('application/json');
    expect(Object.keys(json.json.employees[0])).toEqual(['participantId', 'registrationNumber', 'name', 'title', 'startsOn', 'endsOn', 'status', 'pointsEarned', 'pointsMissing', 'linkedOn', 'atRisk']);
    expect(json.json.employees.find((r: { participantId: string }) => r.participantId === ids.lapsed)).toMatchObject({ status: 'lapsed', atRisk: false });
  });
});

describe('the employer report (Excel)', () => {
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

  async function sheetOf(res: InvokeResponse) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawBody as unknown as ArrayBuffer);
    expect(book.worksheets).toHaveLength(1);
    return book.worksheets[0];
  }

  it('?format=xlsx is a real workbook: the same columns, dates as dates, points as numbers, frozen header, autofilter, totals', async () => {
    const res = await report(a.employerId, a.apiKey, { format: 'xlsx', limit: 2 });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="rapportage-a-uitzend-bv-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    expect(res.rawBody.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip, as every .xlsx

    const sheet = await sheetOf(res);
    expect(sheet.name).toBe('Rapportage');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['Registratienummer', 'Naam', 'Titel', 'Startdatum', 'Einddatum', 'Status', 'Punten behaald', 'Punten ontbrekend', 'Gekoppeld op', 'Risico', 'Deelnemer-ID', 'Leerlijn', 'Leerlijn open']);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();

    const csv = csvRows(await report(a.employerId, a.apiKey, { format: 'csv' }));
    const rowOf = (participantId: string) => {
      for (let r = 2; r <= 11; r++) if (sheet.getRow(r).getCell(11).value === participantId) return sheet.getRow(r);
      throw new Error(`no row for ${participantId}`);
    };
    // Every employee, in the CSV's order.
    expect(Array.from({ length: 10 }, (_, i) => sheet.getRow(i + 2).getCell(11).value)).toEqual(csv.map((r) => r['Deelnemer-ID']));
    const fresh = rowOf(ids.fresh[0]);
    expect(fresh.getCell(4).value).toBeInstanceOf(Date);
    expect((fresh.getCell(4).value as Date).toISOString().slice(0, 10)).toBe(today);
    expect((fresh.getCell(5).value as Date).toISOString().slice(0, 10)).toBe(addYears(today, 2));
    expect(fresh.getCell(4).numFmt).toBe('dd-mm-yyyy');
    expect(fresh.getCell(7).value).toBe(7.5);
    expect(fresh.getCell(8).value).toBe(4.5);
    expect(fresh.getCell(7).type).toBe(ExcelJS.ValueType.Number);
    expect(fresh.getCell(6).value).toBe('actief');
    expect(fresh.getCell(10).value).toBe('nee');
    const lapsed = rowOf(ids.lapsed);
    expect(lapsed.getCell(3).value).toBeNull();
    expect(lapsed.getCell(6).value).toBe('verlopen');
    expect(rowOf(ids.atRisk).getCell(10).value).toBe('ja');
    for (let c = 1; c <= 11; c++) expect(sheet.getColumn(c).width).toBeGreaterThanOrEqual(10);
    expect(sheet.getColumn(3).width).toBeGreaterThan("Register-Uitzendprofessional".length);

    // The totals row, under a blank row: the JSON's totals, as numbers.
    expect(sheet.getRow(12).cellCount).toBe(0);
    const totals = sheet.getRow(13);
    expect(totals.getCell(1).value).toBe('Totaal');
    expect([2, 3, 4, 5, 6].map((c) => totals.getCell(c).value)).toEqual([10, 9, 1, 8, 1]);
    expect(totals.getCell(2).numFmt).toBe('[=1]0" werknemer";0" werknemers"');
    const json = (await report(a.employerId, a.apiKey)).json.totals;
    expect([2, 3, 4, 5, 6].map((c) => totals.getCell(c).value)).toEqual([json.employees, json.active, json.lapsed, json.onTrack, json.atRisk]);
  });

  it('Accept of the xlsx type gives the same workbook; in English with ?lang=en', async () => {
    const byAccept = await report(a.employerId, a.apiKey, {}, { accept: XLSX });
    expect(byAccept.headers['content-type']).toBe(XLSX);
    const sheet = await sheetOf(byAccept);
    expect(sheet.getRow(1).getCell(1).value).toBe('Registratienummer');
    expect(sheet.rowCount).toBe(13);

    const english = await sheetOf(await report(a.employerId, a.apiKey, { format: 'xlsx', lang: 'en' }));
    expect(english.name).toBe('Report');
    expect((english.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Registration number', 'Name', 'Title']);
    expect(english.getRow(2).getCell(4).numFmt).toBe('yyyy-mm-dd');
    expect(english.getRow(13).getCell(1).value).toBe('Total');
    expect(['yes', 'no']).toContain(english.getRow(2).getCell(10).value);
  });

  it('another employer gets 404 for the workbook too', async () => {
    expect((await report(a.employerId, b.apiKey, { format: 'xlsx' })).statusCode).toBe(404);
  });

  it('negotiates on q-values: JSON for "application/json, text/csv;q=0.1" and for */*, CSV when it ranks higher; 406 for nothing offered', async () => {
    for (const accept of ['application/json, text/csv;q=0.1', '*/*']) {
      expect((await report(a.employerId, a.apiKey, {}, { accept })).headers['content-type'], accept).toBe('application/json');
      expect((await history(a.employerId, ids.atRisk, a.apiKey, {}, { accept })).headers['content-type'], accept).toBe('application/json');
    }
    const csv = await report(a.employerId, a.apiKey, {}, { accept: 'application/json;q=0.4, text/csv;q=0.8' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const none = await history(a.employerId, ids.atRisk, a.apiKey, {}, { accept: 'application/pdf' });
    expect(none.statusCode).toBe(406);
    expect(none.json).toMatchObject({ status: 406, available: ['application/json', 'text/csv', XLSX_CONTENT_TYPE] });
  });
});

describe("an employee's history, for an audit", () => {
  it('lists the periods and every credited activity (revoked ones marked), with the period each counts toward', async () => {
    const res = await history(a.employerId, ids.atRisk, a.apiKey);
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({
      employerId: a.employerId,
      participantId: ids.atRisk,
      title: 'Register-Uitzendprofessional',
      linkedOn: today,
      registrations: [{ startsOn: atRiskStart, status: 'active', pointsEarned: 2, pointsMissing: 10 }],
    });
    expect(res.json.credits).toEqual([
      expect.objectContaining({ creditId: 'crd_1', activityTitle: 'Arbeidsrecht; de basis', points: 1.5, status: 'credited', registrationStartsOn: atRiskStart }),
      expect.objectContaining({ creditId: 'crd_2', points: 0.5, status: 'credited' }),
      expect.objectContaining({ creditId: 'crd_3', status: 'revoked', revokedAt: expect.any(String), revocationReason: 'Attendance not proven' }),
    ]);
  });

  it('as CSV: one line per credit, quoted where the title holds a semicolon, decimal comma, Dutch by default', async () => {
    const res = await history(a.employerId, ids.atRisk, a.apiKey, { format: 'csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="historie-PE-[0-9A-Z]{6}-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.body.startsWith('\uFEFFRegistratienummer;Naam;Afgerond op;Activiteit-ID;Activiteit;Punten;Status;Periode vanaf;Credit-ID;Ingetrokken op\r\n')).toBe(true);
    expect(res.body).toContain('"Arbeidsrecht; de basis";1,5;toegekend');
    const rows = csvRows(res);
    expect(rows.map((r) => [r['Credit-ID'], r.Punten, r.Status])).toEqual([['crd_1', '1,5', 'toegekend'], ['crd_2', '0,5', 'toegekend'], ['crd_3', '2', 'ingetrokken']]);
    expect(rows[2]['Ingetrokken op']).toBe(today);
    expect((await history(a.employerId, ids.atRisk, a.apiKey, {}, { accept: 'text/csv' })).body).toBe(res.body);
    const english = csvRows(await history(a.employerId, ids.atRisk, a.apiKey, { format: 'csv' }, { 'accept-language': 'en' }));
    expect(english.map((r) => [r['Credit ID'], r.Points, r.Status])).toEqual([['crd_1', '1,5', 'credited'], ['crd_2', '0,5', 'credited'], ['crd_3', '2', 'revoked']]);
  });

  it('as an Excel workbook: dates as dates, points as numbers, the credited points totalled', async () => {
    const res = await history(a.employerId, ids.atRisk, a.apiKey, { format: 'xlsx' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/filename="historie-PE-[0-9A-Z]{6}-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawBody as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Historie')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(2).getCell(3).value).toBeInstanceOf(Date);
    expect((sheet.getRow(2).getCell(3).value as Date).toISOString().slice(0, 10)).toBe(addMonths(today, -10));
    expect([2, 3, 4].map((r) => sheet.getRow(r).getCell(6).value)).toEqual([1.5, 0.5, 2]);
    expect(sheet.getRow(4).getCell(10).value).toBeInstanceOf(Date);
    const totals = sheet.getRow(6);
    expect(totals.getCell(1).value).toBe('Totaal toegekend');
    expect(totals.getCell(5).value).toBe(2); // credited activities
    expect(totals.getCell(6).value).toBe(2); // their points: 1.5 + 0.5 (the revoked 2 no longer count)
  });

  it("404 for someone not linked to this employer: another employer's employee, an unlinked one, an unknown id", async () => {
    expect((await history(a.employerId, ids.other[0], a.apiKey)).statusCode).toBe(404);
    expect((await history(a.employerId, ids.unlinked, a.apiKey)).statusCode).toBe(404);
    expect((await history(a.employerId, 'par_00000000000000000000000000', a.apiKey)).statusCode).toBe(404);
    expect((await history(a.employerId, ids.other[0], await adminKey())).statusCode).toBe(404);
    expect((await history(b.employerId, ids.other[0], await adminKey())).statusCode).toBe(200);
  });
});

describe('linkage', () => {
  it('an employer sees its linked employees’ dossiers and no one else’s', async () => {
    const dossier = (id: string, key: string) => invoke(getParticipantHandler, { path: `/v1/participants/${id}`, apiKey: key });
    expect((await dossier(ids.fresh[0], a.apiKey)).statusCode).toBe(200);
    expect((await dossier(ids.lapsed, a.apiKey)).statusCode).toBe(200);
    expect((await dossier(ids.fresh[0], b.apiKey)).statusCode).toBe(404);
    expect((await dossier(ids.other[0], a.apiKey)).statusCode).toBe(404);
    expect((await dossier(ids.unlinked, a.apiKey)).statusCode).toBe(404);
  });

  it('unlinking keeps the record with unlinkedAt, is in the audit trail, and is idempotent; never linked → 404', async () => {
    const link = await getLink(a.employerId, ids.unlinked);
    expect(link).toMatchObject({ linkedOn: today, unlinkedAt: expect.any(String) });
    const events = await eventsOf(ids.unlinked);
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['employer.linked', 'employer.unlinked']));
    expect(events.find((e) => e.action === 'employer.unlinked')).toMatchObject({ actor: { role: 'admin', id: 'admin' }, before: { employerId: a.employerId, linkedOn: today } });
    expect((await unlink(a.employerId, ids.unlinked, await adminKey())).statusCode).toBe(204);
    expect((await unlink(a.employerId, ids.other[0], await adminKey())).statusCode).toBe(404);
  });

  it('a later collective registration links an unlinked employee again, recording the earlier unlink', async () => {
    const c = await newEmployer('C BV');
    const list = await holders(10);
    await register(c, { employees: rowsOf(list) });
    const pid = await participantIdOf(list[0].diplomaNumber);
    expect((await unlink(c.employerId, pid, await adminKey())).statusCode).toBe(204);
    // A different list (the same one again would be answered from the first time).
    const again = await register(c, { employees: rowsOf([...list, ...(await holders(1))]) });
    expect(again.statusCode).toBe(201);
    const link = await getLink(c.employerId, pid);
    expect(link?.unlinkedAt).toBeUndefined();
    const relinked = (await eventsOf(pid)).filter((e) => e.action === 'employer.linked');
    expect(relinked).toHaveLength(2);
    expect(relinked.some((e) => (e.before as { unlinkedAt?: string } | undefined)?.unlinkedAt)).toBe(true);
  });
});

describe('access to the employer routes', () => {
  it('another employer gets 404 on every route with an employer id (even with a bad body)', async () => {
    expect((await report(a.employerId, b.apiKey)).statusCode).toBe(404);
    expect((await report(a.employerId, b.apiKey, { format: 'csv' })).statusCode).toBe(404);
    expect((await history(a.employerId, ids.fresh[0], b.apiKey)).statusCode).toBe(404);
    const post = await register(a, { employees: rowsOf(fresh) }, { apiKey: b.apiKey });
    expect(post.statusCode).toBe(404);
    expect((await register(a, 'not json', { apiKey: b.apiKey, contentType: 'text/csv' })).statusCode).toBe(404);
    expect((await report(a.employerId, b.apiKey)).json).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('a participant or provider gets 403; an employer may not unlink (admin only)', async () => {
    const participant = (await createApiKey('participant', ids.fresh[0])).apiKey;
    const provider = (await createApiKey('provider', 'prv_00000000000000000000000000')).apiKey;
    for (const key of [participant, provider]) {
      expect((await report(a.employerId, key)).statusCode).toBe(403);
      expect((await history(a.employerId, ids.fresh[0], key)).statusCode).toBe(403);
      expect((await register(a, { employees: rowsOf(fresh) }, { apiKey: key })).statusCode).toBe(403);
      expect((await unlink(a.employerId, ids.fresh[0], key)).statusCode).toBe(403);
    }
    expect((await unlink(a.employerId, ids.fresh[0], a.apiKey)).statusCode).toBe(403);
    expect((await getLink(a.employerId, ids.fresh[0]))?.unlinkedAt).toBeUndefined();
  });

  it('no key, or an unknown one → 401 on every route', async () => {
    for (const key of [undefined, 'pe_employer_unknown']) {
      expect((await report(a.employerId, key)).statusCode).toBe(401);
      expect((await history(a.employerId, ids.fresh[0], key)).statusCode).toBe(401);
      expect((await register(a, { employees: rowsOf(fresh) }, { apiKey: key ?? '' })).statusCode).toBe(401);
      expect((await unlink(a.employerId, ids.fresh[0], key)).statusCode).toBe(401);
    }
  });

  it('the admin gets 404 for an employer that does not exist; a malformed id is a 400', async () => {
    const admin = await adminKey();
    const ghost = 'emp_00000000000000000000000000';
    expect((await report(ghost, admin)).statusCode).toBe(404);
    expect((await history(ghost, ids.fresh[0], admin)).statusCode).toBe(404);
    expect((await unlink(ghost, ids.fresh[0], admin)).statusCode).toBe(404);
    expect((await register(a, { employees: rowsOf(fresh) }, { apiKey: admin, employerId: ghost })).statusCode).toBe(404);
    const bad = await report('acme', admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors[0].path).toBe('path.employerId');
  });
});
