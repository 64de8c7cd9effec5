/**
 * With `isolate: false` (every project but infra, vitest.config.ts) a worker's files share the
 * SDK modules: an `aws-sdk-client-mock` stub one file left on a client class (a missing `restore()`, or only `reset()`) would answer the next
 * file's calls. `forgetSdkMocks()` (`startFile` in test/setup/worker-env.ts, after every file) restores any such stub on
 * the clients the code under test uses, and on the shared SES client instance.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { sesClient } from '../../shared/email/send';

type Stubbed = { send?: { restore?: () => void } };

const CLIENT_CLASSES = [DynamoDBClient, KMSClient, SecretsManagerClient, SESClient, SQSClient];

export function forgetSdkMocks(): void {
  const targets: Stubbed[] = [...CLIENT_CLASSES.map((c) => c.prototype as Stubbed), sesClient() as unknown as Stubbed];
  for (const target of targets) {
    if (Object.hasOwn(target, 'send') && typeof target.send?.restore === 'function') target.send.restore();
  }
}
