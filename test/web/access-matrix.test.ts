import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pageRoutes, type Role } from '../../shared/routes';
import { repoRoot } from '../e2e/helpers';
import { page, signedIn } from './helpers';

/*
 * The pages' access matrix (issue 15 point 5, like the API's): every page behind a session, for a
 * stranger (GET → 303 to /inloggen with the way back, POST → 403), for every role it does not
 * name (→ the 404 page, the same answer as a missing page) — before its handler reads anything.
 */

const ROLES: Role[] = ['participant', 'employer', 'provider', 'admin'];
const OWNER: Record<Role, string> = { participant: 'par_matrix', employer: 'emp_matrix', provider: 'prv_matrix', admin: 'admin' };
const protectedRoutes = pageRoutes.filter((r) => r.auth === 'session');

/** A concrete path for a route's template (any id: the role check comes first). */
const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => `${name}-x`);

async function load(handler: string): Promise<{ handler: unknown }> {
  const file = ['.ts', '.tsx'].map((ext) => `${repoRoot}/functions/${handler}${ext}`).find(existsSync);
  if (!file) throw new Error(`No handler file for ${handler}`);
  return import(file);
}

describe('who may see a page behind a session', () => {
  it('every such route names at least one role', () => {
    expect(protectedRoutes.length).toBeGreaterThan(0);
    for (const route of protectedRoutes) expect(route.roles.length, route.id).toBeGreaterThan(0);
  });

  for (const route of protectedRoutes) {
    it(`${route.method} ${route.path}: a stranger signs in first, another role gets the 404 page`, async () => {
      const module = await load(route.handler);
      const path = concrete(route.path);
      const method = route.method as 'GET' | 'POST';
      const stranger = await page(module, { method, path, ...(method === 'POST' ? { form: {} } : {}) });
      if (method === 'GET') {
        expect(stranger.statusCode).toBe(303);
        expect(stranger.location).toBe(`/inloggen?next=${encodeURIComponent(path)}`);
      } else {
        expect(stranger.statusCode).toBe(403);
      }
      for (const role of ROLES.filter((r) => !route.roles.includes(r))) {
        const other = await signedIn({ role, ownerId: OWNER[role], ...(role === 'participant' ? {} : { userId: `usr_${role}` }) });
        const res = await page(module, { method, path, session: other, ...(method === 'POST' ? { form: {} } : {}) });
        expect(res.statusCode, `${role} on ${route.id}`).toBe(404);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      }
    });
  }
});
