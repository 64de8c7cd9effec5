import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, type TxItem } from './client';
import { queryPage } from './paging';
import { queryAll } from './batch';
import { addDays } from '../domain/dates';
import { lastSessionOn, searchFold, type ActivityType } from '../domain/recognition';
import type { RequestContent } from './recognition';
import { ACTIVITY, CATALOGUE, OWNER, TOPIC } from './keys';

/**
 * Recognized activities: pk `ACTIVITY#<id>`, sk `ACTIVITY`, plus one `TOPIC#<code>` item per
 * topic for public activities. The catalogue reads only the gsi1 partitions `CATALOGUE` and
 * `CATALOGUE#<topic>`, sorted by `<recognizedUntil>#<activityId>`, so "still recognized" is a key
 * range and an expired activity simply falls out of it. Internal activities set no gsi1 keys:
 * they are in no catalogue partition at all. Keys: see README.md in this folder.
 */
export interface ActivitySession {
  startsOn: string;
  endsOn?: string;
  location?: string;
  online?: boolean;
}

/** What the request described (title, goals, topics, sessions…), as approved, plus recognition. */
export interface Activity extends RequestContent {
  activityId: string;
  requestId: string;
  /** The provider (or, for internal activities, the employer) that owns it. */
  ownerId: string;
  ownerRole: 'provider' | 'employer';
  /** The owner's name at the time of recognition (shown in the catalogue). */
  providerName: string;
  points: number;
  /** Moved +1 by every change of the sessions after approval (absent = 0): the change's condition. */
  sessionsVersion?: number;
  /** Inclusive. */
  recognizedFrom: string;
  /** Exclusive. */
  recognizedUntil: string;
  createdAt: string;
  /** The participants' ratings (issue 16 part 3, shared/data/evaluations.ts): their sum and number, on every copy. */
  ratingSum?: number;
  ratingCount?: number;
  /**
   * When the activity last changed (approval, every change of its sessions): what the learning
   * platforms' feed (`?updatedSince=`) filters on. Activities stored before it read as `createdAt`.
   */
  updatedAt?: string;
}

export const activityPk = (activityId: string) => ACTIVITY(activityId);
/** The whole catalogue's gsi1 partition; one topic's is `CATALOGUE#<topic>`. */
const WHOLE_CATALOGUE = 'CATALOGUE';
export const cataloguePk = (topic?: string) => (topic ? CATALOGUE(topic) : WHOLE_CATALOGUE);
const catalogueSk = (a: Pick<Activity, 'recognizedUntil' | 'activityId'>) => `${a.recognizedUntil}#${a.activityId}`;
const GSI1_KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

const ACTIVITY_FIELDS = [
  'activityId', 'requestId', 'ownerId', 'ownerRole', 'providerName', 'title', 'description', 'learningGoals', 'activityType',
  'nature', 'topics', 'netStudyMinutes', 'points', 'completion', 'internal', 'sessions', 'recognizedFrom', 'recognizedUntil', 'createdAt', 'sessionsVersion', 'ratingSum', 'ratingCount', 'updatedAt',
] as const;

function fromItem(item: Record<string, unknown>): Activity {
  const out = Object.fromEntries(ACTIVITY_FIELDS.map((f) => [f, item[f]])) as unknown as Activity;
  out.points = Number(out.points);
  out.netStudyMinutes = Number(out.netStudyMinutes);
  out.internal = Boolean(out.internal);
  out.sessions = (out.sessions ?? []) as ActivitySession[];
  out.sessionsVersion = Number(out.sessionsVersion ?? 0);
  out.ratingSum = Number(out.ratingSum ?? 0);
  out.ratingCount = Number(out.ratingCount ?? 0);
  out.updatedAt ??= out.createdAt;
  return out;
}

/**
 * The Puts that create an activity, for the caller's transaction (the approval's). Write-once:
 * the activity id is derived from the request id, so a second approval of the same request could
 * never create a second activity even if the request's own guard were bypassed.
 */
export function activityItems(activity: Activity): TxItem[] {
  const stored = {
    ...activity,
    updatedAt: activity.updatedAt ?? activity.createdAt,
    type: 'activity',
    // Filter attributes for the catalogue (a FilterExpression cannot fold case or look into lists).
    searchText: searchFold(`${activity.title}\n${activity.description}`),
    ...(lastSessionOn(activity.sessions) ? { lastSessionOn: lastSessionOn(activity.sessions) } : {}),
  };
  const pk = activityPk(activity.activityId);
  const put = (Item: Record<string, unknown>): TxItem => ({ Put: { TableName: tableName(), Item, ConditionExpression: 'attribute_not_exists(pk)' } });
  const owner = { gsi2pk: OWNER(activity.ownerId), gsi2sk: ACTIVITY(activity.activityId) };
  if (activity.internal) return [put({ pk, sk: 'ACTIVITY', ...stored, ...owner })];
  return [
    put({ pk, sk: 'ACTIVITY', ...stored, ...owner, gsi1pk: cataloguePk(), gsi1sk: catalogueSk(activity) }),
    // One copy per topic, so a topic filter is one query of its own partition.
    ...activity.topics.map((code) => put({ pk, sk: TOPIC(code), ...stored, type: 'activityTopic', gsi1pk: cataloguePk(code), gsi1sk: catalogueSk(activity) })),
  ];
}

/** The activity, or undefined. What crediting reads (with `isRecognizedOn` from shared/domain/recognition). */
export async function getActivity(activityId: string, consistent = false): Promise<Activity | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: activityPk(activityId), sk: 'ACTIVITY' }, ConsistentRead: consistent }));
  return res.Item ? fromItem(res.Item) : undefined;
}

/** An owner's activities (internal ones too), from its gsi2 partition `OWNER#<ownerId>`: cost follows the owner's own activities. */
export async function listActivitiesByOwner(ownerId: string): Promise<Activity[]> {
  const items = await queryAll({ index: 'gsi2', pk: OWNER(ownerId), skPrefix: ACTIVITY() });
  return items.map(fromItem);
}

export interface CatalogueFilter {
  topic?: string;
  type?: ActivityType;
  providerId?: string;
  q?: string;
  from?: string;
  /**
   * The feed's `updatedSince`: only activities changed at or after `instant`, or that entered the
   * catalogue since (recognized from a day after `day`, the instant's date in Amsterdam: they
   * appear at that day's start without any write).
   */
  changedSince?: { instant: string; day: string };
}

/**
 * One page of the catalogue as of `today`: public activities recognized today, most recently
 * recognized (latest `recognizedUntil`) first. A Query of one gsi1 partition; the other filters
 * are a FilterExpression on that partition's items.
 */
export async function queryCatalogue(
  filter: CatalogueFilter,
  today: string,
  page: { limit: number; cursor?: Record<string, unknown> },
): Promise<{ items: Activity[]; lastKey?: Record<string, unknown> }> {
  const partition = cataloguePk(filter.topic);
  const filters: string[] = ['recognizedFrom <= :today'];
  const tomorrow = addDays(today, 1);
  // A cursor from an earlier day may point below today's range (its item has since expired):
  // everything after it has expired too, so that is the end of the list.
  if (page.cursor && String(page.cursor.gsi1sk) < tomorrow) return { items: [] };
  const values: Record<string, unknown> = { ':pk': partition, ':tomorrow': tomorrow, ':today': today };
  if (filter.type) {
    filters.push('activityType = :type');
    values[':type'] = filter.type;
  }
  if (filter.providerId) {
    filters.push('ownerId = :owner');
    values[':owner'] = filter.providerId;
  }
  if (filter.q) {
    filters.push('contains(searchText, :q)');
    values[':q'] = searchFold(filter.q);
  }
  if (filter.from) {
    filters.push('lastSessionOn >= :from');
    values[':from'] = filter.from;
  }
  if (filter.changedSince) {
    filters.push('(updatedAt >= :since OR (attribute_not_exists(updatedAt) AND createdAt >= :since) OR recognizedFrom > :sinceDay)');
    values[':since'] = filter.changedSince.instant;
    values[':sinceDay'] = filter.changedSince.day;
  }
  const res = await queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      // recognizedUntil is exclusive: still recognized today ⇔ recognizedUntil ≥ tomorrow.
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :tomorrow',
      FilterExpression: filters.join(' AND '),
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    },
    { limit: page.limit, cursor: page.cursor, keyAttributes: GSI1_KEYS },
  );
  return { items: res.items.map(fromItem), lastKey: res.lastKey };
}

/**
 * The providers that have something in the catalogue today (id and the name the catalogue shows,
 * by name), for the catalogue's provider filter: the `CATALOGUE` partition's range of activities
 * still recognized today, keys and two attributes only. Bounded like a catalogue page (5 reads);
 * providers past that are still found by their id in the query.
 */
export async function catalogueProviders(today: string): Promise<{ providerId: string; providerName: string }[]> {
  const byId = new Map<string, string>();
  let startKey: Record<string, unknown> | undefined;
  for (let read = 0; read < 5; read++) {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :tomorrow',
        FilterExpression: 'recognizedFrom <= :today',
        ExpressionAttributeValues: { ':pk': cataloguePk(), ':tomorrow': addDays(today, 1), ':today': today },
        ExpressionAttributeNames: { '#owner': 'ownerId', '#name': 'providerName' },
        ProjectionExpression: '#owner, #name',
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
      }),
    );
    // Newest recognition first: the name an activity was last recognized under wins.
    for (const item of res.Items ?? []) if (!byId.has(item.ownerId as string)) byId.set(item.ownerId as string, item.providerName as string);
    startKey = res.LastEvaluatedKey;
    if (!startKey) break;
  }
  return [...byId].map(([providerId, providerName]) => ({ providerId, providerName })).sort((a, b) => a.providerName.localeCompare(b.providerName, 'nl'));
}

/**
 * The Updates that replace an activity's sessions after approval (the owner plans, moves and
 * cancels them), for the caller's transaction: the activity item conditioned on the
 * `sessionsVersion` it was read with (two changes racing: one lands, the other is cancelled and
 * nothing of it is written), and every catalogue copy per topic with it, so the catalogue, its
 * session-date filter (`lastSessionOn`) and the activity page all show the same sessions.
 */
export function activitySessionsItems(activity: Activity, sessions: ActivitySession[], at = new Date().toISOString()): TxItem[] {
  const pk = activityPk(activity.activityId);
  const last = lastSessionOn(sessions);
  const values: Record<string, unknown> = { ':sessions': sessions, ':next': (activity.sessionsVersion ?? 0) + 1, ':at': at, ...(last ? { ':last': last } : {}) };
  // updatedAt moves with the sessions: the feed's `updatedSince` hands the change to the platforms.
  const set = `SET sessions = :sessions, sessionsVersion = :next, updatedAt = :at${last ? ', lastSessionOn = :last' : ''}${last ? '' : ' REMOVE lastSessionOn'}`;
  const update = (sk: string, condition: string, extra: Record<string, unknown>): TxItem => ({
    Update: { TableName: tableName(), Key: { pk, sk }, UpdateExpression: set, ConditionExpression: condition, ExpressionAttributeValues: { ...values, ...extra } },
  });
  const seen = activity.sessionsVersion ?? 0;
  const guard = seen === 0 ? 'attribute_exists(pk) AND attribute_not_exists(sessionsVersion)' : 'sessionsVersion = :seen';
  return [
    update('ACTIVITY', guard, seen === 0 ? {} : { ':seen': seen }),
    ...(activity.internal ? [] : activity.topics.map((code) => update(TOPIC(code), 'attribute_exists(pk)', {}))),
  ];
}
