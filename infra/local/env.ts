import { ConfigError } from './ports';

export const DEFAULT_TABLE_NAME = 'pe-register';
export const MIN_ADMIN_KEY_LENGTH = 16;

/**
 * Point the handlers (which read their configuration from the environment, as on Lambda) at the
 * local emulators. Dummy credentials always: the endpoints are local, and a developer's real
 * AWS profile must never be picked up (or slow the SDK's credential chain down).
 */
export function setLocalAwsEnv(opts: { dynamoEndpoint: string; sesEndpoint?: string; tableName?: string }): void {
  process.env.DYNAMODB_ENDPOINT = opts.dynamoEndpoint;
  if (opts.sesEndpoint) process.env.SES_ENDPOINT = opts.sesEndpoint;
  if (opts.tableName) process.env.TABLE_NAME = opts.tableName;
  process.env.TABLE_NAME ||= DEFAULT_TABLE_NAME;
  process.env.AWS_REGION ||= 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

/** ADMIN_API_KEY as configured: undefined when unset, a ConfigError when too short. */
export function adminKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const key = env.ADMIN_API_KEY;
  if (key === undefined || key === '') return undefined;
  if (key.length < MIN_ADMIN_KEY_LENGTH || /\s/.test(key)) {
    throw new ConfigError(
      `ADMIN_API_KEY must be at least ${MIN_ADMIN_KEY_LENGTH} characters without spaces (got ${key.length}); unset it to have one generated.`,
    );
  }
  return key;
}

/** YYYY-MM-DD that is a real calendar date. */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
