import type { ApiKeyRecord } from '../data/api-keys';
import { getActivity, type Activity } from '../data/activities';
import { getCredit, type Credit } from '../data/credits';
import {
  activityAggregates,
  evaluatedActivityIds,
  evaluationItems,
  evaluationsPage,
  latestEvaluations,
  linkedEmployerIds,
  type CreditEvaluation,
  type Evaluation,
} from '../data/evaluations';
import { cancellationCodes, transact, withConflictRetry } from '../data/client';
import { Conflict, NotFound } from '../domain/errors';
import type { PageRequest } from '../data/paging';
import type { EvaluationRequest } from '../schemas/evaluations';
import { PUBLIC_MIN_RATINGS, ratingOf } from '../domain/evaluations';
import { ownedBy, ownerFields } from './access';

/*
 * Evaluations (issue 16 part 3; SPEC-style rules in README.md, "Evaluations"): a participant rates
 * an activity it was credited for, once per credit; the owner (provider, or the employer of an
 * internal activity) and the admin read the ratings and comments, never who gave them; the public
 * sees the average only from PUBLIC_MIN_RATINGS ratings on, and never a comment (shared/domain/evaluations.ts).
 */
type RatedCredit = Credit & { evaluation?: CreditEvaluation };

const revoked = () => new Conflict('This credit was revoked: its activity cannot be rated.', { reason: 'credit-revoked' });
const already = (e?: CreditEvaluation) => new Conflict('This activity was already rated for this credit.', { reason: 'already-evaluated', ...(e ? { rating: e.rating, at: e.at } : {}) });

/**
 * The credited participant rates the credit's activity (1–5, a comment if it likes). Someone
 * else's credit (or none) is a 404; a revoked one a 409 `credit-revoked`; a second rating a 409
 * `already-evaluated` — decided by the credit's condition in the one transaction, so two at once
 * land one; a transaction that keeps conflicting with others a 409 `concurrent-update`.
 */
export async function evaluateCredit(caller: ApiKeyRecord, creditId: string, body: EvaluationRequest) {
  // Only the participant rates its own credit (the admin neither).
  const credit = ownedBy(caller, (await getCredit(creditId, true)) as RatedCredit | undefined, (c) => ({ role: 'participant', id: c.participantId }), 'No credit with this id.', { admin: false });
  if (credit.revokedAt) throw revoked();
  if (credit.evaluation) throw already(credit.evaluation);
  const [activity, employerIds] = await Promise.all([getActivity(credit.activityId), linkedEmployerIds(credit.participantId)]);
  if (!activity) throw new NotFound('No credit with this id.');
  const comment = body.comment;
  const now = new Date();
  try {
    await withConflictRetry(() =>
      transact(evaluationItems({ credit, activity, rating: body.rating, comment, employerIds, actor: { role: 'participant', id: caller.ownerId }, now })),
    );
  } catch (err) {
    const codes = cancellationCodes(err);
    if (codes?.[0] === 'ConditionalCheckFailed') {
      const fresh = (await getCredit(creditId, true)) as RatedCredit | undefined;
      throw fresh?.revokedAt ? revoked() : already(fresh?.evaluation);
    }
    // Still racing other writes to the activity's aggregate after the retries (a burst of ratings
    // of one activity): nothing landed, so the client may simply send it again.
    if (codes?.includes('TransactionConflict')) throw new Conflict('Others rated this activity at the same moment; send it again.', { reason: 'concurrent-update' });
    throw err;
  }
  return { creditId, activityId: activity.activityId, rating: body.rating, ...(comment ? { comment } : {}), at: now.toISOString() };
}

/** The activity when the caller owns it (provider, or the employer of an internal one) or is the admin; else a 404. */
export async function ownedActivity(caller: ApiKeyRecord, activityId: string): Promise<Activity> {
  return ownedBy(caller, await getActivity(activityId, true), ownerFields, 'No activity with this id.');
}

const itemView = (e: Evaluation) => ({ rating: e.rating, ...(e.comment !== undefined ? { comment: e.comment } : {}), at: e.at });

/** `GET /v1/activities/{id}/evaluations`: the aggregate and one page of ratings, newest first, without who gave them. */
export async function listEvaluations(caller: ApiKeyRecord, activityId: string, paging: PageRequest) {
  return (await ownerEvaluations(caller, activityId, paging)).list;
}

/** The same, with the activity it is about (for the owner's page, which names it). */
export async function ownerEvaluations(caller: ApiKeyRecord, activityId: string, paging: PageRequest) {
  const a = await ownedActivity(caller, activityId);
  const page = await evaluationsPage(activityId, { limit: paging.limit, cursor: paging.start });
  const r = ratingOf(a);
  return { activity: a, list: { average: r?.average ?? null, count: r?.count ?? 0, items: page.items.map(itemView), nextCursor: paging.next(page.lastKey) } };
}

/** How many of an activity's newest evaluations the provider's overview shows (the API pages through all). */
export const OVERVIEW_EVALUATIONS = 5;

/**
 * The provider's (or an employer's own) activities with their ratings, and per rated activity its
 * newest evaluations: the owner's gsi2 partition (one Query), then one Query per rated activity.
 */
export async function ownerOverview(activities: Activity[]) {
  const rated = activities.filter((a) => (a.ratingCount ?? 0) > 0);
  const latest = await Promise.all(rated.map((a) => latestEvaluations(a.activityId, OVERVIEW_EVALUATIONS)));
  const byId = new Map(rated.map((a, i) => [a.activityId, latest[i].map(itemView)]));
  return activities.map((a) => ({ activityId: a.activityId, title: a.title, rating: ratingOf(a), items: byId.get(a.activityId) ?? [] }));
}

/**
 * The employer's view: the activities its employees rated while linked (its `EVALUATED#` markers,
 * one Query), with each activity's aggregate over all participants (one BatchGetItem); of the
 * internal activities only the employer's own. The average
 * follows the public rule (from PUBLIC_MIN_RATINGS on), except for the employer's own internal
 * activities, whose owner sees every rating anyway.
 */
export async function employerEvaluations(employerId: string) {
  const ids = await evaluatedActivityIds(employerId);
  const aggregates = await activityAggregates(ids);
  return aggregates
    // Another employer's internal activity is none of this one's business, even if an employee
    // linked to both rated it (a marker written before evaluationItems stopped writing those).
    .filter((a) => !a.internal || (a.ownerRole === 'employer' && a.ownerId === employerId))
    .map((a) => {
      const r = ratingOf({ ratingSum: a.sum, ratingCount: a.count });
      const shown = r && (r.count >= PUBLIC_MIN_RATINGS || a.ownerId === employerId);
      return { activityId: a.activityId, title: a.title, providerName: a.providerName, count: a.count, ...(shown ? { average: r.average } : {}) };
    })
    .sort((x, y) => x.title.localeCompare(y.title, 'nl'));
}
