import * as z from 'zod/mini';
import '../http/validation'; // loads zod's English messages before any schema is used

/** Calendar date YYYY-MM-DD (a real date: 2025-02-30 is refused). */
export const DateSchema = z.iso.date();
/** A registration period's end as the API carries it: exclusive, so periods chain without a gap. */
export const EndsOnSchema = DateSchema.check(
  z.describe('Exclusive end: the first day the period no longer covers (a renewal starts on it). The last valid day is the day before: validUntil.'),
);
/** What a person reads as the end: the last valid day, inclusive ("geldig tot en met"). */
export const ValidUntilSchema = DateSchema.check(z.describe('The last valid day, inclusive ("geldig tot en met"): endsOn minus one day.'));
export const EmailSchema = z.email().check(z.maxLength(254));
/** Dutch Chamber of Commerce number: 8 digits. */
export const KvkNumberSchema = z.string().check(z.regex(/^\d{8}$/, 'KvK number must be 8 digits'));
/** Dutch VAT id (NL + 9 digits + B + 2 digits) or another EU VAT id. */
export const VatNumberSchema = z.string().check(z.regex(/^[A-Z]{2}[0-9A-Z+*.]{2,13}$/, 'VAT number must look like NL123456789B01'));

// ---------------------------------------------------------------- text

/**
 * Why a string may not be stored as text, or undefined when it may. Text ends up in PDFs, UBL
 * (XML 1.0), e-mail headers and CSV: a NUL made an invoice's UBL invalid XML for good, and bidi
 * controls let a name display as something else (Trojan Source). Refused: C0 controls (TAB, LF
 * and CR only in multi-line text), DEL and C1, bidi controls, lone surrogates, and U+FFFE/U+FFFF
 * (not XML characters); single-line text also refuses U+2028/U+2029 (line breaks).
 */
export function textProblem(value: string, multiline = false): string | undefined {
  let position = 0;
  for (let i = 0; i < value.length; i++) {
    position++;
    const c = value.charCodeAt(i);
    const at = `U+${c.toString(16).toUpperCase().padStart(4, '0')} at character ${position}`;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `Must be valid Unicode: a lone surrogate (${at})`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return `Must be valid Unicode: a lone surrogate (${at})`;
    if (c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) {
      if (!multiline) return `Must be one line, without line breaks or tabs (${at})`;
      if (c > 0x0d) return `Must not contain Unicode line or paragraph separators; use a line feed (${at})`;
      continue;
    }
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return `Must not contain control characters (${at})`;
    if (c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
      return `Must not contain bidirectional control characters (${at})`;
    }
    if (c === 0xfffe || c === 0xffff) return `Must not contain the non-characters U+FFFE or U+FFFF (${at})`;
  }
  return undefined;
}

/** Whitespace and the zero-width characters that look like nothing. */
const BLANK = /[\s\u200B-\u200D\u2060\uFEFF]/gu;

/** Does the text hold anything visible (not only whitespace and zero-width characters)? */
export function hasVisibleText(value: string): boolean {
  return value.replace(BLANK, '') !== '';
}

/** Every schema `text()` made, with its options: lets a test prove no request field is a bare string. */
export const textFields = z.registry<{ max: number; multiline: boolean }>();

/**
 * THE builder of every free-text string in a request (names, titles, descriptions, reasons,
 * addresses, search texts, identifiers clients choose): refuses what `textProblem` refuses and
 * values that are empty after removing whitespace and zero-width characters, then trims and
 * checks the length. `pattern` adds a stricter format on top (identifiers with their own shape).
 */
export function text(opts: { max: number; min?: number; multiline?: boolean; pattern?: [RegExp, string] }) {
  const multiline = opts.multiline ?? false;
  const checks = [
    z.refine<string>((v) => textProblem(v, multiline) === undefined, { abort: true, error: (iss) => textProblem(String(iss.input), multiline) }),
    z.refine<string>((v) => hasVisibleText(v), { abort: true, error: 'Must not be empty or only whitespace' }),
    z.trim(),
    z.minLength(opts.min ?? 1, `Must be at least ${opts.min ?? 1} characters`),
    z.maxLength(opts.max, `Must be at most ${opts.max} characters`),
    ...(opts.pattern ? [z.regex(opts.pattern[0], opts.pattern[1])] : []),
  ];
  return z.string().check(...checks).register(textFields, { max: opts.max, multiline });
}

/**
 * An error answer (RFC 9457 problem+json). Open: a problem may carry members of its own
 * (`reason`, `pointsMissing`, `currentStatus`, `retryAfterSeconds`, `available`, `correlationId`).
 */
export const ProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  /** On a 409: a stable code for why (e.g. `points-missing`, `webhook-id-reused`). */
  reason: z.optional(z.string()),
});

/** A 400: the problem, with every bad field named. */
export const ValidationProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.literal(400),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});

export const HealthResponseSchema = z.object({ status: z.literal('ok') });

/** `?limit=&cursor=` as every list takes them. */
export const PageQueryFields = {
  limit: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d+$/, 'limit must be a whole number')),
      z.transform((v) => Number(v)),
    ).check(z.refine((n) => n >= 1 && n <= 200, 'limit must be between 1 and 200')),
  ),
  cursor: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,2048}$/, 'Invalid cursor'))),
};
