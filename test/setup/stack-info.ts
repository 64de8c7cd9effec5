import { readStackFile } from '../../infra/local/stack-file';
import type { Stack } from '../e2e/helpers';
import type { SharedStackInfo } from './shared-stack';

/** What a test file needs to know of a running stack (serialisable, for `provide`). */
export async function describeStack(stack: Stack): Promise<SharedStackInfo> {
  // `npm start` listens a moment before it writes its stack file: wait for the file (bounded).
  const deadline = Date.now() + 10_000;
  let file = readStackFile(stack.dataDir);
  while (!file) {
    if (Date.now() > deadline) throw new Error(`the stack file is missing in ${stack.dataDir}:\n${stack.output()}`);
    await new Promise((r) => setTimeout(r, 50));
    file = readStackFile(stack.dataDir);
  }
  // The banner follows the stack file: wait for its last line too (bounded), for the files that read it.
  while (!stack.output().includes('Ctrl-C stops everything.')) {
    if (Date.now() > deadline) throw new Error(`npm start printed no complete banner:\n${stack.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const bootOutput = stack.output();
  const { baseUrl, sesUrl, adminKey, dataDir, ports, startupMs, pid } = stack;
  return { baseUrl, sesUrl, adminKey, dataDir, ports, startupMs, pid, dynamoEndpoint: file.dynamoEndpoint, tableName: file.tableName, bootOutput };
}
