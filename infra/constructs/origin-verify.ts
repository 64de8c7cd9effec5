import { Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../../shared/http/client-address';
import type { PeFunction } from './pe-function';

/**
 * The value CloudFront adds to every request it sends to the API (header `x-origin-verify`),
 * by which a function knows the request came through the distribution and may believe its
 * CloudFront-Viewer-Address (shared/http/client-address.ts). Secrets Manager generates it at
 * deploy, so it is neither in code nor in the template: CloudFormation resolves it into the
 * distribution's origin settings, and the rate-limited functions read it once per container.
 */
export class OriginVerify extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly headerName = ORIGIN_VERIFY_HEADER;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'pe-register: the header value CloudFront sends to the API, so the functions can tell its requests from direct ones',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The value only tells requests through CloudFront from direct ones, for counting rate limits per viewer; it grants no access. ' +
        'Rotating it means a stack update (CloudFront takes the value at deploy), so it is rotated by setting a new value and deploying, not by a rotation Lambda.',
    });
  }

  /** The header value for the CloudFront origin: a dynamic reference, resolved by CloudFormation at deploy. */
  get headerValue(): string {
    return this.secret.secretValue.unsafeUnwrap();
  }

  /** Lets a rate-limited function recognise CloudFront's requests: read the secret, find it through ORIGIN_VERIFY_SECRET_ARN. */
  allowChecking(fn: PeFunction): void {
    this.secret.grantRead(fn.role);
    fn.addEnvironment('ORIGIN_VERIFY_SECRET_ARN', this.secret.secretArn);
  }
}
