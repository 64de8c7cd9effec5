/**
 * Issue 18: a status list credential must stay signable by KMS, which signs at most 4,096 bytes
 * of a RAW Ed25519 message, whatever its lists' revocations come to (lapses revoke, so a list
 * fills with ones over the years). Only the first STATUS_LIST_IN_USE indexes of a list are handed
 * out, which bounds its gzip'd bitstring.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STATUS_LIST_BITS, STATUS_LIST_IN_USE, bitAt, decodeBitstring, statusListPayload, withBits } from '../../shared/domain/credentials';
import { KMS_MAX_MESSAGE_BYTES, localSigner, signCompact } from '../../shared/crypto/credential-signer';

const signer = localSigner(Buffer.alloc(32, 7));
// A long host: the list's URL and the issuer's did:web are in the signed payload.
const base = 'https://permanente-educatie.register.uitzendbranche.example.org';
const did = 'did:web:permanente-educatie.register.uitzendbranche.example.org';

/** Deterministic "random" indexes: about `share` of the first `inUse` (sha-256 of the index). */
function revoked(inUse: number, share: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < inUse; i++) if (createHash('sha256').update(String(i)).digest()[0] < share * 256) out.push(i);
  return out;
}

async function signingInputBytes(indexes: number[]): Promise<number> {
  const bits = withBits(new Uint8Array(STATUS_LIST_BITS / 8), indexes);
  const payload = statusListPayload({ issuer: { did, name: 'PE-register', url: base } as never, listUrl: `${base}/v1/credentials/status/123456789`, bits, nowMs: Date.UTC(2040, 0, 1) });
  const jws = await signCompact(payload, { did, typ: 'JWT', signer });
  return jws.split('.').slice(0, 2).join('.').length;
}

describe('the status list credential and KMS', () => {
  it('stays within what KMS signs however many of the indexes in use are revoked', async () => {
    for (const share of [0, 0.1, 0.3, 0.5, 0.7, 1]) {
      const bytes = await signingInputBytes(revoked(STATUS_LIST_IN_USE, share));
      expect(bytes, `share ${share}`).toBeLessThanOrEqual(KMS_MAX_MESSAGE_BYTES - 512);
    }
  });

  it('would not, were every index of the 131,072 handed out: 2 % revoked is past the limit', async () => {
    expect(await signingInputBytes(revoked(STATUS_LIST_BITS, 0.02))).toBeGreaterThan(KMS_MAX_MESSAGE_BYTES);
  });

  it('keeps the 131,072 entries and marks exactly the revoked ones', () => {
    const indexes = revoked(STATUS_LIST_IN_USE, 0.5);
    const bits = withBits(new Uint8Array(STATUS_LIST_BITS / 8), indexes);
    const encoded = (statusListPayload({ issuer: { did, name: 'x', url: base } as never, listUrl: `${base}/s/1`, bits, nowMs: 0 }).credentialSubject as { encodedList: string }).encodedList;
    const decoded = decodeBitstring(encoded);
    expect(decoded.byteLength * 8).toBe(STATUS_LIST_BITS);
    const set = new Set(indexes);
    for (let i = 0; i < STATUS_LIST_IN_USE + 64; i++) expect(bitAt(decoded, i), String(i)).toBe(set.has(i));
  });
});
