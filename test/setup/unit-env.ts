/**
 * Unit (and infra) files: no emulator runs for them. The AWS SDK is pointed at a port nobody
 * listens on, with dummy credentials, so a unit test that reaches for DynamoDB or SES fails at
 * once with ECONNREFUSED (move it to test/integration) instead of calling a real AWS account.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setLocalAwsEnv } from '../../infra/local/env';
import { startFile } from './worker-env';

// The unit project runs with isolate: false: each file starts from the worker's first environment.
startFile();
const nowhere = 'http://127.0.0.1:9';
setLocalAwsEnv({ dynamoEndpoint: nowhere, sesEndpoint: nowhere, tableName: 'pe-unit-no-table' });
process.env.PE_DATA_DIR = mkdtempSync(join(tmpdir(), 'pe-unit-keys-'));
