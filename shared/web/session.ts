import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parseCookie, stringifySetCookie } from 'cookie';
import { config } from '../config';
import type { WebSession } from '../data/web-sessions';
import type { Language } from '../i18n/language';

/*
 * The cookies of the web (WEB.md): the session (opaque id, HttpOnly, SameSite=Lax; in the cloud
 * Secure with the `__Host-` prefix, so no subdomain and no plain-http page can set or read it),
 * the language choice, and — for forms shown before anyone signed in — a CSRF cookie the form's
 * hidden field must repeat (double submit). A signed-in form's token is the session's own `csrf`.
 */

/** Over https (the cloud) cookies are Secure and `__Host-`; `npm start` serves http://localhost. */
const secure = () => config.publicBaseUrl.startsWith('https://');

export const sessionCookieName = () => (secure() ? '__Host-pe_session' : 'pe_session');
export const csrfCookieName = () => (secure() ? '__Host-pe_csrf' : 'pe_csrf');
export const LANGUAGE_COOKIE = 'pe_lang';
/** The hidden form field that carries the CSRF token. */
export const CSRF_FIELD = 'csrf';

function cookie(name: string, value: string, maxAgeSeconds: number | undefined, httpOnly = true): string {
  return stringifySetCookie({
    name,
    value,
    httpOnly,
    secure: secure(),
    sameSite: 'lax',
    path: '/',
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  });
}

/** API Gateway v2 hands cookies over as `event.cookies` (`name=value` each). */
export function readCookies(cookies: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of cookies ?? []) {
    for (const [name, value] of Object.entries(parseCookie(line))) if (typeof value === 'string' && !(name in out)) out[name] = value;
  }
  return out;
}

/** The session cookie: a browser-session cookie (no Max-Age); the server decides when it ends. */
export const sessionCookie = (id: string) => cookie(sessionCookieName(), id, undefined);
export const clearSessionCookie = () => cookie(sessionCookieName(), '', 0);
export const languageCookie = (lang: Language) => cookie(LANGUAGE_COOKIE, lang, 365 * 86_400);

/** A fresh pre-session CSRF value (set as a cookie, repeated in the form). */
export const newCsrfValue = () => randomBytes(24).toString('base64url');
export const csrfCookie = (value: string) => cookie(csrfCookieName(), value, 2 * 3600);

function same(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A state-changing post is ours when its token matches — the session's, or (no session) the CSRF
 * cookie's — and, when the browser names an Origin (every current browser does on a POST), that
 * origin is the site's own.
 */
export function postIsOurs(args: {
  session: WebSession | undefined;
  cookies: Record<string, string>;
  field: string | undefined;
  origin: string | undefined;
  host: string | undefined;
}): boolean {
  if (args.origin !== undefined && !sameOrigin(args.origin, args.host)) return false;
  const expected = args.session ? args.session.csrf : args.cookies[csrfCookieName()];
  return same(args.field, expected);
}

/** The site's own origin: the configured public URL's, or (behind the local gateway, CloudFront) the request's host. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  if (origin === 'null') return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin === new URL(config.publicBaseUrl).origin) return true;
  return host !== undefined && url.host === host;
}
