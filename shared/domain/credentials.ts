import { gzipSync, gunzipSync } from 'node:zlib';
import { lastValidDay } from './periods';

/**
 * The Open Badges 3.0 credential of a registration period and the register's Bitstring Status
 * List (issue 18): pure shapes and rules, no I/O. The signing is shared/crypto/credential-signer.ts.
 */

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** OB 3.0 §8.2 (JSON Web Token Proof Format): `typ`, when present, is "JWT". */
export const JWS_TYP = 'JWT';
/** What the API serves a credential as (VC-JOSE-COSE's media type of a JWT-secured credential). */
export const VC_JWT_MEDIA_TYPE = 'application/vc+jwt';

/** Bitstring Status List v1.0: at least 131,072 bits (16 KiB), so one revoked entry hides in the crowd. */
export const STATUS_LIST_BITS = 131_072;
/**
 * Credentials per status list: the list's first 8,192 indexes are handed out, then the next list
 * is begun. KMS signs at most 4,096 bytes of a RAW Ed25519 message (KMS_MAX_MESSAGE_BYTES), and
 * the status list credential carries its bitstring gzip'd: with every index of the 131,072 in use
 * it passed that after ~2 % revoked (lapses revoke, so a list fills with ones over the years), and
 * could no longer be signed. With only the first 8,192 in use the signing input stays under ~3 KB
 * whatever is revoked (test/unit/credential-status-list.test.ts), and the bitstring keeps the
 * 131,072 entries the Bitstring Status List recommends as its minimum.
 */
export const STATUS_LIST_IN_USE = 8_192;

/** `did:web:<host>` of a base URL; a port is written `%3A` (did:web §3.2), a path becomes `:`-separated. */
export function didWebOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '').split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', encodeURIComponent(url.host), ...path].join(':');
}

/** The instant an Amsterdam calendar day begins (the register's day boundary), as epoch ms. */
export function amsterdamMidnight(date: string): number {
  const utc = Date.parse(`${date}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .formatToParts(new Date(utc))
    .reduce<Record<string, string>>((acc, p) => ((acc[p.type] = p.value), acc), {});
  const wall = Date.parse(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:00Z`);
  return utc - (wall - utc);
}

/** The UTC offset of Amsterdam at the start of a day, as `+01:00` / `+02:00` (no switch happens at midnight). */
function offsetAt(date: string): string {
  const minutes = Math.round((Date.parse(`${date}T00:00:00Z`) - amsterdamMidnight(date)) / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes >= 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A period's validity as the credential states it: from the first day's start to the last day's
 * end, Amsterdam time, as XML Schema dateTimeStamps with their offset; `nbf`/`exp` the same instants.
 */
export function periodValidity(startsOn: string, endsOn: string) {
  const lastDay = lastValidDay(endsOn);
  const fromMs = amsterdamMidnight(startsOn);
  const untilMs = amsterdamMidnight(endsOn) - 1000;
  return {
    validFrom: `${startsOn}T00:00:00${offsetAt(startsOn)}`,
    validUntil: `${lastDay}T23:59:59${offsetAt(endsOn)}`,
    nbf: Math.floor(fromMs / 1000),
    exp: Math.floor(untilMs / 1000),
    firstDay: startsOn,
    lastDay,
  };
}

export interface IssuerProfile {
  did: string;
  name: string;
  url: string;
}

export interface CredentialInput {
  credentialId: string;
  issuer: IssuerProfile;
  registrationNumber: string;
  /** The name as the public register shows it (initials, prefix, surname). */
  name: string;
  title: string;
  diplomaType: string;
  startsOn: string;
  endsOn: string;
  status: { listUrl: string; index: number };
  /** Where the public register shows the registration (the subject's id). */
  registerUrl: string;
}

export const achievementTexts = (title: string) => ({
  description: `De titel ${title}: de houder heeft het SEU-diploma en houdt de kennis bij met permanente educatie (PE) bij PE-erkende leeractiviteiten.`,
  narrative: `Houder van het SEU-diploma, geregistreerd voor PE. Per registratieperiode van 2 jaar: 12 PE-punten (12 uur studietijd) met PE-erkende leeractiviteiten binnen de eind- en toetstermen van de SEU-examens; daarna kan de registratie met 2 jaar worden verlengd.`,
});

/**
 * The JWT payload: the OpenBadgeCredential itself (VCDM 2.0, members at the top level) with the
 * OB 3.0 JWT claims beside it (`iss`, `sub`, `jti`, `nbf`, `exp` mirroring issuer.id,
 * credentialSubject.id, id, validFrom, validUntil), so any JWT verifier checks the dates too.
 * No birth date, e-mail or diploma number: a hirer needs the name, the title and the number.
 */
export function credentialPayload(c: CredentialInput) {
  const v = periodValidity(c.startsOn, c.endsOn);
  const texts = achievementTexts(c.title);
  const subjectId = c.registerUrl;
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: c.credentialId,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: c.title,
    issuer: { id: c.issuer.did, type: ['Profile'], name: c.issuer.name, url: c.issuer.url },
    validFrom: v.validFrom,
    validUntil: v.validUntil,
    credentialSubject: {
      id: subjectId,
      type: ['AchievementSubject'],
      identifier: [
        { type: 'IdentityObject', identityType: 'identifier', hashed: false, identityHash: c.registrationNumber },
        { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: c.name },
      ],
      achievement: {
        id: `${c.issuer.url.replace(/\/+$/, '')}/register#${c.diplomaType}`,
        type: ['Achievement'],
        achievementType: 'Certification',
        name: c.title,
        description: texts.description,
        criteria: { narrative: texts.narrative },
      },
    },
    credentialStatus: {
      id: `${c.status.listUrl}#${c.status.index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(c.status.index),
      statusListCredential: c.status.listUrl,
    },
    iss: c.issuer.did,
    sub: subjectId,
    jti: c.credentialId,
    nbf: v.nbf,
    exp: v.exp,
  };
}
export type CredentialPayload = ReturnType<typeof credentialPayload>;

/** The status list credential's payload (Bitstring Status List v1.0, JWT claims beside it). */
export function statusListPayload(args: { issuer: IssuerProfile; listUrl: string; bits: Uint8Array; nowMs: number }) {
  const validFrom = new Date(Math.floor(args.nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return {
    '@context': [VC_CONTEXT],
    id: args.listUrl,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: args.issuer.did,
    validFrom,
    credentialSubject: {
      id: `${args.listUrl}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: encodeBitstring(args.bits),
    },
    iss: args.issuer.did,
    sub: `${args.listUrl}#list`,
    jti: args.listUrl,
    nbf: Math.floor(args.nowMs / 1000),
  };
}

/**
 * `encodedList`: multibase base64url (the `u` prefix, no padding) of the GZIP of the bitstring.
 * Bit order (Bitstring Status List v1.0 §3.2): index 0 is the most significant bit of byte 0.
 */
export function encodeBitstring(bits: Uint8Array): string {
  return `u${gzipSync(bits).toString('base64url')}`;
}

export function decodeBitstring(encoded: string): Uint8Array {
  if (!encoded.startsWith('u')) throw new Error('encodedList is not multibase base64url');
  return new Uint8Array(gunzipSync(Buffer.from(encoded.slice(1), 'base64url')));
}

export function bitAt(bits: Uint8Array, index: number): boolean {
  return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}

/** A copy with the bits at `indexes` set. */
export function withBits(bits: Uint8Array, indexes: readonly number[]): Uint8Array {
  const next = new Uint8Array(bits);
  for (const i of indexes) next[i >> 3] |= 0x80 >> (i & 7);
  return next;
}

/** The issuer's DID document: one Ed25519 key as a JWK, for assertions (JWS `kid` = `<did>#<keyId>`). */
export function didDocument(did: string, keyId: string, jwk: { kty: string; crv: string; x: string }) {
  const id = `${did}#${keyId}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod: [{ id, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } }],
    assertionMethod: [id],
    authentication: [id],
  };
}
export type DidDocument = ReturnType<typeof didDocument>;
