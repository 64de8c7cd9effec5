/**
 * e2e and browser files: the AWS SDK of the test process points at the shared stack's DynamoDB
 * Local and table (helpers that write a web session or read a record directly use them), and
 * local key files go to a folder of the file's own.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { setLocalAwsEnv } from '../../infra/local/env';
import { stackOfWorker } from './shared-stack';
import { startFile } from './worker-env';

// These projects run with isolate: false too.
startFile();
const stack = stackOfWorker(inject('sharedStacks'));
// Without a shared stack (its start failed) the files fail with the reason, through sharedStack().
if (!('error' in stack)) setLocalAwsEnv({ dynamoEndpoint: stack.dynamoEndpoint, sesEndpoint: stack.sesUrl, tableName: stack.tableName });
process.env.PE_DATA_DIR = mkdtempSync(join(tmpdir(), 'pe-test-keys-'));
