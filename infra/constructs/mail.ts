import { CfnOutput } from 'aws-cdk-lib';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { PeFunction } from './pe-function';

export interface MailProps {
  /** The sender domain, e.g. pe-register.nl. */
  domain: string;
  /** Base URL of the participant-facing site, used in links inside e-mails. */
  publicBaseUrl: string;
}

/** The SES identity for the sender domain and the one way a function is allowed to send from it. */
export class Mail extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly mailFrom: string;
  readonly publicBaseUrl: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.mailFrom = `PE-register <noreply@${props.domain}>`;
    this.publicBaseUrl = props.publicBaseUrl;

    // Easy DKIM: SES generates the keys; the three CNAMEs below go into the domain's DNS.
    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.domain(props.domain),
    });

    this.identity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        description: `DKIM CNAME ${i + 1} to publish in the DNS of ${props.domain}`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });
  }

  /**
   * Lets a function send e-mail: ses:SendEmail/SendRawEmail on this identity only, plus the
   * sender address and link base in its environment.
   */
  allowSending(fn: PeFunction): void {
    this.identity.grantSendEmail(fn.role);
    fn.addEnvironment('MAIL_FROM', this.mailFrom);
    fn.addEnvironment('PUBLIC_BASE_URL', this.publicBaseUrl);
  }
}
