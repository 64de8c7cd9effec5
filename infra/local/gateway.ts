import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Route } from '../../shared/routes';
import {
  buildContext,
  buildEvent,
  compareSpecificity,
  compileRoute,
  normalizeResult,
  pairsFromRawHeaders,
  problem,
  type CompiledRoute,
  type HttpResponse,
} from './event';

/** The contract's limit (API.md: bodies over 1 MiB → 413), enforced before any handler runs. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown> | unknown;
export type GatewayRoute = Pick<Route, 'id' | 'method' | 'path' | 'handler'>;

export interface GatewayOptions {
  routes: readonly GatewayRoute[];
  /** Folder holding `<route.handler>.ts`; default: the repository's functions/. */
  functionsDir?: string;
  /** Override how a route's handler is found (tests inject in-memory handlers). */
  load?: (route: GatewayRoute) => Promise<LambdaHandler>;
  maxBodyBytes?: number;
  /** API Gateway gives up on an integration after 30 s. */
  timeoutMs?: number;
  /** Called once per request (access log). */
  onRequest?: (line: { method: string; path: string; status: number; ms: number; requestId: string }) => void;
  /** Called with errors the client only sees as a generic 500. */
  onError?: (err: unknown, route: GatewayRoute | undefined) => void;
}

export interface Gateway {
  server: Server;
  /** Import every handler now (errors go to onError), so the first request is not the slow one. */
  preload(): Promise<void>;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

const defaultFunctionsDir = fileURLToPath(new URL('../../functions', import.meta.url));

/**
 * The local stand-in for API Gateway's HTTP API: matches method + path against the route table,
 * hands the handler a payload-2.0 event and writes its answer back, with API Gateway's own
 * failure modes (404 unknown route, 413 too large, 500 when the handler throws, 503 on timeout)
 * as problem+json.
 */
export function createGateway(opts: GatewayOptions): Gateway {
  const functionsDir = opts.functionsDir ?? defaultFunctionsDir;
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const compiled = opts.routes.map((r) => compileRoute(r));
  const cache = new Map<string, Promise<LambdaHandler>>();

  const defaultLoad = async (route: GatewayRoute): Promise<LambdaHandler> => {
    const file = resolve(functionsDir, `${route.handler}.ts`);
    const mod = (await import(pathToFileURL(file).href)) as { handler?: unknown };
    if (typeof mod.handler !== 'function') throw new Error(`${file} does not export a function named handler`);
    return mod.handler as LambdaHandler;
  };

  function load(route: GatewayRoute): Promise<LambdaHandler> {
    let p = cache.get(route.id);
    if (!p) {
      p = (opts.load ?? defaultLoad)(route);
      cache.set(route.id, p);
      // A handler that fails to import (not written yet, syntax error) is retried next time.
      p.catch(() => cache.delete(route.id));
    }
    return p;
  }

  function find(method: string, rawPath: string) {
    const matches: Array<{ c: CompiledRoute<GatewayRoute>; params: Record<string, string> }> = [];
    for (const c of compiled) {
      const params = c.match(rawPath);
      if (params) matches.push({ c, params });
    }
    const forMethod = matches
      .filter((m) => m.c.route.method === method)
      .sort((a, b) => compareSpecificity(a.c.specificity, b.c.specificity));
    return { hit: forMethod[0], allowed: [...new Set(matches.map((m) => m.c.route.method))] };
  }

  function send(res: ServerResponse, out: HttpResponse, requestId: string, extra: Record<string, string> = {}) {
    if (res.headersSent) return;
    const noBody = out.statusCode === 204 || out.statusCode === 304 || out.statusCode < 200;
    res.writeHead(out.statusCode, {
      ...out.headers,
      'apigw-requestid': requestId,
      ...extra,
      ...(noBody ? {} : { 'content-length': String(out.body.length) }),
    });
    res.end(noBody ? undefined : out.body);
  }

  /** Read the body, counting the bytes actually streamed (content-length may lie or be absent). */
  function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
    return new Promise((resolvePromise, reject) => {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBody) return resolvePromise('too-large');
      const chunks: Buffer[] = [];
      let total = 0;
      let done = false;
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        total += chunk.length;
        if (total > maxBody) {
          done = true;
          chunks.length = 0;
          resolvePromise('too-large');
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (!done) resolvePromise(Buffer.concat(chunks));
      });
      req.on('error', reject);
    });
  }

  /** Answer 413 now; swallow (up to a bound) what the client is still sending so it can read the answer. */
  function tooLarge(req: IncomingMessage, res: ServerResponse, requestId: string) {
    send(res, problem(413, 'Content Too Large', `The request body exceeds ${maxBody} bytes.`), requestId, { connection: 'close' });
    let drained = 0;
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > 64 * maxBody) req.socket.destroy();
    });
    req.resume();
    setTimeout(() => req.socket.destroy(), 10_000).unref();
  }

  async function handle(req: IncomingMessage, res: ServerResponse, expectsContinue = false) {
    const started = performance.now();
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQueryString = q === -1 ? '' : url.slice(q + 1);
    res.on('finish', () =>
      opts.onRequest?.({ method, path: rawPath, status: res.statusCode, ms: Math.round(performance.now() - started), requestId }),
    );

    const { hit, allowed } = find(method, rawPath);
    if (!hit) {
      if (allowed.length) {
        send(res, problem(405, 'Method Not Allowed', `${method} is not allowed on ${rawPath}; use ${allowed.join(', ')}.`), requestId, {
          allow: allowed.join(', '),
        });
      } else {
        send(res, problem(404, 'Not Found', `No route for ${method} ${rawPath}.`), requestId);
      }
      req.resume();
      return;
    }

    // `Expect: 100-continue` (curl does this for big bodies): refuse an oversized body before it is sent.
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBody) return tooLarge(req, res, requestId);
    if (expectsContinue) res.writeContinue();

    let body: Buffer | 'too-large';
    try {
      body = await readBody(req);
    } catch {
      res.destroy();
      return;
    }
    if (body === 'too-large') return tooLarge(req, res, requestId);

    const route = hit.c.route;
    try {
      const handler = await load(route);
      const event = buildEvent({
        method,
        rawPath,
        rawQueryString,
        headers: pairsFromRawHeaders(req.rawHeaders),
        body,
        route,
        pathParameters: hit.params,
        sourceIp: req.socket.remoteAddress,
        protocol: `HTTP/${req.httpVersion}`,
        requestId,
      });
      const context = buildContext(`pe-register-${route.id}`, requestId, timeoutMs);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((r) => {
        timer = setTimeout(() => r('timeout'), timeoutMs);
      });
      const result = await Promise.race([Promise.resolve().then(() => handler(event, context)), timedOut]);
      clearTimeout(timer);
      if (result === 'timeout') {
        send(res, problem(503, 'Service Unavailable', `The handler did not answer within ${timeoutMs} ms.`), requestId);
        return;
      }
      send(res, normalizeResult(result), requestId);
    } catch (err) {
      opts.onError?.(err, route);
      send(res, problem(500, 'Internal Server Error', 'An unexpected error occurred.'), requestId);
    }
  }

  const serve = (expectsContinue: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, expectsContinue).catch((err) => {
      opts.onError?.(err, undefined);
      if (!res.headersSent) send(res, problem(500, 'Internal Server Error', 'An unexpected error occurred.'), 'unknown');
    });
  };
  const server = createServer(serve(false));
  server.on('checkContinue', serve(true));
  // Handlers may take up to timeoutMs; keep node's own limits above it.
  server.requestTimeout = timeoutMs + 30_000;
  server.keepAliveTimeout = 5_000;

  return {
    server,
    async preload() {
      await Promise.all(
        opts.routes.map((r) =>
          load(r).then(
            () => undefined,
            (err) => opts.onError?.(err, r),
          ),
        ),
      );
    },
    listen(port, host = '127.0.0.1') {
      return new Promise((resolvePromise, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          resolvePromise((server.address() as { port: number }).port);
        });
      });
    },
    close() {
      return new Promise((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeIdleConnections();
        // In-flight requests get a moment; then the sockets go.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
    },
  };
}
