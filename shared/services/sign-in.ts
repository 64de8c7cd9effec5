import * as z from 'zod/mini';
import { displayName, emailIndexPk, participantPk, participantsByEmail, profileStillAtAddress } from '../data/participants';
import { cancellationCodes, transact, type TxItem } from '../data/client';
import { auditPut } from '../data/audit';
import { createSignInLink, getSignInLink, newSignInRequestId, signInMailAttributes, signInMailKey, spendSignInLinkItem, SIGN_IN_LINK_VALID_MINUTES } from '../data/sign-in-links';
import { endWebSessionItem, newWebSession, type SessionSubject, type WebSession } from '../data/web-sessions';
import { signInEmail } from '../email/templates/sign-in';
import { emailLinks } from '../email/links';
import { sendEmail } from '../email/send';
import { LanguageSchema, SignInEmailSchema } from '../schemas/participants';
import type { Role } from '../routes';
import { logger } from '../log';
import { config } from '../config';
import { ensureAdminUser, userSignInItems, usersByEmail, type UserRole } from '../data/users';
import { afterAnswer } from './after-answer';
import { sendOnce, type Flow, type Outcome } from '../jobs/drain';

/*
 * Sign-in by a one-time link by e-mail (WEB.md "Sign-in and sessions"). Asking for a link answers
 * the same for every address, in content and in time: who the address belongs to is looked up,
 * and the e-mail sent, after the answer (shared/services/after-answer.ts). An unknown address gets
 * nothing. An address that several dossiers share gets ONE e-mail with a link per dossier, each
 * naming the dossier it signs in to, so the holder picks; each link is its own one-time token.
 */

/** Someone an address belongs to, as a sign-in source finds them. */
export interface SignInSubject extends SessionSubject {
  /** The address as it is on file (the e-mail goes there). */
  address: string;
  /** What the e-mail names the account by (a dossier: the name and registration number). */
  label: string;
}

/**
 * Where sign-in subjects come from: participants, and organisations' users (employer, provider,
 * admin).
 */
export interface SignInSource {
  roles: Role[];
  /** Everyone in this source with this address on file (case-insensitive), at most `max`. */
  find(address: string, max: number): Promise<SignInSubject[]>;
  /**
   * Items for the sign-in's transaction: fail it when the subject no longer holds the address the
   * link was mailed to (`emailKey`), and record the sign-in in the subject's audit trail.
   */
  signInItems(subject: SessionSubject, emailKey: string, now: Date, session: WebSession): TxItem[];
}

const participants: SignInSource = {
  roles: ['participant'],
  async find(address, max) {
    // An erasing profile keeps its address (and index key) until the profile holder runs last:
    // from the erasure mark on it is nobody's to sign in to.
    return (await participantsByEmail(address, max)).filter((p) => !p.erasure).map((p) => ({
      role: 'participant' as const,
      ownerId: p.participantId,
      address: p.email!,
      label: `${displayName(p)} (${p.registrationNumber})`,
    }));
  },
  signInItems(subject, emailKey, now) {
    return [
      profileStillAtAddress(subject.ownerId, emailKey),
      auditPut(participantPk(subject.ownerId), { actor: { role: 'participant', id: subject.ownerId }, action: 'session.created', detail: { via: 'sign-in-link', credential: 'web-session' } }, now),
    ];
  },
};

/**
 * Organisations' users and the register's staff (shared/data/users.ts): found in the same e-mail
 * index partition as the participants (sk `USER#…`); a removed user is out of the index, and the
 * sign-in's ConditionCheck refuses one removed after the link was mailed.
 */
const users: SignInSource = {
  roles: ['employer', 'provider', 'admin'],
  async find(address, max) {
    if (config.adminEmail && address.trim().toLowerCase() === config.adminEmail.trim().toLowerCase()) await ensureAdminUser(config.adminEmail);
    return (await usersByEmail(address, max)).map((u) => ({
      role: u.role,
      ownerId: u.ownerId,
      userId: u.userId,
      userName: u.name,
      address: u.email,
      label: `${u.name} (${u.organisationName})`,
    }));
  },
  signInItems(subject, emailKey, now, session) {
    if (!subject.userId) throw new Error('A user sign-in needs a userId');
    return userSignInItems({ role: subject.role as UserRole, ownerId: subject.ownerId, userId: subject.userId }, emailKey, session.idHash, now);
  },
};

const SOURCES: SignInSource[] = [participants, users];

/** At most this many accounts per address in one e-mail (and per lookup). */
export const MAX_SUBJECTS_PER_ADDRESS = 10;

/** Everyone this address belongs to, over every source: the one "who has this address" step. */
export async function subjectsOf(address: string): Promise<SignInSubject[]> {
  const found = await Promise.all(SOURCES.map((s) => s.find(address, MAX_SUBJECTS_PER_ADDRESS)));
  return found.flat().slice(0, MAX_SUBJECTS_PER_ADDRESS);
}

/**
 * A `next` that may follow a sign-in: a path of this site only (starts with one `/`, not `//` or
 * `/\`, which browsers read as another host; no whitespace or control characters, which browsers
 * strip and which could then form `//`). Anything else: undefined (the person's home).
 */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  return /^\/(?![/\\])[^\s\p{Cc}]*$/u.test(value) ? value : undefined;
}

const SignInMessageSchema = z.strictObject({
  kind: z.literal('sign-in'),
  // Optional: a message queued before the outbox (the queue keeps them a day) has none.
  requestId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/))),
  email: SignInEmailSchema,
  language: LanguageSchema,
  next: z.optional(z.string()),
});

/** One sign-in request as queued: the outbox item is keyed by its random id. */
export interface SignInRequest {
  requestId: string;
  email: string;
  language: 'nl' | 'en';
  next?: string;
}

/** Queues the sign-in request: the lookup and the e-mail happen after the answer. */
export async function enqueueSignIn(input: { email: string; language: 'nl' | 'en'; next?: string }): Promise<void> {
  const next = safeNext(input.next);
  const message = JSON.stringify({ kind: 'sign-in', requestId: newSignInRequestId(), email: input.email, language: input.language, ...(next ? { next } : {}) });
  await afterAnswer(message, signInRequestMessage, 'sign-in request');
}

/** Is this queued message a sign-in request (the requests queue carries activation requests too)? */
export function isSignInMessage(body: string): boolean {
  try {
    return (JSON.parse(body) as { kind?: unknown })?.kind === 'sign-in';
  } catch {
    return false;
  }
}

/**
 * The worker's unit of work: one queued sign-in request, through the outbox (`signInMailFlow`).
 * A malformed message throws; so does a send that failed (its item released, still due), so that
 * the queue redelivers it. A redelivery of a request already mailed (or found to be nobody's) is
 * `skipped`: no second e-mail.
 */
export async function signInRequestMessage(body: string): Promise<Outcome> {
  const parsed = SignInMessageSchema.safeParse(JSON.parse(body));
  if (!parsed.success) throw Object.assign(new Error('Malformed sign-in request message'), { name: 'MalformedMessage' });
  const { requestId, email, language, next } = parsed.data;
  const outcome = await signInMailFlow.send({ requestId: requestId ?? newSignInRequestId(), email, language, ...(next ? { next } : {}) });
  if (outcome === 'failed') throw Object.assign(new Error('Sign-in e-mail not sent; it stays due'), { name: 'SignInMailNotSent' });
  return outcome;
}

/**
 * How long one delivery holds a request's e-mail: longer than the worker may run (1 minute), so no
 * second delivery sends while the first still may; shorter than the queue's visibility timeout
 * (6 minutes), so the redelivery after a crash finds the lease run out and sends.
 */
export const SIGN_IN_MAIL_LEASE_MS = 2 * 60_000;

/**
 * The sign-in e-mail of one request as an outbox flow (shared/jobs/drain.ts): one e-mail to the
 * address with a one-time link per account it belongs to, or nothing when it belongs to nobody
 * (recorded `no-email`, so a redelivery looks nothing up). In the language of the page it was
 * asked on. The links are made inside the claimed send — their raw tokens exist only in the
 * e-mail — so a retry after a failed send mails fresh links (the unused ones expire in 15
 * minutes), and a redelivery after the send finds the item `sent` and sends nothing. The one
 * duplicate left: SES accepted the e-mail and the process died before recording it; after the
 * lease, the redelivery mails once more.
 */
export const signInMailFlow: Flow<SignInRequest> = {
  name: 'sign-in e-mail',
  send: (request) =>
    sendOnce(
      signInMailKey(request.requestId),
      { leaseMs: SIGN_IN_MAIL_LEASE_MS, set: signInMailAttributes(new Date()) },
      async () => {
        const subjects = await subjectsOf(request.email);
        if (!subjects.length) {
          logger.info('sign-in link asked for an address nobody has');
          return { outcome: 'noAddress', status: 'no-email', set: { doneAt: new Date().toISOString() } };
        }
        const emailKey = emailIndexPk(request.email);
        const next = safeNext(request.next);
        const links = await Promise.all(
          subjects.map(async (s) => {
            const token = await createSignInLink({ subject: { role: s.role, ownerId: s.ownerId, ...(s.userId ? { userId: s.userId, userName: s.userName } : {}) }, emailKey, next });
            return { label: s.label, url: emailLinks.signInLink(token) };
          }),
        );
        const messageId = await sendEmail(signInEmail({ to: subjects[0].address, language: request.language, links, validMinutes: SIGN_IN_LINK_VALID_MINUTES }));
        logger.info('sign-in link sent', { accounts: subjects.length });
        return { set: { doneAt: new Date().toISOString(), ...(messageId ? { messageId } : {}) } };
      },
      { flow: 'sign-in e-mail', ids: { requestId: request.requestId } },
    ),
};

/**
 * Spends a sign-in link and starts a web session for its subject, in one transaction that also
 * checks the address still belongs to the subject and ends the session the browser still held
 * (`endSession`, no session fixation). Undefined when the link is unknown, used, expired, or its
 * address no longer the subject's.
 */
export async function signInWithLink(token: string, endSession?: string): Promise<{ id: string; session: WebSession; next?: string } | undefined> {
  const now = new Date();
  const link = await getSignInLink(token, now);
  if (!link) return undefined;
  const source = SOURCES.find((s) => s.roles.includes(link.role));
  if (!source) return undefined;
  const subject: SessionSubject = { role: link.role, ownerId: link.ownerId, ...(link.userId ? { userId: link.userId, userName: link.userName } : {}) };
  const web = newWebSession(subject, now);
  try {
    await transact([
      spendSignInLinkItem(token, now),
      web.put,
      ...source.signInItems(subject, link.emailKey, now, web.session),
      ...(endSession ? [endWebSessionItem(endSession, now)] : []),
    ]);
  } catch (err) {
    if (cancellationCodes(err)) return undefined;
    throw err;
  }
  return { id: web.id, session: web.session, next: safeNext(link.next) };
}
