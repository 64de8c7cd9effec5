import { displayName, type Participant } from '../../data/participants';
import type { PersonalValues } from './holder';

/** What replaces a removed personal value inside a kept record. */
export const REDACTED = '[verwijderd]';

/**
 * Attributes that hold personal data by their name wherever they occur in a payload (audit
 * events' before/after/detail, reasons): replaced whole, whatever their value.
 */
const PERSONAL_KEYS = new Set([
  'email', 'name', 'initials', 'prefix', 'lastName', 'birthDate', 'invoiceAddress', 'address', 'holder',
  'diplomaNumber', 'street', 'postalCode', 'city', 'claimedEmail',
]);

/** The personal values of a profile, read before the erasure changes anything. */
export function personalValues(p: Participant): PersonalValues {
  const a = p.invoiceAddress;
  const candidates = [
    displayName(p),
    [p.prefix, p.lastName].filter(Boolean).join(' '),
    p.lastName,
    p.email,
    p.birthDate,
    p.diplomaNumber,
    a?.name,
    a?.street,
    a?.postalCode,
  ];
  // Short fragments (initials, a two-letter surname) would redact unrelated words: whole values of 3+ characters.
  const values = [...new Set(candidates.filter((v): v is string => typeof v === 'string' && v.trim().length >= 3).map((v) => v.trim()))];
  // Longest first, so a full name goes before the surname inside it.
  values.sort((x, y) => y.length - x.length);
  return { participantId: p.participantId, ...(p.diplomaNumber ? { diplomaNumber: p.diplomaNumber } : {}), values };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function scrubString(s: string, subject: PersonalValues | undefined): string {
  let out = s;
  for (const v of subject?.values ?? []) out = out.replace(new RegExp(escape(v), 'gi'), REDACTED);
  return out;
}

/**
 * A payload with its personal data replaced: attributes named as personal (`PERSONAL_KEYS`)
 * whole, and the participant's own values wherever they occur inside other strings. Returns the
 * same object when nothing changed (so the caller writes only what changes).
 */
export function scrub<T>(value: T, subject: PersonalValues | undefined): T {
  if (typeof value === 'string') return scrubString(value, subject) as T;
  if (Array.isArray(value)) {
    const next = value.map((v) => scrub(v, subject));
    return (next.some((v, i) => v !== value[i]) ? next : value) as T;
  }
  if (value instanceof Set) {
    const next = new Set([...value].map((v) => scrub(v, subject)));
    return ([...next].some((v) => !value.has(v)) ? next : value) as T;
  }
  if (value && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const next = PERSONAL_KEYS.has(k) && v !== undefined && v !== null && v !== REDACTED ? REDACTED : scrub(v, subject);
      if (next !== v) changed = true;
      out[k] = next;
    }
    return (changed ? out : value) as T;
  }
  return value;
}

/** The attributes of `item` (of those named) that scrubbing changes, with their new values. */
export function scrubbedAttributes(item: Record<string, unknown>, attributes: string[], subject: PersonalValues | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of attributes) {
    if (item[a] === undefined) continue;
    const next = scrub(item[a], subject);
    if (next !== item[a]) out[a] = next;
  }
  return out;
}
