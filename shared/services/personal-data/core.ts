import { diplomaKey, getParticipant, participantPk, regNoKey } from '../../data/participants';
import { feeKey } from '../../data/fees';
import { enrolmentKey } from '../../data/employers';
import { decideClaimItems, type ActivationClaim } from '../../data/activation-claims';
import {
  exportView,
  getItem,
  getItems,
  keyOf,
  ownerIndex,
  ownPartition,
  participantIndex,
  rewrite,
  setErasureReason,
  tombstoneDiploma,
  transactOrSkip,
} from '../../data/personal-data';
import type { ErasureContext, ErasureCounts, PersonalDataHolder } from './holder';
import { REDACTED, scrub, scrubbedAttributes } from './scrub';

/**
 * The core holders (issue 16 part 6): everything the register itself keeps about a participant,
 * each found through a key that exists for it — the participant's partition, its gsi1 partition
 * (`PARTICIPANT#<id>`), its gsi2 partition (`OWNER#<id>`), or an item the profile names — never
 * a Scan. shared/data/README.md ("People's data") lists them with their keys.
 */

const SYSTEM_ERASURE = { role: 'system', id: 'erasure' } as const;

/** Runs `write` on each item; counts those it changed. */
async function each(items: Record<string, unknown>[], write: (item: Record<string, unknown>) => Promise<boolean>): Promise<number> {
  let n = 0;
  for (const item of items) if (await write(item)) n++;
  return n;
}

const profile: PersonalDataHolder = {
  name: 'profile',
  runsLast: true,
  kept: 'The registration number, diploma type and issue date, the periods (start and end) and the language stay, under a pseudonym, because invoices and fees refer to them.',
  async export(participantId) {
    const item = await getItem({ pk: participantPk(participantId), sk: 'PROFILE' });
    return item ? exportView(item) : null;
  },
  async erase(participantId, ctx) {
    // Removing the name and e-mail index keys takes the profile out of the public register's
    // name search (gsi1 NAME#…) and out of sign-in by e-mail (gsi2 EMAIL#…).
    const done = await rewrite(
      { pk: participantPk(participantId), sk: 'PROFILE' },
      {
        set: { initials: '', lastName: ctx.pseudonym, pseudonymisedAt: ctx.erasedAt },
        remove: ['prefix', 'birthDate', 'email', 'invoiceAddress', 'diplomaNumber', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'],
      },
    );
    // The staff's reason is free text and may name the person (it is asked not to): scrubbed like the audit copy.
    const reason = scrub(ctx.reason, ctx.subject);
    if (reason !== ctx.reason) await setErasureReason(participantId, reason);
    return { pseudonymised: done ? 1 : 0 };
  },
};

const diploma: PersonalDataHolder = {
  name: 'diploma',
  async export(participantId) {
    const p = await getParticipant(participantId, true);
    const item = p?.diplomaNumber ? await getItem(diplomaKey(p.diplomaNumber)) : undefined;
    return item ? exportView(item) : null;
  },
  async erase(participantId, ctx) {
    // The diploma number identifies its holder at the exam body: the item goes, and a tombstone
    // keyed by the number's hash takes its place, so the exam body's next export of the register
    // (imported again, as it may be) skips the row instead of bringing the person back.
    const n = ctx.subject?.diplomaNumber;
    if (!n) return { deleted: 0 };
    const done = await tombstoneDiploma(n, participantId, ctx.erasedAt);
    return { deleted: done.deleted ? 1 : 0, ...(done.tombstoned ? { tombstoned: 1 } : {}) };
  },
};

const registrationNumber: PersonalDataHolder = {
  name: 'registrationNumber',
  kept: 'The registration number stays reserved (never handed out again), because invoices name it; it points to the pseudonymised profile only.',
  async export(participantId) {
    const p = await getParticipant(participantId, true);
    const item = p ? await getItem(regNoKey(p.registrationNumber)) : undefined;
    return item ? exportView(item) : null;
  },
  async erase() {
    return { kept: 1 };
  },
};

const periods: PersonalDataHolder = {
  name: 'periods',
  kept: 'Periods (start, end, points) stay: fees and invoices refer to them. They leave the expiry-notice index, so no notice goes out.',
  async export(participantId) {
    return (await ownPartition(participantId, 'REG#')).map(exportView);
  },
  async erase(participantId) {
    const items = await ownPartition(participantId, 'REG#');
    const n = await each(items, (i) =>
      i.gsi3pk ? rewrite(keyOf(i), { set: { noticesEnded: 'erased' }, remove: ['gsi3pk', 'gsi3sk', 'noticeRunId', 'noticeLeaseUntil'] }) : Promise.resolve(false),
    );
    return { kept: items.length, ...(n ? { ended: n } : {}) };
  },
};

const fees: PersonalDataHolder = {
  name: 'fees',
  kept: 'Fees are financial records (Dutch law keeps them 7 years); they hold ids, dates and amounts, no name.',
  async export(participantId) {
    const regs = await ownPartition(participantId, 'REG#');
    return (await getItems(regs.map((r) => feeKey(String(r.registrationId))))).map(exportView);
  },
  async erase(participantId) {
    const regs = await ownPartition(participantId, 'REG#');
    return { kept: (await getItems(regs.map((r) => feeKey(String(r.registrationId))))).length };
  },
};

/** Items whose free text may carry personal values: scrubbed in place (revocation reasons, errors). */
function scrubbing(name: string, find: (participantId: string) => Promise<Record<string, unknown>[]>, attributes: string[], kept?: string): PersonalDataHolder {
  return {
    name,
    ...(kept ? { kept } : {}),
    async export(participantId) {
      return (await find(participantId)).map(exportView);
    },
    async erase(participantId, ctx) {
      const items = await find(participantId);
      const n = await each(items, (i) => {
        const changed = scrubbedAttributes(i, attributes, ctx.subject);
        return Object.keys(changed).length ? rewrite(keyOf(i), { set: { ...changed, pseudonymisedAt: ctx.erasedAt } }) : Promise.resolve(false);
      });
      return { pseudonymised: n, kept: items.length };
    },
  };
}

const credits = scrubbing(
  'credits',
  (id) => participantIndex(id, 'CREDIT#'),
  ['revocationReason', 'externalId'],
  'Credits (activity, points, date) stay: they are the points of kept periods; free text naming the participant is replaced.',
);

const notices = scrubbing('notices', (id) => ownPartition(id, 'NOTICE#'), ['lastError']);

const auditEvents = scrubbing(
  'auditEvents',
  (id) => ownPartition(id, 'EVENT#'),
  ['before', 'after', 'detail'],
  'The audit trail stays (who changed what, when); names, e-mail addresses, birth dates and addresses in its payloads are replaced.',
);

const employerLinks: PersonalDataHolder = {
  name: 'employerLinks',
  async export(participantId) {
    return (await participantIndex(participantId, 'EMPLOYER#')).map(exportView);
  },
  async erase(participantId, ctx) {
    // Unlinked, so the employers' lists and reports no longer carry a pseudonymous row.
    const items = await participantIndex(participantId, 'EMPLOYER#');
    return { unlinked: await each(items, (i) => (i.unlinkedAt ? Promise.resolve(false) : rewrite(keyOf(i), { ifNotSet: { unlinkedAt: ctx.erasedAt }, set: { unlinkedBy: 'erasure' } }))) };
  },
};

/**
 * Enrolments of collective registrations carry the address the upload gave. Found in the
 * participant's gsi1 partition (`COLLREG#…`); enrolments written before that key existed are
 * found through each employer link's `collectiveRegistrationId` (the latest list per employer).
 */
async function enrolmentItems(participantId: string): Promise<Record<string, unknown>[]> {
  const [indexed, links] = await Promise.all([participantIndex(participantId, 'COLLREG#'), participantIndex(participantId, 'EMPLOYER#')]);
  const keys = new Map<string, { pk: string; sk: string }>();
  for (const i of indexed) keys.set(String(i.pk), keyOf(i));
  for (const l of links) {
    const id = l.collectiveRegistrationId as string | undefined;
    if (id && !keys.has(`COLLREG#${id}`)) keys.set(`COLLREG#${id}`, enrolmentKey(id, participantId));
  }
  return getItems([...keys.values()]);
}

const enrolments: PersonalDataHolder = {
  name: 'enrolments',
  async export(participantId) {
    return (await enrolmentItems(participantId)).map(exportView);
  },
  async erase(participantId, ctx) {
    const items = await enrolmentItems(participantId);
    // An activation e-mail still pending leaves the outbox (gsi2 MAILPENDING…): it will not go out.
    const n = await each(items, (i) =>
      i.email || i.diplomaNumber || i.gsi2pk
        ? rewrite(keyOf(i), {
            set: { pseudonymisedAt: ctx.erasedAt, ...(i.gsi2pk ? { mailCancelled: 'erasure' } : {}) },
            remove: ['email', 'diplomaNumber', 'gsi2pk', 'gsi2sk', 'leaseUntil', 'claimToken'],
          })
        : Promise.resolve(false),
    );
    return { pseudonymised: n };
  },
};

const activationTokens: PersonalDataHolder = {
  name: 'activationTokens',
  againAfterProfile: true,
  async export(participantId) {
    return (await ownerIndex(participantId, 'TOKEN#')).map(exportView);
  },
  async erase(participantId, ctx) {
    const items = await ownerIndex(participantId, 'TOKEN#');
    return { spent: await each(items, (i) => (i.email || !i.usedAt ? rewrite(keyOf(i), { ifNotSet: { usedAt: ctx.erasedAt }, remove: ['email'] }) : Promise.resolve(false))) };
  },
};

const signInLinks: PersonalDataHolder = {
  name: 'signInLinks',
  againAfterProfile: true,
  async export(participantId) {
    return (await ownerIndex(participantId, 'SIGNIN#')).map(exportView);
  },
  async erase(participantId, ctx) {
    const items = await ownerIndex(participantId, 'SIGNIN#');
    return { spent: await each(items, (i) => (i.emailKey || !i.usedAt ? rewrite(keyOf(i), { ifNotSet: { usedAt: ctx.erasedAt }, remove: ['emailKey', 'next'] }) : Promise.resolve(false))) };
  },
};

const webSessions: PersonalDataHolder = {
  name: 'webSessions',
  againAfterProfile: true,
  async export(participantId) {
    return (await ownerIndex(participantId, 'WEBSESSION#')).map((i) => {
      // The session's CSRF token is a credential, not data about the person.
      const { csrf: _csrf, ...rest } = exportView(i);
      return rest;
    });
  },
  async erase(participantId, ctx) {
    const items = await ownerIndex(participantId, 'WEBSESSION#');
    const now = new Date(ctx.erasedAt);
    return {
      ended: await each(items, (i) =>
        i.endedAt ? Promise.resolve(false) : rewrite(keyOf(i), { set: { validUntil: ctx.erasedAt, endedAt: ctx.erasedAt, expiresAt: Math.floor(now.getTime() / 1000) } }),
      ),
    };
  },
};

const apiKeys: PersonalDataHolder = {
  name: 'apiKeys',
  againAfterProfile: true,
  async export(participantId) {
    // Only the key's id and dates: the key itself is stored hashed.
    return (await ownerIndex(participantId, 'APIKEY#')).map((i) => ({ keyId: i.keyId, createdAt: i.createdAt, validUntil: i.validUntil, revokedAt: i.revokedAt }));
  },
  async erase(participantId, ctx) {
    const items = await ownerIndex(participantId, 'APIKEY#');
    return { revoked: await each(items, (i) => (i.revokedAt ? Promise.resolve(false) : rewrite(keyOf(i), { ifNotSet: { revokedAt: ctx.erasedAt } }))) };
  },
};

/**
 * Activation claims (name and claimed address, for the staff's identity check): a pending one is
 * rejected first, in the decision's own transaction (which deletes its guard, keyed by diploma
 * and address, and records the decision), then name and address are removed.
 */
const activationClaims: PersonalDataHolder = {
  name: 'activationClaims',
  async export(participantId) {
    return (await ownerIndex(participantId, 'ACTCLAIM#')).map(exportView);
  },
  async erase(participantId, ctx) {
    const found = await ownerIndex(participantId, 'ACTCLAIM#');
    const items = await getItems(found.map(keyOf));
    let n = 0;
    for (const i of items) {
      if (i.status === 'pending' && i.email && i.diplomaNumber) {
        await transactOrSkip(
          decideClaimItems(i as unknown as ActivationClaim, { status: 'rejected', reason: 'erasure', actor: SYSTEM_ERASURE }, new Date(ctx.erasedAt)),
        );
      }
      if (i.email || i.diplomaNumber || i.name !== ctx.pseudonym) {
        if (await rewrite(keyOf(i), { set: { name: ctx.pseudonym, pseudonymisedAt: ctx.erasedAt }, remove: ['email', 'diplomaNumber'], condition: '#s <> :pending', names: { '#s': 'status' }, values: { ':pending': 'pending' } })) n++;
      }
    }
    return { pseudonymised: n };
  },
};

const invoices: PersonalDataHolder = {
  name: 'invoices',
  kept: 'Invoices are kept as issued, with the name and address they were issued to: Dutch tax law keeps financial records 7 years (the pseudonym is used from the erasure on).',
  async export(participantId) {
    const headers = await participantIndex(participantId, 'INVOICE#');
    return headers.map(exportView);
  },
  async erase(participantId) {
    return { kept: (await participantIndex(participantId, 'INVOICE#')).length };
  },
};

export const coreHolders: PersonalDataHolder[] = [
  registrationNumber,
  diploma,
  periods,
  fees,
  credits,
  employerLinks,
  enrolments,
  activationTokens,
  activationClaims,
  signInLinks,
  webSessions,
  apiKeys,
  notices,
  auditEvents,
  invoices,
  profile,
];

export type { ErasureContext, ErasureCounts };
export { REDACTED };
