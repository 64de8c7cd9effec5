import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { PeFunction } from './pe-function';

/**
 * The key that seals the providers' webhook signing secrets in the table
 * (shared/crypto/secrets.ts). Many functions may read the table; only the few below may use the
 * key, so a table read never yields a usable secret:
 * - `seal` (kms:Encrypt): the functions that issue a secret — admitting a provider (its first
 *   secret) and the rotation route;
 * - `open` (kms:Decrypt): the completion webhook, which verifies signatures.
 * Each grant is limited to the webhook-secret encryption context, and only these functions get
 * SECRETS_KEY_ID.
 */
export type SecretsUse = 'seal' | 'open';

export class Secrets extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'WebhookSecretsKey', {
      description: 'pe-register: seals the providers webhook signing secrets',
      enableKeyRotation: true,
      // Without the key every provider's secret is lost; the table is retained, so is this.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  allow(fn: PeFunction, use: SecretsUse): void {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [use === 'seal' ? 'kms:Encrypt' : 'kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': 'webhook-secret' } },
      }),
    );
    fn.addEnvironment('SECRETS_KEY_ID', this.key.keyArn);
  }
}
