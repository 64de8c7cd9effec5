import { sendEmail, type Email } from './send';

/**
 * SES errors worth another try: throttling (the account's sending rate, "Maximum sending rate
 * exceeded"), server-side errors and network trouble. A rejected message (bad address, unverified
 * sender, paused account) fails the same way every time and is not retried.
 */
export function isRetryableSendError(err: unknown): boolean {
  const e = err as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number }; code?: string };
  if (!e) return false;
  if (e.$retryable) return true;
  if (/^(Throttling|ThrottlingException|TooManyRequestsException|ServiceUnavailable|InternalFailure|RequestTimeout|TimeoutError)$/.test(e.name ?? '')) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  // No HTTP answer at all: the connection failed.
  return status === undefined && /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN)$/.test(e.code ?? '');
}

export interface RetryOptions {
  /** Sends in all (each already retried by the SDK: maxAttempts 6, exponential back-off). */
  attempts: number;
  /** First pause; doubles after each failed attempt (with jitter: between half and all of it). */
  baseDelayMs: number;
}

export const DEFAULT_SEND_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 2000 };

/**
 * `sendEmail` with a bounded retry of its own on top of the SDK's: when SES keeps throttling past
 * the SDK's attempts (a burst of a big run), wait and try again a few times, then give up and let
 * the caller keep the message due for its next run.
 */
export async function sendEmailWithRetry(email: Email, opts: RetryOptions = DEFAULT_SEND_RETRY): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendEmail(email);
    } catch (err) {
      if (attempt >= opts.attempts || !isRetryableSendError(err)) throw err;
      const cap = opts.baseDelayMs * 2 ** (attempt - 1);
      await new Promise((r) => setTimeout(r, cap / 2 + Math.random() * (cap / 2)));
    }
  }
}
