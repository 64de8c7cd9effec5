/**
 * Configuration, read once from the environment. A missing required value fails loudly at first
 * use instead of turning into an `undefined` table name deep in an SDK call.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
}

export const config = {
  /** The DynamoDB table (set by the stack's bindTable helper, or by the local stack). */
  get tableName(): string {
    return required('TABLE_NAME');
  },
  /** Override for DynamoDB Local; unset on AWS. */
  get dynamoEndpoint(): string | undefined {
    return process.env.DYNAMODB_ENDPOINT || undefined;
  },
  /** Override for the SES emulator; unset on AWS. */
  get sesEndpoint(): string | undefined {
    return process.env.SES_ENDPOINT || undefined;
  },
  /** Sender address of every e-mail. */
  get mailFrom(): string {
    return process.env.MAIL_FROM || 'PE-register <noreply@pe-register.nl>';
  },
  /** Base URL of the participant-facing site, used in links inside e-mails. */
  get publicBaseUrl(): string {
    return process.env.PUBLIC_BASE_URL || 'https://pe-register.nl';
  },
  get region(): string {
    return process.env.AWS_REGION || 'eu-west-1';
  },
};
