import type { Messages } from '../i18n';
import { Heading, Link, Paragraph } from './components';

/**
 * The foot of `/scholingskalender` (issue 16 part 7): the sessions as a calendar to subscribe
 * to, and the page for learning platforms. The calendar link is relative (this site's own feed);
 * opened, it hands the .ics to the calendar app.
 */
export function CatalogueFeedLinks({ t }: { t: Messages }) {
  const f = t.feeds;
  return (
    <>
      <Heading level={2}>{f.catalogueHeading}</Heading>
      <Paragraph>
        <Link href="/v1/catalogue/sessions.ics">{f.calendarLink}</Link>: {f.calendarExplained}
      </Paragraph>
      <Paragraph>
        <Link href="/scholingskalender/koppelen">{f.platformsLink}</Link>
      </Paragraph>
    </>
  );
}
