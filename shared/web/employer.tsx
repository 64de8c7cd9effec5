import { employerFor } from '../services/employers/access';
import type { Messages } from '../i18n';
import { perRequest, type PageContext } from './page';

/*
 * What the employer's pages (/werkgever…) share: the signed-in user's organisation, read through
 * the API's own access check (`employerFor`: the session's role and owner, as an API key's), and
 * the pages' own menu.
 */

/** The session's employer, read once per request (the header wants its name, the page the rest). */
export const sessionEmployer = perRequest((ctx) => employerFor(ctx.caller, ctx.session!.ownerId));

/** The header's name: the organisation the user acts for. */
export const employerViewer = async (ctx: PageContext) => ({ name: (await sessionEmployer(ctx)).name });

const PAGES = [
  ['/werkgever', 'overview'],
  ['/werkgever/inventarisatie', 'inventory'],
  ['/werkgever/registreren', 'register'],
  ['/werkgever/rapportage', 'report'],
  ['/werkgever/leerlijnen', 'learningPlans'],
  ['/werkgever/evaluaties', 'evaluations'],
  ['/werkgever/facturen', 'invoices'],
  ['/werkgever/activiteiten', 'activities'],
  ['/werkgever/gebruikers', 'users'],
  ['/werkgever/instellingen', 'settings'],
] as const;

/** The employer's pages, the current one marked for assistive technology (`aria-current`). */
export function EmployerNav({ t, current }: { t: Messages; current: string }) {
  return (
    <nav aria-label={t.employer.navLabel}>
      <ul class="utrecht-unordered-list">
        {PAGES.map(([href, key]) => (
          <li class="utrecht-unordered-list__item" key={href}>
            <a class="utrecht-link" href={href} aria-current={href === current ? 'page' : undefined}>
              {t.employer.nav[key]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
