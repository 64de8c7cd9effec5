import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../shared/schemas/openapi';
import { jobs, routes } from '../../shared/routes';

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
