import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { PeFunction } from './pe-function';

export interface MailProps {
  /** The sender domain, e.g. pe-register.nl. */
  domain: string;
  /** Base URL of the participant-facing site, used in links inside e-mails. */
  publicBaseUrl: string;
}

/**
 * The SES identity for the sender domain, the configuration set every e-mail is sent with (its
 * event destination, infra/constructs/deliverability.ts, brings bounces and complaints back), and
 * the one way a function is allowed to send.
 */
export class Mail extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
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

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {});

    this.identity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        description: `DKIM CNAME ${i + 1} to publish in the DNS of ${props.domain}`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });
  }

  /**
   * Lets a function send e-mail: ses:SendEmail/SendRawEmail on this identity and with this
   * configuration set only (SES authorises a send against both), plus the sender address, the
   * configuration set's name (shared/email/send.ts sends every mail with it) and the link base in
   * its environment.
   */
  allowSending(fn: PeFunction): void {
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          this.identity.emailIdentityArn,
          Stack.of(this).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }),
        ],
      }),
    );
    fn.addEnvironment('MAIL_FROM', this.mailFrom);
    fn.addEnvironment('SES_CONFIGURATION_SET', this.configurationSet.configurationSetName);
    fn.addEnvironment('PUBLIC_BASE_URL', this.publicBaseUrl);
  }
}
