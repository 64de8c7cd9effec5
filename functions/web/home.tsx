import { homeOf, pageHandler } from '../../shared/web/page';
import { Heading, Link, Paragraph } from '../../shared/web/components';
import type { Messages } from '../../shared/i18n';

/** `/`: what PE is, and the ways in (WEB.md). Signed in, the way in is one's own page. */
export const handler = pageHandler({
  routes: ['page-home'],
  handler: async ({ t, session }) => {
    const h = t.home;
    const links: { href: string; text: string; about: string }[] = [
      { href: '/register', text: h.registerLink, about: h.registerText },
      { href: '/scholingskalender', text: h.catalogueLink, about: h.catalogueText },
      ...(session
        ? [{ href: homeOf(session.role), text: h.homeLink, about: h.homeText }]
        : [
            { href: '/activeren', text: h.activateLink, about: h.activateText },
            { href: '/inloggen', text: h.signInLink, about: h.signInText },
          ]),
    ];
    return { title: h.title, body: <Home t={t} links={links} /> };
  },
});

function Home({ t, links }: { t: Messages; links: { href: string; text: string; about: string }[] }) {
  return (
    <>
      <Heading>{t.home.title}</Heading>
      <Paragraph lead>{t.home.lead}</Paragraph>
      <Heading level={2}>{t.home.howTitle}</Heading>
      <ul class="utrecht-unordered-list">
        {t.home.how.map((line) => (
          <li class="utrecht-unordered-list__item" key={line}>
            {line}
          </li>
        ))}
      </ul>
      <Heading level={2}>{t.home.linksTitle}</Heading>
      <ul class="utrecht-unordered-list">
        {links.map((l) => (
          <li class="utrecht-unordered-list__item" key={l.href}>
            <Link href={l.href}>{l.text}</Link>: {l.about}
          </li>
        ))}
      </ul>
    </>
  );
}
