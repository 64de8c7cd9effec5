/**
 * Links in e-mails (issue 14.5), for the unit test that renders every template and the e2e test
 * that follows the links of the mails the local stack sends: take every URL out of a message and
 * say which page of the web it opens.
 */
import { compileRoute, matchRoute } from '../../infra/local/event';
import { pageRoutes } from '../../shared/routes';
import type { Email } from '../../shared/email/send';

/** GET page routes without the catch-all: a link that only the 404 page answers is a broken link. */
const pages = pageRoutes.filter((r) => r.method === 'GET' && r.path !== '/{proxy+}').map((r) => compileRoute(r));

/** Every URL a message carries: the HTML's href/src attributes and any URL in its text or HTML. */
export function linksOf(mail: Pick<Email, 'text' | 'html'>): { html: string[]; text: string[] } {
  const unescape = (s: string) => s.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  const attributes = [...mail.html.matchAll(/\b(?:href|src)\s*=\s*"([^"]*)"/gi)].map((m) => unescape(m[1]));
  const bare = (s: string) => [...s.matchAll(/https?:\/\/[^\s"'<>]+/gi)].map((m) => m[0].replace(/[.,;:!?)]+$/, ''));
  const htmlText = mail.html.replace(/\b(?:href|src)\s*=\s*"[^"]*"/gi, '');
  return { html: [...new Set([...attributes, ...bare(htmlText).map(unescape)])], text: [...new Set(bare(mail.text))] };
}

/** The page route id a link opens, or why it is no page link. */
export function pageOf(link: string, base: string): { id: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { error: `not an absolute URL: ${link}` };
  }
  const site = new URL(base);
  if (url.origin !== site.origin) return { error: `${link} is not on ${site.origin}` };
  if (url.username || url.password || url.hash) return { error: `${link} carries credentials or a fragment` };
  const hit = matchRoute(pages, 'GET', url.pathname).hit;
  return hit ? { id: hit.route.id } : { error: `${link}: no page serves ${url.pathname}` };
}

