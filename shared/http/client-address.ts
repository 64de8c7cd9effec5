import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { config } from '../config';
import { secretString } from '../crypto/secret-values';

/**
 * Who "one client" is, for the per-client rate limits. Never X-Forwarded-For, which the client
 * writes. Behind CloudFront (the cloud) API Gateway sees CloudFront's address, so the client is
 * the one CloudFront reports in `CloudFront-Viewer-Address` — but only on a request that carries
 * CloudFront's secret origin header (`x-origin-verify`, a Secrets Manager value CloudFront adds
 * to every origin request, overwriting any a viewer sends). A request without it went to the
 * API's own endpoint, around CloudFront: there the connection's address is the client's, and a
 * forged viewer header counts for nothing.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

/**
 * An address as one client: an IPv6 user usually holds a whole /64, so that prefix is the
 * client; an IPv4 address counts as it is.
 */
export function clientAddress(sourceIp: string | undefined): string {
  const ip = (sourceIp ?? '').trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return mapped[1];
  if (isIP(ip) !== 6) return ip || 'unknown';
  const [head, tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 address (the last 32 bits) takes the place of two groups.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - width(left) - width(right)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * The IP address in a CloudFront-Viewer-Address value: `<ip>:<port>`, the port after the last
 * colon; CloudFront writes IPv6 without brackets (`2001:db8::1:46532`), bracketed is accepted
 * too. Undefined for anything else (no port, not an address, two values joined by a comma).
 */
export function viewerAddress(value: string | undefined): string | undefined {
  const match = /^\s*(?:\[([0-9a-f:.]+)\]|([0-9a-f:.]+)):(\d{1,5})\s*$/i.exec(value ?? '');
  if (!match || Number(match[3]) > 65535) return undefined;
  const ip = match[1] ?? match[2];
  // Brackets belong around IPv6 only.
  if (match[1] !== undefined && isIP(ip) !== 6) return undefined;
  return isIP(ip) ? ip : undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether the header carries the secret, compared in constant time. */
function carriesSecret(given: string | undefined, secret: string): boolean {
  return given !== undefined && secret !== '' && timingSafeEqual(digest(given), digest(secret));
}

/** The client of a request, as the rate limits count it (see the top of this file). */
export async function requestClient(event: APIGatewayProxyEventV2): Promise<string> {
  const sourceIp = event.requestContext?.http?.sourceIp;
  const arn = config.originVerifySecretArn;
  if (!arn) return clientAddress(sourceIp);
  const headers = event.headers ?? {};
  if (!carriesSecret(headers[ORIGIN_VERIFY_HEADER], await secretString(arn))) return clientAddress(sourceIp);
  // Through CloudFront, which always sends the header; should it ever be unreadable, CloudFront's
  // own address counts (stricter for everyone behind that edge, never a way around the limit).
  return clientAddress(viewerAddress(headers[VIEWER_ADDRESS_HEADER]) ?? sourceIp);
}
