import type { ApiKeyRecord } from '../data/api-keys';
import type { Actor } from '../data/audit';
import {
  decideClaimItems,
  getActivationClaim,
  listClaimsByStatus,
  type ActivationClaim,
  type ClaimStatus,
} from '../data/activation-claims';
import { getParticipant, profileEmailItem } from '../data/participants';
import { AGAIN, cancellationCodes, optimistic, transact } from '../data/client';
import type { PageRequest } from '../data/paging';
import { Conflict, NotFound } from '../domain/errors';
import { actorOf } from './access';
import type { ActivationClaimDecisionRequest } from '../schemas/participants';
import { logger } from '../log';
import { sendActivation } from './activation';

/**
 * The staff's side of activation claims (SPEC: Accounts): activations asked for diplomas without
 * an address on file, which wait until someone has checked the claimant's identity out of band.
 */

/** One status's queue (default `pending`), oldest first; the cursor is signed for this route, caller and status. */
export async function listActivationClaims(status: ClaimStatus | undefined, page: PageRequest) {
  const result = await listClaimsByStatus(status ?? 'pending', { limit: page.limit, cursor: page.start });
  return { items: result.items, nextCursor: page.next(result.lastKey) };
}

const ATTEMPTS = 3;

/**
 * Decides a pending claim, once: a second decision (also a concurrent one) is a 409. On approval,
 * in the same transaction, the claimed address becomes the one on file if the profile still has
 * none — the staff verified who asked, which an activation alone never proves — and then the
 * activation e-mail goes to the claimed address. A rejection sends nothing.
 */
export async function decideActivationClaim(caller: ApiKeyRecord, claimId: string, body: ActivationClaimDecisionRequest) {
  const actor: Actor = actorOf(caller);
  return optimistic(async () => {
    const claim = await getActivationClaim(claimId, true);
    if (!claim) throw new NotFound('No activation claim with this id.');
    if (claim.status !== 'pending') {
      throw new Conflict(`This activation claim was already ${claim.status}.`, { reason: 'already-decided', currentStatus: claim.status });
    }
    const approve = body.decision === 'approved';
    const participant = approve ? await getParticipant(claim.participantId) : undefined;
    if (approve && !participant) throw new Conflict('The holder of this claim is no longer in the register.', { reason: 'participant-missing' });
    const setsEmail = approve && !participant!.email;
    const now = new Date();
    const items = decideClaimItems(
      claim,
      { status: body.decision, reason: body.reason, actor, detail: approve ? { emailOnFile: setsEmail ? 'set-to-claimed' : 'kept' } : undefined },
      now,
    );
    if (setsEmail) items.push(profileEmailItem(claim.participantId, claim.email));
    try {
      await transact(items);
    } catch (err) {
      // Decided by someone else meanwhile (the next read answers 409), or an address arrived on
      // the profile since it was read (decide again, keeping it): either way, read again.
      if (!cancellationCodes(err)) throw err;
      return AGAIN;
    }
    const decided: ActivationClaim = {
      ...claim,
      status: body.decision,
      decidedAt: now.toISOString(),
      decidedBy: actor,
      ...(body.reason ? { reason: body.reason } : {}),
    };
    let notified = false;
    if (approve) {
      try {
        await sendActivation(participant!, claim.email, claim.language);
        notified = true;
      } catch (err) {
        // The decision stands. The claimant asks again: the address on file (now the claimed
        // one, if there was none) gets the link without another claim.
        logger.error('activation e-mail after an approved claim not sent', { claimId, error: (err as Error)?.name });
      }
    }
    return { ...decided, notified };
  }, { attempts: ATTEMPTS, exhausted: () => new Conflict('The activation claim changed while it was decided; try again.') });
}
