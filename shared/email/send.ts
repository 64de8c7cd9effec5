import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { createMimeMessage } from 'mimetext';
import { config } from '../config';
import { logger } from '../log';

export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface Email {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: Attachment[];
  /** Content-Language of the message. */
  language?: 'nl' | 'en';
}

let ses: SESClient | undefined;

/** One SES client per process (module scope), pointed at the emulator locally. */
export function sesClient(): SESClient {
  if (!ses) {
    const endpoint = config.sesEndpoint;
    ses = new SESClient({
      region: config.region,
      ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
      // The one retry layer of a send: throttling ("Maximum sending rate exceeded"), 5xx and
      // network errors are retried by the SDK's standard strategy (exponential back-off with
      // jitter, up to 6 attempts); a rejected message is not. An outbox flow whose send still
      // fails releases its claim, and the item stays due for the next run — no loop on top.
      maxAttempts: 6,
    });
  }
  return ses;
}

/** The MIME message (text + HTML alternative, attachments), built by mimetext. */
export function buildMime(email: Email, from = config.mailFrom): string {
  const msg = createMimeMessage();
  const m = /^(.*)<(.+)>$/.exec(from);
  msg.setSender(m ? { name: m[1].trim(), addr: m[2].trim() } : from);
  msg.setRecipient(email.to);
  msg.setSubject(email.subject);
  if (email.language) msg.setHeader('Content-Language', email.language);
  // Base64 bodies: Dutch text has non-ASCII characters, which 7bit transfer would mangle.
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  msg.addMessage({ contentType: 'text/plain', data: b64(email.text), encoding: 'base64', charset: 'UTF-8' });
  msg.addMessage({ contentType: 'text/html', data: b64(email.html), encoding: 'base64', charset: 'UTF-8' });
  for (const a of email.attachments ?? []) {
    msg.addAttachment({ filename: a.filename, contentType: a.contentType, data: a.content.toString('base64') });
  }
  return msg.asRaw();
}

/**
 * Sends through SES SendRawEmail, with the configuration set (bounces and complaints come back
 * through it) when one is configured. Returns the SES message id. Throws after the SDK's retries.
 */
export async function sendEmail(email: Email): Promise<string> {
  const raw = buildMime(email);
  const configurationSet = config.sesConfigurationSet;
  const res = await sesClient().send(
    new SendRawEmailCommand({ RawMessage: { Data: Buffer.from(raw, 'utf8') }, ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}) }),
  );
  logger.info('email sent', { messageId: res.MessageId, subject: email.subject });
  return res.MessageId ?? '';
}
