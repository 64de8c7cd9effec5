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
  /**
   * The SES configuration set every e-mail is sent with (issue 16 part 5): its event destination
   * publishes bounces and complaints to SNS. Set by the stack on every sending function; unset
   * locally (the SES emulator would accept one and ignore it).
   */
  get sesConfigurationSet(): string | undefined {
    return process.env.SES_CONFIGURATION_SET || undefined;
  },
  /** Base URL of the participant-facing site, used in links inside e-mails. */
  get publicBaseUrl(): string {
    return process.env.PUBLIC_BASE_URL || 'https://pe-register.nl';
  },
  get region(): string {
    return process.env.AWS_REGION || 'eu-west-1';
  },
  /**
   * The register as supplier on its invoices (SUPPLIER_* variables). The defaults are the
   * register's placeholders for local use and tests; a deployment sets the real values. Every
   * invoice copies these at issue time, so changing them never alters an issued invoice.
   */
  get supplier(): Supplier {
    const env = (name: string, fallback: string) => process.env[name] || fallback;
    return {
      name: env('SUPPLIER_NAME', 'Stichting PE-register Uitzendbranche'),
      street: env('SUPPLIER_STREET', 'Keizersgracht 100'),
      postalCode: env('SUPPLIER_POSTAL_CODE', '1015 AA'),
      city: env('SUPPLIER_CITY', 'Amsterdam'),
      country: env('SUPPLIER_COUNTRY', 'NL'),
      kvkNumber: env('SUPPLIER_KVK', '12345678'),
      vatNumber: env('SUPPLIER_VAT', 'NL001234567B01'),
      iban: env('SUPPLIER_IBAN', 'NL91ABNA0417164300'),
      bic: process.env.SUPPLIER_BIC || undefined,
      email: env('SUPPLIER_EMAIL', 'facturen@pe-register.nl'),
      paymentTermDays: Number(env('SUPPLIER_PAYMENT_TERM_DAYS', '30')),
    };
  },
  /**
   * KMS key that seals webhook secrets (cloud; set only on the functions that may use it).
   * Unset → sealed locally with the key file `PE_DATA_DIR/keys/webhook-secrets`.
   */
  get secretsKeyId(): string | undefined {
    return process.env.SECRETS_KEY_ID || undefined;
  },
  /** SQS queue of the per-employer invoice work (cloud); unset → the run does the work in-process. */
  get invoiceQueueUrl(): string | undefined {
    return process.env.INVOICE_QUEUE_URL || undefined;
  },
  /** Secrets Manager secret holding the cursor signing key (cloud, paged routes); unset → the local key file. */
  get cursorKeySecretArn(): string | undefined {
    return process.env.CURSOR_KEY_SECRET_ARN || undefined;
  },
  /**
   * Secrets Manager secret whose value CloudFront sends as the `x-origin-verify` header (cloud,
   * rate-limited routes): a request that carries it came through the distribution, so its
   * CloudFront-Viewer-Address is the client's. Unset (locally) → the connection's address counts.
   */
  get originVerifySecretArn(): string | undefined {
    return process.env.ORIGIN_VERIFY_SECRET_ARN || undefined;
  },
  /**
   * The first admin user's address (`npm start`: ADMIN_EMAIL, default beheer@localhost; the cloud:
   * the CDK context `adminEmail` on the functions that look up sign-in addresses). Unset: none.
   */
  get adminEmail(): string | undefined {
    return process.env.ADMIN_EMAIL?.trim() || undefined;
  },
  /**
   * KMS key (ECC_NIST_EDWARDS25519) that signs the Open Badges credentials and their status lists
   * (cloud; set only on the functions that sign or publish its public key). Unset → the local key
   * file `PE_DATA_DIR/keys/credentials` (shared/crypto/credential-signer.ts).
   */
  get credentialKeyId(): string | undefined {
    return process.env.CREDENTIAL_KEY_ID || undefined;
  },
  /** SQS queue of activation requests (cloud); unset → they are matched in-process after the answer. */
  get activationQueueUrl(): string | undefined {
    return process.env.ACTIVATION_QUEUE_URL || undefined;
  },
  /**
   * Brute-force limits of the routes with `rateLimit` (shared/data/rate-limits.ts): per client
   * address and route, and per identifier value and route, each in fixed windows. The defaults
   * leave a person who mistypes room to retry and stop a script; RATE_LIMIT_* override them
   * (the bench, a test that legitimately sends many requests). A bad value fails loudly.
   * `misses`: an employer's rows that matched no diploma holder (inventory and collective
   * registration together, shared/services/misses.ts), per fixed window.
   */
  get rateLimits(): RateLimits {
    const { client, identifier, misses } = DEFAULT_RATE_LIMITS;
    return {
      client: {
        max: positiveInt('RATE_LIMIT_CLIENT_MAX', client.max),
        windowSeconds: positiveInt('RATE_LIMIT_CLIENT_WINDOW_SECONDS', client.windowSeconds),
      },
      identifier: {
        max: positiveInt('RATE_LIMIT_IDENTIFIER_MAX', identifier.max),
        windowSeconds: positiveInt('RATE_LIMIT_IDENTIFIER_WINDOW_SECONDS', identifier.windowSeconds),
      },
      misses: {
        max: positiveInt('RATE_LIMIT_MISSES_MAX', misses.max),
        windowSeconds: positiveInt('RATE_LIMIT_MISSES_WINDOW_SECONDS', misses.windowSeconds),
      },
    };
  },
};

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1 (got "${raw}")`);
  return value;
}

export interface RateLimitWindow {
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
}

export interface RateLimits {
  client: RateLimitWindow;
  identifier: RateLimitWindow;
  /** Unmatched rows (not requests) per employer. */
  misses: RateLimitWindow;
}

/**
 * 20 requests per 10 minutes per client address, 5 per hour per identifier (per route); 2,000
 * unmatched rows per employer per 24 hours (room for typing errors in two full lists, not for
 * guessing birth dates: a year has 365 of them).
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  client: { max: 20, windowSeconds: 600 },
  identifier: { max: 5, windowSeconds: 3600 },
  misses: { max: 2000, windowSeconds: 86_400 },
};

export interface Supplier {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  kvkNumber: string;
  vatNumber: string;
  iban: string;
  bic?: string;
  email: string;
  paymentTermDays: number;
}
