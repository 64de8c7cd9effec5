import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type * as z from 'zod/mini';
import { text, textFields, textProblem } from '../../shared/schemas/common';
import { schemas } from '../../shared/schemas/index';
import { routes } from '../../shared/routes';
import { parseOrThrow } from '../../shared/http/validation';
import { BadRequest } from '../../shared/domain/errors';
import { IdempotencyKeySchema } from '../../shared/schemas/employers';
import * as participantSchemas from '../../shared/schemas/participants';
import * as employerSchemas from '../../shared/schemas/employers';
import * as creditSchemas from '../../shared/schemas/credits';
import * as invoiceSchemas from '../../shared/schemas/invoices';
import * as organisationSchemas from '../../shared/schemas/organisations';
import * as recognitionSchemas from '../../shared/schemas/recognition';
import * as jobSchemas from '../../shared/schemas/jobs';
import { CreateEmployerRequestSchema } from '../../shared/schemas/organisations';
import { ImportDiplomasRequestSchema } from '../../shared/schemas/participants';

/** Code points no text field may hold, by rule. */
const C0_LINE = [0x09, 0x0a, 0x0d];
const C0_OTHER = [...Array(0x20).keys()].filter((c) => !C0_LINE.includes(c));
const DEL_C1 = [0x7f, ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i)];
const BIDI = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
const ALWAYS_BAD = [...C0_OTHER, ...DEL_C1, ...BIDI, 0xfffe, 0xffff].map((c) => String.fromCharCode(c));
const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF'];
const BLANKS = [' ', '\t', '\n', '\u00A0', '\u2003', '\u3000', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF'];

/** Visible text without any forbidden character (letters, digits, accents, emoji, punctuation). */
const safeText = fc
  .array(fc.constantFrom('a', 'Z', 'é', 'ß', 'ø', 'ĳ', '9', '-', "'", '.', ' ', '😀', '中', 'ש', '\u0301'), { minLength: 0, maxLength: 30 })
  .map((cs) => cs.join(''));
const visibleText = fc.tuple(safeText, fc.constantFrom('a', 'é', '😀', 'Q'), safeText).map(([a, b, c]) => a + b + c);

const single = text({ max: 200 });
const multi = text({ max: 200, multiline: true });

describe('text(): the one builder of free-text request fields', () => {
  it('refuses every C0 (but TAB/LF/CR in multi-line text), DEL, C1, bidi control and U+FFFE/U+FFFF, wherever it stands', () => {
    fc.assert(
      fc.property(visibleText, fc.constantFrom(...ALWAYS_BAD), fc.nat(), (base, bad, at) => {
        // Between code points: inside an emoji's surrogate pair it would be a lone-surrogate case.
        const chars = Array.from(base);
        const i = at % (chars.length + 1);
        const value = [...chars.slice(0, i), bad, ...chars.slice(i)].join('');
        for (const schema of [single, multi]) {
          const res = schema.safeParse(value);
          expect(res.success).toBe(false);
          expect(res.error!.issues).toHaveLength(1);
          expect(res.error!.issues[0].message).toContain(`U+${bad.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
        }
      }),
    );
  });

  it('refuses lone surrogates but keeps surrogate pairs (emoji)', () => {
    fc.assert(
      fc.property(visibleText, fc.constantFrom(...LONE_SURROGATES), (base, lone) => {
        expect(single.safeParse(base + lone).success).toBe(false);
        expect(single.safeParse(lone + base).error!.issues[0].message).toMatch(/lone surrogate/);
      }),
    );
    expect(single.parse('Jansen 😀')).toBe('Jansen 😀');
    // A high surrogate followed by another high one is two lone halves, not a pair.
    expect(textProblem('a\uD83D\uD83D')).toMatch(/lone surrogate \(U\+D83D at character 2\)/);
  });

  it('allows TAB, LF and CR only in multi-line text, and never U+2028/U+2029', () => {
    fc.assert(
      fc.property(visibleText, visibleText, fc.constantFrom('\t', '\n', '\r', '\r\n'), (a, b, br) => {
        expect(single.safeParse(a + br + b).error!.issues[0].message).toMatch(/one line/);
        expect(multi.parse(a + br + b)).toBe((a + br + b).trim());
      }),
    );
    expect(single.safeParse('a\u2028b').success).toBe(false);
    expect(multi.safeParse('a\u2029b').success).toBe(false);
  });

  it('refuses values that are empty after removing whitespace and zero-width characters', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...BLANKS), { maxLength: 12 }), (blanks) => {
        const res = multi.safeParse(blanks.join(''));
        expect(res.success).toBe(false);
        expect(res.error!.issues.map((i) => i.message)).toEqual(['Must not be empty or only whitespace']);
      }),
    );
  });

  it('accepts any visible text without forbidden characters, trimmed', () => {
    fc.assert(
      fc.property(visibleText, fc.constantFrom('', ' ', '  '), (value, pad) => {
        expect(single.parse(pad + value + pad)).toBe((pad + value + pad).trim());
      }),
    );
  });

  it('names the field and the character in a 400', () => {
    let caught: unknown;
    try {
      parseOrThrow(CreateEmployerRequestSchema, {
        name: 'Flex\u202EVB',
        kvkNumber: '12345678',
        invoiceEmail: 'f@flex.nl',
        address: { street: 'Damrak\u00001', postalCode: '\u200B', city: 'Amsterdam', country: 'NL' },
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BadRequest);
    expect((caught as BadRequest).errors).toEqual([
      { path: 'name', message: 'Must not contain bidirectional control characters (U+202E at character 5)' },
      { path: 'address.street', message: 'Must not contain control characters (U+0000 at character 7)' },
      { path: 'address.postalCode', message: 'Must not be empty or only whitespace' },
    ]);
  });

  it('refuses control characters in fields with their own format too (diploma numbers, dates, e-mail, initials)', () => {
    const row = (over: Record<string, unknown>) => ({
      diplomas: [{ diplomaNumber: 'D1234', type: 'uitzendprofessional', issuedOn: '2024-01-10', holder: { initials: 'J.', lastName: 'Jansen', birthDate: '1990-01-01', ...over } }],
    });
    for (const [field, value] of [
      ['initials', 'J.\u0000'],
      ['initials', 'J.\nP.'],
      ['birthDate', '1990-01-01\n'],
      ['email', 'a\u0000@example.nl'],
      ['prefix', 'de\u0085'],
    ] as const) {
      const res = ImportDiplomasRequestSchema.safeParse(row({ [field]: value }));
      expect(res.success, `${field}: ${JSON.stringify(value)}`).toBe(false);
      expect(res.error!.issues[0].path).toEqual(['diplomas', 0, 'holder', field]);
    }
    const bad = ImportDiplomasRequestSchema.safeParse({ diplomas: [{ ...row({}).diplomas[0], diplomaNumber: '\tD1234' }] });
    expect(bad.error!.issues[0].path).toEqual(['diplomas', 0, 'diplomaNumber']);
  });
});

// ---------------------------------------------------------------- every request field

type Def = { type: string; shape?: Record<string, z.ZodMiniType>; element?: z.ZodMiniType; innerType?: z.ZodMiniType; options?: z.ZodMiniType[]; in?: z.ZodMiniType; out?: z.ZodMiniType; format?: string; checks?: { _zod: { def: { check: string; format?: string; pattern?: RegExp } } }[] };
const defOf = (s: z.ZodMiniType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Every string leaf of a schema, with its path. */
function stringLeaves(schema: z.ZodMiniType, path: string, out: { path: string; schema: z.ZodMiniType }[] = []) {
  const def = defOf(schema);
  if (def.type === 'string') out.push({ path, schema });
  else if (def.type === 'object') for (const [k, v] of Object.entries(def.shape!)) stringLeaves(v, `${path}.${k}`, out);
  else if (def.type === 'array') stringLeaves(def.element!, `${path}[]`, out);
  else if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') stringLeaves(def.innerType!, path, out);
  else if (def.type === 'union') def.options!.forEach((o) => stringLeaves(o, path, out));
  else if (def.type === 'pipe') stringLeaves(def.in!, path, out);
  return out;
}

/** A string with a format of its own: ISO date, e-mail, or an anchored pattern (^…$ without the m flag). */
function hasStrictFormat(schema: z.ZodMiniType): boolean {
  const def = defOf(schema);
  if (def.format === 'date' || def.format === 'email') return true;
  return (def.checks ?? []).some((c) => {
    const p = c._zod.def.pattern;
    return c._zod.def.check === 'string_format' && p instanceof RegExp && p.source.startsWith('^') && p.source.endsWith('$') && !p.flags.includes('m');
  });
}

describe('every request schema', () => {
  const requestSchemas: [string, z.ZodMiniType][] = [
    ...routes.flatMap((r) => [r.body, r.query].filter((n): n is string => Boolean(n))).map((n) => [n, schemas[n]] as [string, z.ZodMiniType]),
    ...[participantSchemas, employerSchemas, creditSchemas, invoiceSchemas, organisationSchemas, recognitionSchemas, jobSchemas].flatMap((m) =>
      Object.entries(m).filter(([n]) => n.endsWith('ParamsSchema')) as [string, z.ZodMiniType][],
    ),
    ['IdempotencyKey', IdempotencyKeySchema],
  ];

  it('builds each string field with text(), or gives it a strict format of its own', () => {
    const bare = requestSchemas.flatMap(([name, schema]) =>
      stringLeaves(schema, name)
        .filter((leaf) => !textFields.has(leaf.schema) && !hasStrictFormat(leaf.schema))
        .map((leaf) => leaf.path),
    );
    expect(bare).toEqual([]);
  });

  it('refuses a NUL in each of its text() fields', () => {
    const leaves = requestSchemas.flatMap(([name, schema]) => stringLeaves(schema, name)).filter((l) => textFields.has(l.schema));
    expect(leaves.length).toBeGreaterThan(25);
    for (const leaf of leaves) expect(leaf.schema.safeParse('Jan\u0000sen').success, leaf.path).toBe(false);
  });
});
