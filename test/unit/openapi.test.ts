import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { buildOpenApi } from '../../shared/schemas/openapi';
import { Webhook } from 'standardwebhooks';
import { jobs, routes } from '../../shared/routes';
import { WEBHOOK_EXAMPLE } from '../../shared/schemas/openapi';
import { DOCUMENT_ID, documentAjv, nonConformance } from '../setup/openapi-conformance';

type Param = { name: string; in: string; required: boolean; example?: string };
type Response = { description: string; content?: Record<string, { schema: unknown }> };
type Op = { operationId: string; description?: string; security: unknown[]; parameters: Param[]; requestBody?: { content: Record<string, unknown> }; responses: Record<string, Response> };
type Doc = { components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> }; paths: Record<string, Record<string, Op>> };

describe('the route table and the OpenAPI document', () => {
  it('the committed openapi.json equals what the build generates (run npm run build:openapi)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../shared/schemas/openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApi())));
  });

  it('documents every route with its roles and error responses', () => {
    const doc = buildOpenApi() as { paths: Record<string, Record<string, { responses: Record<string, unknown>; 'x-roles'?: string[] }>> };
    for (const route of routes) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      if (route.auth === 'apiKey') {
        expect(op['x-roles']).toEqual(route.roles);
        expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403', '500']));
      }
    }
  });

  it('has unique route ids and method+path pairs, and every handler file exists', () => {
    expect(new Set(routes.map((r) => r.id)).size).toBe(routes.length);
    expect(new Set(routes.map((r) => `${r.method} ${r.path}`)).size).toBe(routes.length);
    for (const entry of [...routes.map((r) => r.handler), ...jobs.map((j) => j.handler)]) {
      expect(existsSync(new URL(`../../functions/${entry}.ts`, import.meta.url)), entry).toBe(true);
    }
    for (const r of routes) {
      if (r.auth === 'apiKey') expect(r.roles.length, r.id).toBeGreaterThan(0);
      else expect(r.roles, r.id).toEqual([]);
    }
  });
});

describe('the OpenAPI document as integrators read it', () => {
  const doc = JSON.parse(readFileSync(new URL('../../shared/schemas/openapi.json', import.meta.url), 'utf8')) as Doc;
  const ops = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ path, method, op })));
  const opOf = (id: string) => ops.find((o) => o.op.operationId === id)!.op;

  it('compiles with ajv, strict: every component, parameter, request and response schema, every $ref resolved', () => {
    const ajv = documentAjv();
    let compiled = 0;
    for (const name of Object.keys(doc.components.schemas)) {
      expect(ajv.getSchema(`${DOCUMENT_ID}#/components/schemas/${name}`), name).toBeTypeOf('function');
      compiled++;
    }
    const at = (...parts: string[]) => `${DOCUMENT_ID}#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
    for (const { path, method, op } of ops) {
      op.parameters.forEach((p, i) => {
        expect(ajv.getSchema(at('paths', path, method, 'parameters', String(i), 'schema')), `${op.operationId} ${p.name}`).toBeTypeOf('function');
        compiled++;
      });
      for (const ct of Object.keys(op.requestBody?.content ?? {})) {
        expect(ajv.getSchema(at('paths', path, method, 'requestBody', 'content', ct, 'schema')), `${op.operationId} body ${ct}`).toBeTypeOf('function');
        compiled++;
      }
      for (const [status, response] of Object.entries(op.responses)) {
        for (const ct of Object.keys(response.content ?? {})) {
          expect(ajv.getSchema(at('paths', path, method, 'responses', status, 'content', ct, 'schema')), `${op.operationId} ${status} ${ct}`).toBeTypeOf('function');
          compiled++;
        }
      }
    }
    expect(compiled).toBeGreaterThan(400);
  });

  it('declares the bearer-key security scheme, on every apiKey route and on no public one', () => {
    expect(doc.components.securitySchemes).toEqual({ bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer', description: expect.stringContaining('pe_<role>_') }) });
    for (const route of routes) {
      const op = opOf(route.id);
      expect(op.security, route.id).toEqual(route.auth === 'apiKey' ? [{ bearerAuth: [] }] : []);
    }
  });

  it('documents the webhook: its three headers, required, and the signing scheme with an example that verifies', () => {
    const op = opOf('receive-completions');
    const headers = op.parameters.filter((p) => p.in === 'header');
    expect(headers.map((h) => [h.name, h.required])).toEqual([['webhook-id', true], ['webhook-timestamp', true], ['webhook-signature', true]]);
    expect(op.description).toContain('HMAC-SHA256');
    expect(op.description).toContain('{webhook-id}.{webhook-timestamp}.{raw body}');
    expect(op.description).toContain('whsec_');
    expect(op.description).toContain('5 minutes');
    // The example, checked by the Standard Webhooks library itself (not by the code that wrote it): verify() throws on a bad signature.
    const e = WEBHOOK_EXAMPLE;
    const signature = headers.find((h) => h.name === 'webhook-signature')!.example!;
    expect(op.description).toContain(signature);
    vi.useFakeTimers({ now: e.timestamp * 1000 + 60_000, toFake: ['Date'] });
    try {
      expect(new Webhook(e.secret).verify(e.body, { 'webhook-id': e.id, 'webhook-timestamp': String(e.timestamp), 'webhook-signature': signature }, { jsonParse: false } as never)).toBeUndefined(); // it throws unless the signature verifies
    } finally {
      vi.useRealTimers();
    }
    expect(signature).toBe(new Webhook(e.secret).sign(e.id, new Date(e.timestamp * 1000), e.body));
    expect(op.responses['401']).toBeDefined();
    expect(op.responses['409'].description).toMatch(/webhook-id-reused[\s\S]*webhook-in-progress/);
    expect(op.responses['404']).toBeUndefined();
  });

  it('lists every answer the recipe and the route table imply, with the problem schemas', () => {
    for (const route of routes) {
      const op = opOf(route.id);
      const statuses = Object.keys(op.responses).map(Number);
      const expected = [414, 431, 500];
      if (route.auth === 'apiKey') expected.push(401, 403);
      if (route.auth === 'webhook') expected.push(401);
      if (route.body) expected.push(400, 413);
      if (route.body && route.auth !== 'webhook') expected.push(415);
      if (route.query) expected.push(400);
      if (route.rateLimit) expected.push(429);
      if (route.idempotencyKey) expected.push(422);
      if ((route.response?.contentTypes?.length ?? 0) > 1) expected.push(406);
      if (route.path.includes('{') && route.errors?.[404] !== null) expected.push(404);
      for (const [status, description] of Object.entries(route.errors ?? {})) if (description) expected.push(Number(status));
      expect(statuses, route.id).toEqual(expect.arrayContaining(expected));
      for (const status of statuses.filter((s) => s >= 400)) {
        const schema = op.responses[String(status)].content!['application/problem+json'].schema;
        expect(schema, `${route.id} ${status}`).toEqual({ $ref: status === 400 ? '#/components/schemas/ValidationProblem' : '#/components/schemas/Problem' });
      }
    }
    expect(Object.keys(opOf('create-renewal').responses)).toContain('409');
    expect(Object.keys(opOf('get-invoice').responses)).toContain('406');
    expect(Object.keys(opOf('put-topic').responses)).not.toContain('404');
  });

  it('says endsOn is exclusive and validUntil the last valid day', () => {
    const period = doc.components.schemas.Dossier as { properties: { current: { anyOf: { properties: Record<string, { description?: string }> }[] } } };
    const current = period.properties.current.anyOf.find((s) => s.properties)!.properties;
    expect(current.endsOn.description).toMatch(/^Exclusive end/);
    expect(current.validUntil.description).toMatch(/last valid day/);
    expect((doc.components.schemas.RegisterEntry as { properties: { validUntil: { description: string } } }).properties.validUntil.description).toMatch(/last valid day/);
  });
});

describe('the conformance check on integration answers', () => {
  const route = routes.find((r) => r.id === 'get-register-entry')!;
  const json = (statusCode: number, body: unknown, contentType = 'application/json') => ({ statusCode, headers: { 'content-type': contentType }, body: JSON.stringify(body), json: body });
  const entry = { registrationNumber: 'PE-4K7Q9M', name: 'M. de Vries', title: 'Register-Uitzendprofessional', status: 'active', validUntil: '2026-12-19' };

  it('passes an answer as declared', () => {
    expect(nonConformance(route, 'GET', json(200, entry))).toBeUndefined();
    expect(nonConformance(route, 'GET', json(404, { type: 'x', title: 'Not Found', status: 404, detail: 'Not registered.' }, 'application/problem+json'))).toBeUndefined();
  });

  it('fails a status the document does not list, a media type it does not list, and a body off its schema', () => {
    expect(nonConformance(route, 'GET', json(409, { type: 'x', title: 'Conflict', status: 409, detail: 'x' }, 'application/problem+json'))).toMatch(/answered 409, which openapi.json does not list/);
    expect(nonConformance(route, 'GET', json(200, entry, 'text/csv'))).toMatch(/as text\/csv/);
    expect(nonConformance(route, 'GET', json(200, { ...entry, email: 'm@example.nl' }))).toMatch(/additional properties \(email\)/);
    expect(nonConformance(route, 'GET', json(200, { ...entry, validUntil: '19-12-2026' }))).toMatch(/validUntil/);
    expect(nonConformance(route, 'GET', json(400, { type: 'x', title: 'Bad Request', status: 400, detail: 'x' }, 'application/problem+json'))).toMatch(/errors/);
  });
});
