import { Webhook } from 'standardwebhooks';
import { Unauthorized } from '../domain/errors';

/**
 * Standard Webhooks verification: HMAC-SHA256 over "{id}.{timestamp}.{body}", constant-time
 * comparison, ±5 minutes on the timestamp, any of several `v1,` signatures (the library does all
 * of that). A provider holds two secrets for 24 hours after a rotation; either may have signed.
 * The secrets come one at a time (each is opened from its sealed form only when the one before
 * did not verify), and only after the headers are there.
 */
export async function verifyWebhook(secrets: () => AsyncIterable<string>, rawBody: string, headers: Record<string, string | undefined>): Promise<string> {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature) throw new Unauthorized('Missing webhook-id, webhook-timestamp or webhook-signature.');
  if (id.length > 256) throw new Unauthorized('webhook-id too long.');
  for await (const secret of secrets()) {
    try {
      new Webhook(secret).verify(rawBody, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, { jsonParse: false });
      return id;
    } catch {
      // try the next secret
    }
  }
  throw new Unauthorized('The webhook signature does not verify, or its timestamp is more than 5 minutes off.');
}
