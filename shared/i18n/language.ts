/** The register's languages (pages, e-mails, downloads). Dutch is the default. */
export type Language = 'nl' | 'en';
export const LANGUAGES: readonly Language[] = ['nl', 'en'];
export const isLanguage = (value: unknown): value is Language => value === 'nl' || value === 'en';
