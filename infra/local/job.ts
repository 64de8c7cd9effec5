/**
 * `npm run job -- <job> [--as-of YYYY-MM-DD] [--dry-run]`: run one scheduled job now against the
 * running local stack (`npm start`), the same way the schedule does, and print its summary
 * (`--dry-run`: what it would do, sending and writing nothing). The stack is found through
 * `PE_DATA_DIR/local-stack.json` (stack-file.ts); DYNAMODB_PORT, SES_PORT & co. override it.
 */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from './dynamo';
import { isCalendarDate, setLocalAwsEnv } from './env';
import { ConfigError } from './ports';
import { jobTarget } from './stack-file';

const USAGE = 'npm run job -- <job> [--as-of YYYY-MM-DD] [--dry-run]';

function parseArgs(argv: string[]): { job?: string; asOf?: string; dryRun?: boolean } {
  const out: { job?: string; asOf?: string; dryRun?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--as-of') {
      if (argv[i + 1] === undefined) throw new ConfigError('--as-of needs a date: --as-of YYYY-MM-DD');
      out.asOf = argv[++i];
    } else if (arg.startsWith('--as-of=')) out.asOf = arg.slice('--as-of='.length);
    else if (arg === '--dry-run') out.dryRun = true;
    else if (arg.startsWith('-')) throw new ConfigError(`Unknown option ${arg}. Usage: ${USAGE}`);
    else if (!out.job) out.job = arg;
    else throw new ConfigError(`One job at a time (got ${out.job} and ${arg}).`);
  }
  return out;
}

async function main(): Promise<number> {
  const { job, asOf, dryRun } = parseArgs(process.argv.slice(2));
  if (asOf !== undefined && !isCalendarDate(asOf)) {
    throw new ConfigError(`--as-of must be a calendar date YYYY-MM-DD, got "${asOf}".`);
  }
  // The same rule as POST /v1/jobs/{job}/runs: a run may not act as of a day that has not come.
  const { asOfProblem, jobNames, runJob } = await import('../../shared/jobs/registry');
  const future = asOf === undefined ? undefined : asOfProblem(asOf);
  if (future) throw new ConfigError(`--as-of: ${future}.`);
  const known = jobNames();
  const list = known.length ? known.join(', ') : '(none yet)';
  if (!job) throw new ConfigError(`Usage: ${USAGE}. Jobs: ${list}`);
  if (!known.includes(job)) throw new ConfigError(`Unknown job "${job}". Jobs: ${list}`);

  const target = jobTarget();
  setLocalAwsEnv({ dynamoEndpoint: target.dynamoEndpoint, sesEndpoint: target.sesEndpoint, tableName: target.tableName });
  const client = localDynamoClient(target.dynamoEndpoint, 1);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(3000) });
  } catch {
    throw new ConfigError(
      `No DynamoDB Local answers on ${target.dynamoEndpoint} (from ${target.from === 'environment' ? 'DYNAMODB_ENDPOINT/DYNAMODB_PORT' : 'PE_DATA_DIR/local-stack.json'}): start the stack with \`npm start\` first.`,
    );
  } finally {
    client.destroy();
  }

  const { todayInAmsterdam } = await import('../../shared/dates');
  const summary = await runJob(job, asOf ?? todayInAmsterdam(), { dryRun });
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
