/**
 * Issue 15, point 1 on a real `npm start`: the first admin user comes from ADMIN_EMAIL (default
 * `beheer@localhost`, WEB.md), is printed at boot, and signs in by e-mail link, landing on /beheer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedStack, waitForMails, type Stack } from './helpers';

describe('npm start: the first admin user', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = sharedStack();
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('is beheer@localhost by default, printed at boot, and signs in on /beheer by the mailed link', async () => {
    expect(stack.output()).toMatch(/Admin user\s+beheer@localhost\s+\(created;/);

    // The sign-in form as a browser posts it: the pre-session CSRF cookie and its field.
    const form = await fetch(`${stack.baseUrl}/inloggen`);
    const cookie = (form.headers.getSetCookie().find((c) => c.startsWith('pe_csrf=')) ?? '').split(';')[0];
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1];
    const asked = await fetch(`${stack.baseUrl}/inloggen`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: stack.baseUrl },
      body: new URLSearchParams({ csrf, email: 'beheer@localhost' }).toString(),
    });
    expect(asked.status).toBe(303);

    const [mail] = await waitForMails(stack, 'beheer@localhost');
    const link = /(http:\/\/[^\s"]+\/inloggen\?token=[A-Za-z0-9_-]+)/.exec(mail.body.text ?? '')![1];
    // The link points at this stack's own pages (npm start sets PUBLIC_BASE_URL to them).
    expect(new URL(link).port).toBe(new URL(stack.baseUrl).port);
    const signedIn = await fetch(link, { redirect: 'manual' });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/beheer');
    expect(signedIn.headers.getSetCookie().some((c) => c.startsWith('pe_session='))).toBe(true);
  });
});
