import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvToObjects, decimalComma, decodeCsv, dutchDateToIso, parseCsv, toCsv } from '../../shared/services/csv';
import { exportFormatOf, XLSX_CONTENT_TYPE } from '../../shared/services/report-export';
import { exportLanguage } from '../../shared/http/negotiate';
import { negotiate } from '../../shared/http/negotiate';
import { rowsFromCsv, rowsFromJson, UPLOAD_COLUMNS } from '../../shared/services/employers/rows';
import { BadRequest } from '../../shared/domain/errors';

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
  it("decodes an upload's bytes: UTF-8 (with its BOM kept for the parser), else Windows-1252 as Excel's plain CSV; a named charset wins", () => {
    const text = 'Diplomanummer;Geboortedatum;E-mailadres\r\nSEU-1;15-03-1985;rené@example.nl\r\n';
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(decodeCsv(utf8)).toBe(`\uFEFF${text}`);
    expect(parseCsv(decodeCsv(utf8)).records[0].fields[2]).toBe('rené@example.nl');
    // Windows-1252: é is 0xE9, € 0x80 (where ISO-8859-1 has a control character).
    const cp1252 = Buffer.from([...Buffer.from('Jos', 'latin1'), 0xe9, 0x3b, 0x80]);
    expect(decodeCsv(cp1252)).toBe('José;€');
    expect(decodeCsv(Buffer.from(text, 'latin1'))).toBe(text);
    // A sender that says its charset is believed, even when the bytes would also be UTF-8.
    expect(decodeCsv(Buffer.from('é', 'utf8'), 'text/csv; charset=windows-1252')).toBe('Ã©');
    expect(decodeCsv(Buffer.from([0xe9]), 'text/csv; charset=no-such-charset')).toBe('é');
  });

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
    const { objects, errors } = csvToObjects(table, UPLOAD_COLUMNS, 'employees');
    expect(errors).toEqual([]);
    expect(objects.map((o) => o.email)).toEqual(['a@example.nl', 'b@example.nl']);
    // A filled cell beyond the header is still an error, on its row.
    const extra = csvToObjects(parseCsv('diplomaNumber;birthDate;email;\nSEU-1;1990-01-01;a@example.nl;oops\n'), UPLOAD_COLUMNS, 'employees');
    expect(extra.errors).toEqual([{ path: 'employees[0]', message: '4 fields instead of 3, line 2' }]);
    // The sep= hint wins over guessing: a comma file whose first data line has semicolons in it.
    expect(parseCsv('sep=,\ndiplomaNumber,birthDate,email\nSEU;1,1990-01-01,a@example.nl\n').records[0].fields).toEqual(['SEU;1', '1990-01-01', 'a@example.nl']);
  });

  it('reads plain comma CSV with LF, and matches the header case-insensitively in any order', () => {
    const table = parseCsv('Email,DIPLOMANUMBER,birthdate\nA@b.nl,SEU-1,1990-01-01\n');
    const { objects, errors } = csvToObjects(table, UPLOAD_COLUMNS, 'employees');
    expect(errors).toEqual([]);
    expect(objects).toEqual([{ diplomaNumber: 'SEU-1', birthDate: '1990-01-01', email: 'A@b.nl' }]);
  });

  it('refuses a wrong header, naming the missing and unknown columns', () => {
    const err = badRequest(() => csvToObjects(parseCsv('diplomaNumber;date of birth;email\r\nSEU-1;x;y\r\n'), UPLOAD_COLUMNS, 'employees'));
    expect(err.errors).toEqual([
      { path: 'header.birthDate', message: 'Missing column birthDate' },
      { path: 'header.date of birth', message: 'Unknown column date of birth' },
    ]);
    expect(err.message).toBe('The CSV header must be diplomaNumber,birthDate,email.');
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
    expect(parsed.errors.map((e) => e.path)).toEqual(['employees[2].birthDate', 'employees[4].email', 'employees[6]', 'employees[6].email']);
    expect(parsed.file?.lines.slice(0, 3)).toEqual([2, 3, 4]);
    const good = rowsFromCsv(`diplomaNumber,birthDate,email\n${rowsOf(10).map((r) => `${r.diplomaNumber},15-01-1990,${r.email}`).join('\n')}\n`);
    expect(good.errors).toEqual([]);
    expect(good.rows[0]).toEqual({ diplomaNumber: 'SEU-1000', birthDate: '1990-01-15', email: 'e0@example.nl' });
  });
});

describe('a Dutch HR file (issue 13.2)', () => {
  const dutch = (lines: string[], header = 'Diplomanummer;Geboortedatum;E-mailadres') => `\uFEFF${header}\r\n${lines.join('\r\n')}\r\n`;
  const good = (n: number) => rowsOf(n).map((r) => `${r.diplomaNumber};15-01-1990;${r.email}`);

  it('reads Dutch and English column names in any case, spacing and order', () => {
    for (const header of [
      'Diplomanummer;Geboortedatum;E-mailadres',
      'DIPLOMANUMMER;geboortedatum;e-mailadres',
      ' Diploma nummer ; Geboorte_datum ; E-mail adres ',
      'Diplomanummer;Geboortedatum;Emailadres',
      'Diplomanummer;Geboortedatum;E-mail',
      'Diploma Number;Birth date;E-Mail',
      'diploma_number;birth-date;email',
    ]) {
      const parsed = rowsFromCsv(dutch(good(10), header));
      expect(parsed.errors, header).toEqual([]);
      expect(parsed.rows[0], header).toEqual({ diplomaNumber: 'SEU-1000', birthDate: '1990-01-15', email: 'e0@example.nl' });
    }
    const reordered = rowsFromCsv(dutch(rowsOf(10).map((r) => `${r.email};${r.diplomaNumber};1990-01-15`), 'E-mailadres;Diplomanummer;Geboortedatum'));
    expect(reordered.errors).toEqual([]);
    expect(reordered.rows[9]).toEqual({ diplomaNumber: 'SEU-1009', birthDate: '1990-01-15', email: 'e9@example.nl' });
  });

  it('reports a bad date in the file’s own format, in Dutch, with the line the file has it on', () => {
    const lines = good(12);
    lines[9] = 'SEU-1009;31-02-1990;e9@example.nl';
    const parsed = rowsFromCsv(dutch(lines));
    expect(parsed.errors).toEqual([{ path: 'employees[9].birthDate', message: '31-02-1990 is geen geldige datum (dd-mm-jjjj), regel 11' }]);
    // A sep= line is a line of the file too.
    const withSep = rowsFromCsv(`sep=;\r\n${dutch(lines).slice(1)}`);
    expect(withSep.errors).toEqual([{ path: 'employees[9].birthDate', message: '31-02-1990 is geen geldige datum (dd-mm-jjjj), regel 12' }]);
  });

  it('an ISO file gets its bad date explained in ISO; English names get English messages; the request’s language wins', () => {
    const lines = rowsOf(10).map((r, i) => `${r.diplomaNumber},${i === 2 ? '1990-02-30' : '1990-01-15'},${r.email}`);
    const english = rowsFromCsv(`diplomaNumber,birthDate,email\n${lines.join('\n')}\n`);
    expect(english.errors).toEqual([{ path: 'employees[2].birthDate', message: '1990-02-30 is not a valid date (yyyy-mm-dd), line 4' }]);
    const iso = rowsFromCsv(dutch(lines.map((l) => l.replaceAll(',', ';'))));
    expect(iso.errors).toEqual([{ path: 'employees[2].birthDate', message: '1990-02-30 is geen geldige datum (jjjj-mm-dd), regel 4' }]);
    const dutchAskedInEnglish = good(10);
    dutchAskedInEnglish[0] = 'SEU-1000;31-02-1990;e0@example.nl';
    expect(rowsFromCsv(dutch(dutchAskedInEnglish), 'en').errors).toEqual([{ path: 'employees[0].birthDate', message: '31-02-1990 is not a valid date (dd-mm-yyyy), line 2' }]);
    expect(rowsFromCsv(`diplomaNumber,birthDate,email\n${lines.join('\n')}\n`, 'nl').errors[0].message).toBe('1990-02-30 is geen geldige datum (jjjj-mm-dd), regel 4');
  });

  it('names every bad cell as the file has it, in file order, whichever check found it', () => {
    const lines = good(12);
    lines[1] = 'SEU-1001;15-01-1990'; // a cell short
    lines[3] = 'SEU 1003;15-01-1990;e3@example.nl';
    lines[5] = 'SEU-1005;;geen-adres';
    lines[8] = 'SEU-1008;1-13-1990;e8@example.nl';
    const parsed = rowsFromCsv(dutch(lines));
    expect(parsed.errors).toEqual([
      { path: 'employees[1]', message: '2 velden in plaats van 3, regel 3' },
      { path: 'employees[1].email', message: 'E-mailadres ontbreekt, regel 3' },
      { path: 'employees[3].diplomaNumber', message: 'SEU 1003 is geen geldig diplomanummer (4 tot 32 letters, cijfers of streepjes), regel 5' },
      { path: 'employees[5].birthDate', message: 'Geboortedatum ontbreekt (dd-mm-jjjj), regel 7' },
      { path: 'employees[5].email', message: 'geen-adres is geen geldig e-mailadres, regel 7' },
      { path: 'employees[8].birthDate', message: '1-13-1990 is geen geldige datum (dd-mm-jjjj), regel 10' },
    ]);
    expect(rowsFromCsv(dutch(good(9))).errors).toEqual([{ path: 'employees', message: 'Een collectieve registratie vraagt minstens 10 werknemers; dit bestand heeft er 9' }]);
    // A control or bidi character is named by its code point, not echoed.
    const hidden = good(10);
    hidden[0] = 'SEU-1\u202E000;15-01-1990;e0@example.nl';
    expect(rowsFromCsv(dutch(hidden)).errors).toEqual([{ path: 'employees[0].diplomaNumber', message: 'Diplomanummer bevat een teken dat niet is toegestaan (U+202E op positie 6), regel 2' }]);
  });

  it('refuses an unknown, missing or repeated column with a 400 naming it, in the header’s language', () => {
    const unknown = badRequest(() => rowsFromCsv(dutch(good(10), 'Diplomanummer;Geboorteplaats;E-mailadres')));
    expect(unknown.message).toBe('De kopregel van het CSV-bestand moet Diplomanummer;Geboortedatum;E-mailadres zijn.');
    expect(unknown.errors).toEqual([
      { path: 'header.birthDate', message: 'Kolom Geboortedatum ontbreekt' },
      { path: 'header.Geboorteplaats', message: 'Onbekende kolom Geboorteplaats' },
    ]);
    const twice = badRequest(() => rowsFromCsv(dutch(good(10).map((l) => `${l};x@example.nl`), 'Diplomanummer;Geboortedatum;E-mailadres;email')));
    expect(twice.errors).toEqual([{ path: 'header', message: 'Kolom email staat er meer dan één keer in' }]);
    const english = badRequest(() => rowsFromCsv('diplomaNumber,email\nSEU-1,a@example.nl\n'));
    expect(english.errors).toEqual([{ path: 'header.birthDate', message: 'Missing column birthDate' }]);
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

  it('negotiates the download from ?format= first, then from Accept with q-values', () => {
    expect(exportFormatOf(negotiate('get-employer-report', 'application/json', 'csv'))).toBe('csv');
    expect(exportFormatOf(negotiate('get-employer-report', 'text/csv', 'json'))).toBe('json');
    expect(exportFormatOf(negotiate('get-employer-report', undefined, 'xlsx'))).toBe('xlsx');
    expect(exportFormatOf(negotiate('get-employer-report', 'text/csv', undefined))).toBe('csv');
    expect(exportFormatOf(negotiate('get-employer-report', 'text/csv;q=0.5, application/json', undefined))).toBe('json');
    expect(exportFormatOf(negotiate('get-employer-report', 'application/json;q=0.1, text/csv', undefined))).toBe('csv');
    expect(exportFormatOf(negotiate('get-employer-report', XLSX_CONTENT_TYPE, undefined))).toBe('xlsx');
    expect(exportFormatOf(negotiate('get-employer-report', `text/csv;q=0.9, ${XLSX_CONTENT_TYPE}`, undefined))).toBe('xlsx');
    expect(exportFormatOf(negotiate('get-employer-report', '*/*', undefined))).toBe('json');
    expect(exportFormatOf(negotiate('get-employer-report', undefined, undefined))).toBe('json');
  });

  it('picks the language from ?lang= first, then Accept-Language, else Dutch', () => {
    expect(exportLanguage('en', 'nl')).toBe('en');
    expect(exportLanguage(undefined, 'en-GB,en;q=0.9')).toBe('en');
    expect(exportLanguage(undefined, 'de-DE, en;q=0.3')).toBe('en');
    expect(exportLanguage(undefined, 'nl-NL,nl;q=0.9,en;q=0.8')).toBe('nl');
    expect(exportLanguage(undefined, 'fr')).toBe('nl');
    expect(exportLanguage(undefined, undefined)).toBe('nl');
  });
});
