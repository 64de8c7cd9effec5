import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Route } from '../../shared/routes';

/**
 * API Gateway HTTP API, payload format 2.0: the event a Lambda receives and the rules for its
 * answer. Shared by the local gateway (infra/local/gateway.ts) and the integration-test helper
 * (test/setup/helpers.ts), so tests exercise handlers with exactly what `npm start` — and AWS —
 * hands them.
 */

export interface RawRequest {
  method: string;
  /** Path as received (still percent-encoded), without the query string. */
  rawPath: string;
  /** Query string as received, without the '?'. */
  rawQueryString?: string;
  /** Header name/value pairs in arrival order (node's `req.rawHeaders` paired up), or a plain object. */
  headers?: Array<[string, string]> | Record<string, string | string[] | undefined>;
  body?: Buffer | string;
  /** The matched route (routeKey, function name); absent → routeKey `$default`. */
  route?: Pick<Route, 'method' | 'path'> & Partial<Pick<Route, 'id'>>;
  pathParameters?: Record<string, string>;
  sourceIp?: string;
  protocol?: string;
  requestId?: string;
  now?: Date;
}

const TEXT_TYPES = [
  /^text\//,
  /^application\/([\w.+-]+\+)?json\b/,
  /^application\/([\w.+-]+\+)?xml\b/,
  /^application\/x-www-form-urlencoded\b/,
  /^application\/(x-)?javascript\b/,
  /^application\/graphql\b/,
  /^application\/x-ndjson\b/,
];

/** API Gateway passes text bodies as strings and base64-encodes everything else. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const ct = contentType.trim().toLowerCase();
  return TEXT_TYPES.some((re) => re.test(ct));
}

function headerPairs(headers: RawRequest['headers']): Array<[string, string]> {
  if (!headers) return [];
  if (Array.isArray(headers)) return headers;
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, String(v)]);
  }
  return pairs;
}

/** Node's rawHeaders (flat [name, value, name, value…]) as pairs. */
export function pairsFromRawHeaders(raw: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
  return pairs;
}

/** Query parameters as API Gateway gives them: decoded, repeated keys joined with ','. */
export function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    out[key] = key in out ? `${out[key]},${value}` : value;
  }
  return Object.keys(out).length ? out : undefined;
}

function clfTime(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface CompiledRoute<R extends Pick<Route, 'method' | 'path'>> {
  route: R;
  match(rawPath: string): Record<string, string> | undefined;
  /** Literal segments count more: `/v1/jobs/x` beats `/v1/{a}/x`. */
  specificity: number[];
}

/** Compile an API Gateway path template (`/v1/things/{id}`, `{proxy+}`) into a matcher. */
export function compileRoute<R extends Pick<Route, 'method' | 'path'>>(route: R): CompiledRoute<R> {
  const names: string[] = [];
  const specificity: number[] = [];
  const pattern = route.path
    .split('/')
    .map((seg) => {
      const greedy = /^\{(\w+)\+\}$/.exec(seg);
      if (greedy) {
        names.push(greedy[1]);
        specificity.push(0);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(seg);
      if (param) {
        names.push(param[1]);
        specificity.push(1);
        return '([^/]+)';
      }
      specificity.push(2);
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  const re = new RegExp(`^${pattern}$`);
  return {
    route,
    specificity,
    match(rawPath) {
      const m = re.exec(rawPath);
      if (!m) return undefined;
      const params: Record<string, string> = {};
      names.forEach((n, i) => (params[n] = safeDecode(m[i + 1])));
      return params;
    },
  };
}

export function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (b[i] ?? -1) - (a[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

/**
 * The route a request goes to: the most specific one for its method and path. HEAD goes to the
 * GET route (the cloud stack gives every GET route a HEAD route to the same function); `allowed`
 * lists the methods the path has, for a 405.
 */
const CATCH_ALL = '/{proxy+}';

export function matchRoute<R extends Pick<Route, 'method' | 'path'>>(compiled: readonly CompiledRoute<R>[], method: string, rawPath: string) {
  const matches: Array<{ c: CompiledRoute<R>; params: Record<string, string> }> = [];
  for (const c of compiled) {
    const params = c.match(rawPath);
    if (params) matches.push({ c, params });
  }
  const wanted = method === 'HEAD' ? 'GET' : method;
  const hit = matches
    .filter((m) => m.c.route.method === wanted)
    .sort((a, b) => compareSpecificity(a.c.specificity, b.c.specificity))[0];
  // The pages' catch-all (`GET /{proxy+}`, the 404 page) matches every path: it allows nothing.
  const allowed = [
    ...new Set(matches.filter((m) => m.c.route.path !== CATCH_ALL).flatMap((m) => (m.c.route.method === 'GET' ? ['GET', 'HEAD'] : [m.c.route.method]))),
  ];
  return { hit: hit ? { route: hit.c.route, params: hit.params } : undefined, allowed };
}

/** Build the payload-2.0 event API Gateway hands a Lambda for this request. */
export function buildEvent(req: RawRequest): APIGatewayProxyEventV2 {
  const now = req.now ?? new Date();
  const method = req.method.toUpperCase();
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [rawName, value] of headerPairs(req.headers)) {
    const name = rawName.toLowerCase();
    if (name === 'cookie') {
      // 2.0 moves cookies out of the headers into their own array.
      for (const c of value.split(';')) if (c.trim()) cookies.push(c.trim());
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  const sourceIp = (req.sourceIp ?? '127.0.0.1').replace(/^::ffff:/, '');
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-proto'] ??= 'http';

  const rawQueryString = req.rawQueryString ?? '';
  // A HEAD request served by a GET route arrives, as in the cloud, through its own HEAD route.
  const routeKey = req.route ? `${method === 'HEAD' && req.route.method === 'GET' ? 'HEAD' : req.route.method} ${req.route.path}` : '$default';
  const requestId = req.requestId ?? randomUUID();
  const host = headers.host ?? 'localhost';
  const domainName = host.replace(/:\d+$/, '');

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: req.rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0],
      http: {
        method,
        path: req.rawPath,
        protocol: req.protocol ?? 'HTTP/1.1',
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (cookies.length) event.cookies = cookies;
  const query = parseQuery(rawQueryString);
  if (query) event.queryStringParameters = query;
  if (req.pathParameters && Object.keys(req.pathParameters).length) event.pathParameters = req.pathParameters;

  const body = typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : req.body;
  if (body && body.length > 0) {
    if (isTextContentType(headers['content-type'])) {
      event.body = body.toString('utf8');
    } else {
      event.body = body.toString('base64');
      event.isBase64Encoded = true;
    }
  }
  return event;
}

/** A Lambda context for one invocation; `timeoutMs` drives getRemainingTimeInMillis. */
export function buildContext(functionName: string, requestId: string = randomUUID(), timeoutMs = 29_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION || 'eu-west-1'}:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export interface HttpResponse {
  statusCode: number;
  /** Lower-cased names; `set-cookie` (and other repeated headers) as arrays. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

export class MalformedResponse extends Error {
  override name = 'MalformedResponse';
}

const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/**
 * What API Gateway makes of a handler's return value (payload 2.0): a structured result
 * (`statusCode`, `headers`, `multiValueHeaders`, `cookies`, `body`, `isBase64Encoded`) as given;
 * anything else is taken as a JSON 200. A malformed result throws (API Gateway answers 500).
 */
export function normalizeResult(result: unknown): HttpResponse {
  if (result === null || typeof result !== 'object' || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body, 'utf8') };
  }
  const r = result as {
    statusCode: unknown;
    headers?: Record<string, unknown>;
    multiValueHeaders?: Record<string, unknown[]>;
    cookies?: string[];
    body?: unknown;
    isBase64Encoded?: boolean;
  };
  const status = Number(r.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new MalformedResponse(`statusCode ${String(r.statusCode)} is not an HTTP status`);
  }
  const headers: Record<string, string | string[]> = {};
  const add = (name: string, value: unknown) => {
    const key = name.toLowerCase();
    if (HOP_BY_HOP.has(key) || value === undefined || value === null) return;
    const v = String(value);
    const existing = headers[key];
    if (existing === undefined) headers[key] = key === 'set-cookie' ? [v] : v;
    else headers[key] = Array.isArray(existing) ? [...existing, v] : [existing, v];
  };
  for (const [name, value] of Object.entries(r.headers ?? {})) add(name, value);
  for (const [name, values] of Object.entries(r.multiValueHeaders ?? {})) for (const v of values ?? []) add(name, v);
  for (const c of r.cookies ?? []) add('set-cookie', c);
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') {
    throw new MalformedResponse('body must be a string');
  }
  const raw = (r.body as string | undefined) ?? '';
  const body = r.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  return { statusCode: status, headers, body };
}

/** An RFC 9457 problem body (what the gateway itself answers: 404, 405, 413, 500, 503). */
export function problem(status: number, title: string, detail: string): HttpResponse {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json' },
    body: Buffer.from(JSON.stringify({ type: 'about:blank', title, status, detail }), 'utf8'),
  };
}
