/**
 * Request size limits of the API (API.md), enforced by the recipe (shared/http/handler.ts) and,
 * for what never reaches a handler, by the local gateway. Pure constants: the gateway imports them
 * without the recipe's SDK and middy.
 */

/** The contract's limit: bodies over 1 MiB → 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** No route takes more than a few short query parameters; a longer query string is junk or an attack → 414. */
export const MAX_QUERY_BYTES = 4 * 1024;
/** All header names and values (cookies included) together → 431; API Gateway's own cap is 10 KiB. */
export const MAX_HEADER_BYTES = 8 * 1024;
