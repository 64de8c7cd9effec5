import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger (JSON lines). Never log personal data: ids yes, names/e-mails/birth
 * dates no. The HTTP recipe sets the correlation id per request, so it is on every line.
 */
export const logger = new Logger({
  serviceName: 'pe-register',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? (process.env.VITEST ? 'SILENT' : 'INFO'),
});
