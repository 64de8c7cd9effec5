import type { Messages } from '../i18n';

/** The staff pages' own menu (/beheer…), on every one of them; the current page is marked for assistive technology too. */
export function StaffNav({ t, current }: { t: Messages; current: keyof Messages['staff']['navItems'] }) {
  const items: [keyof Messages['staff']['navItems'], string][] = [
    ['home', '/beheer'],
    ['claims', '/beheer/activeringen'],
    ['diplomas', '/beheer/diplomas'],
    ['organisations', '/beheer/organisaties'],
    ['participants', '/beheer/deelnemers'],
    ['tariffs', '/beheer/tarieven'],
    ['jobs', '/beheer/taken'],
  ];
  return (
    <nav aria-label={t.staff.nav}>
      <ul class="utrecht-unordered-list pe-subnav">
        {items.map(([key, href]) => (
          <li class="utrecht-unordered-list__item" key={key}>
            <a class="utrecht-link" href={href} aria-current={key === current ? 'page' : undefined}>
              {t.staff.navItems[key]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
