import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import type * as z from 'zod/mini';
import { findRoute, type Route } from '../routes';
import { logger } from '../log';
import { BadRequest, NotFound, Forbidden } from '../domain/errors';
import { problemOf } from '../http/errors';
import { builtWith } from '../http/spec';
import { checkSizes, headWithoutBody, limitClient, limitIdentifiers } from '../http/handler';
import type { Caller } from '../services/access';
import { preferredLanguage } from '../http/negotiate';
import { validate } from '../http/validation';
import { getWebSession, type WebSession } from '../data/web-sessions';
import { isLanguage, messages, type Language, type Messages } from '../i18n';
import { todayInAmsterdam } from '../dates';
import { Heading, Layout, Link, Paragraph, type FormError, type Viewer } from './components';
import {
  CSRF_FIELD,
  LANGUAGE_COOKIE,
  csrfCookie,
  csrfCookieName,
  languageCookie,
  newCsrfValue,
  postIsOurs,
  readCookies,
  sessionCookieName,
} from './session';

/*
 * The one recipe for every page (WEB.md), the web's counterpart of shared/http/handler.ts and
 * built from the same parts: size limits, the route's brute-force limits (per client before
 * anything else; per identifier on the form's or the link's fields), then the session from its
 * cookie and the route's roles, the language, the CSRF check of every POST, and errors as pages
 * in the site's look (never a stack trace or JSON). Pages call shared/services in-process.
 */

export interface PageContext {
  route: Route;
  lang: Language;
  t: Messages;
  /** The signed-in session, if any (always set on `auth: 'session'` routes). */
  session: WebSession | undefined;
  /** The session as the services' caller (role and owner): the same checks as an API key. */
  caller: Caller | undefined;
  /** The token every form of this page must post (the session's, or the pre-session cookie's). */
  csrf: string;
  /** Query string values (the first of each name). */
  query: Record<string, string>;
  /** Fields of a posted form (application/x-www-form-urlencoded), the first of each name. */
  form: Record<string, string>;
  /** Files of a posted multipart form (`<input type="file">`), by field name: the first of each. */
  files: Record<string, UploadedFile>;
  params: Record<string, string>;
  /** Path and query of this request, for links back to it. */
  path: string;
  today: string;
  event: APIGatewayProxyEventV2;
  context: Context;
}

export interface UploadedFile {
  /** The file name the browser sent (not trusted: for messages only). */
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export type PageResult =
  | { title: string; body: ComponentChildren; status?: number; cookies?: string[]; headers?: Record<string, string> }
  | { redirect: string; cookies?: string[]; headers?: Record<string, string> }
  | { file: Buffer; contentType: string; filename: string; cookies?: string[] };

export interface PageSpec {
  /** Route ids this handler serves (a GET and a POST may share a file). */
  routes: string[];
  /** The display name and home of the signed-in person, for the header (pages that know it). */
  viewer?: (ctx: PageContext) => Promise<Pick<Viewer, 'name' | 'home'>>;
  handler: (ctx: PageContext) => Promise<PageResult>;
}

/**
 * A value read once per request, however often it is asked for: the header's viewer and the
 * page's handler both want the session's participant or employer, and one read serves both.
 */
export function perRequest<T>(load: (ctx: PageContext) => Promise<T>): (ctx: PageContext) => Promise<T> {
  const loads = new WeakMap<PageContext, Promise<T>>();
  return (ctx) => {
    let loaded = loads.get(ctx);
    if (!loaded) {
      loaded = load(ctx);
      loads.set(ctx, loaded);
    }
    return loaded;
  };
}

/** Where a signed-in person's pages start (WEB.md "/inloggen"). */
export function homeOf(role: WebSession['role']): string {
  return { participant: '/dossier', employer: '/werkgever', provider: '/opleider', admin: '/beheer' }[role];
}

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!(k in out)) out[k] = v;
  return out;
}

function rawBody(event: APIGatewayProxyEventV2): string {
  if (event.body == null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

function bodyBytes(event: APIGatewayProxyEventV2): Buffer {
  if (event.body == null) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/**
 * A multipart form (a file upload) by the platform's own parser (undici's `Response.formData()`,
 * RFC 7578), within the recipe's 1 MiB body limit. A body that does not parse is a 400 page.
 */
async function multipart(event: APIGatewayProxyEventV2, contentType: string): Promise<{ form: Record<string, string>; files: Record<string, UploadedFile> }> {
  let data: FormData;
  try {
    data = await new Response(new Uint8Array(bodyBytes(event)), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new BadRequest('The form could not be read.');
  }
  const form: Record<string, string> = {};
  const files: Record<string, UploadedFile> = {};
  for (const [name, value] of data.entries()) {
    if (typeof value === 'string') {
      if (!(name in form)) form[name] = value;
    } else if (!(name in files) && value.size > 0) {
      files[name] = { filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
    }
  }
  return { form, files };
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
}

/** `?lang=` (remembered in a cookie), then the cookie, then Accept-Language; Dutch by default. */
function languageOf(query: Record<string, string>, cookies: Record<string, string>, event: APIGatewayProxyEventV2): { lang: Language; set: boolean } {
  if (isLanguage(query.lang)) return { lang: query.lang, set: cookies[LANGUAGE_COOKIE] !== query.lang };
  if (isLanguage(cookies[LANGUAGE_COOKIE])) return { lang: cookies[LANGUAGE_COOKIE] as Language, set: false };
  return { lang: preferredLanguage(header(event, 'accept-language')) ?? 'nl', set: false };
}

export function html(lang: Language, t: Messages, title: string, path: string, viewer: Viewer, body: ComponentChildren): string {
  return `<!DOCTYPE html>${render(
    <Layout lang={lang} t={t} title={title} path={path} viewer={viewer}>
      {body}
    </Layout>,
  )}`;
}

/** The error pages: in the site's look, in the reader's language, with the right status. */
export function errorPage(err: unknown, t: Messages, correlationId: string | undefined): { status: number; title: string; body: ComponentChildren; headers?: Record<string, string> } {
  // The one place a page's error status comes from: the table in shared/http/errors.ts, as for the API.
  const problem = problemOf(err);
  const status = problem?.status ?? 500;
  if (status === 404 || status === 405) {
    return { status: 404, title: t.errors.notFoundTitle, body: <ErrorBody title={t.errors.notFoundTitle} text={t.errors.notFoundText} t={t} /> };
  }
  if (status === 429) {
    const retryAfter = Number(problem?.headers['retry-after'] ?? 60);
    return {
      status,
      title: t.errors.tooManyTitle,
      body: <ErrorBody title={t.errors.tooManyTitle} text={t.errors.tooManyText(Math.max(1, Math.ceil(retryAfter / 60)))} t={t} />,
      headers: { 'retry-after': String(retryAfter) },
    };
  }
  if (status === 403) return { status, title: t.errors.forbiddenTitle, body: <ErrorBody title={t.errors.forbiddenTitle} text={t.errors.forbiddenText} t={t} /> };
  if (status < 500) {
    return { status, title: t.errors.badRequestTitle, body: <ErrorBody title={t.errors.badRequestTitle} text={problem!.detail} t={t} /> };
  }
  return { status: 500, title: t.errors.serverTitle, body: <ErrorBody title={t.errors.serverTitle} text={t.errors.serverText(correlationId ?? '-')} t={t} /> };
}

function ErrorBody({ title, text, t }: { title: string; text: string; t: Messages }) {
  return (
    <>
      <Heading>{title}</Heading>
      <Paragraph>{text}</Paragraph>
      <Paragraph>
        <Link href="/">{t.errors.backHome}</Link>
      </Paragraph>
    </>
  );
}

/** The form's fields, checked by a schema: the data, or every bad field with a message in the page's language. */
export function checkForm<S extends z.ZodMiniType>(
  schema: S,
  input: Record<string, unknown>,
  t: Messages,
  labels: Record<string, string>,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FormError[] } {
  const checked = validate(schema, input);
  if (checked.ok) return { ok: true, data: checked.data as z.infer<S> };
  const errors: FormError[] = [];
  for (const e of checked.errors) {
    const field = e.path.split(/[.[]/)[0] || Object.keys(labels)[0];
    if (errors.some((x) => x.field === field)) continue;
    const label = labels[field] ?? field;
    const empty = input[field] === undefined || String(input[field]).trim() === '';
    errors.push({ field, message: empty ? t.errors.required(label) : t.errors.invalid(label) });
  }
  // In the order the form shows the fields.
  const order = Object.keys(labels);
  errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
  return { ok: false, errors };
}

type Req = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

export function pageHandler(spec: PageSpec) {
  const pageRoutes = spec.routes.map(findRoute);
  const routeFor = (event: APIGatewayProxyEventV2): Route => {
    const method = event.requestContext?.http?.method === 'HEAD' ? 'GET' : event.requestContext?.http?.method;
    // Two routes of one method may share a file (a form posting to a second path): the gateway's
    // routeKey (`POST /werkgever/…`, the route's own path) tells them apart.
    const path = /^\S+ (.+)$/.exec(event.routeKey ?? '')?.[1];
    return pageRoutes.find((r) => r.method === method && r.path === path) ?? pageRoutes.find((r) => r.method === method) ?? pageRoutes[0];
  };

  const run = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const route = routeFor(event);
    const correlationId = header(event, 'x-correlation-id') ?? event.requestContext?.requestId;
    logger.setCorrelationId(correlationId);
    logger.appendKeys({ routeId: route.id });
    const query = firstValues(new URLSearchParams(event.rawQueryString ?? ''));
    const cookies = readCookies(event.cookies);
    const { lang, set: setLanguage } = languageOf(query, cookies, event);
    const t = messages(lang);
    const path = `${event.rawPath ?? '/'}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
    const outCookies: string[] = setLanguage ? [languageCookie(lang)] : [];
    let session: WebSession | undefined;
    let viewer: Viewer = {};

    const respond = (result: PageResult): APIGatewayProxyStructuredResultV2 => {
      const cookieList = [...outCookies, ...(result.cookies ?? [])];
      const base = { ...(cookieList.length ? { cookies: cookieList } : {}) };
      if ('redirect' in result) {
        return { ...base, statusCode: 303, headers: { ...SECURITY_HEADERS, ...result.headers, location: result.redirect } };
      }
      if ('file' in result) {
        return {
          ...base,
          statusCode: 200,
          headers: {
            ...SECURITY_HEADERS,
            'content-type': result.contentType,
            'content-disposition': `attachment; filename="${result.filename.replace(/[^\w.-]/g, '_')}"`,
          },
          body: result.file.toString('base64'),
          isBase64Encoded: true,
        };
      }
      return {
        ...base,
        statusCode: result.status ?? 200,
        headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', ...result.headers },
        body: html(lang, t, result.title, path, viewer, result.body),
      };
    };

    try {
      checkSizes(event);
      const method = event.requestContext?.http?.method ?? 'GET';
      // A GET is counted only when it carries what is guessed (a link's token): showing a form is not an attempt.
      const attempt = method === 'POST' || (route.rateLimit?.identifiers ?? []).some((f) => query[f] !== undefined);
      if (attempt) await limitClient(route, event);
      const sessionId = cookies[sessionCookieName()];
      if (sessionId && route.table !== 'none') session = await getWebSession(sessionId);
      if (route.auth === 'session') {
        if (!session) {
          if (method === 'GET' || method === 'HEAD') return respond({ redirect: `/inloggen?next=${encodeURIComponent(event.rawPath ?? '/')}` });
          throw new Forbidden('No session.');
        }
        // Someone else's page answers like a missing one.
        if (!route.roles.includes(session.role)) throw new NotFound();
      }
      let form: Record<string, string> = {};
      let files: Record<string, UploadedFile> = {};
      let csrf = session?.csrf ?? cookies[csrfCookieName()];
      if (!csrf) {
        csrf = newCsrfValue();
        outCookies.push(csrfCookie(csrf));
      }
      if (method === 'POST') {
        const contentType = (header(event, 'content-type') ?? '').toLowerCase();
        // The boundary as sent: it is case-sensitive (Chromium's has capitals), unlike the media type.
        if (contentType.startsWith('multipart/form-data')) ({ form, files } = await multipart(event, header(event, 'content-type')!));
        else form = contentType.startsWith('application/x-www-form-urlencoded') ? firstValues(new URLSearchParams(rawBody(event))) : {};
        const ours = postIsOurs({ session, cookies, field: form[CSRF_FIELD], origin: header(event, 'origin'), host: header(event, 'host') });
        if (!ours) throw new Forbidden('The form did not come from this site.');
      }
      await limitIdentifiers(route, event, method === 'POST' ? form : query);
      const caller: Caller | undefined = session ? { keyId: `session:${session.idHash.slice(0, 16)}`, role: session.role, ownerId: session.ownerId, createdAt: session.createdAt, ...(session.userId ? { userId: session.userId } : {}), ...(session.userName ? { userName: session.userName } : {}) } : undefined;
      const ctx: PageContext = { route, lang, t, session, caller, csrf, query, form, files, params: (event.pathParameters ?? {}) as Record<string, string>, path, today: todayInAmsterdam(), event, context };
      if (session) viewer = { csrf: session.csrf, home: homeOf(session.role), ...(spec.viewer ? await spec.viewer(ctx) : {}) };
      return respond(await spec.handler(ctx));
    } catch (err) {
      if ((problemOf(err)?.status ?? 500) >= 500) logger.error('page failed', { error: err as Error });
      const page = errorPage(err, t, correlationId);
      return respond(page);
    }
  };

  const head: middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> = {
    after: async (request: Req) => {
      if (request.response) request.response = headWithoutBody(request.event, request.response);
    },
  };

  const built = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(head)
    .handler(run);
  return builtWith(built, { routes: pageRoutes.map((r) => r.id) });
}
