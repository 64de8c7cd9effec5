import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchGetCommand, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../shared/data/client';
import { rateLimitKey } from '../../shared/data/rate-limits';
import { config } from '../../shared/config';
import { createApiKey } from '../../shared/data/api-keys';
import { addDays, addYears } from '../../shared/domain/dates';
import * as takeInventory from '../../functions/http/take-inventory';
import { adminKey, invoke, type InvokeResponse } from '../setup/helpers';
import { holders, newEmployer, periodsOf, recentIssue, register, rowsOf, today, type Employer, type Holder } from './employers.fixtures';

function inventory(employer: Employer, body: unknown, opts: { apiKey?: string | null; contentType?: string; employerId?: string; language?: string } = {}): Promise<InvokeResponse> {
  return invoke(takeInventory, {
    method: 'POST',
    path: `/v1/employers/${opts.employerId ?? employer.employerId}/inventory`,
    ...(opts.apiKey === null ? {} : { apiKey: opts.apiKey ?? employer.apiKey }),
    body,
    headers: { ...(opts.contentType ? { 'content-type': opts.contentType } : {}), ...(opts.language ? { 'accept-language': opts.language } : {}) },
  });
}

const dmy = (iso: string) => iso.split('-').reverse().join('-');
/** A CSV as Dutch Excel saves it: BOM, `;`, dd-mm-jjjj, CRLF. */
const dutchCsv = (lines: string[][]) => `\uFEFF${lines.map((l) => l.join(';')).join('\r\n')}\r\n`;

/** Every item of this file's table (a table of its own: nothing else writes to it meanwhile). */
async function wholeTable(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db().send(new ScanCommand({ TableName: tableName(), ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => `${a.pk}\u0000${a.sk}`.localeCompare(`${b.pk}\u0000${b.sk}`));
}

describe('inventory: where each employee stands', () => {
  it('answers every row in order: registered (by the employer, and automatic), lapsed, never registered, not found', async () => {
    const employer = await newEmployer();
    const registeredBefore = await holders(10); // pre-2023: registered below by a collective registration (kind "new")
    expect((await register(employer, { employees: rowsOf(registeredBefore) })).statusCode).toBe(201);
    const [automatic] = await holders(1, { issuedOn: recentIssue() });
    // Issued after 2023 and more than two years ago: its automatic period has ended.
    const lapsedIssue = addDays(addYears(today, -2), -10);
    const [lapsed] = await holders(1, { issuedOn: lapsedIssue });
    const [never] = await holders(1, { issuedOn: '2019-03-01' });

    const res = await inventory(employer, {
      employees: [
        { diplomaNumber: never.diplomaNumber, birthDate: never.birthDate },
        { diplomaNumber: automatic.diplomaNumber.toLowerCase(), birthDate: automatic.birthDate, email: 'x@example.nl' },
        { diplomaNumber: 'NOSUCH0001', birthDate: '1988-06-30' },
        { diplomaNumber: lapsed.diplomaNumber, birthDate: lapsed.birthDate },
        { diplomaNumber: registeredBefore[0].diplomaNumber, birthDate: registeredBefore[0].birthDate },
      ],
    });

    expect(res.statusCode).toBe(200);
    expect(res.json.rows).toEqual([
      { diplomaNumber: never.diplomaNumber, found: true, diplomaType: 'uitzendprofessional', issuedOn: '2019-03-01', peState: 'never-registered' },
      {
        diplomaNumber: automatic.diplomaNumber,
        found: true,
        diplomaType: 'uitzendprofessional',
        issuedOn: automatic.issuedOn,
        peState: 'registered',
        validUntil: addDays(addYears(automatic.issuedOn, 2), -1),
        automatic: true,
      },
      { diplomaNumber: 'NOSUCH0001', found: false, peState: 'not-found' },
      { diplomaNumber: lapsed.diplomaNumber, found: true, diplomaType: 'uitzendprofessional', issuedOn: lapsedIssue, peState: 'lapsed', validUntil: addDays(addYears(lapsedIssue, 2), -1) },
      {
        diplomaNumber: registeredBefore[0].diplomaNumber,
        found: true,
        diplomaType: 'uitzendprofessional',
        issuedOn: '2021-05-01',
        peState: 'registered',
        validUntil: addDays(addYears(today, 2), -1),
        automatic: false,
      },
    ]);
  });

  it('a wrong birth date answers exactly like an unknown number: the number alone tells nothing', async () => {
    const employer = await newEmployer();
    const [h] = await holders(1, { issuedOn: recentIssue() });
    const res = await inventory(employer, {
      employees: [
        { diplomaNumber: h.diplomaNumber, birthDate: '1988-06-29' },
        { diplomaNumber: 'NOSUCH0002', birthDate: '1988-06-29' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const [wrong, unknown] = res.json.rows;
    expect(wrong).toEqual({ diplomaNumber: h.diplomaNumber, found: false, peState: 'not-found' });
    expect(Object.keys(wrong)).toEqual(Object.keys(unknown));
    expect({ ...wrong, diplomaNumber: 'X' }).toEqual({ ...unknown, diplomaNumber: 'X' });
  });

  it('reads the Dutch CSV as Excel writes it (BOM, `;`, dd-mm-jjjj), with or without the e-mail column, or with `,` and ISO dates', async () => {
    const employer = await newEmployer();
    const list = await holders(2, { issuedOn: recentIssue() });
    const expected = list.map((h) => ({ diplomaNumber: h.diplomaNumber, found: true, peState: 'registered', automatic: true }));

    const withEmail = dutchCsv([['Diplomanummer', 'Geboortedatum', 'E-mailadres'], [list[0].diplomaNumber, dmy(list[0].birthDate), list[0].email], [list[1].diplomaNumber, dmy(list[1].birthDate), '']]);
    const noEmail = dutchCsv([['Diplomanummer', 'Geboortedatum'], ...list.map((h) => [h.diplomaNumber, dmy(h.birthDate)])]);
    const commas = `diplomaNumber,birthDate,email\n${list.map((h) => `${h.diplomaNumber},${h.birthDate},`).join('\n')}\n`;
    for (const csv of [withEmail, noEmail, commas]) {
      const res = await inventory(employer, csv, { contentType: 'text/csv' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json.rows).toMatchObject(expected);
    }
  });

  it('takes 1 row, refuses 0 and 1001 with a 400 naming the count', async () => {
    const employer = await newEmployer();
    const [h] = await holders(1);
    expect((await inventory(employer, { employees: [{ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate }] })).json.rows).toHaveLength(1);

    const none = await inventory(employer, { employees: [] });
    expect(none.statusCode).toBe(400);
    expect(none.json.errors).toEqual([{ path: 'employees', message: 'An inventory needs at least 1 employee; got 0' }]);

    const emptyCsv = await inventory(employer, dutchCsv([['Diplomanummer', 'Geboortedatum', 'E-mailadres']]), { contentType: 'text/csv' });
    expect(emptyCsv.statusCode).toBe(400);
    expect(emptyCsv.json.errors).toEqual([{ path: 'employees', message: 'Een inventarisatie vraagt minstens 1 werknemer; dit bestand heeft er 0' }]);

    const rows = Array.from({ length: 1001 }, (_, i) => ({ diplomaNumber: `MANY${i}`, birthDate: '1990-01-01' }));
    const tooMany = await inventory(employer, { employees: rows });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json.errors).toEqual([{ path: 'employees', message: 'An inventory takes at most 1000 employees; got 1001' }]);
  });

  it('names every bad row, as the registration does, and looks nothing up', async () => {
    const employer = await newEmployer();
    const [h] = await holders(1);
    const csv = dutchCsv([
      ['Diplomanummer', 'Geboortedatum', 'E-mailadres'],
      [h.diplomaNumber, dmy(h.birthDate), ''],
      ['AB', '31-02-1990', 'geen-adres'],
      [h.diplomaNumber, dmy(h.birthDate), ''],
    ]);
    const spy = vi.spyOn(db(), 'send');
    const res = await inventory(employer, csv, { contentType: 'text/csv' });
    const reads = spy.mock.calls.map(([c]) => c).filter((c) => c instanceof BatchGetCommand);
    spy.mockRestore();
    expect(res.statusCode).toBe(400);
    expect(res.json.detail).toBe('4 fouten op 2 regels; er is niets opgezocht.');
    expect(res.json.errors).toEqual([
      { path: 'employees[1].diplomaNumber', message: 'AB is geen geldig diplomanummer (4 tot 32 letters, cijfers of streepjes), regel 3' },
      { path: 'employees[1].birthDate', message: '31-02-1990 is geen geldige datum (dd-mm-jjjj), regel 3' },
      { path: 'employees[1].email', message: 'geen-adres is geen geldig e-mailadres, regel 3' },
      { path: 'employees[2].diplomaNumber', message: `Diplomanummer ${h.diplomaNumber} staat ook op regel 2, regel 4` },
    ]);
    expect(reads).toEqual([]);

    const json = await inventory(employer, { employees: [{ diplomaNumber: h.diplomaNumber, birthDate: '1990-13-01' }] });
    expect(json.statusCode).toBe(400);
    expect(json.json.errors.map((e: { path: string }) => e.path)).toEqual(['employees[0].birthDate']);
  });

  it('reads with two BatchGetItem rounds whatever the number of rows, and writes only the count of unmatched rows', async () => {
    const employer = await newEmployer();
    const list: Holder[] = [...(await holders(12)), ...(await holders(3, { issuedOn: recentIssue() }))];
    const before = await wholeTable();
    const spy = vi.spyOn(db(), 'send');
    const res = await inventory(employer, { employees: [...rowsOf(list), { diplomaNumber: 'NOSUCH0003', birthDate: '1990-01-01' }] });
    const commands = spy.mock.calls.map(([c]) => c.constructor.name);
    spy.mockRestore();
    expect(res.statusCode).toBe(200);
    expect(res.json.rows).toHaveLength(16);
    // The caller's key (one read), then the employer, then diplomas and profiles: no per-row reads.
    expect(commands.filter((c) => c === BatchGetCommand.name)).toHaveLength(2);
    expect(commands.filter((c) => c === GetCommand.name || c === QueryCommand.name).length).toBeLessThanOrEqual(3);
    // The one write: the employer's miss counter, by the one unmatched row.
    expect(commands.filter((c) => !['GetCommand', 'QueryCommand', 'BatchGetCommand'].includes(c))).toEqual(['UpdateCommand']);
    const after = await wholeTable();
    expect(after.filter((i) => !String(i.pk).startsWith('RATE#'))).toEqual(before.filter((i) => !String(i.pk).startsWith('RATE#')));
    expect(await missesOf(employer)).toBe(1);
  });
});

/** The employer's count of unmatched rows in the current window (shared/services/misses.ts). */
async function missesOf(employer: Employer): Promise<number | undefined> {
  const { windowSeconds } = config.rateLimits.misses;
  const nowSec = Math.floor(Date.now() / 1000);
  const key = rateLimitKey({ group: 'employer', kind: 'misses', value: employer.employerId }, nowSec - (nowSec % windowSeconds));
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return res.Item?.count as number | undefined;
}

const guesses = (diplomaNumber: string, n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => ({ diplomaNumber: `${diplomaNumber}-${from + i}`, birthDate: '1988-06-30' }));

describe('inventory and collective registration: a limit on unmatched rows per employer', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('under the limit it answers and counts only the rows that matched nothing; one that could pass it is a 429 that answers and counts nothing', async () => {
    vi.stubEnv('RATE_LIMIT_MISSES_MAX', '10');
    const employer = await newEmployer();
    const [h] = await holders(1);
    const first = await inventory(employer, { employees: [{ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate }, ...guesses('NOSUCHA', 5)] });
    expect(first.statusCode).toBe(200);
    expect(first.json.rows.filter((r: { found: boolean }) => !r.found)).toHaveLength(5);
    expect(await missesOf(employer)).toBe(5);

    // 5 counted, 5 left: six rows could all miss, so the request is refused whatever its rows
    // are — even when every one matches (a refusal only for wrong guesses would answer them).
    const refused = await inventory(employer, { employees: [{ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate }, ...guesses('NOSUCHB', 5)] });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json.rows).toBeUndefined();
    expect(JSON.stringify(refused.json)).not.toContain(h.diplomaNumber);
    expect(await missesOf(employer)).toBe(5);

    // Exactly the room left: answered, and the window is full.
    const last = await inventory(employer, { employees: guesses('NOSUCHC', 5) });
    expect(last.statusCode).toBe(200);
    expect(await missesOf(employer)).toBe(10);
    const full = await inventory(employer, { employees: [{ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate }] });
    expect(full.statusCode).toBe(429);
    expect(await missesOf(employer)).toBe(10);

    // The counter is the employer's: another employer still gets its answers.
    const other = await newEmployer('Ander Uitzend BV');
    expect((await inventory(other, { employees: guesses('NOSUCHD', 3) })).statusCode).toBe(200);
  });

  it('requests racing for the last room never take the count past the limit', async () => {
    vi.stubEnv('RATE_LIMIT_MISSES_MAX', '20');
    const employer = await newEmployer();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => inventory(employer, { employees: guesses(`RACE${i}`, 6) })));
    const statuses = answers.map((a) => a.statusCode).sort();
    // Room for three requests of six misses: the others are refused and counted nothing.
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    expect(await missesOf(employer)).toBe(18);
  });

  it("the collective registration's unmatched rows count on the same counter, and past it the registration is a 429 that writes nothing", async () => {
    vi.stubEnv('RATE_LIMIT_MISSES_MAX', '24');
    const employer = await newEmployer();
    const list = await holders(10);
    const rows = rowsOf(list);
    const bad = await register(employer, { employees: rows.map((r, i) => (i < 2 ? { ...r, birthDate: '1970-01-01' } : r)) });
    expect(bad.statusCode).toBe(400);
    expect(await missesOf(employer)).toBe(2);
    expect((await inventory(employer, { employees: guesses('NOSUCHE', 12) })).statusCode).toBe(200);
    expect(await missesOf(employer)).toBe(14);

    // 10 left, and the list has 10 rows: it passes (nothing missed, nothing added).
    expect((await register(employer, { employees: rows })).statusCode).toBe(201);
    expect(await missesOf(employer)).toBe(14);
    expect((await inventory(employer, { employees: guesses('NOSUCHF', 10) })).statusCode).toBe(200);

    // Full: a collective registration is refused before anything is written or answered.
    const others = await holders(10);
    const refused = await register(employer, { employees: rowsOf(others) });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(await missesOf(employer)).toBe(24);
    for (const periods of await periodsOf(others)) expect(periods).toHaveLength(0);
  });
});

describe('inventory: who may take it', () => {
  it('the employer and the admin; another employer gets 404, a provider 403, no key 401', async () => {
    const employer = await newEmployer();
    const other = await newEmployer('Ander Uitzendbureau BV');
    const [h] = await holders(1);
    const body = { employees: [{ diplomaNumber: h.diplomaNumber, birthDate: h.birthDate }] };

    expect((await inventory(employer, body)).statusCode).toBe(200);
    expect((await inventory(employer, body, { apiKey: await adminKey() })).statusCode).toBe(200);
    const stranger = await inventory(other, body, { employerId: employer.employerId });
    expect(stranger.statusCode).toBe(404);
    // Not even whether its body was valid.
    expect((await inventory(other, { employees: [] }, { employerId: employer.employerId })).statusCode).toBe(404);
    const provider = (await createApiKey('provider', 'prv_00000000000000000000000000')).apiKey;
    expect((await inventory(employer, body, { apiKey: provider })).statusCode).toBe(403);
    expect((await inventory(employer, body, { apiKey: null })).statusCode).toBe(401);
  });
});
