import { pageHandler, type PageContext } from '../../shared/web/page';
import { Alert, Form, Heading, Link, Paragraph, SelectField, SubmitButton, Table } from '../../shared/web/components';
import { EmployerNav, employerViewer, sessionEmployer } from '../../shared/web/employer';
import { BadRequest } from '../../shared/domain/errors';
import { pageRequest } from '../../shared/http/cursor';
import { employerReport, pageOf } from '../../shared/services/employers/report';
import { lastValidDay, POINTS_REQUIRED } from '../../shared/domain/periods';
import type { ReportRow, ReportTotals } from '../../shared/domain/report';
import { formatDate, formatPoints, type Language, type Messages } from '../../shared/i18n';
import { UnreachableEmployees, type UnreachableEmployee } from '../../shared/web/deliverability';
import { OpenRequirements } from '../../shared/web/learning-plans';

/*
 * /werkgever (WEB.md): the employer's staff from the report service the API's
 * `GET /v1/employers/{id}/report` uses (the same rows, the same "at risk": SPEC's < 6 points with
 * < 6 months left in an unrenewed period, as the monthly digest), filtered by a GET form, paged
 * with a cursor signed for this route, this user's employer and this filter; totals and a chart
 * over all employees, whatever the filter shows.
 */

const FILTERS = ['all', 'at-risk', 'lapsed'] as const;
type Filter = (typeof FILTERS)[number];
const PAGE_SIZE = 50;

const matches: Record<Filter, (r: ReportRow) => boolean> = {
  all: () => true,
  'at-risk': (r) => r.atRisk,
  lapsed: (r) => r.status === 'lapsed',
};

function link(filter: Filter, cursor?: string): string {
  const q = new URLSearchParams({ ...(filter !== 'all' ? { status: filter } : {}), ...(cursor ? { cursor } : {}) }).toString();
  return q ? `/werkgever?${q}` : '/werkgever';
}

export const handler = pageHandler({
  routes: ['page-employer-overview'],
  viewer: employerViewer,
  handler: async (ctx) => {
    const { t } = ctx;
    const employer = await sessionEmployer(ctx);
    const filter: Filter = (FILTERS as readonly string[]).includes(ctx.query.status ?? '') ? (ctx.query.status as Filter) : 'all';
    const report = await employerReport(employer.employerId, ctx.today);
    const rows = report.rows.filter(matches[filter]);
    const unreachable = report.rows.filter((r) => r.emailUndeliverable).map((r) => ({ participantId: r.participantId, name: r.name }));

    let paging;
    try {
      paging = await pageRequest('page-employer-overview', { caller: ctx.caller, query: { status: filter, cursor: ctx.query.cursor } });
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err;
      return { status: 400, title: t.employer.overviewTitle, body: <Overview ctx={ctx} filter={filter} totals={report.totals} badLink unreachable={unreachable} /> };
    }
    const after = typeof paging.start?.after === 'string' ? paging.start.after : undefined;
    const { page, last } = pageOf(rows, PAGE_SIZE, after);
    const next = last ? link(filter, paging.next({ after: last })) : undefined;
    return {
      title: t.employer.overviewTitle,
      body: <Overview ctx={ctx} filter={filter} totals={report.totals} list={{ rows: page, next, empty: report.rows.length === 0, paged: after !== undefined }} unreachable={unreachable} />,
    };
  },
});

interface List {
  rows: ReportRow[];
  next?: string;
  /** The employer has no employees at all (not just none in this filter). */
  empty: boolean;
  /** A later page: offer the way back to the first. */
  paged: boolean;
}

function Overview({
  ctx,
  filter,
  totals,
  list,
  badLink,
  unreachable = [],
}: {
  ctx: PageContext;
  filter: Filter;
  totals: ReportTotals;
  list?: List;
  badLink?: boolean;
  unreachable?: UnreachableEmployee[];
}) {
  const { t, lang } = ctx;
  const e = t.employer;
  return (
    <>
      <Heading>{e.overviewTitle}</Heading>
      <EmployerNav t={t} current="/werkgever" />
      <Paragraph>{e.overviewIntro}</Paragraph>
      <UnreachableEmployees t={t} employees={unreachable} />

      <Heading level={2}>{e.totalsHeading}</Heading>
      <Totals t={t} totals={totals} />
      <Heading level={2}>{e.chartHeading}</Heading>
      <StaffChart t={t} totals={totals} />

      <Heading level={2}>{e.overviewTitle}</Heading>
      <Form action="/werkgever" method="get" label={e.filterForm}>
        <SelectField name="status" label={e.filterLabel} value={filter} options={FILTERS.map((f) => ({ value: f, label: e.filters[f] }))} />
        <SubmitButton secondary>{e.filterButton}</SubmitButton>
      </Form>
      <Paragraph>{e.atRiskExplained}</Paragraph>
      {badLink ? (
        <>
          <Alert type="error">{e.badLink}</Alert>
          <Paragraph>
            <Link href={link(filter)}>{e.firstPage}</Link>
          </Paragraph>
        </>
      ) : list && list.empty ? (
        <Paragraph>{e.noEmployees}</Paragraph>
      ) : list && !list.rows.length ? (
        <Paragraph>{e.noneInFilter}</Paragraph>
      ) : list ? (
        <>
          <Table caption={e.listCaption(e.filters[filter])} headers={[...e.columns, t.learningPlans.openColumn]} rows={list.rows.map((r) => employeeRow(t, lang, r))} />
          {list.next ? (
            <Paragraph>
              <Link href={list.next}>{e.nextPage}</Link>
            </Paragraph>
          ) : null}
          {list.paged ? (
            <Paragraph>
              <Link href={link(filter)}>{e.firstPage}</Link>
            </Paragraph>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function employeeRow(t: Messages, lang: Language, r: ReportRow) {
  const e = t.employer;
  const registered = r.status !== 'not-registered';
  return [
    <Link href={`/werkgever/medewerkers/${r.participantId}`}>{r.name}</Link>,
    r.registrationNumber,
    r.atRisk ? `${e.statuses[r.status]}, ${e.atRiskNote}` : e.statuses[r.status],
    registered ? e.pointsOf(formatPoints(lang, r.pointsEarned), formatPoints(lang, POINTS_REQUIRED)) : e.none,
    r.endsOn ? formatDate(lang, lastValidDay(r.endsOn)) : e.none,
    // Issue 16 part 2: the employee's open learning-plan requirements.
    <OpenRequirements t={t} lang={lang} plan={r.plan} />,
  ];
}

function Totals({ t, totals }: { t: Messages; totals: ReportTotals }) {
  const e = t.employer;
  const items: [string, number][] = [
    [e.totals.employees, totals.employees],
    [e.totals.active, totals.active],
    [e.totals.onTrack, totals.onTrack],
    [e.totals.atRisk, totals.atRisk],
    [e.totals.lapsed, totals.lapsed],
  ];
  return (
    <dl class="utrecht-data-list utrecht-data-list--rows">
      {items.map(([key, value]) => (
        <div class="utrecht-data-list__item" key={key}>
          <dt class="utrecht-data-list__item-key">{key}</dt>
          <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The chart's bars: every employee in exactly one (they add up to the total). */
function chartBars(t: Messages, totals: ReportTotals): { label: string; value: number }[] {
  const b = t.employer.chartBars;
  return [
    { label: b.onTrack, value: totals.onTrack },
    { label: b.atRisk, value: totals.atRisk },
    { label: b.lapsed, value: totals.lapsed },
    { label: b.other, value: totals.employees - totals.active - totals.lapsed },
  ];
}

/**
 * A horizontal bar chart, drawn on the server as inline SVG: each bar carries its label and its
 * number as text (the colour means nothing on its own), the SVG is one image named by its title
 * and described by the same numbers in words, and a table beside it holds them for anyone who
 * prefers reading to looking.
 */
function StaffChart({ t, totals }: { t: Messages; totals: ReportTotals }) {
  const e = t.employer;
  const bars = chartBars(t, totals);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowHeight = 44;
  const labelWidth = 330;
  const barSpace = 330;
  const height = bars.length * rowHeight + 8;
  const description = e.chartDescription(bars.map((b) => `${b.label}: ${b.value}`).join('; '));
  return (
    <>
      <svg
        xmlns="http://www.w3.org/2000/svg"
        role="img"
        aria-labelledby="medewerkers-grafiek-titel medewerkers-grafiek-uitleg"
        viewBox={`0 0 ${labelWidth + barSpace + 60} ${height}`}
        width="100%"
        class="pe-chart"
      >
        <title id="medewerkers-grafiek-titel">{e.chartTitle}</title>
        <desc id="medewerkers-grafiek-uitleg">{description}</desc>
        {bars.map((b, i) => {
          const y = 4 + i * rowHeight;
          const w = b.value === 0 ? 0 : Math.max(4, Math.round((b.value / max) * barSpace));
          return (
            <g key={b.label}>
              <text x={0} y={y + 26} font-size="16" fill="#1a1a1a">
                {b.label}
              </text>
              <rect x={labelWidth} y={y + 8} width={w} height={26} fill={i === 1 ? '#8a4b00' : i === 2 ? '#a4262c' : '#1f5c99'} />
              <text x={labelWidth + w + 8} y={y + 26} font-size="16" font-weight="bold" fill="#1a1a1a">
                {b.value}
              </text>
            </g>
          );
        })}
      </svg>
      <Table caption={e.chartTableCaption} headers={e.chartColumns} rows={bars.map((b) => [b.label, String(b.value)])} />
    </>
  );
}
