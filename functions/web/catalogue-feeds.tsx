import { pageHandler } from '../../shared/web/page';
import { DataList, Heading, Link, Paragraph } from '../../shared/web/components';
import { CodeBlock } from '../../shared/web/fields';
import { config } from '../../shared/config';

/** The feeds' addresses on this site (absolute: a platform or a calendar app fetches them). */
const feedUrls = () => ({
  json: `${config.publicBaseUrl}/v1/catalogue/feed.json`,
  ics: `${config.publicBaseUrl}/v1/catalogue/sessions.ics`,
});

/** What one item of the JSON feed looks like (shared/schemas/catalogue-feed.ts), with made-up values. */
function exampleItem(base: string) {
  const activityId = 'act_01JF8Z3Q4W5E6R7T8Y9U0I1O2P';
  return {
    activityId,
    title: 'Inlenersbeloning in de praktijk',
    description: 'Wat de inlenersbeloning vraagt, met casussen uit de uitzendpraktijk.',
    providerId: 'prv_01JF8Z1A2B3C4D5E6F7G8H9J0K',
    providerName: 'Academie voor Flexwerk',
    activityType: 'training',
    nature: 'deepening',
    topics: ['T03'],
    points: 4,
    recognizedFrom: '2026-09-01',
    recognizedUntil: '2029-09-01',
    sessions: [
      { startsOn: '2027-01-14', location: 'Utrecht' },
      { startsOn: '2027-02-04', endsOn: '2027-02-05', online: true },
    ],
    url: `${base}/scholingskalender/${activityId}`,
    updatedAt: '2026-11-20T08:15:02.311Z',
  };
}

/**
 * `/scholingskalender/koppelen`: for learning platforms — what the two catalogue feeds are, their
 * URLs, an item, how `updatedSince` and the ETag work. Static but for the site's own address.
 */
export const handler = pageHandler({
  routes: ['page-catalogue-feeds'],
  handler: async ({ t }) => {
    const f = t.feeds;
    const urls = feedUrls();
    const curl = `curl -i ${urls.json}?updatedSince=2026-12-01T09:00:00Z \\\n  -H 'If-None-Match: "<ETag>"'\n\nHTTP/2 304\netag: "<ETag>"\ncache-control: public, max-age=300`;
    return {
      title: f.title,
      body: (
        <>
          <Heading>{f.title}</Heading>
          <Paragraph lead>{f.lead}</Paragraph>

          <Heading level={2}>{f.feedsHeading}</Heading>
          <DataList
            items={[
              { key: f.jsonFeed, value: <Link href={urls.json}>{urls.json}</Link> },
              { key: f.icsFeed, value: <Link href={urls.ics}>{urls.ics}</Link> },
            ]}
          />
          <Paragraph>{f.jsonExplained}</Paragraph>
          <Paragraph>{f.icsExplained}</Paragraph>

          <Heading level={2}>{f.filtersHeading}</Heading>
          <Paragraph>{f.filtersExplained}</Paragraph>

          <Heading level={2}>{f.exampleHeading}</Heading>
          <Paragraph>{f.exampleExplained}</Paragraph>
          <CodeBlock label={f.exampleLabel}>{JSON.stringify({ items: [exampleItem(config.publicBaseUrl)], nextCursor: '…' }, null, 2)}</CodeBlock>

          <Heading level={2}>{f.updatedSinceHeading}</Heading>
          <Paragraph>{f.updatedSinceExplained}</Paragraph>
          <Paragraph>{f.updatedSinceInvalid}</Paragraph>

          <Heading level={2}>{f.etagHeading}</Heading>
          <Paragraph>{f.etagExplained}</Paragraph>
          <CodeBlock label={f.etagLabel}>{curl}</CodeBlock>

          <Paragraph>
            <Link href="/scholingskalender">{f.back}</Link>
          </Paragraph>
        </>
      ),
    };
  },
});
