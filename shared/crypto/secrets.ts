import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { config } from '../config';
import { localKey } from './keys';

/**
 * Sealing of secrets the system must be able to read back (webhook signing secrets: an HMAC
 * needs the secret itself, so a hash will not do). The table holds only the sealed form.
 *
 * - Cloud (`SECRETS_KEY_ID` set): KMS Encrypt/Decrypt with that key. Only the functions that
 *   seal or open get the variable and a grant, so a role that can read the table still cannot
 *   read a secret.
 * - Locally: AES-256-GCM with the key file `PE_DATA_DIR/keys/webhook-secrets`.
 *
 * Either way the `context` (e.g. `{purpose: 'webhook-secret', providerId}`) is bound to the
 * ciphertext — the KMS EncryptionContext, the GCM associated data — so a sealed value copied to
 * another provider's item does not open there.
 */
export type SealContext = Record<string, string>;

/** The value does not open for this context: sealed for another one, or altered. Not a transient failure. */
export class SealMismatch extends Error {
  constructor() {
    super('The sealed value does not open for this context');
    this.name = 'SealMismatch';
  }
}

const KMS_PREFIX = 'kms1:';
const LOCAL_PREFIX = 'local1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

let kms: KMSClient | undefined;
const kmsClient = () => (kms ??= new KMSClient({ region: config.region }));

/**
 * Opened KMS values, for a few minutes: a warm webhook function then verifies a provider's
 * deliveries without a KMS call each (latency, and KMS's request quota), while a disabled key or
 * a withdrawn grant still takes effect within minutes.
 */
const OPENED_TTL_MS = 5 * 60_000;
const OPENED_MAX = 500;
const opened = new Map<string, { plain: string; until: number }>();

/** The context as associated data: keys sorted, so equal contexts give equal bytes. */
function associatedData(context: SealContext): Buffer {
  return Buffer.from(JSON.stringify(Object.keys(context).sort().map((k) => [k, context[k]])), 'utf8');
}

export async function sealSecret(plain: string, context: SealContext): Promise<string> {
  const keyId = config.secretsKeyId;
  if (keyId) {
    const res = await kmsClient().send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plain, 'utf8'), EncryptionContext: context }));
    if (!res.CiphertextBlob) throw new Error('KMS Encrypt returned no ciphertext');
    return KMS_PREFIX + Buffer.from(res.CiphertextBlob).toString('base64');
  }
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', localKey('webhook-secrets'), iv);
  cipher.setAAD(associatedData(context));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return LOCAL_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Opens a sealed value; throws when it was sealed for another context, or tampered with. */
export async function openSecret(sealed: string, context: SealContext): Promise<string> {
  const keyId = config.secretsKeyId;
  if (sealed.startsWith(KMS_PREFIX)) {
    if (!keyId) throw new Error('A KMS-sealed secret needs SECRETS_KEY_ID');
    const cacheKey = `${associatedData(context).toString('base64')}|${sealed}`;
    const hit = opened.get(cacheKey);
    if (hit && hit.until > Date.now()) return hit.plain;
    let res;
    try {
      res = await kmsClient().send(
        new DecryptCommand({ KeyId: keyId, CiphertextBlob: Buffer.from(sealed.slice(KMS_PREFIX.length), 'base64'), EncryptionContext: context }),
      );
    } catch (err) {
      throw (err as Error).name === 'InvalidCiphertextException' ? new SealMismatch() : err;
    }
    if (!res.Plaintext) throw new Error('KMS Decrypt returned no plaintext');
    const plain = Buffer.from(res.Plaintext).toString('utf8');
    if (opened.size >= OPENED_MAX) opened.delete(opened.keys().next().value!);
    opened.set(cacheKey, { plain, until: Date.now() + OPENED_TTL_MS });
    return plain;
  }
  if (sealed.startsWith(LOCAL_PREFIX)) {
    // A local key file on Lambda would be a fresh random key in /tmp: refuse instead of failing oddly.
    if (keyId) throw new Error('A locally sealed secret cannot be opened where SECRETS_KEY_ID is set');
    const raw = Buffer.from(sealed.slice(LOCAL_PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', localKey('webhook-secrets'), raw.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(context));
    try {
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SealMismatch();
    }
  }
  throw new Error('Not a sealed secret');
}
