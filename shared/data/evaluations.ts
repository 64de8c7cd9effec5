import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, type TxItem } from './client';
import { batchGet, queryAll } from './batch';
import { queryPage } from './paging';
import { auditItem, type Actor } from './audit';
import { activityPk, type Activity } from './activities';
import { creditKey, type Credit } from './credits';
import { employerPk } from './employers';
import { participantPk } from './participants';
import { newId } from '../ids';
import { EMPLOYER, EVALUATED, EVALUATIONS, TOPIC } from './keys';

/**
 * Evaluations (issue 16 part 3; keys: README.md here, "Evaluations"):
 *
 * - evaluation       pk EVALUATIONS#<activityId>   sk <at>#<evaluationId>   (`evl_…`, random)
 *                    the rating (1–5) and the comment; no participant id, credit id or name, so
 *                    the owner's list cannot name who wrote it — nor can its cursor, which carries
 *                    this key readably (signed, not encrypted) to the provider, who knows its
 *                    credit ids. Newest first is a backwards Query.
 * - on the credit    `evaluation: {rating, at, evaluationId}`: the once-guard (condition), what the
 *                    dossier shows, in the gsi1 range the dossier already reads (no extra call), and
 *                    the only way from a participant to its evaluation (export, erasure).
 * The marker below is written only for the employer that owns an internal activity: another
 * employer must not learn of it (employerEvaluations also filters markers written before).
 * - on the activity  `ratingSum`, `ratingCount` (ADD), on the `ACTIVITY` item and every
 *                    `TOPIC#<code>` catalogue copy, so a catalogue page shows them without a read.
 * - employer marker  pk EMPLOYER#<employerId>   sk EVALUATED#<activityId>
 *                    an activity one of the employer's (then linked) employees rated: what
 *                    /werkgever/evaluaties lists (one Query) with the activities' aggregates.
 */
export const evaluationsPk = (activityId: string) => EVALUATIONS(activityId);
export const evaluationKey = (activityId: string, at: string, evaluationId: string) => ({ pk: evaluationsPk(activityId), sk: `${at}#${evaluationId}` });
export const evaluatedMarkerKey = (employerId: string, activityId: string) => ({ pk: employerPk(employerId), sk: EVALUATED(activityId) });

export interface Evaluation {
  evaluationId: string;
  activityId: string;
  rating: number;
  comment?: string;
  at: string;
  /** Set when the participant's data was erased: the comment is gone, the rating stays counted. */
  commentErasedAt?: string;
}

/** What the credit item carries once rated (the dossier shows it; its presence is the once-guard). */
export interface CreditEvaluation {
  rating: number;
  at: string;
  /** The evaluation item's id (its key's second half); on the credit only, never the other way round. */
  evaluationId: string;
}

function fromItem(item: Record<string, unknown>): Evaluation {
  return {
    evaluationId: item.evaluationId as string,
    activityId: item.activityId as string,
    rating: Number(item.rating),
    ...(typeof item.comment === 'string' ? { comment: item.comment } : {}),
    at: item.at as string,
    ...(item.commentErasedAt ? { commentErasedAt: item.commentErasedAt as string } : {}),
  };
}

/**
 * The one transaction of a rating: the credit (only its participant's, not revoked, not rated
 * before: condition), the evaluation, the activity's aggregate on the activity and on each of its
 * catalogue copies, the employers' markers and the audit event (without the comment). Either all
 * of it lands or none, so the aggregate never counts a rating twice or misses one.
 */
export function evaluationItems(args: {
  credit: Credit;
  activity: Pick<Activity, 'activityId' | 'topics' | 'internal' | 'title' | 'ownerId' | 'ownerRole'>;
  rating: number;
  comment?: string;
  employerIds: string[];
  actor: Actor;
  now: Date;
}): TxItem[] {
  const { credit, activity, rating, comment, now } = args;
  const at = now.toISOString();
  const evaluationId = newId('evl', now.getTime());
  // An internal activity is its employer's own business: no other employer hears it was rated.
  const employerIds = activity.internal ? args.employerIds.filter((id) => activity.ownerRole === 'employer' && id === activity.ownerId) : args.employerIds;
  const aggregate = (sk: string): TxItem => ({
    Update: {
      TableName: tableName(),
      Key: { pk: activityPk(activity.activityId), sk },
      UpdateExpression: 'ADD ratingSum :r, ratingCount :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':r': rating, ':one': 1 },
    },
  });
  return [
    {
      Update: {
        TableName: tableName(),
        Key: creditKey(credit.creditId),
        UpdateExpression: 'SET evaluation = :e',
        ConditionExpression: 'attribute_exists(pk) AND participantId = :p AND attribute_not_exists(evaluation) AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':e': { rating, at, evaluationId } satisfies CreditEvaluation, ':p': credit.participantId },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...evaluationKey(activity.activityId, at, evaluationId), type: 'evaluation', evaluationId, activityId: activity.activityId, rating, ...(comment ? { comment } : {}), at },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    aggregate('ACTIVITY'),
    ...(activity.internal ? [] : activity.topics.map((code) => aggregate(TOPIC(code)))),
    // Unconditional: a marker that is there already is simply written again (its last rating moves).
    ...employerIds.map(
      (employerId): TxItem => ({
        Put: { TableName: tableName(), Item: { ...evaluatedMarkerKey(employerId, activity.activityId), type: 'evaluatedMarker', employerId, activityId: activity.activityId, activityTitle: activity.title, lastRatedAt: at } },
      }),
    ),
    {
      Put: {
        TableName: tableName(),
        Item: auditItem(participantPk(credit.participantId), { actor: args.actor, action: 'evaluation.given', after: { creditId: credit.creditId, activityId: activity.activityId, rating, comment: Boolean(comment) } }, now),
      },
    },
  ];
}

/** The employers the participant is linked to now (its gsi1 `EMPLOYER#` range: one Query). */
export async function linkedEmployerIds(participantId: string): Promise<string[]> {
  const items = await queryAll({ index: 'gsi1', pk: participantPk(participantId), skPrefix: EMPLOYER(), attributes: ['employerId', 'unlinkedAt'] });
  return items.filter((i) => !i.unlinkedAt).map((i) => i.employerId as string);
}

/** One page of an activity's evaluations, newest first. */
export async function evaluationsPage(activityId: string, page: { limit: number; cursor?: Record<string, unknown> }) {
  const res = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': evaluationsPk(activityId) },
      ScanIndexForward: false,
    },
    { limit: page.limit, cursor: page.cursor, keyAttributes: ['pk', 'sk'] },
  );
  return { items: res.items.map(fromItem), lastKey: res.lastKey };
}

/** The first `max` evaluations of an activity, newest first (a page of its own, for the provider's overview). */
export async function latestEvaluations(activityId: string, max: number): Promise<Evaluation[]> {
  const res = await db().send(
    new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': evaluationsPk(activityId) }, ScanIndexForward: false, Limit: max }),
  );
  return (res.Items ?? []).map(fromItem);
}

/** The activities an employer's employees rated (its `EVALUATED#` range: one Query). */
export async function evaluatedActivityIds(employerId: string): Promise<string[]> {
  const items = await queryAll({ pk: employerPk(employerId), skPrefix: EVALUATED(), attributes: ['activityId'] });
  return items.map((i) => i.activityId as string);
}

/** The aggregate of these activities (BatchGetItem of their `ACTIVITY` items, a few attributes). */
export async function activityAggregates(activityIds: string[]) {
  const items = await batchGet(
    activityIds.map((id) => ({ pk: activityPk(id), sk: 'ACTIVITY' })),
    { attributes: ['activityId', 'title', 'providerName', 'ownerId', 'ownerRole', 'internal', 'ratingSum', 'ratingCount'] },
  );
  return items.map((i) => ({
    activityId: i.activityId as string,
    title: i.title as string,
    providerName: i.providerName as string,
    ownerId: i.ownerId as string,
    ownerRole: i.ownerRole as string,
    internal: Boolean(i.internal),
    sum: Number(i.ratingSum ?? 0),
    count: Number(i.ratingCount ?? 0),
  }));
}

/** The evaluations behind these rated credits (their keys follow from the credit's `evaluation.at` and `evaluation.evaluationId`). */
export async function evaluationsOfCredits(credits: { activityId: string; evaluation: CreditEvaluation }[]): Promise<Evaluation[]> {
  if (!credits.length) return [];
  const items = await batchGet(credits.map((c) => evaluationKey(c.activityId, c.evaluation.at, c.evaluation.evaluationId)), { consistent: true });
  return items.map(fromItem);
}

/** Removes the comment's text (idempotent); the rating stays, and stays counted. */
export async function eraseComment(e: Evaluation, now: Date): Promise<void> {
  if (e.comment === undefined) return;
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: evaluationKey(e.activityId, e.at, e.evaluationId),
      UpdateExpression: 'REMOVE #comment SET commentErasedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#comment': 'comment' },
      ExpressionAttributeValues: { ':now': now.toISOString() },
    }),
  );
}
