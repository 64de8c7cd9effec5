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
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: problemRef } } });

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
    headers: { 'Retry-After': { description: 'Seconds until the window ends', schema: { type: 'integer', minimum: 1 } } },
  };
}

function operation(route: Route) {
  const responses: Record<string, unknown> = {};
  const ok = route.response ?? { status: 200 };
  const contentTypes = ok.contentTypes ?? ['application/json'];
  responses[String(ok.status)] = {
    description: 'Success',
    ...(ok.status !== 204
      ? {
          content: Object.fromEntries(
            contentTypes.map((ct) => [ct, ct === 'application/json' && ok.schema ? { schema: { $ref: `#/components/schemas/${ok.schema}` } } : {}]),
          ),
        }
      : {}),
  };
  if (route.body || route.query || route.path.includes('{')) responses['400'] = problem('Invalid input: `errors` names every bad field');
  if (route.auth === 'apiKey') {
    responses['401'] = problem('Missing, unknown or revoked API key');
    responses['403'] = problem(`Role not allowed (allowed: ${route.roles.join(', ')})`);
  }
  if (route.auth === 'webhook') responses['401'] = problem('Missing, forged or stale webhook signature');
  if (route.path.includes('{')) responses['404'] = problem('Not found, or not yours');
  if (route.bodyContentTypes) responses['415'] = problem(`Body not in ${route.bodyContentTypes.join(' or ')}`);
  if (route.idempotencyKey) responses['422'] = problem('Idempotency-Key already used with a different body');
  if (route.method !== 'GET') responses['413'] = problem('Body over 1 MiB');
  if (route.rateLimit) responses['429'] = tooManyRequests(route as Route & { rateLimit: NonNullable<Route['rateLimit']> });
  responses['500'] = problem('Unexpected error (details only in the log)');

  return {
    operationId: route.id,
    summary: route.summary,
    tags: [route.path.split('/')[2] ?? 'meta'],
    ...(route.auth === 'apiKey' ? { security: [{ apiKey: [] }], 'x-roles': route.roles } : { security: [] }),
    parameters: [
      ...pathParams(route.path),
      ...queryParams(route),
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
    responses,
  };
}

export function buildOpenApi(): Json {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operation(route);
  }
  const used = new Set<string>(['Problem']);
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
        `Registration of continuing professional education (PE) in the Dutch staffing sector. Errors are RFC 9457 problem+json. Every GET route also answers HEAD (the same status and headers, no body); a query string over ${MAX_QUERY_BYTES} bytes → 414, headers over ${MAX_HEADER_BYTES} bytes in total → 431.`,
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key issued by the register' } },
      schemas: componentSchemas,
    },
    paths,
  };
}
