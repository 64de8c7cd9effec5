import { createHmac } from 'node:crypto';
import * as z from 'zod/mini';
import { routes, type Route } from '../routes';
import { DEFAULT_RATE_LIMITS } from '../config';
import { MAX_HEADER_BYTES, MAX_QUERY_BYTES } from '../http/limits';
import { schemas } from './index';

/**
 * Builds the OpenAPI 3.1 document from the route table and the same zod schemas that validate
 * requests. Run at build time (`npm run build:openapi` writes shared/schemas/openapi.json, which
 * the get-openapi Lambda serves); a test fails when the committed file is stale.
 */
type Json = Record<string, unknown>;

function toSchema(name: string, io: 'input' | 'output'): Json {
  const schema = schemas[name];
  if (!schema) throw new Error(`Route table names schema ${name}, which shared/schemas/index.ts does not export`);
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete json.$schema;
  return json;
}

const problemRef = { $ref: '#/components/schemas/Problem' };
const problem = (description: string, schema: Json = problemRef) => ({ description, content: { 'application/problem+json': { schema } } });
const validationProblem = (description: string) => problem(description, { $ref: '#/components/schemas/ValidationProblem' });
const retryAfter = (description: string) => ({ 'Retry-After': { description, schema: { type: 'integer', minimum: 1 } } });

/** The Standard Webhooks example in the document, computed here so it cannot be wrong. */
export const WEBHOOK_EXAMPLE = {
  secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
  id: 'msg_2Kp9Xv4T',
  timestamp: 1767225600,
  body: '{"completions":[{"externalId":"lms-81723","activityId":"act_01JR5Q7Z8X9W0V1T2S3R4Q5P6N","participant":{"registrationNumber":"PE-4K7Q9M"},"completedOn":"2026-05-04"}]}',
};

function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

const e = WEBHOOK_EXAMPLE;
const WEBHOOK_SIGNING = `Signed per Standard Webhooks (https://www.standardwebhooks.com), with the provider's \`whsec_…\` secret (shown once at admission and at each rotation):

1. Take the raw body exactly as sent (the bytes, not a re-serialisation).
2. Sign the string \`{webhook-id}.{webhook-timestamp}.{raw body}\` with HMAC-SHA256; the key is the secret after \`whsec_\`, base64-decoded.
3. Send \`webhook-signature: v1,<base64 of the HMAC>\`. Several signatures, space-separated, are allowed: one must verify (during the 24 hours after a rotation the previous secret verifies too).

\`webhook-timestamp\` is Unix seconds; more than 5 minutes off the register's clock → 401. A missing header, a signature that does not verify or an unknown provider → 401, nothing credited. Redeliver with the same \`webhook-id\` and the same body to get the same answer (header \`x-webhook-replayed: true\`).

Example: secret \`${e.secret}\`, \`webhook-id: ${e.id}\`, \`webhook-timestamp: ${e.timestamp}\` and the body \`${e.body}\` give \`webhook-signature: ${webhookSignature(e.secret, e.id, e.timestamp, e.body)}\`. In Node.js:

\`\`\`js
const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
const signature = 'v1,' + createHmac('sha256', key).update(id + '.' + timestamp + '.' + rawBody).digest('base64');
\`\`\``;

const WEBHOOK_HEADERS = [
  { name: 'webhook-id', in: 'header', required: true, description: 'Unique per delivery, the same on a redelivery (at most 256 characters).', schema: { type: 'string', minLength: 1, maxLength: 256 }, example: e.id },
  { name: 'webhook-timestamp', in: 'header', required: true, description: 'When it was sent, in Unix seconds (±5 minutes).', schema: { type: 'string', pattern: '^[0-9]+$' }, example: String(e.timestamp) },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description: '`v1,` + base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{raw body}` (see the operation); several space-separated allowed.',
    schema: { type: 'string' },
    example: webhookSignature(e.secret, e.id, e.timestamp, e.body),
  },
];

function pathParams(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
}

function queryParams(route: Route) {
  if (!route.query) return [];
  const json = toSchema(route.query, 'input');
  const props = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }));
}

/** "hour", "2 hours", "10 minutes", "90 seconds": what follows "per". */
function per(seconds: number): string {
  if (seconds === 3600) return 'hour';
  if (seconds % 3600 === 0) return `${seconds / 3600} hours`;
  return seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
}

/** The 429 of a rate-limited route, with the default limits (a deployment may set its own). */
function tooManyRequests(route: Route & { rateLimit: NonNullable<Route['rateLimit']> }) {
  const { client, identifier } = DEFAULT_RATE_LIMITS;
  const perIdentifier = route.rateLimit.identifiers.length
    ? `, or more than ${identifier.max} per ${per(identifier.windowSeconds)} with the same ${route.rateLimit.identifiers.join(' or ')}`
    : '';
  return {
    ...problem(
      `Too many requests: more than ${client.max} per ${per(client.windowSeconds)} from one client address${perIdentifier} (fixed windows, default limits). Nothing was done.`,
    ),
    headers: retryAfter('Seconds until the window ends'),
  };
}

/**
 * Every error a route can answer: what the recipe (shared/http/handler.ts) and the table imply,
 * then the route's own `errors` (shared/routes.ts), in status order.
 */
function errorResponses(route: Route): Record<string, unknown> {
  const out: Record<number, unknown> = {};
  const hasParams = route.path.includes('{');
  const offered = route.response?.contentTypes ?? [];
  if (route.body || route.query || hasParams) out[400] = validationProblem('Invalid input: `errors` names every bad field (path, query or body; an unknown body field too)');
  if (route.auth === 'apiKey') {
    out[401] = problem('Missing, unknown or revoked API key');
    out[403] = problem(`Role not allowed (allowed: ${route.roles.join(', ')})`);
  }
  if (route.auth === 'webhook') out[401] = problem('Missing or forged signature, a timestamp more than 5 minutes off, or an unknown provider; nothing credited');
  if (hasParams) out[404] = problem('Not found, or not yours (the same answer)');
  if (offered.length > 1) out[406] = problem(`None of ${offered.join(', ')} is acceptable (Accept with q-values, or ?format=); \`available\` lists them`);
  if (route.body || route.method !== 'GET') out[413] = problem('Body over 1 MiB');
  out[414] = problem(`Query string over ${MAX_QUERY_BYTES} bytes`);
  if (route.bodyContentTypes) out[415] = problem(`Body not in ${route.bodyContentTypes.join(' or ')}`);
  else if (route.body && route.auth !== 'webhook') out[415] = problem('Body not application/json');
  if (route.idempotencyKey) out[422] = problem('Idempotency-Key already used with a different body');
  if (route.rateLimit) out[429] = tooManyRequests(route as Route & { rateLimit: NonNullable<Route['rateLimit']> });
  out[431] = problem(`Headers over ${MAX_HEADER_BYTES} bytes in total`);
  out[500] = problem('Unexpected error (details only in the log; quote `correlationId`)');
  for (const [status, description] of Object.entries(route.errors ?? {})) {
    const code = Number(status);
    if (description === null) delete out[code];
    else if (description !== undefined) out[code] = { ...problem(description), ...(route.auth === 'webhook' && code === 409 ? { headers: retryAfter('With `webhook-in-progress`: seconds until the first delivery has answered') } : {}) };
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => Number(a) - Number(b)));
}

/** A conditional route's 304 (shared/http/conditional.ts): no body, the same validators. */
const NOT_MODIFIED = {
  304: {
    description: 'Not modified: `If-None-Match` named the current `ETag` (a strong hash of the body the 200 would have). No body; `ETag` and `Cache-Control` as on the 200.',
    headers: { ETag: { description: 'The strong entity tag of the current answer', schema: { type: 'string' } } },
  },
};

function successResponse(route: Route) {
  const ok = route.response ?? { status: 200 };
  const contentTypes = ok.contentTypes ?? ['application/json'];
  if (ok.status === 204) return { [String(ok.status)]: { description: 'Done; no body' } };
  const content = Object.fromEntries(
    contentTypes.map((ct) => [
      ct,
      ct === 'application/json'
        ? { schema: ok.schema ? { $ref: `#/components/schemas/${ok.schema}` } : { type: 'object' } }
        : { schema: { type: 'string', ...(/^(text|application\/xml)/.test(ct) ? {} : { contentMediaType: ct }) } },
    ]),
  );
  const negotiated = contentTypes.length > 1
    ? `Success. By the Accept header with its q-values${route.query && queryParams(route).some((p) => p.name === 'format') ? ' or ?format=' : ''}: ${contentTypes.join(', ')}; JSON when the header allows several equally (\`*/*\`) or is absent.`
    : 'Success';
  return {
    [String(ok.status)]: {
      description: negotiated,
      ...(route.conditional ? { headers: { ETag: { description: 'A strong entity tag (hash of this body): send it back as `If-None-Match` for a 304 while nothing changed', schema: { type: 'string' } } } } : {}),
      ...(route.auth === 'webhook' ? { headers: { 'x-webhook-replayed': { description: '`true` when this is the stored answer to an earlier delivery of the same webhook-id', schema: { type: 'string', enum: ['true'] } } } } : {}),
      content,
    },
  };
}

function operation(route: Route) {
  return {
    operationId: route.id,
    summary: route.summary,
    ...(route.auth === 'webhook' ? { description: WEBHOOK_SIGNING } : {}),
    tags: [route.path.split('/')[2] ?? 'meta'],
    ...(route.auth === 'apiKey' ? { security: [{ bearerAuth: [] }], 'x-roles': route.roles } : { security: [] }),
    parameters: [
      ...pathParams(route.path),
      ...queryParams(route),
      ...(route.auth === 'webhook' ? WEBHOOK_HEADERS : []),
      ...(route.idempotencyKey
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Makes a retry safe: the same key with the same body returns the first answer (48 h); with another body → 422.',
              schema: { type: 'string', minLength: 1, maxLength: 255 },
            },
          ]
        : []),
    ],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(
              (route.bodyContentTypes ?? ['application/json']).map((ct) => [
                ct,
                { schema: ct === 'application/json' ? { $ref: `#/components/schemas/${route.body}` } : { type: 'string' } },
              ]),
            ),
          },
        }
      : {}),
    responses: { ...successResponse(route), ...(route.conditional ? NOT_MODIFIED : {}), ...errorResponses(route) },
  };
}

export function buildOpenApi(): Json {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operation(route);
  }
  const used = new Set<string>(['Problem', 'ValidationProblem']);
  for (const r of routes) {
    if (r.body) used.add(r.body);
    if (r.response?.schema) used.add(r.response.schema);
  }
  const componentSchemas = Object.fromEntries(
    [...used].sort().map((name) => [name, toSchema(name, routes.some((r) => r.body === name) ? 'input' : 'output')]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'pe-register',
      version: '1.0.0',
      description:
        'Registration of continuing professional education (PE) in the Dutch staffing sector. Authentication: `Authorization: Bearer <apiKey>` (security scheme bearerAuth) on the routes that name roles; the completion webhook is signed instead (Standard Webhooks, see its operation). Errors are RFC 9457 problem+json; each operation lists every status it can answer. Every GET route also answers HEAD (the same status and headers, no body). Dates are `YYYY-MM-DD` (Europe/Amsterdam); a period\'s `endsOn` is exclusive, its `validUntil` the last valid day. Routes that offer several media types negotiate on the Accept header with q-values (JSON when undecided). API Gateway throttles every route too (429 `{"message":"Too Many Requests"}`, not problem+json).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'pe_<role>_<43 characters>',
          description:
            'An API key, `pe_<role>_` + 43 characters (role `admin`, `provider`, `employer` or `participant`), sent as `Authorization: Bearer pe_provider_…`. Issued by the register (admission, POST …/api-keys, a participant\'s session) and shown once; participant keys expire after 90 days. Missing, unknown or revoked → 401; a role the route does not list → 403.',
        },
      },
      schemas: componentSchemas,
    },
    paths,
  };
}
