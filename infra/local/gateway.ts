import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Socket } from 'node:net';
import type { Route } from '../../shared/routes';
import { problemBody } from '../../shared/http/errors';
import { MAX_BODY_BYTES, MAX_QUERY_BYTES } from '../../shared/http/limits';
import {
  buildContext,
  buildEvent,
  compileRoute,
  matchRoute,
  normalizeResult,
  pairsFromRawHeaders,
  problem,
  type HttpResponse,
} from './event';

/** The contract's limit (API.md: bodies over 1 MiB → 413), enforced before any handler runs. */
export { MAX_BODY_BYTES };

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
  /** Static files served at their path (`/assets/app.<hash>.css`), as S3 behind CloudFront does in the cloud. */
  assets?: readonly { path: string; contentType: string; body: Buffer }[];
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

const STATUS_LINE: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 414: 'URI Too Long', 431: 'Request Header Fields Too Large' };

/**
 * What node's HTTP parser refuses never reaches a handler; node would answer a bare status line.
 * Answer problem+json instead: headers (request line included) over node's 16 KiB → 431, or 414
 * when the request line alone is over the query limit, with the same problem types as the recipe's
 * own 414/431 (which it gives from 4 KiB of query and 8 KiB of headers).
 */
function answerClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  let status = 400;
  let detail = 'The request is not valid HTTP/1.1.';
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const raw = err.rawPacket?.toString('latin1') ?? '';
    const lineEnd = raw.indexOf('\r\n');
    const requestLine = lineEnd === -1 ? raw : raw.slice(0, lineEnd);
    if (/^[A-Z]+ /.test(requestLine) && requestLine.length > MAX_QUERY_BYTES) {
      status = 414;
      detail = `The request line is over ${MAX_QUERY_BYTES} bytes; no route takes a query string that long.`;
    } else {
      status = 431;
      detail = 'The request headers are too large.';
    }
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    detail = 'The request was not received in time.';
  }
  const body = JSON.stringify(problemBody(status, STATUS_LINE[status], detail));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_LINE[status]}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

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
  const assets = new Map((opts.assets ?? []).map((a) => [a.path, a]));

  const defaultLoad = async (route: GatewayRoute): Promise<LambdaHandler> => {
    // API handlers are .ts, pages .tsx (their JSX).
    const ts = resolve(functionsDir, `${route.handler}.ts`);
    const file = existsSync(ts) ? ts : resolve(functionsDir, `${route.handler}.tsx`);
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

  function send(res: ServerResponse, out: HttpResponse, requestId: string, extra: Record<string, string> = {}) {
    if (res.headersSent) return;
    // HEAD: node sends no body anyway, and the GET body's length is unknown once the recipe dropped it.
    const noBody = out.statusCode === 204 || out.statusCode === 304 || out.statusCode < 200 || res.req.method === 'HEAD';
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

    const asset = (method === 'GET' || method === 'HEAD') && rawPath.startsWith('/assets/') ? assets.get(rawPath) : undefined;
    if (asset) {
      send(res, { statusCode: 200, headers: { 'content-type': asset.contentType, 'cache-control': 'public, max-age=31536000, immutable' }, body: asset.body }, requestId);
      req.resume();
      return;
    }

    const { hit, allowed } = matchRoute(compiled, method, rawPath);
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

    const route = hit.route;
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
  server.on('clientError', answerClientError);
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
