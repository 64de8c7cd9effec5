import { CLAIM_GSI1_PREFIX, fromClaimItem } from '../data/completion-claims';
import { AGAIN, optimistic } from '../data/client';
import { queryAll } from '../data/batch';
import type { ApiKeyRecord } from '../data/api-keys';
import {
  displayName,
  getParticipant,
  getParticipantWithRegistrations,
  listRegistrations,
  participantIdByRegistrationNumber,
  participantPk,
  searchByName,
  titleFor,
  updateProfile,
  type Participant,
  type ProfileChanges,
  type Registration,
} from '../data/participants';
import type { Actor } from '../data/audit';
import {
  POINTS_REQUIRED,
  chainEndsOn,
  covers,
  currentPeriod,
  isRegisteredOn,
  lastValidDay,
  pointsMissing,
  renewalRefusal,
  statusOf,
} from '../domain/periods';
import { Conflict, NotFound } from '../domain/errors';
import { headerFromItem } from '../data/invoices';
import { invoiceSummary, seesOwnInvoices } from './invoice-views';
import { mayActFor } from './access';
import { getLink } from '../data/employers';
import { CREDIT, INVOICE } from '../data/keys';

/** May this caller see this participant? Self, an employer it is linked to, or the admin. */
export async function canSeeParticipant(caller: ApiKeyRecord | undefined, participantId: string): Promise<boolean> {
  if (!caller) return false;
  if (caller.role !== 'employer') return mayActFor(caller, { role: 'participant', id: participantId });
  if (caller.role === 'employer') return isLinked(caller.ownerId, participantId);
  return false;
}

export async function isLinked(employerId: string, participantId: string): Promise<boolean> {
  const link = await getLink(employerId, participantId);
  return Boolean(link && !link.unlinkedAt);
}

/** The participant, or a 404 for anyone who may not see it (the same answer as a missing one). */
export async function participantFor(caller: ApiKeyRecord | undefined, participantId: string): Promise<Participant> {
  const [visible, participant] = await Promise.all([canSeeParticipant(caller, participantId), getParticipant(participantId)]);
  if (!visible || !participant) throw new NotFound('No participant with this id.');
  return participant;
}

// ---------------------------------------------------------------- the dossier

export function periodView(r: Registration, all: Registration[], today: string) {
  const status = statusOf(r, all, today);
  return {
    registrationId: r.registrationId,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    validUntil: lastValidDay(r.endsOn),
    kind: r.kind,
    status,
    pointsEarned: r.points,
    pointsRequired: POINTS_REQUIRED,
    pointsMissing: pointsMissing(r.points),
    renewable: renewalRefusal(r, r.points, all, today) === null,
  };
}

/**
 * A credit as the dossier and the history show it. `rated`: with the participant's own rating of
 * the activity (issue 16 part 3) — only for the participant itself and the admin (as `contact` in
 * dossierView): an employer that knows who took part would otherwise read each employee's rating.
 */
function creditView(c: Record<string, unknown>, rated: boolean) {
  return {
    creditId: c.creditId as string,
    activityId: c.activityId as string,
    activityTitle: c.activityTitle as string,
    points: Number(c.points),
    completedOn: c.completedOn as string,
    status: (c.revokedAt ? 'revoked' : 'credited') as 'credited' | 'revoked',
    ...(c.revokedAt ? { revokedAt: c.revokedAt as string, revocationReason: c.revocationReason as string } : {}),
    // The rating the participant gave, on the credit item the dossier reads anyway.
    ...(rated && c.evaluation ? { evaluation: { rating: Number((c.evaluation as { rating: number }).rating), at: (c.evaluation as { at: string }).at } } : {}),
  };
}
export type CreditView = ReturnType<typeof creditView>;

/** The participant's credits; `rated` as in creditView (leave it false for anyone but the participant itself and the admin). */
export async function listCredits(participantId: string, rated = false) {
  const items = await queryAll({ index: 'gsi1', pk: participantPk(participantId), skPrefix: CREDIT() });
  return items.map((c) => creditView(c, rated));
}

/** The participant itself or the admin: who sees its e-mail, invoice address and own ratings. */
function seesPrivate(caller: ApiKeyRecord | undefined, participantId: string): boolean {
  return mayActFor(caller, { role: 'participant', id: participantId });
}

/**
 * The dossier. Its e-mail and invoice address only for the participant itself and the admin: a
 * linked employer sees the registration, not how to reach the person (it has its own HR records).
 */
export async function dossier(participant: Participant, today: string, caller: ApiKeyRecord | undefined) {
  const [registrations, credits] = await Promise.all([listRegistrations(participant.participantId), listCredits(participant.participantId, seesPrivate(caller, participant.participantId))]);
  return dossierView(participant, registrations, credits, today, caller);
}

/**
 * The dossier with the participant's own invoices, for the dossier page, in two Queries run
 * together (with the session's GetItem: the page's three calls, issue 14 point 7): the
 * participant's partition from `PROFILE` through its `REG#` items (consistent, so the period a
 * renewal just started shows), and its gsi1 partition from `CREDIT#` through `INVOICE#` — its
 * credits, its employer links (skipped) and the invoices it paid itself (README, pattern 7a).
 * The same rules as the API: who may see the participant, and who its invoices.
 */
export async function participantDossier(caller: ApiKeyRecord | undefined, participantId: string, today: string) {
  const [visible, own, index] = await Promise.all([
    canSeeParticipant(caller, participantId),
    getParticipantWithRegistrations(participantId, true),
    queryAll({ index: 'gsi1', pk: participantPk(participantId), skBetween: [CREDIT(), 'INVOICE$'] }),
  ]);
  if (!visible || !own.participant) throw new NotFound('No participant with this id.');
  const credits = index.filter((i) => String(i.gsi1sk).startsWith(CREDIT())).map((c) => creditView(c, seesPrivate(caller, participantId)));
  const invoices = seesOwnInvoices(caller, participantId)
    ? index
        .filter((i) => String(i.gsi1sk).startsWith(INVOICE()))
        .sort((a, b) => String(b.gsi1sk).localeCompare(String(a.gsi1sk)))
        .map((i) => invoiceSummary(headerFromItem(i)))
    : [];
  // Completion claims (issue 16 part 4) sort inside the same range (`CREDITCLAIM#…`): the participant's own, and the admin's.
  const claims = seesOwnInvoices(caller, participantId) ? index.filter((i) => String(i.gsi1sk).startsWith(CLAIM_GSI1_PREFIX)).map(fromClaimItem) : [];
  return { participant: own.participant, dossier: dossierView(own.participant, own.registrations, credits, today, caller), invoices, claims };
}

function dossierView(participant: Participant, periods: Registration[], credits: CreditView[], today: string, caller: ApiKeyRecord | undefined) {
  const contact = seesPrivate(caller, participant.participantId);
  const registrations = [...periods].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  const current = currentPeriod(registrations, today);
  return {
    participantId: participant.participantId,
    registrationNumber: participant.registrationNumber,
    name: displayName(participant),
    title: isRegisteredOn(registrations, today) ? titleFor(participant.diplomaType) : null,
    ...(contact ? { email: participant.email ?? null, invoiceAddress: participant.invoiceAddress ?? null } : {}),
    language: participant.language,
    diploma: { diplomaNumber: participant.diplomaNumber, type: participant.diplomaType, issuedOn: participant.issuedOn },
    current: current ? periodView(current, registrations, today) : null,
    registrations: registrations.map((r) => periodView(r, registrations, today)),
    credits,
  };
}

// ---------------------------------------------------------------- own settings

/** Attempts before two changes racing each other give up with a 409. */
const UPDATE_ATTEMPTS = 3;

/**
 * Changes the participant's own settings (language, invoice address) with an audit event. A
 * change that lost a race to another is applied again on the profile as it is now, so every
 * event's `before` is what it really replaced. Invoices already issued keep their customer.
 */
export async function updateParticipant(participant: Participant, changes: ProfileChanges, actor: Actor): Promise<Participant> {
  return optimistic(async (attempt) => {
    // The first attempt applies to the profile the caller read; a lost race reads it again.
    const current = attempt === 1 ? participant : await getParticipant(participant.participantId, true);
    // An erasing or erased profile takes no change (the write's condition says so too).
    if (!current || current.erasure) throw new NotFound('No participant with this id.');
    if (!(await updateProfile(current, changes, actor, new Date()))) return AGAIN;
    const now = await getParticipant(participant.participantId, true);
    if (!now) throw new NotFound('No participant with this id.');
    return now;
  }, {
    attempts: UPDATE_ATTEMPTS,
    exhausted: () => new Conflict('The profile was changed at the same time; try again.', { reason: 'concurrent-update' }),
  });
}

// ---------------------------------------------------------------- the public register

/** The public entry: only name, title, status and valid-until; undefined when not registered today. */
export function registerEntry(p: Participant, today: string) {
  // Erased (or being erased): gone from the public register at once, whatever the periods say.
  if (p.erasure) return undefined;
  const periods = [...p.periods].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  const covering = periods.find((x) => covers(x, today));
  if (!covering) return undefined;
  // Valid to the end of the unbroken chain of periods (a renewal extends it): its last day.
  const status = statusOf(covering, periods, today) as 'active' | 'renewed';
  return { registrationNumber: p.registrationNumber, name: displayName(p), title: titleFor(p.diplomaType), status, validUntil: lastValidDay(chainEndsOn(covering, periods)) };
}

export async function lookupRegister(registrationNumber: string, today: string) {
  const id = await participantIdByRegistrationNumber(registrationNumber);
  const participant = id ? await getParticipant(id) : undefined;
  const entry = participant ? registerEntry(participant, today) : undefined;
  if (!entry) throw new NotFound('Not registered.');
  return entry;
}

export async function searchRegister(lastName: string, initials: string | undefined, today: string) {
  const candidates = await searchByName(lastName, initials, 500);
  return candidates
    .map((p) => registerEntry(p, today))
    .filter((e): e is NonNullable<typeof e> => Boolean(e))
    .slice(0, 20);
}
