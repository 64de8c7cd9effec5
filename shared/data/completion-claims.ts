import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName, transact, cancellationCodes, type TxItem } from './client';
import { queryPage } from './paging';
import { queryAll } from './batch';
import { auditPut, type Actor } from './audit';
import { participantPk } from './participants';
import { newId } from '../ids';
import { CCLAIM, CCLAIMPENDING, CREDITCLAIM, OWNER } from './keys';

/**
 * Completion claims (issue 16 part 4): a participant says they completed an activity on a date
 * the register has no credit for; the activity's owner (or the admin) confirms or rejects it.
 * pk `CCLAIM#<claimId>`, sk `CCLAIM`. gsi1 `PARTICIPANT#<participantId>` / `CREDITCLAIM#<requestedAt>#<claimId>`
 * (inside the dossier's gsi1 range `CREDIT#`..`INVOICE$`, so the dossier shows them without
 * another read); gsi2 `OWNER#<ownerId>` / `CCLAIM#<status>#<statusAt>#<claimId>` (the decider's
 * list per status, oldest first). While pending, a guard per participant, activity and date
 * (`CCLAIMPENDING#…`) keeps a second one from being filed; it goes with the decision.
 */
export type CompletionClaimStatus = 'pending' | 'approved' | 'rejected';

export interface ClaimCreditResult {
  externalId: string;
  status: 'credited' | 'duplicate' | 'rejected';
  creditId?: string;
  points?: number;
  reason?: string;
}

export interface CompletionClaim {
  claimId: string;
  participantId: string;
  /** What the decider checks the claim against (the participant's own data: erasure covers it). */
  registrationNumber: string;
  name: string;
  activityId: string;
  activityTitle: string;
  ownerId: string;
  ownerRole: 'provider' | 'employer';
  completedOn: string;
  requestedAt: string;
  status: CompletionClaimStatus;
  decidedAt?: string;
  decidedBy?: Actor;
  reason?: string;
  /** The crediting's outcome after an approval (absent until it ran). */
  result?: ClaimCreditResult;
}

export const claimKey = (claimId: string) => ({ pk: CCLAIM(claimId), sk: 'CCLAIM' });
const guardKey = (c: Pick<CompletionClaim, 'participantId' | 'activityId' | 'completedOn'>) => ({
  pk: CCLAIMPENDING(c.participantId, c.activityId, c.completedOn),
  sk: 'CCLAIMPENDING',
});
const ownerPk = (ownerId: string) => OWNER(ownerId);
const ownerSk = (status: CompletionClaimStatus, at: string, claimId: string) => CCLAIM(status, at, claimId);
export const CLAIM_GSI1_PREFIX = CREDITCLAIM();

const FIELDS = [
  'claimId', 'participantId', 'registrationNumber', 'name', 'activityId', 'activityTitle', 'ownerId', 'ownerRole', 'completedOn',
  'requestedAt', 'status', 'decidedAt', 'decidedBy', 'reason', 'result',
] as const;

export function fromClaimItem(item: Record<string, unknown>): CompletionClaim {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) if (item[f] !== undefined) out[f] = item[f];
  return out as unknown as CompletionClaim;
}

/** Files a claim; undefined when one for the same participant, activity and date is pending. */
export async function createCompletionClaim(args: Omit<CompletionClaim, 'claimId' | 'requestedAt' | 'status'>, now = new Date()): Promise<CompletionClaim | undefined> {
  const claim: CompletionClaim = { ...args, claimId: newId('ccl', now.getTime()), requestedAt: now.toISOString(), status: 'pending' };
  try {
    await transact([
      { Put: { TableName: tableName(), Item: { ...guardKey(claim), type: 'completionClaimGuard', claimId: claim.claimId }, ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...claimKey(claim.claimId),
            type: 'completionClaim',
            ...claim,
            gsi1pk: participantPk(claim.participantId),
            gsi1sk: `${CLAIM_GSI1_PREFIX}${claim.requestedAt}#${claim.claimId}`,
            gsi2pk: ownerPk(claim.ownerId),
            gsi2sk: ownerSk('pending', claim.requestedAt, claim.claimId),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(participantPk(claim.participantId), { actor: { role: 'participant', id: claim.participantId }, action: 'completion-claim.filed', detail: { claimId: claim.claimId, activityId: claim.activityId, completedOn: claim.completedOn } }, now),
    ]);
  } catch (err) {
    if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return undefined;
    throw err;
  }
  return claim;
}

export async function getCompletionClaim(claimId: string, consistent = false): Promise<CompletionClaim | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: claimKey(claimId), ConsistentRead: consistent }));
  return res.Item ? fromClaimItem(res.Item) : undefined;
}

/**
 * The decision, one transaction: the claim moves from pending (only from pending: decided once,
 * also when two decide at once) to its outcome and the decider's list for it; the guard goes; the
 * participant's trail records it. Returns false when someone else decided first.
 */
export async function decideCompletionClaim(claim: CompletionClaim, decision: { status: 'approved' | 'rejected'; reason?: string; actor: Actor }, now: Date): Promise<boolean> {
  const decidedAt = now.toISOString();
  const items: TxItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: claimKey(claim.claimId),
        UpdateExpression: 'SET #status = :status, decidedAt = :at, decidedBy = :by, gsi2sk = :g2sk' + (decision.reason ? ', reason = :reason' : ''),
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': decision.status,
          ':at': decidedAt,
          ':by': decision.actor,
          ':g2sk': ownerSk(decision.status, decidedAt, claim.claimId),
          ':pending': 'pending',
          ...(decision.reason ? { ':reason': decision.reason } : {}),
        },
      },
    },
    { Delete: { TableName: tableName(), Key: guardKey(claim) } },
    auditPut(participantPk(claim.participantId), { actor: decision.actor, action: `completion-claim.${decision.status}`, detail: { claimId: claim.claimId } }, now),
  ];
  try {
    await transact(items);
    return true;
  } catch (err) {
    if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return false;
    throw err;
  }
}

/** Records the crediting's outcome on an approved claim (once; a repeat finds it set and keeps the first). */
export async function recordClaimResult(claimId: string, result: ClaimCreditResult): Promise<void> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: claimKey(claimId),
        UpdateExpression: 'SET #result = :r',
        ConditionExpression: 'attribute_not_exists(#result)',
        ExpressionAttributeNames: { '#result': 'result' },
        ExpressionAttributeValues: { ':r': result },
      }),
    );
  } catch (err) {
    if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
  }
}

/** An owner's claims in one status, oldest first. */
export async function listClaimsOfOwner(ownerId: string, status: CompletionClaimStatus, page: { limit: number; cursor?: Record<string, unknown> }) {
  const res = await queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
      ExpressionAttributeValues: { ':pk': ownerPk(ownerId), ':prefix': CCLAIM(status, '') },
    },
    { ...page, keyAttributes: ['pk', 'sk', 'gsi2pk', 'gsi2sk'] },
  );
  return { items: res.items.map(fromClaimItem), lastKey: res.lastKey };
}

/** A participant's claims, newest first (export, erasure; the dossier reads them with its own query). */
export async function claimsOfParticipant(participantId: string): Promise<CompletionClaim[]> {
  const items = await queryAll({ index: 'gsi1', pk: participantPk(participantId), skPrefix: CLAIM_GSI1_PREFIX });
  return items.map(fromClaimItem).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
}

/**
 * Erasure: the participant's name and registration number on the claim are replaced, the
 * decider's free text goes, and a pending claim leaves the decider's list (nobody is credited
 * for a person who asked to be forgotten).
 */
export async function eraseClaim(claim: CompletionClaim, pseudonym: string, erasedAt: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: claimKey(claim.claimId),
      UpdateExpression: 'SET #name = :p, registrationNumber = :p, erasedAt = :at REMOVE reason' + (claim.status === 'pending' ? ', gsi2pk, gsi2sk' : ''),
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: { ':p': pseudonym, ':at': erasedAt },
    }),
  );
}
