import { pageHandler } from '../../shared/web/page';
import { ButtonLink, Heading, Link, Paragraph, Table } from '../../shared/web/components';
import { formatDate, formatPoints } from '../../shared/i18n';
import { pageRequest } from '../../shared/http/cursor';
import { addDays } from '../../shared/domain/dates';
import { isRecognizedOn } from '../../shared/domain/recognition';
import { employerFor } from '../../shared/services/employers/access';
import { internalActivities } from '../../shared/services/crediting';
import { listRequests } from '../../shared/services/recognition';

/*
 * /werkgever/activiteiten (WEB.md): the employer's recognised internal activities (each with a
 * link to credit it to employees) and its recognition requests with their status, through the
 * same services as the API with the session as the caller (so only its own are listed).
 */
export const handler = pageHandler({
  routes: ['page-employer-activities'],
  handler: async (ctx) => {
    const t = ctx.t.employerActivities.activities;
    const employer = await employerFor(ctx.caller, ctx.session!.ownerId);
    const [activities, requests] = await Promise.all([
      internalActivities(employer.employerId),
      pageRequest('page-employer-activities', { caller: ctx.caller, query: { limit: 50, cursor: ctx.query.cursor } }).then((paging) => listRequests(ctx.caller!, {}, paging)),
    ]);
    const date = (iso: string) => formatDate(ctx.lang, iso);
    return {
      title: t.title,
      body: (
        <>
          <Heading>{t.title}</Heading>
          <Paragraph lead>{t.intro}</Paragraph>
          <Paragraph>
            <ButtonLink href="/werkgever/aanvragen/nieuw">{t.newRequest}</ButtonLink>
          </Paragraph>
          <Heading level={2}>{t.activitiesTitle}</Heading>
          {activities.length ? (
            <Table
              caption={t.activitiesCaption}
              headers={[t.colTitle, t.colPoints, t.colRecognizedUntil, t.colAction]}
              rows={activities.map((a) => [
                a.title,
                formatPoints(ctx.lang, a.points),
                date(addDays(a.recognizedUntil, -1)),
                isRecognizedOn(a, ctx.today) ? <Link href={`/werkgever/activiteiten/${encodeURIComponent(a.activityId)}/toekennen`}>{t.credit(a.title)}</Link> : t.expired,
              ])}
            />
          ) : (
            <Paragraph>{t.noActivities}</Paragraph>
          )}
          <Heading level={2}>{t.requestsTitle}</Heading>
          {requests.items.length ? (
            <Table
              caption={t.requestsCaption}
              headers={[t.colTitle, t.colKind, t.colSubmitted, t.colStatus]}
              rows={requests.items.map((r) => [
                <Link href={`/werkgever/aanvragen/${encodeURIComponent(r.requestId)}`}>{r.title}</Link>,
                r.internal ? t.internal : t.public,
                date(r.submittedAt.slice(0, 10)),
                t.statuses[r.status],
              ])}
            />
          ) : (
            <Paragraph>{t.noRequests}</Paragraph>
          )}
          {requests.nextCursor ? (
            <Paragraph>
              <Link href={`/werkgever/activiteiten?cursor=${encodeURIComponent(requests.nextCursor)}`}>{t.more}</Link>
            </Paragraph>
          ) : null}
        </>
      ),
    };
  },
});
