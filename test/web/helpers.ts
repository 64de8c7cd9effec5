/**
 * Helpers for page tests (integration, on DynamoDB Local): call a page handler as API Gateway
 * would, with cookies and a form, as a signed-in person or a stranger.
 *
 *   const me = await signedIn({ role: 'participant', ownerId: participantId });
 *   const res = await page(dossier, { path: '/dossier', session: me });
 *   const post = await page(dossier, { method: 'POST', path: '/dossier', session: me, form: { language: 'en' } });
 */
import { createWebSession, type SessionSubject, type WebSession } from '../../shared/data/web-sessions';
import { CSRF_FIELD, csrfCookieName, sessionCookieName } from '../../shared/web/session';
import { invoke, type InvokeResponse } from '../setup/helpers';

export interface SignedIn {
  id: string;
  session: WebSession;
}

/** A live web session of this subject, as sign-in would create it. */
export async function signedIn(subject: SessionSubject): Promise<SignedIn> {
  return createWebSession(subject);
}

export interface PageRequest {
  method?: 'GET' | 'POST' | 'HEAD';
  path: string;
  session?: SignedIn;
  /** Form fields (urlencoded). The CSRF token is added unless `csrf` is given (or false: none). */
  form?: Record<string, string>;
  csrf?: string | false;
  /** Files to upload: the form goes as multipart/form-data (with `form`'s fields and the CSRF token). */
  files?: Record<string, { filename: string; content: string | Buffer; contentType?: string }>;
  cookies?: Record<string, string>;
  headers?: Record<string, string>;
  sourceIp?: string;
}

/** A value for the pre-session CSRF cookie and its form field (forms posted without a session). */
export const STRANGER_CSRF = 'test-csrf-value-of-a-stranger-0001';

export async function page(module: { handler: unknown }, req: PageRequest): Promise<InvokeResponse & { location?: string; setCookies: string[] }> {
  const cookies: Record<string, string> = { ...req.cookies };
  if (req.session) cookies[sessionCookieName()] = req.session.id;
  const method = req.method ?? (req.form || req.files ? 'POST' : 'GET');
  let body: string | Buffer | undefined;
  const headers: Record<string, string> = { ...req.headers };
  if (method === 'POST') {
    const token = req.csrf === false ? undefined : (req.csrf ?? (req.session ? req.session.session.csrf : STRANGER_CSRF));
    if (!req.session && req.csrf === undefined) cookies[csrfCookieName()] ??= STRANGER_CSRF;
    const fields = { ...(token ? { [CSRF_FIELD]: token } : {}), ...req.form };
    if (req.files) {
      // The browser's encoding, by the platform's own FormData serialiser.
      const data = new FormData();
      for (const [k, v] of Object.entries(fields)) data.append(k, v);
      for (const [k, f] of Object.entries(req.files)) data.append(k, new Blob([typeof f.content === 'string' ? f.content : new Uint8Array(f.content)], { type: f.contentType ?? 'text/csv' }), f.filename);
      const encoded = new Request('http://localhost/', { method: 'POST', body: data });
      body = Buffer.from(await encoded.arrayBuffer());
      headers['content-type'] ??= encoded.headers.get('content-type')!;
    } else {
      body = new URLSearchParams(fields).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
  }
  const cookieHeader = Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ');
  if (cookieHeader) headers.cookie = cookieHeader;
  const res = await invoke(module, { method, path: req.path, headers, body, sourceIp: req.sourceIp });
  const setCookie = res.headers['set-cookie'];
  const location = res.headers.location;
  return { ...res, location: typeof location === 'string' ? location : undefined, setCookies: Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [] };
}
