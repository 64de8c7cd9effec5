import { pageHandler } from '../../shared/web/page';
import { clearSessionCookie } from '../../shared/web/session';
import { endWebSession } from '../../shared/data/web-sessions';

/*
 * /uitloggen (WEB.md): a POST (the recipe has checked its CSRF token: a forged one is 403 and
 * ends nothing) that ends the session on the server — its cookie is worthless from then on, even
 * if a copy survives — clears the cookie, and lands on the sign-in page with a "signed out" note.
 */
export const handler = pageHandler({
  routes: ['page-sign-out'],
  handler: async (ctx) => {
    if (ctx.session) await endWebSession(ctx.session.idHash);
    return { redirect: '/inloggen?uitgelogd=1', cookies: [clearSessionCookie()] };
  },
});
