import type { ApiKeyRecord } from '../data/api-keys';
import { catalogueProviders, getActivity, queryCatalogue, type Activity, type CatalogueFilter } from '../data/activities';
import { isRecognizedOn } from '../domain/recognition';
import { NotFound } from '../http/errors';
import type { PageRequest } from '../http/cursor';

/*
 * The public catalogue and single activities: read paths, kept apart from the review workflow so
 * their bundles do not carry the decision e-mail (SES client and MIME builder).
 */
type Caller = ApiKeyRecord;

function sessionsView(a: Activity) {
  return a.sessions.map((s) => ({ startsOn: s.startsOn, ...(s.endsOn ? { endsOn: s.endsOn } : {}), ...(s.location ? { location: s.location } : {}), ...(s.online !== undefined ? { online: s.online } : {}) }));
}

function catalogueView(a: Activity) {
  return {
    activityId: a.activityId,
    title: a.title,
    description: a.description,
    providerId: a.ownerId,
    providerName: a.providerName,
    activityType: a.activityType,
    nature: a.nature,
    topics: a.topics,
    points: a.points,
    recognizedFrom: a.recognizedFrom,
    recognizedUntil: a.recognizedUntil,
    sessions: sessionsView(a),
  };
}

/** The public catalogue: public activities recognized today, filtered, one page. */
export async function catalogue(query: CatalogueFilter, today: string, paging: PageRequest) {
  const page = await queryCatalogue(
    { topic: query.topic, type: query.type, providerId: query.providerId, q: query.q, from: query.from },
    today,
    { limit: paging.limit, cursor: paging.start },
  );
  return { items: page.items.map(catalogueView), nextCursor: paging.next(page.lastKey) };
}

/**
 * One activity. Public activities for anyone; an internal one only for its employer and the
 * admin (anyone else: 404, the answer a missing one gets).
 */
export async function activityFor(caller: Caller | undefined, activityId: string, today: string) {
  const a = await getActivity(activityId);
  const privileged = Boolean(caller && a && (caller.role === 'admin' || caller.ownerId === a.ownerId));
  if (!a || (a.internal && !privileged)) throw new NotFound('No activity with this id.');
  return {
    activityId: a.activityId,
    ...(privileged ? { requestId: a.requestId } : {}),
    title: a.title,
    description: a.description,
    learningGoals: a.learningGoals,
    ownerId: a.ownerId,
    ownerRole: a.ownerRole,
    ...(a.ownerRole === 'provider' ? { providerId: a.ownerId } : {}),
    providerName: a.providerName,
    activityType: a.activityType,
    nature: a.nature,
    topics: a.topics,
    netStudyMinutes: a.netStudyMinutes,
    points: a.points,
    completion: a.completion,
    internal: a.internal,
    recognizedFrom: a.recognizedFrom,
    recognizedUntil: a.recognizedUntil,
    recognized: isRecognizedOn(a, today),
    sessions: sessionsView(a),
  };
}

/** The providers the catalogue can be filtered by today (id and name, by name): the provider filter's choices. */
export function providersInCatalogue(today: string) {
  return catalogueProviders(today);
}
