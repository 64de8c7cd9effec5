/**
 * Runs before every test file, in its worker: points the AWS SDK at the run's DynamoDB Local and
 * SES emulator and gives the file a table of its own (same definition as the stack), so files
 * running in parallel never see each other's data.
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

const dynamoEndpoint = inject('dynamoEndpoint');
const sesEndpoint = inject('sesEndpoint');
const tableName = `pe-test-${process.env.VITEST_POOL_ID ?? '0'}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

setLocalAwsEnv({ dynamoEndpoint, sesEndpoint, tableName });
// Local key files (shared/crypto/keys.ts) of this file's run, never the developer's .data/keys.
process.env.PE_DATA_DIR = mkdtempSync(join(tmpdir(), 'pe-test-keys-'));
// A client cached by an earlier file in this worker would point at that file's table.
resetDb();
await ensureTable(dynamoEndpoint, tableName);

afterAll(async () => {
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
