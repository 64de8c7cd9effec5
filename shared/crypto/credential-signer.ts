import { createPrivateKey, createPublicKey, sign as edSign, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { calculateJwkThumbprint, exportJWK, importSPKI } from 'jose';
import { localKey } from './keys';
import { config } from '../config';

/**
 * The register's credential signing key (issue 18): Ed25519, used for the Open Badges credentials
 * and their status lists (compact JWS, `alg: EdDSA`). In the cloud the private key never leaves
 * KMS (`ECC_NIST_EDWARDS25519`, SIGN_VERIFY; only the functions that issue or publish get
 * kms:Sign, those that only verify kms:GetPublicKey); locally the 32 bytes of
 * `PE_DATA_DIR/keys/credentials` are the Ed25519 seed. The public key is published in the issuer's
 * did:web document, named by its JWK thumbprint (RFC 7638), which is the JWS `kid` fragment.
 */
export interface Ed25519PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

export interface CredentialSigner {
  publicJwk(): Promise<Ed25519PublicJwk>;
  /** The raw 64-byte Ed25519 signature of the bytes (pure EdDSA, RFC 8032). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** KMS signs at most 4096 bytes of a RAW message: the JWS signing input must fit. */
export const KMS_MAX_MESSAGE_BYTES = 4096;

/** PKCS#8 wrapping of an Ed25519 seed (RFC 8410): a fixed 16-byte prefix, then the 32 bytes. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function localSigner(seed: Buffer): CredentialSigner {
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as Ed25519PublicJwk;
  return {
    publicJwk: async () => ({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }),
    sign: async (data) => new Uint8Array(edSign(null, data, privateKey)),
  };
}

export function kmsSigner(keyId: string, client: KMSClient): CredentialSigner {
  let jwk: Promise<Ed25519PublicJwk> | undefined;
  return {
    publicJwk(): Promise<Ed25519PublicJwk> {
      jwk ??= (async (): Promise<Ed25519PublicJwk> => {
        const res = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
        if (!res.PublicKey) throw new Error('KMS returned no public key');
        const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(res.PublicKey).toString('base64')}\n-----END PUBLIC KEY-----`;
        const exported = await exportJWK(await importSPKI(pem, 'EdDSA', { extractable: true }));
        if (exported.kty !== 'OKP' || exported.crv !== 'Ed25519' || !exported.x) throw new Error('The credential key is not an Ed25519 key');
        return { kty: 'OKP', crv: 'Ed25519', x: exported.x };
      })().catch((err) => {
        jwk = undefined;
        throw err;
      });
      return jwk!;
    },
    async sign(data) {
      if (data.byteLength > KMS_MAX_MESSAGE_BYTES) throw new Error(`A credential's signing input is ${data.byteLength} bytes; KMS signs at most ${KMS_MAX_MESSAGE_BYTES}`);
      const res = await client.send(new SignCommand({ KeyId: keyId, Message: data, MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' }));
      if (!res.Signature) throw new Error('KMS returned no signature');
      return new Uint8Array(res.Signature);
    },
  };
}

let cached: CredentialSigner | undefined;
let kms: KMSClient | undefined;

/** The signer of this process: KMS when CREDENTIAL_KEY_ID is set (the cloud), else the local key file. */
export function credentialSigner(): CredentialSigner {
  if (cached) return cached;
  const keyId = config.credentialKeyId;
  if (keyId) {
    kms ??= new KMSClient({ region: config.region });
    cached = kmsSigner(keyId, kms);
  } else {
    cached = localSigner(localKey('credentials'));
  }
  return cached;
}

/** Tests that change PE_DATA_DIR or CREDENTIAL_KEY_ID start again. */
export function resetCredentialSigner(): void {
  cached = undefined;
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/** The key's id: its RFC 7638 thumbprint, so it changes exactly when the key does. */
export async function keyIdOf(jwk: Ed25519PublicJwk): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

/**
 * A compact JWS `base64url(header).base64url(payload).base64url(signature)` of a JSON payload,
 * header `{alg: 'EdDSA', kid: '<did>#<thumbprint>', typ}`.
 */
export async function signCompact(payload: unknown, opts: { did: string; typ: string; signer?: CredentialSigner }): Promise<string> {
  const signer = opts.signer ?? credentialSigner();
  const kid = `${opts.did}#${await keyIdOf(await signer.publicJwk())}`;
  const input = `${b64url(JSON.stringify({ alg: 'EdDSA', kid, typ: opts.typ }))}.${b64url(JSON.stringify(payload))}`;
  const signature = await signer.sign(Buffer.from(input, 'ascii'));
  return `${input}.${b64url(signature)}`;
}
