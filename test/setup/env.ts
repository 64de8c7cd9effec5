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
import { resetDb } from '../../shared/data/client';
import { resetCursorKey } from '../../shared/http/cursor';
import { forgetFileMocks, freshEnv } from './worker-env';
import { recordFileTime } from './file-times';
import { forgetSdkMocks } from './worker-reuse';
import { stackOfWorker } from './shared-stack';

recordFileTime();
freshEnv();

const dynamoEndpoint = stackOfWorker(inject('dynamoEndpoints'));
const sesEndpoint = inject('sesEndpoint');
const tableName = `pe-test-${process.env.VITEST_POOL_ID ?? '0'}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

setLocalAwsEnv({ dynamoEndpoint, sesEndpoint, tableName });
// Local key files (shared/crypto/keys.ts) of this file's run, never the developer's .data/keys.
process.env.PE_DATA_DIR = mkdtempSync(join(tmpdir(), 'pe-test-keys-'));
// A client cached by an earlier file in this worker would point at that file's table.
resetDb();
// The cursor key is cached per process; this file's comes from its own PE_DATA_DIR.
resetCursorKey();
await ensureTable(dynamoEndpoint, tableName);

afterAll(async () => {
  // What a file may leave behind in the worker's shared modules: spies, stubbed env, fake timers,
  // aws-sdk-client-mock stubs on an SDK client (a file that forgot restore()).
  forgetFileMocks();
  forgetSdkMocks();
  resetDb();
  const client = localDynamoClient(dynamoEndpoint);
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch {
    // in memory anyway; the run's DynamoDB Local goes at teardown
  } finally {
    client.destroy();
  }
});
