import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { findRoute, type Role, type Route } from '../routes';
import { logger } from '../log';
import { lookupApiKey, type ApiKeyRecord } from '../data/api-keys';
import { countRequest, type RateDecision } from '../data/rate-limits';
import { config } from '../config';
import {
  BadRequest,
  Forbidden,
  HeaderFieldsTooLarge,
  HttpError,
  PayloadTooLarge,
  TooManyRequests,
  Unauthorized,
  UnsupportedMediaType,
  UriTooLong,
  problemBody,
} from './errors';
import { MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_QUERY_BYTES } from './limits';
import { invalidInput, parseOrThrow, validate } from './validation';
import { requestClient } from './client-address';
import { asConcurrentUpdate } from './conflict';
import type { FieldError } from './errors';

const handlerInternal = new WeakMap<object, Internal>();

export { MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_QUERY_BYTES };

/** An API key's record, or a web session as the pages' caller — then with the signed-in user (`userId`, organisations' users). */
export type Caller = ApiKeyRecord & { userId?: string; userName?: string };

export interface HttpRequest<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** Who called (undefined on public and webhook routes). */
  caller: Caller | undefined;
  headers: Record<string, string | undefined>;
  /** The raw body as received (decoded from base64), for signatures and CSV. */
  rawBody: string;
  event: APIGatewayProxyEventV2;
  /** The Lambda context: `getRemainingTimeInMillis()` lets long work stop before the timeout. */
  context: Context;
}

export interface HttpResult {
  status: number;
  /** JSON-serialised unless `raw` is set. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as-is (string, or Buffer → base64) with the given content-type header. */
  raw?: boolean;
}

export interface HandlerSpec<BS extends z.ZodMiniType | undefined, QS extends z.ZodMiniType | undefined, PS extends z.ZodMiniType | undefined> {
  /** Route id in shared/routes.ts: gives auth mode and roles. */
  route: string;
  body?: BS;
  query?: QS;
  params?: PS;
  /**
   * Body handling: 'json' (default when a body schema is given), or 'raw' (the handler parses it,
   * e.g. CSV or signed webhooks). Either way the 1 MiB limit applies.
   */
  bodyMode?: 'json' | 'raw';
  /**
   * The checks beyond the schema that need data or the caller (topic codes that exist, who may
   * set a field). The service runs them on a body the schema accepted; when the schema refuses
   * the body, the recipe runs them on the parsed JSON too, so the one 400 names every problem.
   * They must look only at the parts of the input that are well-formed.
   */
  bodyRules?: (input: unknown, caller: Caller | undefined) => Promise<FieldError[]>;
  handler: (
    req: HttpRequest<
      BS extends z.ZodMiniType ? z.infer<BS> : undefined,
      QS extends z.ZodMiniType ? z.infer<QS> : Record<string, string | undefined>,
      PS extends z.ZodMiniType ? z.infer<PS> : Record<string, string | undefined>
    >,
  ) => Promise<HttpResult>;
}

interface Internal extends Record<string, unknown> {
  caller?: Caller;
  rawBody?: string;
}

type Req = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context, Internal>;

function rawBodyOf(event: APIGatewayProxyEventV2): string {
  if (event.body == null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

function bodyBytes(event: APIGatewayProxyEventV2): number {
  if (event.body == null) return 0;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').length : Buffer.byteLength(event.body, 'utf8');
}

export function bearerToken(headers: Record<string, string | undefined>): string | undefined {
  const auth = headers.authorization ?? headers.Authorization;
  if (!auth) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  return match?.[1];
}

/** Authenticate and authorise an apiKey route: 401 without a live key, 403 for a role not listed. */
export async function authorize(route: Route, headers: Record<string, string | undefined>): Promise<Caller | undefined> {
  if (route.auth !== 'apiKey') return undefined;
  const token = bearerToken(headers);
  if (!token || token.length > 200) throw new Unauthorized();
  const record = await lookupApiKey(token);
  if (!record) throw new Unauthorized('The API key is unknown or revoked.');
  if (!route.roles.includes(record.role as Role)) throw new Forbidden();
  return record;
}

function headerBytes(event: APIGatewayProxyEventV2): number {
  let total = 0;
  for (const [name, value] of Object.entries(event.headers ?? {})) total += Buffer.byteLength(name) + Buffer.byteLength(value ?? '');
  for (const cookie of event.cookies ?? []) total += Buffer.byteLength(cookie);
  return total;
}

/** Refuse what no route needs before doing any work for it. */
export function checkSizes(event: APIGatewayProxyEventV2): void {
  if (bodyBytes(event) > MAX_BODY_BYTES) throw new PayloadTooLarge(MAX_BODY_BYTES);
  if (Buffer.byteLength(event.rawQueryString ?? '') > MAX_QUERY_BYTES) throw new UriTooLong(MAX_QUERY_BYTES);
  if (headerBytes(event) > MAX_HEADER_BYTES) throw new HeaderFieldsTooLarge(MAX_HEADER_BYTES);
}

export { clientAddress } from './client-address';

/** When API Gateway received the request: the clock of the rate-limit windows. */
function requestTime(event: APIGatewayProxyEventV2): Date {
  const epoch = event.requestContext?.timeEpoch;
  return typeof epoch === 'number' && Number.isFinite(epoch) ? new Date(epoch) : new Date();
}

function refuseOver(decisions: RateDecision[]): void {
  const refused = decisions.filter((d) => !d.allowed);
  if (refused.length) throw new TooManyRequests(Math.max(...refused.map((d) => (d.allowed ? 0 : d.retryAfterSeconds))));
}

/** The per-client count of a rate-limited route, before anything else is looked at (the client: shared/http/client-address.ts). */
export async function limitClient(route: Route, event: APIGatewayProxyEventV2): Promise<void> {
  if (!route.rateLimit) return;
  const { client } = config.rateLimits;
  const group = route.rateLimit.group ?? route.id;
  const counter = { group, kind: 'client', value: await requestClient(event), ...client };
  refuseOver([await countRequest(counter, requestTime(event))]);
}

/**
 * The per-identifier counts, once the body is valid. Case and surrounding spaces do not make
 * another identifier (`A@x.nl` is `a@x.nl`): the values are folded before they are hashed.
 */
export async function limitIdentifiers(route: Route, event: APIGatewayProxyEventV2, body: unknown): Promise<void> {
  if (!route.rateLimit?.identifiers.length) return;
  const { identifier } = config.rateLimits;
  const group = route.rateLimit.group ?? route.id;
  const fields = (body ?? {}) as Record<string, unknown>;
  const counters = route.rateLimit.identifiers
    .filter((field) => typeof fields[field] === 'string' && fields[field] !== '')
    .map((field) => ({ group, kind: field, value: (fields[field] as string).trim().toLowerCase(), ...identifier }));
  refuseOver(await Promise.all(counters.map((c) => countRequest(c, requestTime(event)))));
}

/** A HEAD request gets the GET answer's status and headers, without its body. */
export function headWithoutBody(event: APIGatewayProxyEventV2, response: APIGatewayProxyStructuredResultV2): APIGatewayProxyStructuredResultV2 {
  if (event.requestContext?.http?.method !== 'HEAD') return response;
  const { body: _body, isBase64Encoded: _b64, ...rest } = response;
  return rest;
}

function errorResponse(caught: unknown, correlationId: string | undefined): APIGatewayProxyStructuredResultV2 {
  const err = asConcurrentUpdate(caught);
  if (err instanceof HttpError) {
    if (err.status >= 500) logger.error('request failed', { error: err });
    return {
      statusCode: err.status,
      headers: { 'content-type': 'application/problem+json', ...err.headers },
      body: JSON.stringify(problemBody(err.status, err.title, err.message, err.extra)),
    };
  }
  // Unknown failure: the client gets a generic body; the detail goes only to the structured log.
  logger.error('unhandled error', { error: err as Error });
  return {
    statusCode: 500,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify(
      problemBody(500, 'Internal Server Error', 'Something went wrong on our side. Quote the correlation id when you report it.', {
        correlationId,
      }),
    ),
  };
}

function toResponse(result: HttpResult): APIGatewayProxyStructuredResultV2 {
  if (result.body === undefined) return { statusCode: result.status, headers: result.headers };
  if (result.raw) {
    const body = result.body;
    if (Buffer.isBuffer(body) || body instanceof Uint8Array) {
      return { statusCode: result.status, headers: result.headers, body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
    }
    return { statusCode: result.status, headers: result.headers, body: String(body) };
  }
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', ...result.headers },
    body: JSON.stringify(result.body),
  };
}

/**
 * The one middy recipe for every HTTP route: correlation id + Lambda context on every log line,
 * size limits (body, query, headers), the route's brute-force limits (client, then identifiers),
 * API-key auth and role check from the route table, JSON parsing, zod validation of
 * body/query/path, HEAD as GET without the body, and typed errors → problem+json (error
 * handling last, so it sees everything).
 */
export function httpHandler<
  BS extends z.ZodMiniType | undefined = undefined,
  QS extends z.ZodMiniType | undefined = undefined,
  PS extends z.ZodMiniType | undefined = undefined,
>(spec: HandlerSpec<BS, QS, PS>) {
  const route = findRoute(spec.route);
  const bodyMode = spec.bodyMode ?? (spec.body ? 'json' : 'raw');
  if (route.rateLimit?.identifiers.length && (bodyMode !== 'json' || !spec.body)) {
    throw new Error(`Route ${route.id} counts body identifiers, so its handler needs a JSON body schema`);
  }

  const guard: middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context, Internal> = {
    before: async (request: Req) => {
      const { event } = request;
      const correlationId = event.headers?.['x-correlation-id'] ?? event.requestContext?.requestId;
      logger.setCorrelationId(correlationId);
      logger.appendKeys({ routeId: route.id });
      checkSizes(event);
      // Counted before the body is looked at, so a flood of malformed requests is limited too.
      await limitClient(route, event);
      // middy hands the handler only (event, context): pass what the guard learned via a WeakMap.
      handlerInternal.set(event, { caller: await authorize(route, event.headers ?? {}), rawBody: rawBodyOf(event) });
    },
    after: async (request: Req) => {
      if (request.response) request.response = headWithoutBody(request.event, request.response);
    },
    onError: async (request: Req) => {
      const correlationId = request.event.headers?.['x-correlation-id'] ?? request.event.requestContext?.requestId;
      request.response = headWithoutBody(request.event, errorResponse(request.error, correlationId));
    },
  };

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context, Internal>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(guard)
    .handler(async (event, context) => {
      const internal = (handlerInternal.get(event) ?? {}) as Internal;
      const headers = (event.headers ?? {}) as Record<string, string | undefined>;
      const rawBody = internal.rawBody ?? rawBodyOf(event);
      let body: unknown = undefined;
      if (bodyMode === 'json' && spec.body) {
        const contentType = (headers['content-type'] ?? '').toLowerCase();
        if (contentType && rawBody.trim() !== '' && !/^application\/([\w.+-]*\+)?json\b/.test(contentType)) {
          throw new UnsupportedMediaType('application/json');
        }
        let parsed: unknown;
        try {
          // An absent body validates as {}, so the 400 names each required field.
          parsed = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
        } catch (err) {
          throw new BadRequest(`The request body is not valid JSON: ${(err as Error).message}`, [
            { path: '', message: 'Malformed JSON' },
          ]);
        }
        const checked = validate(spec.body, parsed);
        if (!checked.ok) {
          // The rules the service applies to a valid body, run on what is well-formed of this one, so the 400 names every problem at once.
          throw invalidInput([...checked.errors, ...(spec.bodyRules ? await spec.bodyRules(parsed, internal.caller) : [])]);
        }
        body = checked.data;
      }
      const query = spec.query ? parseOrThrow(spec.query, event.queryStringParameters ?? {}, 'query') : (event.queryStringParameters ?? {});
      const params = spec.params ? parseOrThrow(spec.params, event.pathParameters ?? {}, 'path') : (event.pathParameters ?? {});
      await limitIdentifiers(route, event, body);
      const result = await spec.handler({
        body,
        query,
        params,
        caller: internal.caller,
        headers,
        rawBody,
        event,
        context,
      } as never);
      return toResponse(result);
    });
}

