import { describe, expect, it } from 'vitest';
import { parseOrThrow } from '../../shared/http/validation';
import { BadRequest } from '../../shared/domain/errors';
import { CreateEmployerRequestSchema } from '../../shared/schemas/organisations';

function errorsOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequest);
    return (err as BadRequest).errors;
  }
  throw new Error('expected a BadRequest');
}

describe('parseOrThrow', () => {
  it('names every bad field, nested paths with dots and unknown keys one by one', () => {
    const errors = errorsOf(() =>
      parseOrThrow(CreateEmployerRequestSchema, {
        name: '',
        kvkNumber: '123',
        invoiceEmail: 'not-an-email',
        address: { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'Netherlands' },
        colour: 'blue',
        size: 3,
      }),
    );
    const paths = errors.map((e) => e.path).sort();
    expect(paths).toEqual(['address.country', 'colour', 'invoiceEmail', 'kvkNumber', 'name', 'size']);
    expect(errors.find((e) => e.path === 'colour')?.message).toBe('Unknown field');
    expect(errors.every((e) => e.message.length > 3)).toBe(true);
  });

  it('prefixes query and path errors and indexes arrays', () => {
    const errors = errorsOf(() => parseOrThrow(CreateEmployerRequestSchema, { address: 5 }, 'query'));
    expect(errors.map((e) => e.path)).toContain('query.address');
    expect(errors.map((e) => e.path)).toContain('query.name');
  });

  it('returns the parsed, trimmed value when valid', () => {
    const value = parseOrThrow(CreateEmployerRequestSchema, {
      name: '  Flex BV ',
      kvkNumber: '12345678',
      invoiceEmail: 'facturen@flex.nl',
      address: { street: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' },
    });
    expect(value.name).toBe('Flex BV');
  });
});
