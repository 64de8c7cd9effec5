/**
 * Pages (issue 14.7): the dossier (signed in), the register search and the catalogue, served by
 * the local stack. Per page: p50/p99 over HTTP (`timeHttp` of the reads bench), DynamoDB calls
 * and RCU of one view in-process (the capacity meter; the issue allows the dossier 3 calls), the
 * function's bundle built with the stack's esbuild settings and its init time in a fresh process
 * (coldstart.ts), and the page weight: its HTML plus the stylesheet (`buildAssets()`), each
 * compressed with gzip and with brotli as a CDN would, against the 60 KB budget. The 404 page
 * is measured too, as the floor every page starts from (layout + stylesheet).
 *
 * A page whose handler file does not exist yet is skipped with a line saying so.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildContext, buildEvent } from '../infra/local/event';
import { createApiKey, lookupApiKey } from '../shared/data/api-keys';
import { createProvider } from '../shared/data/organisations';
import { getDiplomas, getParticipant } from '../shared/data/participants';
import { createWebSession } from '../shared/data/web-sessions';
import { addDays } from '../shared/domain/dates';
import { todayInAmsterdam } from '../shared/dates';
import { pageRoutes, type Route } from '../shared/routes';
import { creditCompletions } from '../shared/services/crediting';
import { importDiplomas } from '../shared/services/diplomas';
import { decide, submitRequest } from '../shared/services/recognition';
import { buildAssets } from '../shared/web/assets';
import { cdkBuildOptions, initMs } from './coldstart';
import { median, round } from './lib';
import { rcuOf, timeHttp } from './reads';

const ROOT = new URL('..', import.meta.url).pathname;
/** Page weight budget (issue 14.7): HTML + CSS, compressed. */
export const PAGE_BUDGET_KB = 60;
const kb = (bytes: number) => round(bytes / 1000, 1);

interface PageSpec {
  page: string;
  routeId: string;
  path: string;
  query?: string;
  session?: boolean;
  status?: number;
}

export async function benchPages(stack: { baseUrl: string; ports: { api: number } }, samples = 10) {
  // The stack's own site: its cookies are the plain-http ones (no `__Host-`), here as there.
  const previousBase = process.env.PUBLIC_BASE_URL;
  process.env.PUBLIC_BASE_URL = `http://localhost:${stack.ports.api}`;
  try {
    return await run(stack.baseUrl, samples);
  } finally {
    if (previousBase === undefined) delete process.env.PUBLIC_BASE_URL;
    else process.env.PUBLIC_BASE_URL = previousBase;
  }
}

async function run(baseUrl: string, samples: number) {
  const today = todayInAmsterdam();
  const tag = Date.now().toString(36).toUpperCase();
  const system = { role: 'admin', id: 'admin' };

  // The catalogue: 60 public activities; the register: 200 holders; one dossier with 10 credits.
  const admin = (await lookupApiKey((await createApiKey('admin', 'admin')).apiKey))!;
  const p = await createProvider({ name: 'Pagina Opleider', kvkNumber: '12345679', contactEmail: 'pagina@example.nl' }, system);
  const owner = (await lookupApiKey(p.apiKey))!;
  const acts: string[] = [];
  for (let i = 0; i < 60; i++) {
    const req = await submitRequest(owner, {
      title: `Paginacursus ${i} ${i % 3 ? 'arbeidsrecht' : 'payrolling'}`, description: 'Voor de bench', learningGoals: ['Lezen'],
      activityType: i % 2 ? 'webinar' : 'training', nature: 'updating', topics: [`T${String((i % 13) + 1).padStart(2, '0')}`],
      netStudyMinutes: 90, completion: { type: 'test', description: 'Toets' }, sessions: [{ startsOn: addDays(today, 10 + (i % 60)), online: true }],
    } as never);
    acts.push(((await decide(admin, req.requestId, { decision: 'approved' }, addDays(today, -200))) as { activityId: string }).activityId);
  }
  const rows = Array.from({ length: 200 }, (_, i) => ({
    diplomaNumber: `PAGES${i}X${tag}`, type: 'uitzendprofessional' as const, issuedOn: addDays(today, -300 - (i % 300)),
    holder: { initials: 'P.', lastName: `Pagina${i}`, birthDate: '1990-01-01' },
  }));
  await importDiplomas(rows, system, today);
  const star = (await getParticipant((await getDiplomas([rows[7].diplomaNumber])).get(rows[7].diplomaNumber)!.participantId as string))!;
  await creditCompletions(
    { id: p.providerId, role: 'provider' },
    acts.slice(0, 10).map((a, i) => ({ externalId: `pages-${tag}-${i}`, activityId: a, participant: { registrationNumber: star.registrationNumber }, completedOn: addDays(today, -1) })),
    today,
  );
  const { id: sessionId } = await createWebSession({ role: 'participant', ownerId: star.participantId });
  const cookie = `pe_session=${sessionId}`;

  const specs: PageSpec[] = [
    { page: 'dossier', routeId: 'page-dossier', path: '/dossier', session: true },
    // The search field and the filters as the API names them (q, topic, from).
    { page: 'register', routeId: 'page-register', path: '/register', query: 'q=Pagina7' },
    { page: 'catalogue', routeId: 'page-catalogue', path: '/scholingskalender', query: `topic=T02&q=arbeidsrecht&from=${today}` },
    { page: 'not-found', routeId: 'page-not-found', path: '/bestaat-niet', status: 404 },
  ];

  const css = (await buildAssets()).find((a) => a.name === 'app.css')!.body;
  const out = mkdtempSync(join(tmpdir(), 'pe-bench-pages-'));
  const runs: Record<string, unknown>[] = [];
  const skipped: { page: string; reason: string }[] = [];
  const present: (PageSpec & { route: Route; entry: string; headers?: Record<string, string> })[] = [];
  for (const spec of specs) {
    const route = pageRoutes.find((r) => r.id === spec.routeId);
    const entry = route && join(ROOT, 'functions', `${route.handler}.tsx`);
    if (!entry || !existsSync(entry)) {
      const reason = `functions/${route?.handler ?? spec.routeId}.tsx does not exist yet`;
      console.log(`  pages: ${spec.page} skipped — ${reason}`);
      skipped.push({ page: spec.page, reason });
      continue;
    }
    present.push({ ...spec, route: route!, entry, headers: spec.session ? { cookie } : undefined });
  }

  // Over HTTP first, the pages one after another, then the slow work (bundles, fresh processes).
  const served = new Map<string, { p50Ms: number; p99Ms: number; html: Buffer }>();
  for (const spec of present) {
    const url = `${baseUrl}${spec.path}${spec.query ? `?${spec.query}` : ''}`;
    const http = await timeHttp(url, { headers: spec.headers, status: spec.status ?? 200 });
    const res = await fetch(url, { headers: spec.headers });
    const html = Buffer.from(await res.arrayBuffer());
    if (!/^text\/html/.test(res.headers.get('content-type') ?? '')) throw new Error(`${url} answered ${res.headers.get('content-type')}, not HTML`);
    served.set(spec.page, { ...http, html });
  }

  for (const spec of present) {
    const { route, entry, headers } = spec;
    const { html, ...http } = served.get(spec.page)!;
    // One view in-process, through the same event the gateway builds.
    const mod = (await import(entry)) as { handler: (event: unknown, context: unknown) => Promise<unknown> };
    const event = buildEvent({ method: 'GET', rawPath: spec.path, rawQueryString: spec.query ?? '', headers: { host: new URL(baseUrl).host, ...headers }, route });
    let answered: unknown;
    const capacity = await rcuOf(async () => (answered = await mod.handler(event, buildContext(route.id))));
    const status = (answered as { statusCode?: number })?.statusCode;
    if (status !== (spec.status ?? 200)) throw new Error(`${spec.page} in-process answered ${status}, not ${spec.status ?? 200}`);

    const outfile = join(out, spec.page, 'index.mjs');
    await build({ ...cdkBuildOptions(), entryPoints: [entry], outfile, sourcemap: 'linked' });
    const init = Array.from({ length: samples }, () => initMs(outfile));

    const gzip = gzipSync(html).length + gzipSync(css).length;
    const brotli = brotliCompressSync(html).length + brotliCompressSync(css).length;
    runs.push({
      page: spec.page,
      path: spec.path + (spec.query ? `?${spec.query}` : ''),
      p50Ms: http.p50Ms,
      p99Ms: http.p99Ms,
      dynamoCalls: capacity.calls,
      rcu: capacity.rcu,
      bundleKiB: round(statSync(outfile).size / 1024, 0),
      initMsMedian: round(median(init), 0),
      htmlKB: kb(html.length),
      gzipKB: kb(gzip),
      brotliKB: kb(brotli),
      withinBudget: Math.max(gzip, brotli) <= PAGE_BUDGET_KB * 1000,
    });
  }
  return {
    runs,
    skipped,
    stylesheetKB: { raw: kb(css.length), gzip: kb(gzipSync(css).length), brotli: kb(brotliCompressSync(css).length) },
    budgetKB: PAGE_BUDGET_KB,
    fixture: { activities: 60, holders: 200, creditsOnDossier: 10 },
    samples,
    note: `Latency over HTTP through the local gateway (30 calls after 3 warm-ups; /dossier with a participant's session cookie). DynamoDB calls and RCU: one view in-process with ReturnConsumedCapacity (session read and rate-limit counters included). Bundles built with the stack's esbuild settings (bench/coldstart.ts cdkBuildOptions), init = \`await import(bundle)\` in a fresh Node process, median of ${samples}. Weight: the HTML plus the stylesheet, each compressed (gzip level 6, brotli quality 11, Node's defaults), against ${PAGE_BUDGET_KB} KB (1 KB = 1,000 bytes).`,
  };
}
