/**
 * `npm run job -- <job> [--as-of YYYY-MM-DD]`: run one scheduled job now against the running
 * local stack (`npm start`), the same way the schedule does, and print its summary.
 */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from './dynamo';
import { isCalendarDate, setLocalAwsEnv } from './env';
import { ConfigError, portFromEnv } from './ports';

function parseArgs(argv: string[]): { job?: string; asOf?: string } {
  const out: { job?: string; asOf?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--as-of') {
      if (argv[i + 1] === undefined) throw new ConfigError('--as-of needs a date: --as-of YYYY-MM-DD');
      out.asOf = argv[++i];
    } else if (arg.startsWith('--as-of=')) out.asOf = arg.slice('--as-of='.length);
    else if (arg.startsWith('-')) throw new ConfigError(`Unknown option ${arg}. Usage: npm run job -- <job> [--as-of YYYY-MM-DD]`);
    else if (!out.job) out.job = arg;
    else throw new ConfigError(`One job at a time (got ${out.job} and ${arg}).`);
  }
  return out;
}

async function main(): Promise<number> {
  const { job, asOf } = parseArgs(process.argv.slice(2));
  if (asOf !== undefined && !isCalendarDate(asOf)) {
    throw new ConfigError(`--as-of must be a calendar date YYYY-MM-DD, got "${asOf}".`);
  }
  const dynamoEndpoint = process.env.DYNAMODB_ENDPOINT || `http://127.0.0.1:${portFromEnv('DYNAMODB_PORT', 8000)}`;
  const sesEndpoint = process.env.SES_ENDPOINT || `http://127.0.0.1:${portFromEnv('SES_PORT', 8005)}`;
  setLocalAwsEnv({ dynamoEndpoint, sesEndpoint });

  const { jobNames, runJob } = await import('../../shared/jobs/registry');
  const known = jobNames();
  const list = known.length ? known.join(', ') : '(none yet)';
  if (!job) throw new ConfigError(`Usage: npm run job -- <job> [--as-of YYYY-MM-DD]. Jobs: ${list}`);
  if (!known.includes(job)) throw new ConfigError(`Unknown job "${job}". Jobs: ${list}`);

  const client = localDynamoClient(dynamoEndpoint, 1);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(3000) });
  } catch {
    throw new ConfigError(`No DynamoDB Local answers on ${dynamoEndpoint}: start the stack with \`npm start\` first (or set DYNAMODB_PORT).`);
  } finally {
    client.destroy();
  }

  const { todayInAmsterdam } = await import('../../shared/dates');
  const summary = await runJob(job, asOf ?? todayInAmsterdam());
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`The job failed: ${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  },
);
