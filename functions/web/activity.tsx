import { pageHandler } from '../../shared/web/page';
import { Alert, DataList, Heading, Link, Paragraph, Table } from '../../shared/web/components';
import { NotFound } from '../../shared/domain/errors';
import { validate } from '../../shared/http/validation';
import { ActivityParamsSchema } from '../../shared/schemas/recognition';
import { activityFor } from '../../shared/services/catalogue';
import { listTopics } from '../../shared/data/topics';
import { addDays } from '../../shared/domain/dates';
import { formatDate, formatPoints } from '../../shared/i18n';
import { PublicRating } from '../../shared/web/evaluations';

/**
 * `/scholingskalender/{activityId}`: one activity with its sessions, as `GET /v1/activities/{id}`
 * shows it to the same caller (the same service): an internal activity is the 404 page for
 * everyone but its employer and the admin, like an unknown id or one that is no id at all.
 */
export const handler = pageHandler({
  routes: ['page-activity'],
  handler: async ({ t, lang, params, caller, today }) => {
    const checked = validate(ActivityParamsSchema, { activityId: params.activityId ?? '' });
    if (!checked.ok) throw new NotFound();
    const [a, topics] = await Promise.all([activityFor(caller, checked.data.activityId, today), listTopics()]);
    const c = t.catalogue;
    const topicName = new Map(topics.map((x) => [x.code, x.name]));
    const sessions = [...a.sessions].sort((x, y) => x.startsOn.localeCompare(y.startsOn));
    return {
      title: a.title,
      body: (
        <>
          <Heading>{a.title}</Heading>
          {a.recognized ? null : <Alert type="warning">{c.notRecognized}</Alert>}
          <Paragraph lead>{a.description}</Paragraph>
          <DataList
            items={[
              { key: c.provider, value: a.providerName },
              { key: c.columnPoints, value: c.points(formatPoints(lang, a.points)) },
              { key: c.studyTimeLabel, value: c.studyTime(a.netStudyMinutes) },
              { key: c.kind, value: c.kinds[a.activityType] },
              { key: c.nature, value: c.natures[a.nature] },
              {
                key: c.topics,
                value: (
                  <ul class="utrecht-unordered-list">
                    {a.topics.map((code) => (
                      <li class="utrecht-unordered-list__item" key={code}>
                        {topicName.get(code) ?? code}
                      </li>
                    ))}
                  </ul>
                ),
              },
              { key: c.completion, value: c.completions[a.completion.type] },
              // Issue 16 part 3: the participants' average, from 5 ratings on (never a comment).
              { key: t.evaluations.column, value: <PublicRating t={t} lang={lang} rating={a.rating} /> },
              // recognizedUntil is exclusive: the last recognised day is the one before.
              ...(a.recognized ? [{ key: c.recognizedUntil, value: formatDate(lang, addDays(a.recognizedUntil, -1)) }] : []),
            ]}
          />
          {a.learningGoals.length ? (
            <>
              <Heading level={2}>{c.learningGoals}</Heading>
              <ul class="utrecht-unordered-list">
                {a.learningGoals.map((goal, i) => (
                  <li class="utrecht-unordered-list__item" key={i}>
                    {goal}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <Heading level={2}>{c.sessionsTitle}</Heading>
          {sessions.length ? (
            <Table
              caption={c.sessionsTitle}
              headers={[c.columnDate, c.columnPlace]}
              rows={sessions.map((s) => [
                s.endsOn && s.endsOn !== s.startsOn ? c.dateRange(formatDate(lang, s.startsOn), formatDate(lang, s.endsOn)) : formatDate(lang, s.startsOn),
                [s.location, s.online ? c.online : undefined].filter(Boolean).join(', ') || '–',
              ])}
            />
          ) : (
            <Paragraph>{c.noPlannedSessions}</Paragraph>
          )}
          <Paragraph>
            <Link href="/scholingskalender">{c.backToCatalogue}</Link>
          </Paragraph>
        </>
      ),
    };
  },
});
