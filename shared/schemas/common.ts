import * as z from 'zod/mini';
import '../http/validation'; // loads zod's English messages before any schema is used

/** Calendar date YYYY-MM-DD (a real date: 2025-02-30 is refused). */
export const DateSchema = z.iso.date();
export const EmailSchema = z.email().check(z.maxLength(254));
/** Dutch Chamber of Commerce number: 8 digits. */
export const KvkNumberSchema = z.string().check(z.regex(/^\d{8}$/, 'KvK number must be 8 digits'));
/** Dutch VAT id (NL + 9 digits + B + 2 digits) or another EU VAT id. */
export const VatNumberSchema = z.string().check(z.regex(/^[A-Z]{2}[0-9A-Z+*.]{2,13}$/, 'VAT number must look like NL123456789B01'));
export const NonEmpty = (max = 200) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
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
  cursor: z.optional(z.string().check(z.maxLength(2048))),
};
