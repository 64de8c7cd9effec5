import Negotiator from 'negotiator';

/**
 * What the client prefers, from its Accept and Accept-Language headers (q-values, wildcards and
 * language ranges as RFC 9110 has them, through `negotiator`). The download routes read Accept
 * only here.
 */

export type Language = 'nl' | 'en';
const LANGUAGES: readonly Language[] = ['nl', 'en'];

/** The first of `types` the Accept header ranks highest; the first type without a header; undefined when it accepts none. */
export function preferredMediaType<T extends string>(accept: string | undefined, types: readonly T[]): T | undefined {
  return new Negotiator({ headers: accept === undefined ? {} : { accept } }).mediaType([...types]) as T | undefined;
}

/** The register's language the Accept-Language header prefers; undefined without one, or when it names neither. */
export function preferredLanguage(acceptLanguage: string | undefined): Language | undefined {
  if (acceptLanguage === undefined || acceptLanguage.trim() === '') return undefined;
  return new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language([...LANGUAGES]) as Language | undefined;
}
