/*
 * Stands in for `mime-types` in the Lambda bundles (infra/constructs/pe-function.ts BUNDLE_ALIASES).
 * mimetext, its one importer, calls only `contentType()` to check the content type of an
 * attachment, and every attachment here names its full type (`application/pdf`, …): the real
 * package's answer for those is the type itself. The real one carries mime-db, 133 KB of JSON in
 * every function that sends mail.
 */
export function contentType(type) {
  return typeof type === 'string' && /^[\w.+-]+\/[\w.+-]+/.test(type) ? type : false;
}
export default { contentType };
