import { Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { PeFunction } from './pe-function';

/**
 * The key that signs list cursors (shared/http/cursor.ts): a random value Secrets Manager
 * generates at deploy, so it is never in code or in the template. Only the functions of routes
 * that hand out cursors (`paged` in shared/routes.ts) may read it; each reads it once per container.
 */
export class CursorKey extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'pe-register: HMAC-SHA256 key that signs the paging cursors of the API',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key only authenticates paging cursors, which live for one listing session: it encrypts nothing and grants no access ' +
        '(each list still checks the caller and bounds its query). A new value can be set at any time; cursors in flight then answer 400 and clients start from page one.',
    });
  }

  /** Lets a paged route's function sign and check cursors: read the secret, find it through CURSOR_KEY_SECRET_ARN. */
  allowSigning(fn: PeFunction): void {
    this.secret.grantRead(fn.role);
    fn.addEnvironment('CURSOR_KEY_SECRET_ARN', this.secret.secretArn);
  }
}
