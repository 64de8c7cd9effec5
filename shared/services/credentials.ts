import { randomUUID, verify as edVerify, createPublicKey } from 'node:crypto';
import { AGAIN, optimistic } from '../data/client';
import { displayName, getParticipant, participantIdByRegistrationNumber, titleFor, type Participant } from '../data/participants';
import { advanceList, currentList, getCredential, getStatusList, putFirstCredential, storeSignedList, type StoredCredential } from '../data/credentials';
import { Conflict, NotFound } from '../domain/errors';
import { covers } from '../domain/periods';
import {
  JWS_TYP,
  STATUS_LIST_BITS,
  STATUS_LIST_IN_USE,
  bitAt,
  credentialPayload,
  didDocument,
  didWebOf,
  periodValidity,
  statusListPayload,
  type DidDocument,
  type IssuerProfile,
} from '../domain/credentials';
import { credentialSigner, keyIdOf, signCompact } from '../crypto/credential-signer';
import { config } from '../config';
import { actorOf, type Caller } from './access';
import { revokeCredential } from './credential-status';

/**
 * The registration period as an Open Badges 3.0 verifiable credential (issue 18): issued once per
 * period, signed by the register (shared/crypto/credential-signer.ts), revocable through the
 * register's Bitstring Status List (shared/services/credential-status.ts). The pages (dossier,
 * public register, /register/verifieer) and the API routes both call this module.
 */

/** The reason codes of a verification (fixed: the pages map them to their own words). */
export type VerificationReason =
  | 'malformed'
  | 'unknown-issuer'
  | 'unknown-key'
  | 'bad-signature'
  | 'not-yet-valid'
  | 'expired'
  | 'revoked'
  | 'status-unavailable';

export type IssuedCredential = {
  /** The compact JWS (`application/vc+jwt`). */
  jws: string;
  /** The credential's `id` (a `urn:uuid:`). */
  id: string;
  registrationNumber: string;
  /** The period's first day (YYYY-MM-DD). */
  validFrom: string;
  /** The period's last day (YYYY-MM-DD, inclusive). */
  validUntil: string;
};

export type CredentialVerification = {
  /** The signature holds and the issuer and its key are this register's. */
  valid: boolean;
  /** Valid, within its dates and not revoked. */
  current: boolean;
  revoked: boolean;
  subject?: { name: string; title: string; registrationNumber: string };
  validFrom?: string;
  validUntil?: string;
  reasons: VerificationReason[];
};

const baseUrl = () => config.publicBaseUrl.replace(/\/+$/, '');

export function issuer(): IssuerProfile {
  return { did: didWebOf(baseUrl()), name: config.supplier.name, url: baseUrl() };
}

export const statusListUrl = (listId: string) => `${baseUrl()}/v1/credentials/status/${encodeURIComponent(listId)}`;

function issued(c: StoredCredential): IssuedCredential {
  return { jws: c.jws, id: c.credentialId, registrationNumber: c.registrationNumber, validFrom: c.startsOn, validUntil: periodValidity(c.startsOn, c.endsOn).lastDay };
}

/** The period covering today of a profile that may have a credential (not erased). */
function currentPeriodOf(p: Participant | undefined, today: string) {
  if (!p || p.erasure) return undefined;
  return p.periods.find((x) => covers(x, today));
}

const RACE = { attempts: 8, backoffMs: (attempt: number) => 5 * attempt + Math.floor(Math.random() * 10) };

/**
 * The credential of a period: the stored one, or — on the first request — a new one, signed with
 * a fresh status index and written with it in one transaction (shared/data/credentials.ts
 * putFirstCredential). Concurrent first requests make one credential: the losers return the winner's.
 */
async function credentialFor(p: Participant, period: { startsOn: string; endsOn: string }): Promise<StoredCredential> {
  const existing = await getCredential(p.participantId, period.startsOn);
  if (existing) return existing;
  const who = issuer();
  return optimistic(
    async () => {
      const { listId, next } = await currentList();
      if (next >= STATUS_LIST_IN_USE) {
        await advanceList(listId);
        return AGAIN;
      }
      const credentialId = `urn:uuid:${randomUUID()}`;
      const payload = credentialPayload({
        credentialId,
        issuer: who,
        registrationNumber: p.registrationNumber,
        name: displayName(p),
        title: titleFor(p.diplomaType),
        diplomaType: p.diplomaType,
        startsOn: period.startsOn,
        endsOn: period.endsOn,
        status: { listUrl: statusListUrl(listId), index: next },
        registerUrl: `${who.url}/register/${encodeURIComponent(p.registrationNumber)}`,
      });
      const jws = await signCompact(payload, { did: who.did, typ: JWS_TYP });
      const stored: StoredCredential = {
        participantId: p.participantId,
        credentialId,
        registrationNumber: p.registrationNumber,
        startsOn: period.startsOn,
        endsOn: period.endsOn,
        listId,
        statusIndex: next,
        jws,
        issuedAt: new Date().toISOString(),
      };
      if (await putFirstCredential(stored)) return stored;
      const won = await getCredential(p.participantId, period.startsOn, true);
      if (won) return won;
      // The index was taken by another credential, or the profile is being erased: look again.
      const again = await getParticipant(p.participantId, true);
      if (!currentPeriodOf(again, period.startsOn)) throw new NotFound('No current registration period.');
      return AGAIN;
    },
    { ...RACE, exhausted: () => new Conflict('Many credentials were issued at the same moment; try again.', { reason: 'concurrent-update' }) },
  );
}

async function issueCurrent(p: Participant | undefined, today: string): Promise<IssuedCredential> {
  const period = currentPeriodOf(p, today);
  if (!p || !period) throw new NotFound('No current registration period.');
  const c = await credentialFor(p, period);
  // A withdrawn credential is not offered again for the same period (a new one would undo the withdrawal).
  if (c.revokedAt) throw new NotFound('The credential of the current period was withdrawn.');
  return issued(c);
}

/** The current period's credential of a participant; NotFound without a current period. */
export async function currentCredential(participantId: string, today: string): Promise<IssuedCredential> {
  return issueCurrent(await getParticipant(participantId), today);
}

/** The same for the public register entry: NotFound for an unknown or unregistered number. */
export async function currentCredentialForRegistration(registrationNumber: string, today: string): Promise<IssuedCredential> {
  const id = await participantIdByRegistrationNumber(registrationNumber);
  if (!id) throw new NotFound('Not registered.');
  return issueCurrent(await getParticipant(id), today);
}

/** The admin withdraws the current period's credential (idempotent: a second time changes nothing). */
export async function withdrawCurrentCredential(participantId: string, reason: string, caller: Caller | undefined, today: string) {
  const p = await getParticipant(participantId);
  const period = currentPeriodOf(p, today);
  const c = period ? await getCredential(participantId, period.startsOn, true) : undefined;
  if (!c) throw new NotFound('No credential of a current period.');
  const at = new Date();
  const outcome = await revokeCredential(c, reason, { actor: actorOf(caller), action: 'credential.revoked' }, at);
  const after = outcome === 'already' ? c : { ...c, revokedAt: at.toISOString(), revocationReason: reason };
  return { credentialId: after.credentialId, revoked: true as const, revokedAt: after.revokedAt!, reason: after.revocationReason!, alreadyRevoked: outcome === 'already' };
}

// ---------------------------------------------------------------- publishing

/** The issuer's DID document (did:web), with the key the credentials are signed with. */
export async function issuerDidDocument(): Promise<DidDocument> {
  const jwk = await credentialSigner().publicJwk();
  return didDocument(issuer().did, await keyIdOf(jwk), jwk);
}

/** A status list as a signed Bitstring Status List credential, re-signed only when its bits changed. */
export async function statusListCredential(listId: string): Promise<string> {
  const list = /^[1-9][0-9]{0,8}$/.test(listId) ? await getStatusList(listId) : undefined;
  if (!list) throw new NotFound('No such status list.');
  if (list.signedJws && list.signedVersion === list.version) return list.signedJws;
  const who = issuer();
  const jws = await signCompact(statusListPayload({ issuer: who, listUrl: statusListUrl(listId), bits: list.bits, nowMs: Date.now() }), { did: who.did, typ: JWS_TYP });
  await storeSignedList(listId, list.version, jws);
  return jws;
}

// ---------------------------------------------------------------- verification

type Json = Record<string, unknown>;

function decodePart(part: string): Json | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function subjectOf(payload: Json): CredentialVerification['subject'] {
  const subject = payload.credentialSubject as Json | undefined;
  const ids = Array.isArray(subject?.identifier) ? (subject.identifier as Json[]) : [];
  const by = (type: string) => str(ids.find((i) => i && i.identityType === type)?.identityHash);
  const title = str((subject?.achievement as Json | undefined)?.name);
  const name = by('name');
  const registrationNumber = by('identifier');
  return name && title && registrationNumber ? { name, title, registrationNumber } : undefined;
}

/** Verify a pasted or uploaded credential (the compact JWS, whitespace around it ignored). */
export async function verifyCredential(input: string, today: string): Promise<CredentialVerification> {
  const refused = (reason: VerificationReason): CredentialVerification => ({ valid: false, current: false, revoked: false, reasons: [reason] });
  const parts = input.trim().split('.');
  if (parts.length !== 3) return refused('malformed');
  const header = decodePart(parts[0]);
  const payload = decodePart(parts[1]);
  if (!header || !payload || !/^[A-Za-z0-9_-]+$/.test(parts[2]) || header.alg !== 'EdDSA') return refused('malformed');
  const types = Array.isArray(payload.type) ? payload.type : [];
  if (!types.includes('OpenBadgeCredential') || typeof payload.validFrom !== 'string') return refused('malformed');

  const who = issuer();
  const issuerId = str((payload.issuer as Json | undefined)?.id) ?? str(payload.issuer);
  if (issuerId !== who.did || payload.iss !== who.did) return refused('unknown-issuer');
  const jwk = await credentialSigner().publicJwk();
  if (header.kid !== `${who.did}#${await keyIdOf(jwk)}`) return refused('unknown-key');
  const key = createPublicKey({ key: { ...jwk }, format: 'jwk' });
  const signature = Buffer.from(parts[2], 'base64url');
  if (signature.length !== 64 || !edVerify(null, Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), key, signature)) return refused('bad-signature');

  const validFrom = (payload.validFrom as string).slice(0, 10);
  const validUntil = typeof payload.validUntil === 'string' ? payload.validUntil.slice(0, 10) : undefined;
  const reasons: VerificationReason[] = [];
  if (today < validFrom) reasons.push('not-yet-valid');
  if (validUntil && today > validUntil) reasons.push('expired');

  let revoked = false;
  const status = payload.credentialStatus as Json | undefined;
  const listUrl = str(status?.statusListCredential);
  const listId = listUrl?.startsWith(`${baseUrl()}/v1/credentials/status/`) ? decodeURIComponent(listUrl.slice(`${baseUrl()}/v1/credentials/status/`.length)) : undefined;
  const index = Number(str(status?.statusListIndex));
  try {
    const list = listId && Number.isSafeInteger(index) && index >= 0 && index < STATUS_LIST_BITS ? await getStatusList(listId) : undefined;
    if (!list) reasons.push('status-unavailable');
    else if (bitAt(list.bits, index)) {
      revoked = true;
      reasons.push('revoked');
    }
  } catch {
    reasons.push('status-unavailable');
  }
  return { valid: true, current: reasons.length === 0, revoked, subject: subjectOf(payload), validFrom, ...(validUntil ? { validUntil } : {}), reasons };
}
