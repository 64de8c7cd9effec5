import { config } from '../config';

/**
 * Every link an e-mail carries, built here and only here: a page of the web (the `pageRoutes` of
 * shared/routes.ts) on the public site (`PUBLIC_BASE_URL`; `npm start` sets it to its own pages).
 * Never an API URL or another host: test/unit/email-links.test.ts renders every template and
 * fails on a link whose path no page route serves.
 */
function page(path: string, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${config.publicBaseUrl.replace(/\/+$/, '')}${path}${search ? `?${search}` : ''}`;
}

export const emailLinks = {
  /** The activation link: activates, signs in and shows the dossier. */
  activation: (token: string) => page('/activeren', { token }),
  /** The activation form (re-activation after a lapse). */
  activate: () => page('/activeren'),
  /** The dossier (renewal); behind sign-in, which returns there afterwards. */
  dossier: () => page('/dossier'),
  /** The catalogue from a date on. */
  catalogue: (from: string) => page('/scholingskalender', { from }),
  /** An invitation's one-time sign-in link (a longer-lived sign-in link): signs the new user in and goes to their home. */
  invitation: (token: string) => page('/inloggen', { token }),
  /** The one-time sign-in link: signs in and goes to the person's home. */
  signInLink: (token: string) => page('/inloggen', { token }),
  /** Sign-in, returning to `next` afterwards. */
  signIn: (next?: string) => page('/inloggen', next ? { next } : {}),
  /** Issue 16 part 5: the one-time link that confirms a new address (sent to that address). */
  emailChange: (token: string) => page('/dossier/e-mailadres', { token }),
  /** The employer's report page (a reader not signed in is sent to sign in and back). */
  employerReport: () => page('/werkgever/rapportage'),
  /** The employer's learning plans, with each employee's open and covered requirements (issue 16 part 2). */
  learningPlans: () => page('/werkgever/leerlijnen'),
};
