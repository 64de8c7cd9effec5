import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, type TxItem } from './client';
import { queryPage } from './paging';
import type { Actor } from './audit';
import type { ActivityType, CompletionType, Nature, RequestStatus, Transition } from '../domain/recognition';
import type { ActivitySession } from './activities';
import { OWNER, REQSTATUS, REQUEST } from './keys';

/**
 * Recognition requests: pk `REQUEST#<requestId>`, sk `REQUEST`. The decision history lives inside
 * the item; `version` is the optimistic lock: every write is a Put conditioned on the status and
 * version it was decided from, so two decisions (or a decision and a resubmission) can never
 * both land. gsi1 is the admin's queue per status (oldest first), gsi2 the owner's own requests.
 * Keys: see README.md in this folder.
 */
export interface RequestContent {
  title: string;
  description: string;
  learningGoals: string[];
  activityType: ActivityType;
  nature: Nature;
  topics: string[];
  netStudyMinutes: number;
  completion: { type: CompletionType; description: string };
  internal: boolean;
  sessions: ActivitySession[];
}

export interface HistoryEntry {
  at: string;
  actor: Actor;
  transition: 'submitted' | Transition;
  from?: RequestStatus;
  to: RequestStatus;
  reason?: string;
}

export interface RecognitionRequest extends RequestContent {
  requestId: string;
  ownerId: string;
  ownerRole: 'provider' | 'employer';
  status: RequestStatus;
  version: number;
  /** First submission. */
  submittedAt: string;
  /** When the request entered its current status. */
  statusAt: string;
  updatedAt: string;
  decidedAt?: string;
  activityId?: string;
  points?: number;
  history: HistoryEntry[];
}

export const requestPk = (requestId: string) => REQUEST(requestId);
const GSI1_KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;
const GSI2_KEYS = ['pk', 'sk', 'gsi2pk', 'gsi2sk'] as const;
const statusPk = (status: RequestStatus) => REQSTATUS(status);
const ownerPk = (ownerId: string) => OWNER(ownerId);

const FIELDS = [
  'requestId', 'ownerId', 'ownerRole', 'status', 'version', 'submittedAt', 'statusAt', 'updatedAt', 'decidedAt', 'activityId', 'points',
  'title', 'description', 'learningGoals', 'activityType', 'nature', 'topics', 'netStudyMinutes', 'completion', 'internal', 'sessions', 'history',
] as const;

function fromItem(item: Record<string, unknown>): RecognitionRequest {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (item[f] !== undefined) out[f] = item[f];
  const r = out as unknown as RecognitionRequest;
  r.version = Number(r.version);
  r.netStudyMinutes = Number(r.netStudyMinutes);
  if (r.points !== undefined) r.points = Number(r.points);
  r.sessions ??= [];
  r.history ??= [];
  return r;
}

function toItem(r: RecognitionRequest): Record<string, unknown> {
  return {
    pk: requestPk(r.requestId),
    sk: 'REQUEST',
    type: 'recognitionRequest',
    ...r,
    gsi1pk: statusPk(r.status),
    gsi1sk: `${r.statusAt}#${r.requestId}`,
    gsi2pk: ownerPk(r.ownerId),
    gsi2sk: REQUEST(r.submittedAt, r.requestId),
  };
}

/**
 * The Put that writes a request, for the caller's transaction. Without `expect` it creates
 * (write-once); with it, it replaces the request only if it still has the status and version
 * the change was decided from.
 */
export function putRequestItem(r: RecognitionRequest, expect?: { status: RequestStatus; version: number }): TxItem {
  return {
    Put: {
      TableName: tableName(),
      Item: toItem(r),
      ...(expect
        ? {
            ConditionExpression: '#status = :expectStatus AND version = :expectVersion',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':expectStatus': expect.status, ':expectVersion': expect.version },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
}

export async function getRequest(requestId: string, consistent = false): Promise<RecognitionRequest | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: requestPk(requestId), sk: 'REQUEST' }, ConsistentRead: consistent }));
  return res.Item ? fromItem(res.Item) : undefined;
}

type Page = { limit: number; cursor?: Record<string, unknown> };

/** The admin's queue: requests in one status, oldest (longest in that status) first. */
export async function listRequestsByStatus(status: RequestStatus, page: Page) {
  const res = await queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': statusPk(status) },
    },
    { ...page, keyAttributes: GSI1_KEYS },
  );
  return { items: res.items.map(fromItem), lastKey: res.lastKey };
}

/** An owner's own requests, oldest submission first, optionally in one status. */
export async function listRequestsByOwner(ownerId: string, status: RequestStatus | undefined, page: Page) {
  const res = await queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :req)',
      ...(status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: { ':pk': ownerPk(ownerId), ':req': REQUEST(), ...(status ? { ':status': status } : {}) },
    },
    { ...page, keyAttributes: GSI2_KEYS },
  );
  return { items: res.items.map(fromItem), lastKey: res.lastKey };
}
