import * as z from 'zod/mini';
import { displayName, emailIndexPk, participantPk, participantsByEmail, cancellationCodes, transact, type TxItem } from '../data/participants';
import { auditPut } from '../data/audit';
import { createSignInLink, getSignInLink, spendSignInLinkItem, SIGN_IN_LINK_VALID_MINUTES } from '../data/sign-in-links';
import { endWebSessionItem, newWebSession, type SessionSubject, type WebSession } from '../data/web-sessions';
import { tableName } from '../data/client';
import { signInEmail } from '../email/templates/sign-in';
import { emailLinks } from '../email/links';
import { sendEmail } from '../email/send';
import { LanguageSchema, SignInEmailSchema } from '../schemas/participants';
import type { Role } from '../routes';
import { logger } from '../log';
import { config } from '../config';
import { ensureAdminUser, userSignInItems, usersByEmail, type UserRole } from '../data/users';
import { afterAnswer } from './after-answer';

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
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: { pk: participantPk(subject.ownerId), sk: 'PROFILE' },
          ConditionExpression: 'gsi2pk = :key AND attribute_not_exists(erasure)',
          ExpressionAttributeValues: { ':key': emailKey },
        },
      },
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
  email: SignInEmailSchema,
  language: LanguageSchema,
  next: z.optional(z.string()),
});

/** Queues the sign-in request: the lookup and the e-mail happen after the answer. */
export async function enqueueSignIn(input: { email: string; language: 'nl' | 'en'; next?: string }): Promise<void> {
  const next = safeNext(input.next);
  const message = JSON.stringify({ kind: 'sign-in', email: input.email, language: input.language, ...(next ? { next } : {}) });
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

/** The worker's unit of work: one queued sign-in request. A malformed message throws. */
export async function signInRequestMessage(body: string): Promise<'unknown' | 'mailed'> {
  const parsed = SignInMessageSchema.safeParse(JSON.parse(body));
  if (!parsed.success) throw Object.assign(new Error('Malformed sign-in request message'), { name: 'MalformedMessage' });
  return mailSignInLinks(parsed.data);
}

/**
 * After the answer: one e-mail to the address with a one-time link per account it belongs to, or
 * nothing when it belongs to nobody. In the language of the page it was asked on.
 */
export async function mailSignInLinks(input: { email: string; language: 'nl' | 'en'; next?: string }): Promise<'unknown' | 'mailed'> {
  const subjects = await subjectsOf(input.email);
  if (!subjects.length) {
    logger.info('sign-in link asked for an address nobody has');
    return 'unknown';
  }
  const emailKey = emailIndexPk(input.email);
  const next = safeNext(input.next);
  const links = await Promise.all(
    subjects.map(async (s) => {
      const token = await createSignInLink({ subject: { role: s.role, ownerId: s.ownerId, ...(s.userId ? { userId: s.userId, userName: s.userName } : {}) }, emailKey, next });
      return { label: s.label, url: emailLinks.signInLink(token) };
    }),
  );
  // Not an outbox item (shared/data/outbox.ts): a durable entry would have to keep the links' raw
  // tokens for a resend, where the table keeps only their hashes. One retry layer, the SES
  // client's; a send that still fails throws, and the requests queue redelivers the message,
  // which mails fresh links (the unused ones expire in 15 minutes).
  await sendEmail(signInEmail({ to: subjects[0].address, language: input.language, links, validMinutes: SIGN_IN_LINK_VALID_MINUTES }));
  logger.info('sign-in link sent', { accounts: subjects.length });
  return 'mailed';
}

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
