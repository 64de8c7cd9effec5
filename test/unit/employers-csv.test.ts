import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvToObjects, decimalComma, dutchDateToIso, parseCsv, toCsv } from '../../shared/services/csv';
import { rowsFromCsv, rowsFromJson } from '../../shared/services/employers';
import { BadRequest } from '../../shared/http/errors';

function rowsOf(n: number) {
  return Array.from({ length: n }, (_, i) => ({ diplomaNumber: `SEU-${1000 + i}`, birthDate: '1990-01-15', email: `e${i}@example.nl` }));
}

function badRequest(fn: () => unknown): BadRequest {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequest);
    return err as BadRequest;
  }
  throw new Error('expected a BadRequest');
}

describe('reading CSV uploads', () => {
  it('reads a Dutch Excel file: BOM, semicolons, CRLF, quoted fields with separators and quotes inside', () => {
    const text = '\uFEFFdiplomaNumber;birthDate;email\r\n"SEU-1;2";15-03-1985;"j.""de"".vries@example.nl"\r\n;;\r\nSEU-3;1990-01-01; x@example.nl \r\n';
    const table = parseCsv(text);
    expect(table.header).toEqual(['diplomaNumber', 'birthDate', 'email']);
    expect(table.records).toEqual([
      { line: 2, fields: ['SEU-1;2', '15-03-1985', 'j."de".vries@example.nl'] },
      { line: 4, fields: ['SEU-3', '1990-01-01', 'x@example.nl'] },
    ]);
  });

  it('reads what Excel writes for sheets whose columns to the right were once used: trailing separators, and a sep= line', () => {
    const text = '\uFEFFsep=;\r\ndiplomaNumber;birthDate;email;;\r\nSEU-1;15-03-1985;a@example.nl;;\r\nSEU-2;1990-01-01;b@example.nl\r\n;;;;\r\n';
    const table = parseCsv(text);
    expect(table.header).toEqual(['diplomaNumber', 'birthDate', 'email']);
    expect(table.records).toEqual([
      { line: 3, fields: ['SEU-1', '15-03-1985', 'a@example.nl'] },
      { line: 4, fields: ['SEU-2', '1990-01-01', 'b@example.nl'] },
    ]);
    const { objects, errors } = csvToObjects(table, ['diplomaNumber', 'birthDate', 'email'], 'employees');
    expect(errors).toEqual([]);
    expect(objects.map((o) => o.email)).toEqual(['a@example.nl', 'b@example.nl']);
    // A filled cell beyond the header is still an error, on its row.
    const extra = csvToObjects(parseCsv('diplomaNumber;birthDate;email;\nSEU-1;1990-01-01;a@example.nl;oops\n'), ['diplomaNumber', 'birthDate', 'email'], 'employees');
    expect(extra.errors).toEqual([{ path: 'employees[0]', message: 'Line 2 has 4 fields; expected 3' }]);
    // The sep= hint wins over guessing: a comma file whose first data line has semicolons in it.
    expect(parseCsv('sep=,\ndiplomaNumber,birthDate,email\nSEU;1,1990-01-01,a@example.nl\n').records[0].fields).toEqual(['SEU;1', '1990-01-01', 'a@example.nl']);
  });

  it('reads plain comma CSV with LF, and matches the header case-insensitively in any order', () => {
    const table = parseCsv('Email,DIPLOMANUMBER,birthdate\nA@b.nl,SEU-1,1990-01-01\n');
    const { objects, errors } = csvToObjects(table, ['diplomaNumber', 'birthDate', 'email'], 'employees');
    expect(errors).toEqual([]);
    expect(objects).toEqual([{ diplomaNumber: 'SEU-1', birthDate: '1990-01-01', email: 'A@b.nl' }]);
  });

  it('refuses a wrong header, naming the missing and unknown columns', () => {
    const err = badRequest(() => csvToObjects(parseCsv('diplomaNumber;geboortedatum;email\r\nSEU-1;x;y\r\n'), ['diplomaNumber', 'birthDate', 'email'], 'employees'));
    expect(err.errors).toEqual([
      { path: 'header.birthDate', message: 'Missing column' },
      { path: 'header.geboortedatum', message: 'Unknown column' },
    ]);
  });

  it('reports an unclosed quote with its line, and an empty file', () => {
    expect(badRequest(() => parseCsv('diplomaNumber,birthDate,email\nSEU-1,"1990-01-01,x\n')).message).toMatch(/line 2/);
    expect(badRequest(() => parseCsv('\uFEFF\r\n')).errors[0].path).toBe('header');
  });

  it('turns the dates Dutch Excel writes back into ISO dates, and leaves others alone', () => {
    expect(dutchDateToIso('15-03-1985')).toBe('1985-03-15');
    expect(dutchDateToIso('5/3/1985')).toBe('1985-03-05');
    expect(dutchDateToIso('1985-03-15')).toBe('1985-03-15');
    expect(dutchDateToIso('15-3-85')).toBe('15-3-85');
  });
});

describe('validating the rows of a collective registration', () => {
  it('accepts 10 rows and upper-cases the diploma numbers', () => {
    const rows = rowsOf(10).map((r) => ({ ...r, diplomaNumber: r.diplomaNumber.toLowerCase() }));
    const parsed = rowsFromJson({ employees: rows });
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => r?.diplomaNumber)).toEqual(rowsOf(10).map((r) => r.diplomaNumber));
  });

  it('collects fewer than 10 as an error and refuses more than 1000 outright', () => {
    expect(rowsFromJson({ employees: rowsOf(9) }).errors).toEqual([{ path: 'employees', message: expect.stringMatching(/at least 10/) }]);
    expect(badRequest(() => rowsFromJson({ employees: rowsOf(1001) })).errors[0].message).toMatch(/at most 1000/);
  });

  it('names every bad row and field, keeps the good rows, and refuses unknown top-level fields', () => {
    const rows: Record<string, unknown>[] = rowsOf(12);
    rows[3] = { ...rows[3], birthDate: '1990-02-30' };
    rows[5] = { ...rows[5], email: 'not-an-email' };
    rows[7] = { ...rows[7], shoeSize: 44 };
    rows[9] = { birthDate: '1990-01-01', email: 'a@b.nl' };
    expect(badRequest(() => rowsFromJson({ employees: rows, extra: true })).errors.map((e) => e.path)).toEqual(['extra']);
    const parsed = rowsFromJson({ employees: rows });
    expect(parsed.errors.map((e) => e.path)).toEqual(['employees[3].birthDate', 'employees[5].email', 'employees[7].shoeSize', 'employees[9].diplomaNumber']);
    expect(parsed.rows.map((r) => r !== undefined)).toEqual([true, true, true, false, true, false, true, false, true, false, true, true]);
  });

  it('reads a CSV upload into the same rows; a short record is named by index', () => {
    const lines = rowsOf(11).map((r, i) => `${r.diplomaNumber};${i === 2 ? '31-02-1990' : '15-01-1990'};${i === 4 ? 'nope' : r.email}`);
    lines.splice(6, 0, 'SEU-X;15-01-1990');
    const parsed = rowsFromCsv(`\uFEFFdiplomaNumber;birthDate;email\r\n${lines.join('\r\n')}\r\n`);
    expect(parsed.errors.map((e) => e.path)).toEqual(['employees[6]', 'employees[2].birthDate', 'employees[4].email', 'employees[6].email']);
    expect(parsed.lines?.slice(0, 3)).toEqual([2, 3, 4]);
    const good = rowsFromCsv(`diplomaNumber,birthDate,email\n${rowsOf(10).map((r) => `${r.diplomaNumber},15-01-1990,${r.email}`).join('\n')}\n`);
    expect(good.errors).toEqual([]);
    expect(good.rows[0]).toEqual({ diplomaNumber: 'SEU-1000', birthDate: '1990-01-15', email: 'e0@example.nl' });
  });
});

describe('writing CSV for Dutch Excel', () => {
  it('writes a BOM, semicolons, CRLF, decimal commas and quotes where needed; a parser reads it back', () => {
    const csv = toCsv(['name', 'points', 'note'], [
      ['de Vries; J.', 7.5, 'says "hi"'],
      ['=HYPERLINK("x")', 12, null],
    ]);
    expect(csv.startsWith('\uFEFFname;points;note\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv).toContain('"de Vries; J.";7,5;"says ""hi"""\r\n');
    const back = parse(csv, { bom: true, delimiter: ';' }) as string[][];
    expect(back).toEqual([
      ['name', 'points', 'note'],
      ['de Vries; J.', '7,5', 'says "hi"'],
      ["'=HYPERLINK(\"x\")", '12', ''],
    ]);
    expect(decimalComma(0.25)).toBe('0,25');
  });
});
