import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { newProvider, uid, verifies } from './webhook.fixtures';
import { db, tableName } from '../../shared/data/client';
import { openSecret, SealMismatch, sealSecret } from '../../shared/crypto/secrets';

const context = (providerId: string) => ({ purpose: 'webhook-secret', providerId });
const profile = async (providerId: string) =>
  (await db().send(new GetCommand({ TableName: tableName(), Key: { pk: `PROVIDER#${providerId}`, sk: 'PROFILE' } }))).Item!;

describe('sealed secrets, locally (AES-256-GCM with the key file)', () => {
  it('opens what it sealed, only for the same context, and refuses a tampered value', async () => {
    const plain = `whsec_${Buffer.from('a local test secret of some length').toString('base64')}`;
    const sealed = await sealSecret(plain, context('prv_A'));
    expect(sealed.startsWith('local1:')).toBe(true);
    expect(sealed).not.toContain(plain.slice(6));
    expect(await sealSecret(plain, context('prv_A'))).not.toBe(sealed); // a fresh IV each time
    expect(await openSecret(sealed, context('prv_A'))).toBe(plain);
    await expect(openSecret(sealed, context('prv_B'))).rejects.toBeInstanceOf(SealMismatch);
    await expect(openSecret(sealed, { purpose: 'other', providerId: 'prv_A' })).rejects.toBeInstanceOf(SealMismatch);
    const raw = Buffer.from(sealed.slice('local1:'.length), 'base64');
    raw[raw.length - 1] ^= 1;
    await expect(openSecret(`local1:${raw.toString('base64')}`, context('prv_A'))).rejects.toBeInstanceOf(SealMismatch);
  });

  it('the provider item holds only the sealed secret, and the webhook verifies with it', async () => {
    const p = await newProvider();
    const item = await profile(p.providerId);
    const json = JSON.stringify(item);
    expect(json).not.toContain(p.webhookSecret);
    expect(json).not.toContain(p.webhookSecret.slice(6));
    expect(json).not.toContain('whsec_');
    expect(item.webhookSecrets).toEqual([{ sealed: expect.stringMatching(/^local1:/), createdAt: expect.any(String) }]);
    expect(await verifies(p.providerId, p.webhookSecret)).toBe(true);
  });

  it('a sealed secret copied onto another provider does not open there', async () => {
    const [a, b] = [await newProvider(), await newProvider()];
    const sealedOfA = (await profile(a.providerId)).webhookSecrets;
    await db().send(
      new UpdateCommand({ TableName: tableName(), Key: { pk: `PROVIDER#${b.providerId}`, sk: 'PROFILE' }, UpdateExpression: 'SET webhookSecrets = :s', ExpressionAttributeValues: { ':s': sealedOfA } }),
    );
    // b's own secret is gone, and a's does not open for b: neither verifies there.
    expect(await verifies(b.providerId, a.webhookSecret)).toBe(false);
    expect(await verifies(b.providerId, b.webhookSecret)).toBe(false);
    expect(await verifies(a.providerId, a.webhookSecret)).toBe(true);
  });
});

describe('sealed secrets in the cloud (KMS, SECRETS_KEY_ID set)', () => {
  const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000000';
  const kms = mockClient(KMSClient);
  /** A stand-in for KMS that, like KMS, decrypts only with the EncryptionContext it encrypted with. */
  const vault = new Map<string, { plain: Uint8Array; context: string }>();

  beforeEach(() => {
    process.env.SECRETS_KEY_ID = KEY_ARN;
    kms.reset();
    kms.on(EncryptCommand).callsFake((input) => {
      const blob = Buffer.from(`ct-${vault.size}-${uid()}`);
      vault.set(blob.toString('base64'), { plain: input.Plaintext, context: JSON.stringify(input.EncryptionContext) });
      return { CiphertextBlob: blob, KeyId: input.KeyId };
    });
    kms.on(DecryptCommand).callsFake((input) => {
      const entry = vault.get(Buffer.from(input.CiphertextBlob).toString('base64'));
      if (!entry || entry.context !== JSON.stringify(input.EncryptionContext)) {
        throw Object.assign(new Error('InvalidCiphertextException'), { name: 'InvalidCiphertextException' });
      }
      return { Plaintext: entry.plain, KeyId: KEY_ARN };
    });
  });
  afterEach(() => {
    delete process.env.SECRETS_KEY_ID;
    kms.reset();
  });

  it('admitting a provider encrypts its secret with the key and the provider as EncryptionContext; the table holds the ciphertext', async () => {
    const p = await newProvider();
    const calls = kms.commandCalls(EncryptCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toMatchObject({ KeyId: KEY_ARN, EncryptionContext: { purpose: 'webhook-secret', providerId: p.providerId } });
    expect(Buffer.from(calls[0].args[0].input.Plaintext!).toString('utf8')).toBe(p.webhookSecret);
    const item = await profile(p.providerId);
    expect(JSON.stringify(item)).not.toContain(p.webhookSecret.slice(6));
    expect(item.webhookSecrets[0].sealed).toMatch(/^kms1:/);
  });

  it('the webhook decrypts with the same context and verifies; another provider’s context does not open it', async () => {
    const p = await newProvider();
    expect(await verifies(p.providerId, p.webhookSecret)).toBe(true);
    const decrypts = kms.commandCalls(DecryptCommand);
    expect(decrypts.length).toBeGreaterThanOrEqual(1);
    expect(decrypts[0].args[0].input).toMatchObject({ KeyId: KEY_ARN, EncryptionContext: { purpose: 'webhook-secret', providerId: p.providerId } });
    const sealed = (await profile(p.providerId)).webhookSecrets[0].sealed as string;
    await expect(openSecret(sealed, context('prv_SOMEONEELSE'))).rejects.toBeInstanceOf(SealMismatch);
  });

  it('refuses a locally sealed value where KMS is configured, and a KMS one where it is not', async () => {
    delete process.env.SECRETS_KEY_ID;
    const local = await sealSecret('whsec_x', context('prv_A'));
    process.env.SECRETS_KEY_ID = KEY_ARN;
    const cloud = await sealSecret('whsec_x', context('prv_A'));
    await expect(openSecret(local, context('prv_A'))).rejects.toThrow(/SECRETS_KEY_ID/);
    delete process.env.SECRETS_KEY_ID;
    await expect(openSecret(cloud, context('prv_A'))).rejects.toThrow(/SECRETS_KEY_ID/);
  });
});
