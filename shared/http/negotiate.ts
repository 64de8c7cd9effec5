import Negotiator from 'negotiator';
import { findRoute } from '../routes';
import { NotAcceptable } from './errors';
import { LANGUAGES, type Language } from '../i18n/language';

/** Short names a `?format=` query may use for a media type the route offers. */
const FORMAT_TYPES: Record<string, string> = {
  json: 'application/json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  xml: 'application/xml',
};

/** Other names clients use for a type a route offers; the answer carries the offered type. */
const ALIASES: Record<string, string[]> = {
  'application/xml': ['text/xml'],
};

/**
 * The media type to answer a route with: the route's `response.contentTypes` (JSON when it lists
 * none) ranked by the request's Accept header with its q-values (RFC 9110 §12.5.1, by
 * `negotiator`: q, then the more specific range, then the header's order). JSON is offered
 * first, so it wins when the header cannot tell the offers apart: no Accept header, `*∕*`, `application/*`. A `?format=` the route offers wins
 * over the header (a link in a spreadsheet or a browser cannot set one). Nothing acceptable →
 * 406 naming what the route offers.
 */
export function negotiate(routeId: string, accept: string | undefined, format?: string): string {
  const offered = findRoute(routeId).response?.contentTypes ?? ['application/json'];
  if (format !== undefined) {
    const type = FORMAT_TYPES[format];
    if (type && offered.includes(type)) return type;
    throw new NotAcceptable(offered);
  }
  // JSON first: negotiator breaks a tie the header leaves by the order of the offers.
  const ordered = [...offered].sort((a, b) => Number(b === 'application/json') - Number(a === 'application/json'));
  const candidates = ordered.flatMap((type) => [type, ...(ALIASES[type] ?? [])]);
  // An empty header is no header (RFC 9110: a client that sends none accepts anything).
  const header = accept?.trim() ? accept : undefined;
  const chosen = new Negotiator({ headers: { accept: header } }).mediaType(candidates);
  if (!chosen) throw new NotAcceptable(offered);
  return offered.find((type) => type === chosen || ALIASES[type]?.includes(chosen)) ?? chosen;
}

// ---------------------------------------------------------------- language

export type { Language };

/**
 * The register's language the Accept-Language header prefers (q-values and language ranges as
 * RFC 9110 has them, by `negotiator`); undefined without one, or when it names neither.
 */
export function preferredLanguage(acceptLanguage: string | undefined): Language | undefined {
  if (acceptLanguage === undefined || acceptLanguage.trim() === '') return undefined;
  return new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language([...LANGUAGES]) as Language | undefined;
}

/** A download's language: `?lang=` first, then Accept-Language; Dutch by default (moved here from services/report-export.ts: it reads a header). */
export function exportLanguage(lang: Language | undefined, acceptLanguage: string | undefined): Language {
  return lang ?? preferredLanguage(acceptLanguage) ?? 'nl';
}
