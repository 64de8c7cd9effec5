import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { config } from '../config';

/**
 * Values of Secrets Manager secrets (cloud): each fetched once per container, the first time it is
 * needed; a failed fetch is not cached, so the next request tries again. The function's role may
 * read only the secrets the stack granted it.
 */
let client: SecretsManagerClient | undefined;
const values = new Map<string, Promise<string>>();

export function secretString(arn: string): Promise<string> {
  let value = values.get(arn);
  if (!value) {
    client ??= new SecretsManagerClient({ region: config.region });
    value = client.send(new GetSecretValueCommand({ SecretId: arn })).then((res) => {
      if (!res.SecretString) throw new Error('The secret has no SecretString');
      return res.SecretString;
    });
    value.catch(() => values.delete(arn));
    values.set(arn, value);
  }
  return value;
}

/** For tests: forget the fetched values and the client. */
export function forgetSecretStrings(): void {
  values.clear();
  client = undefined;
}
