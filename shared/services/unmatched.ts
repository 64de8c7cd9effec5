import type { Caller } from './access';
import { getUnmatched, listOpenUnmatched, resolveUnmatched, type ParticipantRef, type UnmatchedCompletion } from '../data/unmatched';
import {
  createCompletionClaim,
  decideCompletionClaim,
  getCompletionClaim,
  listClaimsOfOwner,
  recordClaimResult,
  type CompletionClaim,
  type CompletionClaimStatus,
} from '../data/completion-claims';
import { getActivity } from '../data/activities';
import { displayName, getParticipant } from '../data/participants';
import { isRecognizedOn } from '../domain/recognition';
import { covers } from '../domain/periods';
import type { PageRequest } from '../data/paging';
import { BadRequest, Conflict, NotFound } from '../domain/errors';
import { actFor, actorOf, ownedBy, ownerFields } from './access';
import { creditCompletions, type CreditResult, type Sender } from './crediting';
import { isLinked } from './participants';

/*
 * Completions that found no one, their corrections, and completion claims (issue 16 part 4).
 * Every credit goes through `creditCompletions`, the webhook's own crediting, under the sender's
 * id and an external id that stays the same however often it is asked: a correction uses the
 * completion's own externalId, an approved claim `claim:<claimId>`. So a second correction, a
 * later redelivery, or two at once answer `duplicate`, never a second credit.
 */
const senderOf = (caller: Caller, ownerId: string, ownerRole: 'provider' | 'employer'): Sender => ({
  id: ownerId,
  role: ownerRole,
  // An admin acting for the owner: the credit is the owner's (its sender), the trail names the admin's user if any.
  ...(caller.userId && caller.role !== 'admin' ? { userId: caller.userId } : {}),
});

// ---------------------------------------------------------------- unmatched completions

export async function listUnmatched(providerId: string, page: PageRequest) {
  const res = await listOpenUnmatched(providerId, { limit: page.limit, cursor: page.start });
  return { items: res.items.map(unmatchedView), nextCursor: page.next(res.lastKey) };
}

export function unmatchedView(u: UnmatchedCompletion) {
  return {
    unmatchedId: u.unmatchedId,
    activityId: u.activityId,
    externalId: u.externalId,
    completedOn: u.completedOn,
    participant: u.participant ?? null,
    receivedAt: u.receivedAt,
    status: u.status,
    ...(u.creditId ? { creditId: u.creditId, points: Number(u.points ?? 0), resolvedAt: u.resolvedAt } : {}),
  };
}

/** One of the provider's own (the admin: any); another provider's is a 404, as a missing one. */
export async function unmatchedFor(caller: Caller, unmatchedId: string): Promise<UnmatchedCompletion> {
  const u = /^unm_[0-9a-f]{26}$/.test(unmatchedId) ? await getUnmatched(unmatchedId, true) : undefined;
  return ownedBy(caller, u, (x) => ({ role: 'provider', id: x.providerId }), 'No unmatched completion with this id.');
}

/**
 * Credits the completion as if it had arrived with this number: the webhook's crediting, the
 * completion's own externalId. Credited (or found credited) → resolved; refused → stays open, with
 * the refusal as the answer (a number that again finds no one is the same unmatched item).
 */
export async function correctUnmatched(caller: Caller, unmatchedId: string, participant: ParticipantRef, today: string): Promise<CreditResult & { unmatchedId: string }> {
  const u = await unmatchedFor(caller, unmatchedId);
  const [result] = await creditCompletions(
    senderOf(caller, u.providerId, 'provider'),
    [{ externalId: u.externalId, activityId: u.activityId, participant, completedOn: u.completedOn }],
    today,
  );
  if (result.creditId && (result.status === 'credited' || result.status === 'duplicate')) await resolveUnmatched(u.unmatchedId, { creditId: result.creditId, points: result.points }, actorOf(caller), new Date());
  return { unmatchedId: u.unmatchedId, ...result };
}

// ---------------------------------------------------------------- completion claims

export function claimView(c: CompletionClaim) {
  return {
    claimId: c.claimId,
    participantId: c.participantId,
    registrationNumber: c.registrationNumber,
    name: c.name,
    activityId: c.activityId,
    activityTitle: c.activityTitle,
    completedOn: c.completedOn,
    requestedAt: c.requestedAt,
    status: c.status,
    ...(c.decidedAt ? { decidedAt: c.decidedAt } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.result ? { result: c.result } : {}),
  };
}
export type ClaimView = ReturnType<typeof claimView>;

/**
 * A participant's claim that they completed an activity on a date. Refused when the activity is
 * not one they could be credited for then (unknown, not recognised that day, another employer's
 * internal one: `activity-not-recognized`), the date is ahead (400 on `completedOn`), they were not
 * registered that day, or the same claim is pending (`claim-pending`, guarded by a condition).
 */
export async function fileClaim(participantId: string, body: { activityId: string; completedOn: string }, today: string) {
  if (body.completedOn > today) throw new BadRequest('The date is in the future.', [{ path: 'completedOn', message: 'The completion date may not be after today.' }]);
  const [activity, participant] = await Promise.all([/^act_[0-9A-Z]{26}$/.test(body.activityId) ? getActivity(body.activityId) : undefined, getParticipant(participantId, true)]);
  if (!participant) throw new NotFound('No participant with this id.');
  const reachable = activity && (!activity.internal || (activity.ownerRole === 'employer' && (await isLinked(activity.ownerId, participantId))));
  if (!activity || !reachable || !isRecognizedOn(activity, body.completedOn)) {
    throw new Conflict('There is no recognised activity with this id on that date.', { reason: 'activity-not-recognized' });
  }
  if (!participant.periods.some((p) => covers(p, body.completedOn))) throw new Conflict('You were not registered on that date.', { reason: 'not-registered-on-date' });
  const claim = await createCompletionClaim({
    participantId,
    registrationNumber: participant.registrationNumber,
    name: displayName(participant),
    activityId: activity.activityId,
    activityTitle: activity.title,
    ownerId: activity.ownerId,
    ownerRole: activity.ownerRole,
    completedOn: body.completedOn,
  });
  if (!claim) throw new Conflict('You already reported this activity on this date; it is waiting for the provider.', { reason: 'claim-pending' });
  return { claimId: claim.claimId, status: claim.status, activityId: claim.activityId, completedOn: claim.completedOn };
}

/** Its decider's (the activity's owner) or the admin's; anyone else's is a 404. */
export async function claimFor(caller: Caller, claimId: string): Promise<CompletionClaim> {
  const c = /^ccl_[0-9A-Z]{26}$/.test(claimId) ? await getCompletionClaim(claimId, true) : undefined;
  return ownedBy(caller, c, ownerFields, 'No completion claim with this id.');
}

/**
 * Decides a pending claim, once (a second, also a concurrent one, is 409 `already-decided`).
 * Approved: credited through the webhook's crediting under the owner's id with externalId
 * `claim:<claimId>`, and the answer is that outcome (a period with the activity credited already:
 * `already-credited-in-period`, no second credit). The decision is written first, so a rejection
 * racing an approval can never leave a credit behind; a crash between the decision and the credit
 * is finished by the next decision call on that claim (crediting is idempotent per externalId),
 * which still answers 409.
 */
export async function decideClaim(caller: Caller, claimId: string, body: { decision: 'approved' | 'rejected'; reason?: string }, today: string) {
  const claim = await claimFor(caller, claimId);
  const actor = actorOf(caller);
  const decided = claim.status === 'pending' && (await decideCompletionClaim(claim, { status: body.decision, reason: body.reason, actor }, new Date()));
  if (!decided) {
    const now = (await getCompletionClaim(claimId, true))!;
    if (now.status === 'approved' && !now.result) await creditClaim(caller, now, today);
    throw new Conflict(`This claim was already ${now.status}.`, { reason: 'already-decided', currentStatus: now.status });
  }
  const result = body.decision === 'approved' ? await creditClaim(caller, claim, today) : undefined;
  return { claimId, status: body.decision, ...(body.reason ? { reason: body.reason } : {}), ...(result ? { result } : {}) };
}

async function creditClaim(caller: Caller, claim: CompletionClaim, today: string): Promise<CreditResult> {
  const [result] = await creditCompletions(
    senderOf(caller, claim.ownerId, claim.ownerRole),
    [{ externalId: `claim:${claim.claimId}`, activityId: claim.activityId, participant: { registrationNumber: claim.registrationNumber }, completedOn: claim.completedOn }],
    today,
    claim.ownerRole === 'employer' ? { employeesOf: claim.ownerId } : {},
  );
  await recordClaimResult(claim.claimId, result);
  return result;
}

export async function listClaims(ownerId: string, status: CompletionClaimStatus | undefined, page: PageRequest) {
  const res = await listClaimsOfOwner(ownerId, status ?? 'pending', { limit: page.limit, cursor: page.start });
  return { items: res.items.map(claimView), nextCursor: page.next(res.lastKey) };
}

/** A list under an organisation's path: that organisation itself, or the admin; another one's is a 404. */
export function mustBeOwnerOrAdmin(caller: Caller | undefined, role: 'provider' | 'employer', ownerId: string): void {
  actFor(caller, { role, id: ownerId }, `No ${role} with this id.`);
}

/** A participant's own claims route: the participant itself, or the admin. */
export function mustBeSelfOrAdmin(caller: Caller | undefined, participantId: string): void {
  actFor(caller, { role: 'participant', id: participantId }, 'No participant with this id.');
}
