import type { ApiKeyRecord } from '../data/api-keys';
import {
  activitySessionsItems,
  catalogueProviders,
  getActivity,
  listActivitiesByOwner,
  queryCatalogue,
  type Activity,
  type ActivitySession,
  type CatalogueFilter,
} from '../data/activities';
import { auditPut } from '../data/audit';
import { requestPk } from '../data/recognition';
import { cancellationCodes, transact } from '../data/client';
import { isRecognizedOn } from '../domain/recognition';
import { publicRating } from '../domain/evaluations';
import { Conflict, NotFound } from '../domain/errors';
import type { PageRequest } from '../data/paging';
import { mayActFor, ownedBy, ownerFields } from './access';

/*
 * The public catalogue and single activities: read paths, kept apart from the review workflow so
 * their bundles do not carry the decision e-mail (SES client and MIME builder).
 */
type Caller = ApiKeyRecord;

function sessionsView(a: Activity) {
  return a.sessions.map((s) => ({ startsOn: s.startsOn, ...(s.endsOn ? { endsOn: s.endsOn } : {}), ...(s.location ? { location: s.location } : {}), ...(s.online !== undefined ? { online: s.online } : {}) }));
}

export function catalogueView(a: Activity) {
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
    // Issue 16 part 3: the copies carry the aggregate too (the rating's transaction), so no extra read.
    ...publicRating(a),
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
  const privileged = Boolean(a && mayActFor(caller, ownerFields(a)));
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
    ...publicRating(a),
  };
}

/** The providers the catalogue can be filtered by today (id and name, by name): the provider filter's choices. */
export function providersInCatalogue(today: string) {
  return catalogueProviders(today);
}

// ---------------------------------------------------------------- the owner's activities and their sessions

/** The caller's own activities (provider or employer), internal ones included, by title. */
export async function ownActivities(caller: Caller): Promise<Activity[]> {
  const all = await listActivitiesByOwner(caller.ownerId);
  return all.sort((a, b) => a.title.localeCompare(b.title, 'nl'));
}

/** One of the caller's own activities (read consistently: what a change is based on); anyone else's is a 404. */
export async function ownActivity(caller: Caller, activityId: string): Promise<Activity> {
  return ownedBy(caller, await getActivity(activityId, true), ownerFields, 'No activity with this id.', { admin: false });
}

export type SessionChange =
  | { kind: 'add'; session: ActivitySession }
  | { kind: 'change'; index: number; session: ActivitySession }
  | { kind: 'cancel'; index: number };

/**
 * The owner adds, changes or cancels (removes) a session of an approved activity. `index` is the
 * session's place in the list as the owner saw it at `seenVersion`: a change made meanwhile by
 * someone else (another tab, a colleague) moves the version, and this one is refused (409) rather
 * than applied to a list that is no longer the one on the screen. The activity and its catalogue
 * copies change in one transaction with the audit event on the request it came from.
 */
export async function changeActivitySessions(caller: Caller, activityId: string, change: SessionChange, seenVersion: number): Promise<Activity> {
  const current = await ownActivity(caller, activityId);
  const stale = () => new Conflict('The sessions of this activity were changed at the same moment; look at them again and repeat your change.', { reason: 'concurrent-update' });
  if ((current.sessionsVersion ?? 0) !== seenVersion) throw stale();
  const sessions = [...current.sessions];
  if (change.kind !== 'add' && (change.index < 0 || change.index >= sessions.length)) throw new NotFound('No session with this number.');
  if (change.kind === 'add') sessions.push(change.session);
  else if (change.kind === 'change') sessions[change.index] = change.session;
  else sessions.splice(change.index, 1);
  sessions.sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  const now = new Date();
  try {
    await transact([
      ...activitySessionsItems(current, sessions, now.toISOString()),
      auditPut(requestPk(current.requestId), {
        actor: { role: caller.role, id: caller.ownerId },
        action: `activity.session-${change.kind === 'add' ? 'added' : change.kind === 'change' ? 'changed' : 'cancelled'}`,
        detail: { activityId, sessions: sessions.length, sessionsVersion: (current.sessionsVersion ?? 0) + 1 },
      }, now),
    ]);
  } catch (err) {
    if (cancellationCodes(err)) throw stale();
    throw err;
  }
  return { ...current, sessions, sessionsVersion: (current.sessionsVersion ?? 0) + 1, updatedAt: now.toISOString() };
}
