/**
 * `PE_DATA_DIR/local-stack.json`: where the running `npm start` can be reached. `npm start`
 * writes it once everything is up and removes it on a clean stop, so `npm run job` (and any other
 * local tool) finds the stack's endpoints by itself instead of needing the ports exported again.
 * Environment variables still win over it.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, portFromEnv } from './ports';
import { DEFAULT_TABLE_NAME } from './env';

export const STACK_FILE = 'local-stack.json';

export interface LocalStackInfo {
  /** The `npm start` process (its node, not npm): a file whose process is gone is stale. */
  pid: number;
  apiUrl: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
  startedAt: string;
}

/** PE_DATA_DIR as `npm start` resolves it (default `.data`, relative to the working directory). */
export const dataDirFromEnv = (env: NodeJS.ProcessEnv = process.env) => resolve(env.PE_DATA_DIR || '.data');

export const stackFilePath = (dataDir: string) => join(dataDir, STACK_FILE);

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Written whole or not at all (rename), so a reader never sees half a file. */
export function writeStackFile(dataDir: string, info: LocalStackInfo): void {
  const file = stackFilePath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`);
  renameSync(tmp, file);
}

/** Removes the file if it still describes the stack of `pid` (a newer stack's file stays). */
export function removeStackFile(dataDir: string, pid: number): void {
  const info = readStackFile(dataDir);
  if (info?.pid === pid) rmSync(stackFilePath(dataDir), { force: true });
}

/** The file's content, or undefined when there is none (or it is not ours to read). */
export function readStackFile(dataDir: string): LocalStackInfo | undefined {
  const file = stackFilePath(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalStackInfo>;
    if (typeof info.pid !== 'number' || typeof info.dynamoEndpoint !== 'string' || typeof info.sesEndpoint !== 'string') return undefined;
    return { tableName: DEFAULT_TABLE_NAME, apiUrl: '', startedAt: '', ...info } as LocalStackInfo;
  } catch {
    return undefined;
  }
}

/** The stack running on this data folder, or undefined when none is (no file, or its process has gone). */
export function runningStack(dataDir: string): LocalStackInfo | undefined {
  const info = readStackFile(dataDir);
  return info && isProcessAlive(info.pid) ? info : undefined;
}

export interface JobTarget {
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
  /** Where the endpoints came from, for the error message when nothing answers. */
  from: 'environment' | 'local-stack.json';
}

/**
 * The endpoints `npm run job` talks to. DYNAMODB_ENDPOINT / DYNAMODB_PORT, SES_ENDPOINT /
 * SES_PORT and TABLE_NAME win; whatever they leave open comes from the running stack's file. With
 * neither a DynamoDB setting nor a running stack: a one-line error saying how to start one.
 */
export function jobTarget(env: NodeJS.ProcessEnv = process.env): JobTarget {
  const dataDir = dataDirFromEnv(env);
  const fromEnv = (endpoint: string, port: string, fallback: number) =>
    env[endpoint] || (env[port] ? `http://127.0.0.1:${portFromEnv(port, fallback, env)}` : undefined);
  const dynamo = fromEnv('DYNAMODB_ENDPOINT', 'DYNAMODB_PORT', 8000);
  const ses = fromEnv('SES_ENDPOINT', 'SES_PORT', 8005);
  const stack = dynamo && ses && env.TABLE_NAME ? undefined : runningStack(dataDir);
  if (!dynamo && !stack) {
    const stale = readStackFile(dataDir) ? ` (${stackFilePath(dataDir)} is left from a stack that has stopped)` : '';
    throw new ConfigError(
      `No local stack is running for PE_DATA_DIR=${dataDir}${stale}: start it with \`npm start\` (same PE_DATA_DIR), or set DYNAMODB_PORT and SES_PORT.`,
    );
  }
  return {
    dynamoEndpoint: dynamo ?? stack!.dynamoEndpoint,
    sesEndpoint: ses ?? stack?.sesEndpoint ?? `http://127.0.0.1:${portFromEnv('SES_PORT', 8005, env)}`,
    tableName: env.TABLE_NAME || stack?.tableName || DEFAULT_TABLE_NAME,
    from: dynamo ? 'environment' : 'local-stack.json',
  };
}
