/**
 * Issue 18: the cloud path of the credential signer. KMS cannot run here, so aws-sdk-client-mock
 * answers for it — with a real Ed25519 key behind the mock (GetPublicKey: its SPKI; Sign: its
 * signature of the message KMS was sent), so what the handler issues must verify with did-jwt.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { verifyJWT, decodeJWT } from 'did-jwt';
import { Resolver } from 'did-resolver';
import * as getCredential from '../../functions/http/get-participant-credential';
import * as didRoute from '../../functions/http/get-did-document';
import { invoke } from '../setup/helpers';
import { holders, participantIdOf, participantKey, recentIssue } from './employers.fixtures';
import { KMS_MAX_MESSAGE_BYTES, resetCredentialSigner } from '../../shared/crypto/credential-signer';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/00000000-0000-0000-0000-000000000018';
const kms = mockClient(KMSClient);
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signedMessages: Uint8Array[] = [];

beforeAll(() => {
  process.env.CREDENTIAL_KEY_ID = KEY_ARN;
  resetCredentialSigner();
  kms.on(GetPublicKeyCommand, { KeyId: KEY_ARN }).resolves({ KeyId: KEY_ARN, KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY', PublicKey: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })) });
  kms.on(SignCommand).callsFake((input) => {
    expect(input).toMatchObject({ KeyId: KEY_ARN, MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' });
    signedMessages.push(input.Message);
    return { KeyId: KEY_ARN, SigningAlgorithm: 'ED25519_SHA_512', Signature: new Uint8Array(sign(null, Buffer.from(input.Message), privateKey)) };
  });
});

afterAll(() => {
  delete process.env.CREDENTIAL_KEY_ID;
  resetCredentialSigner();
  kms.restore();
});

describe('the credential signer on KMS', () => {
  it('signs through KMS (RAW, ED25519_SHA_512) within its message limit; the DID document carries the KMS public key; did-jwt verifies', async () => {
    const [h] = await holders(1, { issuedOn: recentIssue() });
    const participantId = await participantIdOf(h.diplomaNumber);
    const res = await invoke(getCredential, { path: `/v1/participants/${participantId}/credential`, apiKey: await participantKey(participantId) });
    expect(res.statusCode, res.body).toBe(200);
    expect(signedMessages).toHaveLength(1);
    expect(signedMessages[0].byteLength).toBeLessThanOrEqual(KMS_MAX_MESSAGE_BYTES);
    expect(Buffer.from(signedMessages[0]).toString('ascii')).toBe(res.body.split('.').slice(0, 2).join('.'));

    const did = await invoke(didRoute, { path: '/.well-known/did.json' });
    expect(did.json.verificationMethod[0].publicKeyJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: (publicKey.export({ format: 'jwk' }) as { x: string }).x });
    const resolver = new Resolver({ web: async () => ({ didDocument: did.json, didDocumentMetadata: {}, didResolutionMetadata: {} }) });
    // did-jwt types its resolver with the did-resolver it bundles; the top-level one is the same API.
    const verified = await verifyJWT(res.body, { resolver: resolver as unknown as NonNullable<Parameters<typeof verifyJWT>[1]>['resolver'], proofPurpose: 'assertionMethod' });
    expect(verified.verified).toBe(true);
    expect(decodeJWT(res.body).header.kid).toBe(did.json.assertionMethod[0]);
    expect(kms.commandCalls(GetPublicKeyCommand).length).toBeGreaterThanOrEqual(1);
  });
});
