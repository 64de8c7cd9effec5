/**
 * Runs before every test file, in its worker: points the AWS SDK at its worker's DynamoDB Local
 * and the run's SES emulator and gives the file a table of its own (same definition as the stack), so files
 * running in parallel never see each other's data.
 *
 * The integration project runs with `isolate: false` (vitest.config.ts): a worker imports the
 * module graph once and runs file after file in it (~0.7 s of CPU less per file, measured in
 * bench/OPTIMISATIONS.md). What a file could leave in that shared graph is reset here, before
 * (environment, cursor key, DynamoDB client) and after it (mocks, timers); `adminKey()` keys its
 * cache by table.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable, localDynamoClient } from '../../infra/local/dynamo';
import { setLocalAwsEnv } from '../../infra/local/env';
import { startFile } from './worker-env';
import { stackOfWorker } from './shared-stack';

// The worker's first environment, no client or cursor key of an earlier file (startFile); this
// file's own table and key folder below.
startFile();

const dynamoEndpoint = stackOfWorker(inject('dynamoEndpoints'));
const sesEndpoint = inject('sesEndpoint');
const tableName = `pe-test-${process.env.VITEST_POOL_ID ?? '0'}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

setLocalAwsEnv({ dynamoEndpoint, sesEndpoint, tableName });
// Local key files (shared/crypto/keys.ts) of this file's run, never the developer's .data/keys.
process.env.PE_DATA_DIR = mkdtempSync(join(tmpdir(), 'pe-test-keys-'));
await ensureTable(dynamoEndpoint, tableName);

afterAll(async () => {
  const client = localDynamoClient(dynamoEndpoint);
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch {
    // in memory anyway; the run's DynamoDB Local goes at teardown
  } finally {
    client.destroy();
  }
});
