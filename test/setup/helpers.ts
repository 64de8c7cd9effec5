/**
 * Helpers for integration tests: call a handler with exactly the event API Gateway (and the
 * local gateway) builds, get an admin key, read the e-mails the SES emulator caught.
 *
 *   import * as createProvider from '../../functions/http/create-provider';
 *   const res = await invoke(createProvider, { method: 'POST', path: '/v1/providers', apiKey: await adminKey(), body: {...} });
 *   expect(res.statusCode).toBe(201);
 *   expect(res.json.providerId).toMatch(/^prv_/);
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApiKey } from '../../shared/data/api-keys';
import { allRoutes } from '../../shared/routes';
import { buildContext, buildEvent, compileRoute, matchRoute, normalizeResult } from '../../infra/local/event';
import { nonConformance } from './openapi-conformance';

type AnyHandler = (event: APIGatewayProxyEventV2, context: ReturnType<typeof buildContext>) => unknown;

export interface InvokeRequest {
  /** Default GET, or POST when a body is given. */
  method?: string;
  /** The request path; may carry a query string (`/v1/activities?topic=x`). */
  path: string;
  headers?: Record<string, string>;
  /** Object/array → JSON (content-type application/json unless set); string → as is; Buffer → bytes. */
  body?: unknown;
  /** Merged into the path's query string; arrays become repeated keys (→ joined with ',', as API Gateway does). */
  query?: Record<string, string | number | boolean | ReadonlyArray<string | number> | undefined>;
  /** Default: taken from the route in shared/routes.ts that matches method + path. */
  pathParameters?: Record<string, string>;
  /** Shorthand for `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** The Lambda's time left at the call (`context.getRemainingTimeInMillis()`); default 29 s. */
  timeoutMs?: number;
  /**
   * The client's address (`requestContext.http.sourceIp`, what the per-client rate limit counts).
   * Default: a new address per call (198.18.0.0/15, the benchmarking range), so only a test that
   * means to be one client — and says so — meets that limit.
   */
  sourceIp?: string;
  /** When API Gateway received the request (`requestContext.timeEpoch`); default now. */
  now?: Date;
}

export interface InvokeResponse<T = any> {
  statusCode: number;
  /** Lower-cased names; repeated headers (set-cookie) as arrays. */
  headers: Record<string, string | string[]>;
  /** The body as text (UTF-8, decoded from base64 when the handler sent binary). */
  body: string;
  /** The body's bytes (PDFs and other binary answers). */
  rawBody: Buffer;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: T;
  /** The event the handler received. */
  event: APIGatewayProxyEventV2;
}

const compiledRoutes = allRoutes.map((r) => compileRoute(r));

let clients = 0;
function nextClientAddress(): string {
  const n = clients++;
  return `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * Call a handler module (or its `handler` function) the way API Gateway's HTTP API does:
 * a payload-2.0 event, a Lambda context, and API Gateway's reading of the result. A handler that
 * throws makes invoke throw (API Gateway would answer a bare 500; a test wants the error).
 * So does an answer the OpenAPI document does not declare for the route (test/setup/openapi-conformance.ts):
 * a status it does not list, a media type it does not list, or a JSON body not valid against its schema.
 */
export async function invoke<T = any>(handlerModule: { handler: unknown } | AnyHandler, req: InvokeRequest): Promise<InvokeResponse<T>> {
  const handler = (typeof handlerModule === 'function' ? handlerModule : handlerModule.handler) as AnyHandler;
  if (typeof handler !== 'function') throw new Error('invoke(): pass a handler module (import * as m from …) or its handler');

  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  if (req.apiKey) headers.authorization = `Bearer ${req.apiKey}`;

  let body: Buffer | undefined;
  if (req.body !== undefined && req.body !== null) {
    if (Buffer.isBuffer(req.body) || req.body instanceof Uint8Array) body = Buffer.from(req.body);
    else if (typeof req.body === 'string') body = Buffer.from(req.body, 'utf8');
    else {
      body = Buffer.from(JSON.stringify(req.body), 'utf8');
      headers['content-type'] ??= 'application/json';
    }
  }
  const method = (req.method ?? (body ? 'POST' : 'GET')).toUpperCase();

  const q = req.path.indexOf('?');
  const rawPath = q === -1 ? req.path : req.path.slice(0, q);
  const search = new URLSearchParams(q === -1 ? '' : req.path.slice(q + 1));
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) search.append(k, String(item));
  }
  headers.host ??= 'localhost';
  if (body && !headers['content-length']) headers['content-length'] = String(body.length);
  headers['user-agent'] ??= 'vitest';

  const match = matchRoute(compiledRoutes, method, rawPath).hit;
  const event = buildEvent({
    method,
    rawPath,
    rawQueryString: search.toString(),
    headers,
    body,
    route: match?.route,
    pathParameters: req.pathParameters ?? match?.params,
    sourceIp: req.sourceIp ?? nextClientAddress(),
    now: req.now,
  });
  const context = buildContext(`pe-register-${match?.route.id ?? 'test'}`, event.requestContext.requestId, req.timeoutMs);
  const out = normalizeResult(await handler(event, context));
  const text = out.body.toString('utf8');
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const response = { statusCode: out.statusCode, headers: out.headers, body: text, rawBody: out.body, json, event };
  // A project handler (a module) must answer as the document says; a bare function is a test's stand-in.
  const drift = match && match.route.kind !== 'page' && typeof handlerModule !== 'function' ? nonConformance(match.route, method, response) : undefined;
  if (drift) throw new Error(`Not as the OpenAPI document says: ${drift}`);
  return response;
}

// Per table: a worker runs several files one after another (isolate: false in vitest.config.ts),
// each with a table of its own, and a key lives in the table it was written to.
const adminKeys = new Map<string, Promise<string>>();

/** An admin API key in this file's table (created on first use, then reused). */
export function adminKey(): Promise<string> {
  const table = process.env.TABLE_NAME ?? '';
  let key = adminKeys.get(table);
  if (!key) adminKeys.set(table, (key = createApiKey('admin', 'admin').then((k) => k.apiKey)));
  return key;
}

/** One e-mail as the SES emulator stored it (`GET /store`). */
export interface SesMessage {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: Array<{ content: string; contentType: string; filename?: string; size: number }>;
  headers?: Array<{ name: string; value: string }>;
  /** Epoch seconds. */
  at: number;
}

function sesUrl(): string {
  const url = process.env.SES_ENDPOINT;
  if (!url) throw new Error('SES_ENDPOINT is not set (test/setup/env.ts sets it)');
  return url;
}

const cleared = new Set<string>();

function addressOf(s: string): string {
  return (/<([^>]+)>/.exec(s)?.[1] ?? s).trim().toLowerCase();
}

/**
 * E-mails caught by the SES emulator, oldest first, minus those before this file's last
 * `clearSes()`. Test files run in parallel against ONE emulator: filter on `to` (a recipient
 * address unique to your test) to see only your own mail.
 */
export async function sesMessages(filter: { to?: string; subject?: string | RegExp } = {}): Promise<SesMessage[]> {
  const res = await fetch(`${sesUrl()}/store`);
  if (!res.ok) throw new Error(`SES emulator GET /store answered ${res.status}`);
  const { emails } = (await res.json()) as { emails: SesMessage[] };
  const to = filter.to?.toLowerCase();
  return emails.filter((m) => {
    if (cleared.has(m.messageId)) return false;
    if (to && ![...m.destination.to, ...m.destination.cc, ...m.destination.bcc].some((a) => addressOf(a) === to)) return false;
    if (filter.subject instanceof RegExp && !filter.subject.test(m.subject)) return false;
    if (typeof filter.subject === 'string' && m.subject !== filter.subject) return false;
    return true;
  });
}

/**
 * Waits until at least `count` e-mails match the filter (polling the store, up to `timeoutMs`),
 * for e-mails that go out after the answer (activation requests are matched in the background).
 */
export async function waitForMessages(filter: { to?: string; subject?: string | RegExp }, count = 1, timeoutMs = 10_000): Promise<SesMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await sesMessages(filter);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} e-mail(s) to ${filter.to ?? 'anyone'}; found ${found.length}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Forget every e-mail caught so far, for this test file. It does not wipe the emulator's store,
 * which files running in parallel share.
 */
export async function clearSes(): Promise<void> {
  const res = await fetch(`${sesUrl()}/store`);
  const { emails } = (await res.json()) as { emails: SesMessage[] };
  for (const m of emails) cleared.add(m.messageId);
}

/** Decoded attachment bytes of an e-mail from sesMessages(). */
export function attachmentBytes(attachment: SesMessage['attachments'][number]): Buffer {
  return Buffer.from(attachment.content, 'base64');
}
