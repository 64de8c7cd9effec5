/*
 * The flows that start a period (a session's first registration or re-activation, a renewal):
 * apart from the participant reads, because a participant's own period issues an invoice, and the
 * PDF/UBL renderer is the heaviest part of any bundle — the dossier and the public register must
 * not carry it.
 */
import { AGAIN, cancellationCodes, optimistic, transact, type TxItem } from '../data/client';
import { apiKeyItem, apiKeyPut, generateApiKey, MAX_LIVE_PARTICIPANT_KEYS, revokeKeysBeyond, type ApiKeyRecord } from '../data/api-keys';
import { auditPut, type Actor } from '../data/audit';
import { notErasingItem, getParticipant, listRegistrations, participantPk, renewedPeriodItem, startPeriodItems, type Participant, type Payer, type Registration } from '../data/participants';
import { endWebSessionItem, newWebSession } from '../data/web-sessions';
import { getToken, spendTokenItem } from '../data/tokens';
import {
  POINTS_REQUIRED,
  covers,
  isRegisteredOn,
  pointsMissing,
  renewalOf,
  renewalRefusal,
  type Period,
  type RenewalRefusal,
} from '../domain/periods';
import { Conflict, Forbidden, Unauthorized } from '../domain/errors';
import { actorOf, mayActFor } from './access';
import { loadTariffs, tariffOn, type Tariff, type TariffSchedule } from '../data/tariffs';
import { invoiceAfterPeriodStart } from './invoicing/individual';
import { isLinked } from './participants';
import { logger } from '../log';

// ---------------------------------------------------------------- activation and sessions

/** What a spent activation token gives its holder: written in the token's own transaction. */
interface Credential<R> {
  items: TxItem[];
  /** For the `session.created` event: which kind of credential. */
  kind: 'api-key' | 'web-session';
  /** What the caller returns besides the participant and the period. */
  result: R;
  /** Once the transaction landed; must not throw (the token is spent by then). */
  after?: () => Promise<unknown>;
}

const USED_OR_EXPIRED = 'This activation link was already used or has expired. Ask for a new one.';

/**
 * The one activation: spends a one-time token and gives a credential (`issue`: an API key, or a
 * web session). Where no period covers today, one starts today (a first individual registration,
 * or a re-activation after a lapse), billed to the participant. The token, the credential, the
 * period and the audit events land in one transaction. The address on file is never changed here.
 */
async function activate<R>(token: string, today: string, issue: (participantId: string, now: Date) => Credential<R>) {
  const tokenItem = await getToken(token);
  const now = new Date();
  if (!tokenItem || tokenItem.usedAt || String(tokenItem.validUntil) <= now.toISOString()) throw new Unauthorized(USED_OR_EXPIRED);
  const participantId = tokenItem.participantId as string;
  const actor: Actor = { role: 'participant', id: participantId };

  // The fee of a period is priced in its own transaction: read the tariffs before building it.
  const tariffs = await loadTariffs();
  return optimistic(async (attempt) => {
    // Consistent after a cancellation: the profile changed (a period start, a new employer link).
    const participant = await getParticipant(participantId, attempt > 1);
    // An erased participant (or one being erased) gets no session: its tokens are spent by the erasure too.
    if (!participant || participant.erasure) throw new Unauthorized('This activation link is no longer valid.');
    const credential = issue(participantId, now);
    const startsPeriod = !isRegisteredOn(participant.periods, today) && (!participant.latestEndsOn || participant.latestEndsOn <= today);
    const period = startsPeriod
      ? startPeriodItems({
          participantId,
          startsOn: today,
          kind: participant.periods.length ? 're-activation' : 'new',
          payer: { type: 'participant', id: participantId } satisfies Payer,
          actor,
          tariffs,
          profile: participant,
          now,
        })
      : undefined;
    try {
      await transact([
        spendTokenItem(token, now),
        ...credential.items,
        ...(period?.items ?? [notErasingItem(participantId)]),
        auditPut(participantPk(participantId), { actor, action: 'session.created', detail: { via: 'activation-token', credential: credential.kind } }, now),
      ]);
    } catch (err) {
      const codes = cancellationCodes(err);
      if (!codes) throw err;
      if (codes[0] !== 'None') throw new Unauthorized(USED_OR_EXPIRED);
      return AGAIN; // the profile changed under us (a concurrent start): decide again
    }
    await credential.after?.();
    // The participant's own period: its invoice is issued and e-mailed now (once; see invoicing).
    await invoiceAfterPeriodStart(period?.fee);
    const r = period?.registration;
    return { participantId, ...credential.result, registration: r ? { registrationId: r.registrationId, startsOn: r.startsOn, endsOn: r.endsOn } : null };
  }, { attempts: 3, exhausted: () => new Conflict('The registration changed while the session was created; try again.') });
}

/**
 * POST /v1/sessions: exchanges a one-time token for a participant API key (valid 90 days); then
 * the participant's keys beyond the newest 5 are revoked.
 */
export async function createSession(token: string, today: string) {
  return activate(token, today, (participantId, now) => {
    const apiKey = generateApiKey('participant');
    const keyItem = apiKeyItem(apiKey, 'participant', participantId, now);
    return {
      kind: 'api-key',
      items: [apiKeyPut(keyItem)],
      result: { apiKey },
      // A session never touches the address on file (SPEC: Accounts): the token only proves that its
      // holder reads the mailbox it was sent to. It does bound the keys a participant keeps alive;
      // the token is spent by now, so a failure there must not cost the caller the key (the next
      // session revokes what this one left).
      after: () =>
        revokeKeysBeyond(participantId, MAX_LIVE_PARTICIPANT_KEYS, { keyId: keyItem.keyId, pk: keyItem.pk }, now).catch((err: unknown) =>
          logger.warn('older participant keys not revoked', { participantId, error: (err as Error)?.name }),
        ),
    };
  });
}

/**
 * `/activeren?token=…` (WEB.md: the activation link signs the participant in): the same
 * activation, with a web session for the browser instead of an API key. `endSession`: the
 * session the browser still held, ended in the same transaction (no session fixation).
 */
export async function activateWebSession(token: string, today: string, endSession?: string) {
  return activate(token, today, (participantId, now) => {
    const web = newWebSession({ role: 'participant', ownerId: participantId }, now);
    return {
      kind: 'web-session',
      items: [web.put, ...(endSession ? [endWebSessionItem(endSession, now)] : [])],
      result: { sessionId: web.id, session: web.session },
    };
  });
}

// ---------------------------------------------------------------- renewal

/**
 * Who pays a renewal: the employer that paid the current period while the employee is still
 * linked to it, otherwise the participant. An employer may renew only a period it paid (its
 * collective registration or its renewal started it; API.md: "registering employer"): any
 * employer linked to a participant could otherwise renew them and bill itself. That it is still
 * linked, `participantFor` has checked (another employer gets 404).
 */
async function renewalPayer(caller: ApiKeyRecord, participantId: string, current: Registration): Promise<Payer> {
  if (caller.role === 'employer') {
    if (current.payer.type === 'none' || !mayActFor(caller, { role: current.payer.type, id: current.payer.id }, { admin: false })) {
      throw new Forbidden('Only the employer that registered (or last renewed) this period may renew it.');
    }
    return current.payer;
  }
  if (current.payer.type === 'employer' && (await isLinked(current.payer.id, participantId))) return current.payer;
  return { type: 'participant', id: participantId };
}

/**
 * Renews the current period: the new one starts on its `endsOn`. The transaction re-checks,
 * in DynamoDB, that the period still holds ≥ 12 points and is still the latest — so two
 * simultaneous renewals create one period, and a revocation racing the renewal cannot slip by.
 */
export type RenewalQuote =
  | { current: undefined; refusal: { reason: 'no-active-period' } }
  | {
      /** The period renewed: the one covering today. */
      current: Registration;
      /** The period the renewal would start, on the current one's `endsOn`. */
      next: Period;
      payer: Payer;
      /** Why it cannot be renewed today, or null. */
      refusal: RenewalRefusal | null;
      tariffs: TariffSchedule;
      /** The tariff the new period's fee would take (valid on its start), if one is set. */
      tariff: Tariff | undefined;
    };

/**
 * What renewing would do today — the period renewed, the next one, who pays it and at which
 * tariff — or why it cannot: what the renewal itself decides, for a confirmation page to show
 * before anything is written. An employer that did not start the current period gets the 403.
 */
export async function renewalQuote(participant: Participant, caller: ApiKeyRecord, today: string): Promise<RenewalQuote> {
  const registrations = await listRegistrations(participant.participantId);
  const current = registrations.find((r) => covers(r, today));
  if (!current) return { current: undefined, refusal: { reason: 'no-active-period' } };
  const [payer, tariffs] = await Promise.all([renewalPayer(caller, participant.participantId, current), loadTariffs()]);
  const next = renewalOf(current);
  return { current, next, payer, refusal: renewalRefusal(current, current.points, registrations, today), tariffs, tariff: tariffOn(tariffs, next.startsOn) };
}

export async function renew(participant: Participant, caller: ApiKeyRecord, today: string) {
  const actor: Actor = actorOf(caller);
  const quote = await renewalQuote(participant, caller, today);
  if (!quote.current) throw new Conflict('There is no active registration period to renew.', { reason: 'no-active-period' });
  const { current, next, payer, refusal, tariffs } = quote;
  if (refusal?.reason === 'points-missing') {
    throw new Conflict(`Renewal needs ${POINTS_REQUIRED} points; ${refusal.pointsMissing} missing.`, { reason: 'points-missing', pointsMissing: refusal.pointsMissing });
  }
  if (refusal) throw new Conflict('This registration period has already been renewed.', { reason: refusal.reason });

  const now = new Date();
  let profile = participant;
  const alreadyRenewed = () => new Conflict('This registration period has already been renewed.', { reason: 'already-renewed' });
  const period = await optimistic(
    async () => {
      const built = startPeriodItems({ participantId: participant.participantId, startsOn: next.startsOn, kind: 'renewal', payer, actor, tariffs, expectLatestEndsOn: current.endsOn, profile, now });
      try {
        await transact([renewedPeriodItem(participant.participantId, current.startsOn, POINTS_REQUIRED), ...built.items]);
        return built;
      } catch (err) {
        const codes = cancellationCodes(err);
        if (!codes) throw err;
        if (codes[0] !== 'None') {
          const fresh = (await listRegistrations(participant.participantId)).find((r) => r.registrationId === current.registrationId);
          throw new Conflict('The period no longer holds enough points to renew.', { reason: 'points-missing', pointsMissing: pointsMissing(fresh?.points ?? 0) });
        }
        // The profile's condition also fails when an employer was linked since it was read (the
        // report projection, shared/data/employee-state.ts): then the renewal is built again with
        // the new links; with the same links, the period was renewed meanwhile.
        const fresh = await getParticipant(participant.participantId, true);
        if (fresh && fresh.latestEndsOn === current.endsOn && (fresh.linksVersion ?? 0) !== (profile.linksVersion ?? 0)) {
          profile = fresh;
          return AGAIN;
        }
        throw alreadyRenewed();
      }
    },
    { attempts: 4, exhausted: alreadyRenewed },
  );
  await invoiceAfterPeriodStart(period.fee);
  const r = period.registration;
  return { registrationId: r.registrationId, startsOn: r.startsOn, endsOn: r.endsOn };
}

