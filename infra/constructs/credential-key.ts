import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { PeFunction } from './pe-function';

/**
 * The key that signs the register's verifiable credentials and their status lists (issue 18,
 * shared/crypto/credential-signer.ts): an asymmetric Ed25519 key in KMS, so the private key never
 * leaves it. Its public key is published in the did:web document (`/.well-known/did.json`).
 * Only the functions of routes that name `credentialKey` in shared/routes.ts get it:
 * - `sign` (kms:Sign, kms:GetPublicKey): issuing a credential, signing a status list;
 * - `verify` (kms:GetPublicKey): the DID document, and checking a credential against the key.
 * They get CREDENTIAL_KEY_ID and PUBLIC_BASE_URL (which names the issuer: did:web:<host>).
 */
export type CredentialKeyUse = 'sign' | 'verify';

export class CredentialKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'pe-register: signs the Open Badges credentials and status lists (Ed25519)',
      keySpec: kms.KeySpec.ECC_NIST_EDWARDS25519,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      // Issued credentials name this key (the JWS kid): without it they could no longer be checked.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  allow(fn: PeFunction, use: CredentialKeyUse, publicBaseUrl: string): void {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: use === 'sign' ? ['kms:Sign', 'kms:GetPublicKey'] : ['kms:GetPublicKey'],
        resources: [this.key.keyArn],
      }),
    );
    fn.addEnvironment('CREDENTIAL_KEY_ID', this.key.keyArn);
    fn.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
  }
}
