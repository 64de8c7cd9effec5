import Negotiator from 'negotiator';

/**
 * The language the client prefers, from its Accept-Language header (q-values and language ranges
 * as RFC 9110 has them, through `negotiator`). Media types are negotiated in shared/http/negotiate.ts.
 */

export type Language = 'nl' | 'en';
const LANGUAGES: readonly Language[] = ['nl', 'en'];

/** The register's language the Accept-Language header prefers; undefined without one, or when it names neither. */
export function preferredLanguage(acceptLanguage: string | undefined): Language | undefined {
  if (acceptLanguage === undefined || acceptLanguage.trim() === '') return undefined;
  return new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language([...LANGUAGES]) as Language | undefined;
}
