import * as z from 'zod/mini';
import { fieldErrors } from '../schemas/field-errors';
import { BadRequest, type FieldError } from '../domain/errors';

/** The 400 naming every bad field of the body (or of the query/path, per `where`). */
export function invalidInput(errors: FieldError[], where = ''): BadRequest {
  return new BadRequest(`The ${where || 'request body'} is invalid: ${errors.length} error(s).`, errors);
}

/** The parsed value, or every bad field. `where` prefixes paths ("query", "path"). */
export function validate<S extends z.ZodMiniType>(schema: S, input: unknown, where = ''): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldError[] } {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: fieldErrors(result.error.issues, where) };
}

/** Parse or throw a 400 naming every bad field. `where` prefixes paths ("query", "path"). */
export function parseOrThrow<S extends z.ZodMiniType>(schema: S, input: unknown, where = ''): z.infer<S> {
  const result = validate(schema, input, where);
  if (result.ok) return result.data;
  throw invalidInput(result.errors, where);
}
