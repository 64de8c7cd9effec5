/**
 * SES event notifications as a configuration set's SNS event destination publishes them (the
 * shapes of the SES developer guide, "Examples of event data that Amazon SES publishes to Amazon
 * SNS"), wrapped in the SNS → Lambda envelope. Tests hand them to functions/events/ses-events.ts
 * exactly as SNS would invoke it in the cloud.
 */
import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';

const ACCOUNT = '123456789012';
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:PeRegister-DeliverabilityTopic`;

const mail = (to: string[], at: string) => ({
  timestamp: at,
  source: 'PE-register <noreply@pe-register.nl>',
  sourceArn: `arn:aws:ses:eu-west-1:${ACCOUNT}:identity/pe-register.nl`,
  sendingAccountId: ACCOUNT,
  messageId: `0102018c${randomUUID().replace(/-/g, '')}-000000`,
  destination: to,
  headersTruncated: false,
  headers: [
    { name: 'From', value: 'PE-register <noreply@pe-register.nl>' },
    { name: 'To', value: to.join(', ') },
    { name: 'Subject', value: 'Uw PE-registratie loopt af' },
    { name: 'MIME-Version', value: '1.0' },
  ],
  commonHeaders: { from: ['PE-register <noreply@pe-register.nl>'], to, messageId: '<x@pe-register.nl>', subject: 'Uw PE-registratie loopt af' },
  tags: { 'ses:configuration-set': ['PeRegister-MailConfigurationSet'], 'ses:source-ip': ['192.0.2.0'], 'ses:from-domain': ['pe-register.nl'], 'ses:caller-identity': ['pe-register'] },
});

export const feedbackId = () => `0102018c${randomUUID().replace(/-/g, '')}-${randomUUID().slice(0, 8)}-000000`;

/** A bounce event (event publishing: `eventType`). */
export function bounceNotification(recipients: string[], opts: { bounceType?: 'Permanent' | 'Transient' | 'Undetermined'; subType?: string; at?: string; feedbackId?: string } = {}) {
  const at = opts.at ?? new Date().toISOString();
  const permanent = (opts.bounceType ?? 'Permanent') === 'Permanent';
  return {
    eventType: 'Bounce',
    bounce: {
      feedbackId: opts.feedbackId ?? feedbackId(),
      bounceType: opts.bounceType ?? 'Permanent',
      bounceSubType: opts.subType ?? (permanent ? 'General' : 'MailboxFull'),
      bouncedRecipients: recipients.map((emailAddress) => ({
        emailAddress,
        action: 'failed',
        status: permanent ? '5.1.1' : '4.2.2',
        diagnosticCode: permanent ? 'smtp; 550 5.1.1 user unknown' : 'smtp; 452 4.2.2 mailbox full',
      })),
      timestamp: at,
      reportingMTA: 'dns; email.example.com',
    },
    mail: mail(recipients, new Date(Date.parse(at) - 60_000).toISOString()),
  };
}

/** A complaint event (event publishing: `eventType`). */
export function complaintNotification(recipients: string[], opts: { at?: string; feedbackId?: string } = {}) {
  const at = opts.at ?? new Date().toISOString();
  return {
    eventType: 'Complaint',
    complaint: {
      feedbackId: opts.feedbackId ?? feedbackId(),
      complaintSubType: null,
      complainedRecipients: recipients.map((emailAddress) => ({ emailAddress })),
      timestamp: at,
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
      complaintFeedbackType: 'abuse',
      arrivalDate: at,
    },
    mail: mail(recipients, new Date(Date.parse(at) - 60_000).toISOString()),
  };
}

/** The SNS → Lambda event carrying these SES notifications, one record each. */
export function snsEnvelope(...notifications: unknown[]): SNSEvent {
  return {
    Records: notifications.map((n) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `${TOPIC}:${randomUUID()}`,
      Sns: {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: TOPIC,
        Subject: null as unknown as string,
        Message: typeof n === 'string' ? n : JSON.stringify(n),
        Timestamp: new Date().toISOString(),
        SignatureVersion: '1',
        Signature: 'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
        SigningCertUrl: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
        UnsubscribeUrl: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC}:x`,
        MessageAttributes: {},
      },
    })),
  };
}
