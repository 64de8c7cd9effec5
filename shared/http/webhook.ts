import { Webhook } from 'standardwebhooks';
import { Unauthorized } from './errors';

/**
 * Standard Webhooks verification: HMAC-SHA256 over "{id}.{timestamp}.{body}", constant-time
 * comparison, ±5 minutes on the timestamp, any of several `v1,` signatures (the library does all
 * of that). A provider may hold several secrets while it rotates; any one may have signed.
 */
export function verifyWebhook(secrets: string[], rawBody: string, headers: Record<string, string | undefined>): string {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature) throw new Unauthorized('Missing webhook-id, webhook-timestamp or webhook-signature.');
  if (id.length > 256) throw new Unauthorized('webhook-id too long.');
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(rawBody, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }, { jsonParse: false });
      return id;
    } catch {
      // try the next secret
    }
  }
  throw new Unauthorized('The webhook signature does not verify, or its timestamp is more than 5 minutes off.');
}
