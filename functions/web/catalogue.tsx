import { checkForm, pageHandler } from '../../shared/web/page';
import { Alert, ErrorSummary, Form, Heading, Link, Paragraph, SelectField, SubmitButton, Table, TextField, type FormError } from '../../shared/web/components';
import { PublicRating } from '../../shared/web/evaluations';
import { BadRequest } from '../../shared/domain/errors';
import { pageRequest } from '../../shared/http/cursor';
import { ActivitiesQuerySchema } from '../../shared/schemas/recognition';
import { catalogue, providersInCatalogue } from '../../shared/services/catalogue';
import { listTopics, type Topic } from '../../shared/data/topics';
import { ACTIVITY_TYPES } from '../../shared/domain/recognition';
import { formatDate, formatPoints, type Language, type Messages } from '../../shared/i18n';
import { CatalogueFeedLinks } from '../../shared/web/catalogue-feeds';

/** The filter's fields: the names of `GET /v1/activities`' query, so a link (`?from=` in the e-mails) means the same on both. */
const FILTERS = ['topic', 'type', 'providerId', 'q', 'from'] as const;
type FilterName = (typeof FILTERS)[number];
const PAGING = ['limit', 'cursor'] as const;

type Item = Awaited<ReturnType<typeof catalogue>>['items'][number];
type Providers = Awaited<ReturnType<typeof providersInCatalogue>>;

interface View {
  t: Messages;
  lang: Language;
  today: string;
  topics: Topic[];
  providers: Providers;
  /** What the form shows: the values as typed. */
  typed: Partial<Record<FilterName, string>>;
  errors?: FormError[];
  /** A paging link that is not this list's (forged, stale, from other filters). */
  badLink?: string;
  results?: { items: Item[]; next?: string };
}

/**
 * `/scholingskalender`: the catalogue, filtered by a GET form. The query is checked by the API's
 * own schema (ActivitiesQuerySchema) and answered by the API's own service, so each filter means
 * exactly what it means in `GET /v1/activities`; pages go on with a cursor signed for this route.
 */
export const handler = pageHandler({
  routes: ['page-catalogue'],
  handler: async ({ t, lang, query, today }) => {
    const c = t.catalogue;
    const labels: Record<FilterName, string> = { topic: c.topicLabel, type: c.kindLabel, providerId: c.providerLabel, q: c.searchLabel, from: c.fromLabel };
    // An empty field of the form is no filter (the API would call an empty search term invalid).
    const input: Record<string, string> = {};
    for (const name of [...FILTERS, ...PAGING]) if (query[name] !== undefined && query[name].trim() !== '') input[name] = query[name];
    const typed = Object.fromEntries(FILTERS.filter((f) => input[f] !== undefined).map((f) => [f, input[f]]));
    const [topics, providers] = await Promise.all([listTopics(), providersInCatalogue(today)]);
    const view: View = { t, lang, today, topics, providers, typed };
    const firstPage = pageLink(Object.fromEntries(FILTERS.filter((f) => typed[f] !== undefined).map((f) => [f, typed[f]!])));

    const checked = checkForm(ActivitiesQuerySchema, input, t, labels);
    if (!checked.ok) {
      const errors = checked.errors.filter((e) => e.field in labels);
      // Only the paging values are wrong: a link that was tampered with, not something typed.
      if (!errors.length) return { status: 400, title: c.title, body: <Catalogue {...view} badLink={firstPage} /> };
      return { status: 400, title: c.title, body: <Catalogue {...view} errors={errors} /> };
    }
    const filter = checked.data;
    let paging;
    try {
      paging = await pageRequest('page-catalogue', { caller: undefined, query: filter });
    } catch (err) {
      if (err instanceof BadRequest) return { status: 400, title: c.title, body: <Catalogue {...view} badLink={firstPage} /> };
      throw err;
    }
    const page = await catalogue(filter, today, paging);
    const kept: Record<string, string> = {};
    for (const f of FILTERS) if (filter[f] !== undefined) kept[f] = String(filter[f]);
    if (filter.limit !== undefined) kept.limit = String(filter.limit);
    const next = page.nextCursor ? pageLink({ ...kept, cursor: page.nextCursor }) : undefined;
    return { title: c.title, body: <Catalogue {...view} results={{ items: page.items, next }} /> };
  },
});

function pageLink(values: Record<string, string>): string {
  const search = new URLSearchParams(values).toString();
  return search ? `/scholingskalender?${search}` : '/scholingskalender';
}

/** The choices of a select, with the chosen value kept even when it is not one of them (so what was asked for stays visible). */
function choices(all: string, options: { value: string; label: string }[], chosen: string | undefined) {
  const list = [{ value: '', label: all }, ...options];
  return chosen !== undefined && !list.some((o) => o.value === chosen) ? [...list, { value: chosen, label: chosen }] : list;
}

function Catalogue({ t, lang, today, topics, providers, typed, errors = [], badLink, results }: View) {
  const c = t.catalogue;
  const topicName = new Map(topics.map((x) => [x.code, x.name]));
  return (
    <>
      <Heading>{c.title}</Heading>
      <Paragraph lead>{c.lead}</Paragraph>
      <ErrorSummary t={t} errors={errors} />
      {badLink ? (
        <Alert type="error">
          <Paragraph>{c.badCursor}</Paragraph>
          <Paragraph>
            <Link href={badLink}>{c.firstPage}</Link>
          </Paragraph>
        </Alert>
      ) : null}
      <Form action="/scholingskalender" method="get" label={c.filterLabel}>
        <SelectField
          name="topic"
          label={c.topicLabel}
          value={typed.topic}
          errors={errors}
          options={choices(c.allTopics, topics.filter((x) => !x.retired).map((x) => ({ value: x.code, label: x.name })), typed.topic)}
        />
        <SelectField name="type" label={c.kindLabel} value={typed.type} errors={errors} options={choices(c.allKinds, ACTIVITY_TYPES.map((k) => ({ value: k, label: c.kinds[k] })), typed.type)} />
        <SelectField
          name="providerId"
          label={c.providerLabel}
          value={typed.providerId}
          errors={errors}
          options={choices(c.allProviders, providers.map((p) => ({ value: p.providerId, label: p.providerName })), typed.providerId)}
        />
        <TextField name="q" type="search" label={c.searchLabel} description={c.searchHint} value={typed.q} errors={errors} />
        <TextField name="from" type="date" label={c.fromLabel} description={c.fromHint} value={typed.from} errors={errors} />
        <SubmitButton>{c.filterButton}</SubmitButton>
      </Form>
      {results ? (
        results.items.length ? (
          <>
            <Table
              caption={c.resultsCaption}
              headers={[c.columnActivity, c.columnProvider, c.columnKind, c.topics, c.columnPoints, c.columnNext, t.evaluations.column]}
              rows={results.items.map((a) => [
                <Link href={`/scholingskalender/${encodeURIComponent(a.activityId)}`}>{a.title}</Link>,
                a.providerName,
                c.kinds[a.activityType],
                a.topics.map((code) => topicName.get(code) ?? code).join(', '),
                c.points(formatPoints(lang, a.points)),
                nextSession(t, lang, a, typed.from ?? today) ?? c.noSessions,
                <PublicRating t={t} lang={lang} rating={a.rating} />,
              ])}
            />
            {results.next ? (
              <Paragraph>
                <Link href={results.next}>{c.nextPage}</Link>
              </Paragraph>
            ) : null}
          </>
        ) : (
          <Paragraph>{c.none}</Paragraph>
        )
      ) : null}
      <CatalogueFeedLinks t={t} />
    </>
  );
}

/** The first session starting on or after `from` (today unless the filter says otherwise), in words, with its place. */
function nextSession(t: Messages, lang: Language, a: Item, from: string): string | undefined {
  const upcoming = a.sessions.filter((s) => s.startsOn >= from).sort((x, y) => x.startsOn.localeCompare(y.startsOn))[0];
  if (!upcoming) return undefined;
  const place = upcoming.location ?? (upcoming.online ? t.catalogue.online : undefined);
  return place ? `${formatDate(lang, upcoming.startsOn)}, ${place}` : formatDate(lang, upcoming.startsOn);
}
