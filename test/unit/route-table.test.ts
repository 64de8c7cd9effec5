import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRoutes, type Route } from '../../shared/routes';
import { schemas } from '../../shared/schemas';
import { HANDLER_SPEC, type BuiltWith } from '../../shared/http/spec';

/*
 * shared/routes.ts names each route's function file and body schema; the function builds its
 * handler with a route id and a schema of its own. Nothing but this test ties the two: a handler
 * built for another route would run with that route's roles and limits, and a body schema other
 * than the documented one would validate what the OpenAPI document does not describe.
 */
const root = resolve(import.meta.dirname, '../..');

function entryFile(route: Route): string {
  const base = resolve(root, 'functions', route.handler);
  return [`${base}.ts`, `${base}.tsx`].find((f) => existsSync(f)) ?? `${base}.ts`;
}

async function builtWith(route: Route): Promise<BuiltWith | undefined> {
  const mod = (await import(entryFile(route))) as { handler?: Record<symbol, BuiltWith> };
  return mod.handler?.[HANDLER_SPEC];
}

describe('the route table and the handlers built for it', () => {
  it('every route names a function file that exists', () => {
    expect(allRoutes.filter((r) => !existsSync(entryFile(r))).map((r) => r.id)).toEqual([]);
  });

  it("every function is built for the route that names it (httpHandler's or pageHandler's route ids)", async () => {
    const wrong: string[] = [];
    for (const route of allRoutes) {
      const spec = await builtWith(route);
      if (!spec) wrong.push(`${route.id}: ${route.handler} exports no handler built by httpHandler/pageHandler`);
      else if (!spec.routes.includes(route.id)) wrong.push(`${route.id}: ${route.handler} is built for ${spec.routes.join(', ')}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  // A bundle carries only the routes that name its function (infra/constructs/pe-function.ts
  // `definesOf`): a function that looked up another route's entry would fail at its first request
  // in the cloud, though it passes here, where the whole table is loaded.
  it('every route id a function is built for, pages through or negotiates for names that function', async () => {
    const wrong: string[] = [];
    for (const handler of new Set(allRoutes.map((r) => r.handler))) {
      const route = allRoutes.find((r) => r.handler === handler)!;
      const spec = await builtWith(route);
      const source = readFileSync(entryFile(route), 'utf8');
      const looked = [...source.matchAll(/\b(?:pageRequest|negotiate|findRoute)\(\s*'([^']+)'/g)].map((m) => m[1]);
      for (const id of [...(spec?.routes ?? []), ...looked]) {
        const named = allRoutes.find((r) => r.id === id);
        if (named?.handler !== handler) wrong.push(`${handler} uses route ${id}, which names ${named?.handler ?? 'no function'}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('every JSON body is validated with the schema the route table documents, and no other', async () => {
    const wrong: string[] = [];
    for (const route of allRoutes.filter((r) => r.kind !== 'page')) {
      const spec = (await builtWith(route))!;
      const documented = route.body ? schemas[route.body] : undefined;
      if (route.body && !documented) wrong.push(`${route.id}: body ${route.body} is not in shared/schemas/index.ts`);
      if (spec.body && spec.body !== documented) wrong.push(`${route.id}: validates a body schema other than ${route.body ?? '(none documented)'}`);
      // A raw body (CSV, a signed webhook) is parsed by the handler itself; the table documents its JSON form.
      if (documented && !spec.body && spec.bodyMode !== 'raw') wrong.push(`${route.id}: documents ${route.body} but validates no body`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
