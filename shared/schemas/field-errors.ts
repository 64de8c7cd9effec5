import * as z from 'zod/mini';
import { en } from 'zod/locales';
import type { FieldError } from '../domain/errors';

/* zod issues as the register's field errors: for the HTTP recipe's 400s and for services that check rows themselves. */

// zod/mini ships without messages; load English once so every issue carries a readable message.
z.config(en());

type Issue = z.core.$ZodIssue;

function joinPath(base: (string | number)[], prefix: string): string {
  const parts = base.map((p) => (typeof p === 'number' ? `[${p}]` : p));
  const joined = parts.reduce<string>((acc, p) => (p.startsWith('[') ? acc + p : acc ? `${acc}.${p}` : p), '');
  return prefix ? (joined ? (joined.startsWith('[') ? prefix + joined : `${prefix}.${joined}`) : prefix) : joined;
}

/** Flatten zod issues into `{path, message}` — one per bad field, unknown keys named one by one. */
export function fieldErrors(issues: readonly Issue[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: joinPath([...path, key], prefix), message: 'Unknown field' });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that got furthest instead of a bare "Invalid input".
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0];
      const nested = fieldErrors(
        best.map((i) => ({ ...i, path: [...path, ...i.path] })),
        prefix,
      );
      out.push(...(nested.length ? nested : [{ path: joinPath(path, prefix), message: issue.message }]));
    } else {
      out.push({ path: joinPath(path, prefix), message: issue.message });
    }
  }
  return out;
}
