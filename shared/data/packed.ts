import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * A large, write-once value kept as one gzip'd JSON Binary attribute instead of nested maps and
 * lists: the completion webhook's 500-result answer (idempotency record) and its delivery log.
 * As nested maps each such item is 25–60 KB (25–60 WCU, twice in a transaction) and DynamoDB
 * converts every element; packed it is a few KB (the results repeat their field names and
 * statuses) and one value. Only for values read whole and never queried or updated in part.
 */
export function packJson(value: unknown): Uint8Array {
  return new Uint8Array(gzipSync(JSON.stringify(value)));
}

export function unpackJson(bytes: Uint8Array): unknown {
  return JSON.parse(gunzipSync(bytes).toString('utf8'));
}
