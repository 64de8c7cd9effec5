import { pageHandler } from '../../shared/web/page';
import { DataList, Heading, Link, Paragraph, Table } from '../../shared/web/components';
import { EmployerNav, employerViewer, sessionEmployer } from '../../shared/web/employer';
import { NotFound } from '../../shared/domain/errors';
import { validate } from '../../shared/http/validation';
import { EmployeeParamsSchema } from '../../shared/schemas/employers';
import { employeeHistory } from '../../shared/services/employers/report';
import { todayInAmsterdam } from '../../shared/dates';
import { formatDate, formatPoints } from '../../shared/i18n';

/*
 * /werkgever/medewerkers/{participantId}: one employee's periods and credited activities, from
 * the history service of `GET /v1/employers/{id}/report/{participantId}`. Its link check is the
 * tenancy: someone who is not (or no longer) this employer's employee is the 404 page.
 */
export const handler = pageHandler({
  routes: ['page-employee-history'],
  viewer: employerViewer,
  handler: async (ctx) => {
    const { t, lang } = ctx;
    const e = t.employer;
    const employer = await sessionEmployer(ctx);
    // Not an id this register hands out (the API's own check): nothing to look up.
    const params = validate(EmployeeParamsSchema, { employerId: employer.employerId, participantId: ctx.params.participantId });
    if (!params.ok) throw new NotFound();
    const h = await employeeHistory(employer.employerId, params.data.participantId, ctx.today);
    const date = (iso: string) => formatDate(lang, iso);
    const points = (n: number) => formatPoints(lang, n);
    return {
      title: e.historyTitle(h.name),
      body: (
        <>
          <Heading>{e.historyTitle(h.name)}</Heading>
          <EmployerNav t={t} current="" />
          <Paragraph>{e.historyIntro}</Paragraph>
          <DataList
            items={[
              { key: e.details.name, value: h.name },
              { key: e.details.registrationNumber, value: h.registrationNumber },
              { key: e.details.title, value: h.title ?? e.details.noTitle },
              { key: e.details.diplomaNumber, value: h.diploma.diplomaNumber },
              { key: e.details.issuedOn, value: date(h.diploma.issuedOn) },
              { key: e.details.linkedOn, value: date(h.linkedOn) },
            ]}
          />
          <Heading level={2}>{e.periodsHeading}</Heading>
          {h.registrations.length ? (
            <Table
              caption={e.periodsCaption}
              headers={e.periodColumns}
              rows={h.registrations.map((r) => [date(r.startsOn), date(r.validUntil), e.statuses[r.status], e.pointsOf(points(r.pointsEarned), points(r.pointsRequired))])}
            />
          ) : (
            <Paragraph>{e.noPeriods}</Paragraph>
          )}
          <Heading level={2}>{e.creditsHeading}</Heading>
          {h.credits.length ? (
            <Table
              caption={e.creditsCaption}
              headers={e.creditColumns}
              rows={h.credits.map((c) => [
                c.activityTitle,
                date(c.completedOn),
                points(c.points),
                c.status === 'revoked' ? <strong>{e.creditRevoked(date(todayInAmsterdam(new Date(c.revokedAt!))))}</strong> : e.creditGranted,
              ])}
            />
          ) : (
            <Paragraph>{e.noCredits}</Paragraph>
          )}
          <Paragraph>
            <Link href="/werkgever">{e.backToOverview}</Link>
          </Paragraph>
        </>
      ),
    };
  },
});
