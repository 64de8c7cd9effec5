import { describe, expect, it } from 'vitest';
import { negotiate } from '../../shared/http/negotiate';
import { NotAcceptable } from '../../shared/http/errors';

const PDF = 'application/pdf';
const XML = 'application/xml';
const JSON_ = 'application/json';
const CSV = 'text/csv';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('content negotiation (q-values, by negotiator)', () => {
  it('honours q-values: a type listed with a low q loses to JSON', () => {
    expect(negotiate('get-invoice', 'application/json, application/pdf;q=0.1')).toBe(JSON_);
    expect(negotiate('get-invoice', 'application/pdf;q=0.1, application/json')).toBe(JSON_);
    expect(negotiate('get-invoice', 'application/json;q=0.5, application/pdf')).toBe(PDF);
    expect(negotiate('get-invoice', 'application/xml;q=0.9, application/pdf;q=0.8')).toBe(XML);
    expect(negotiate('get-employer-report', 'text/csv;q=0.5, application/json')).toBe(JSON_);
    expect(negotiate('get-employer-report', 'application/json;q=0.1, text/csv')).toBe(CSV);
  });

  it('JSON when the header cannot tell the offers apart: */*, application/*, none, empty', () => {
    for (const accept of ['*/*', 'application/*', undefined, '', '  ']) {
      expect(negotiate('get-invoice', accept)).toBe(JSON_);
      expect(negotiate('get-employer-report', accept)).toBe(JSON_);
    }
    expect(negotiate('get-invoice', 'application/pdf;q=0.9, */*')).toBe(JSON_);
  });

  it('the more specific range wins at the same q: text/csv over */*', () => {
    expect(negotiate('get-employer-report', 'text/csv, */*')).toBe(CSV);
    expect(negotiate('get-employer-report', 'text/*')).toBe(CSV);
    expect(negotiate('get-invoice', 'application/pdf, */*;q=0.1')).toBe(PDF);
  });

  it('text/xml is taken for the UBL, answered as application/xml', () => {
    expect(negotiate('get-invoice', 'text/xml')).toBe(XML);
  });

  it('?format= wins over the header, if the route offers it', () => {
    expect(negotiate('get-employer-report', 'application/json', 'csv')).toBe(CSV);
    expect(negotiate('get-employer-report', 'text/csv', 'json')).toBe(JSON_);
    expect(() => negotiate('get-employee-history', undefined, 'pdf')).toThrow(NotAcceptable);
  });

  it('406 naming the offers when nothing offered is acceptable (q=0 refuses a type)', () => {
    expect(() => negotiate('get-invoice', 'image/png')).toThrow(NotAcceptable);
    expect(() => negotiate('get-invoice', 'application/json;q=0, application/pdf;q=0, application/xml;q=0')).toThrow(NotAcceptable);
    expect(() => negotiate('get-employer-report', 'application/pdf')).toThrow(NotAcceptable);
    const err = caught(() => negotiate('get-employer-report', 'application/pdf'));
    expect(err).toBeInstanceOf(NotAcceptable);
    expect(err).toMatchObject({ status: 406, extra: { available: [JSON_, CSV, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] } });
  });
});
