import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, transact, cancellationCodes, type TxItem } from './client';
import { queryPage } from './paging';
import { auditPut, type Actor } from './audit';
import { notErasingItem, participantPk } from './participants';
import { newId } from '../ids';
import { ownerIndexKeys } from './owner-index';
import { ACTCLAIM, ACTCLAIMPENDING, ACTCLAIMSTATUS } from './keys';

/**
 * Activation claims (SPEC: Accounts): an activation asked for a diploma that has no address on
 * file. Nothing is mailed until the register's staff have checked the claimant's identity out of
 * band and approved the claim. pk `ACTCLAIM#<claimId>`, sk `ACTCLAIM`; gsi1 is the staff's queue
 * per status, oldest first (the shape of the recognition queue). While a claim is pending, a
 * guard item per diploma and claimed address keeps the same request, asked again, from queueing
 * a second claim. Keys: see README.md in this folder.
 */
export type ClaimStatus = 'pending' | 'approved' | 'rejected';

export interface ActivationClaim {
  claimId: string;
  participantId: string;
  diplomaNumber: string;
  /** The holder's display name, so staff can check the claimant against it. */
  name: string;
  /** The claimed address: the activation e-mail goes here on approval. */
  email: string;
  language: 'nl' | 'en';
  requestedAt: string;
  status: ClaimStatus;
  decidedAt?: string;
  decidedBy?: Actor;
  reason?: string;
}

/** Decided claims are kept this long (TTL), pending ones until decided. */
export const DECIDED_CLAIM_TTL_DAYS = 365;

export const claimKey = (claimId: string) => ({ pk: ACTCLAIM(claimId), sk: 'ACTCLAIM' });
const statusPk = (status: ClaimStatus) => ACTCLAIMSTATUS(status);
const GSI1_KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

/**
 * The pending guard: one per diploma and claimed address (case-folded, hashed so the key carries
 * no address). Put with the claim, deleted with its decision.
 */
function pendingKey(diplomaNumber: string, email: string) {
  const hash = createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex');
  return { pk: ACTCLAIMPENDING(diplomaNumber.toUpperCase(), hash), sk: 'ACTCLAIMPENDING' };
}

const FIELDS = ['claimId', 'participantId', 'diplomaNumber', 'name', 'email', 'language', 'requestedAt', 'status', 'decidedAt', 'decidedBy', 'reason'] as const;

function fromItem(item: Record<string, unknown>): ActivationClaim {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (item[f] !== undefined) out[f] = item[f];
  return out as unknown as ActivationClaim;
}

/**
 * Queues a claim, unless one for the same diploma and address is pending already. Returns the
 * new claim, or undefined when it was a repeat.
 */
export async function createActivationClaim(
  args: Omit<ActivationClaim, 'claimId' | 'requestedAt' | 'status'>,
  now = new Date(),
): Promise<ActivationClaim | undefined> {
  const claim: ActivationClaim = { ...args, diplomaNumber: args.diplomaNumber.toUpperCase(), claimId: newId('clm', now.getTime()), requestedAt: now.toISOString(), status: 'pending' };
  try {
    await transact([
      {
        Put: {
          TableName: tableName(),
          Item: { ...pendingKey(claim.diplomaNumber, claim.email), type: 'activationClaimGuard', claimId: claim.claimId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...claimKey(claim.claimId), type: 'activationClaim', ...claim, gsi1pk: statusPk('pending'), gsi1sk: `${claim.requestedAt}#${claim.claimId}`,
            // The holder's own index partition: an erasure finds its claims without a scan.
            ...ownerIndexKeys(claim.participantId, 'ACTCLAIM', now, claim.claimId),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      // No claim (name and address for the staff) for a profile whose erasure has begun.
      notErasingItem(claim.participantId),
    ]);
  } catch (err) {
    const codes = cancellationCodes(err);
    if (codes?.[0] === 'ConditionalCheckFailed' || codes?.[2] === 'ConditionalCheckFailed') return undefined;
    throw err;
  }
  return claim;
}

export async function getActivationClaim(claimId: string, consistent = false): Promise<ActivationClaim | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: claimKey(claimId), ConsistentRead: consistent }));
  return res.Item ? fromItem(res.Item) : undefined;
}

/**
 * The decision's items, for one transaction: the claim moves from pending (and only from
 * pending: a claim is decided once) to its outcome, queue position and TTL; the pending guard
 * goes; the participant's audit trail records it. `extra` (the profile's address) lands with it.
 */
export function decideClaimItems(
  claim: ActivationClaim,
  decision: { status: 'approved' | 'rejected'; reason?: string; actor: Actor; detail?: Record<string, unknown> },
  now: Date,
): TxItem[] {
  const decidedAt = now.toISOString();
  const expiresAt = Math.floor(now.getTime() / 1000) + DECIDED_CLAIM_TTL_DAYS * 86_400;
  return [
    {
      Update: {
        TableName: tableName(),
        Key: claimKey(claim.claimId),
        UpdateExpression:
          'SET #status = :status, decidedAt = :at, decidedBy = :by, gsi1pk = :g1pk, gsi1sk = :g1sk, expiresAt = :exp' +
          (decision.reason ? ', reason = :reason' : ''),
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': decision.status,
          ':at': decidedAt,
          ':by': decision.actor,
          ':g1pk': statusPk(decision.status),
          ':g1sk': `${decidedAt}#${claim.claimId}`,
          ':exp': expiresAt,
          ':pending': 'pending',
          ...(decision.reason ? { ':reason': decision.reason } : {}),
        },
      },
    },
    { Delete: { TableName: tableName(), Key: pendingKey(claim.diplomaNumber, claim.email) } },
    auditPut(
      participantPk(claim.participantId),
      { actor: decision.actor, action: `activation-claim.${decision.status}`, detail: { claimId: claim.claimId, ...decision.detail } },
      now,
    ),
  ];
}

type Page = { limit: number; cursor?: Record<string, unknown> };

/** The staff's queue: claims in one status, oldest (longest in that status) first. */
export async function listClaimsByStatus(status: ClaimStatus, page: Page) {
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
