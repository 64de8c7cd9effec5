/**
 * `PE_DATA_DIR/local-stack.json` (issue 13, point 14): `npm start` records its endpoints there,
 * `npm run job` reads them, environment variables still win, and a missing or stale file is a
 * one-line error that says what to do.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/local/ports';
import { jobTarget, readStackFile, removeStackFile, runningStack, stackFilePath, writeStackFile, type LocalStackInfo } from '../../infra/local/stack-file';

const fresh = () => mkdtempSync(join(tmpdir(), 'pe-stackfile-'));

function info(over: Partial<LocalStackInfo> = {}): LocalStackInfo {
  return {
    pid: process.pid,
    apiUrl: 'http://localhost:43100',
    dynamoEndpoint: 'http://127.0.0.1:43101',
    sesEndpoint: 'http://localhost:43102',
    tableName: 'pe-register-dev',
    startedAt: new Date().toISOString(),
    ...over,
  };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('the local stack file', () => {
  it('round-trips, and is removed only by the stack it describes', () => {
    const dir = fresh();
    writeStackFile(dir, info());
    expect(readStackFile(dir)).toEqual(info({ startedAt: readStackFile(dir)!.startedAt }));
    removeStackFile(dir, process.pid + 1);
    expect(existsSync(stackFilePath(dir))).toBe(true);
    removeStackFile(dir, process.pid);
    expect(existsSync(stackFilePath(dir))).toBe(false);
  });

  it('npm run job takes the endpoints and table of the stack running on PE_DATA_DIR, with no ports exported', () => {
    const dir = fresh();
    writeStackFile(dir, info());
    expect(jobTarget({ PE_DATA_DIR: dir })).toEqual({
      dynamoEndpoint: 'http://127.0.0.1:43101',
      sesEndpoint: 'http://localhost:43102',
      tableName: 'pe-register-dev',
      from: 'local-stack.json',
    });
  });

  it('environment variables still win, one by one', () => {
    const dir = fresh();
    writeStackFile(dir, info());
    expect(jobTarget({ PE_DATA_DIR: dir, DYNAMODB_PORT: '9000' })).toMatchObject({
      dynamoEndpoint: 'http://127.0.0.1:9000',
      sesEndpoint: 'http://localhost:43102',
      tableName: 'pe-register-dev',
      from: 'environment',
    });
    expect(jobTarget({ PE_DATA_DIR: dir, SES_ENDPOINT: 'http://ses.test:1', TABLE_NAME: 'other' })).toMatchObject({
      dynamoEndpoint: 'http://127.0.0.1:43101',
      sesEndpoint: 'http://ses.test:1',
      tableName: 'other',
    });
    // Without any stack, the old way still works: ports from the environment.
    expect(jobTarget({ PE_DATA_DIR: fresh(), DYNAMODB_PORT: '9000', SES_PORT: '9001' })).toMatchObject({
      dynamoEndpoint: 'http://127.0.0.1:9000',
      sesEndpoint: 'http://127.0.0.1:9001',
      tableName: 'pe-register',
    });
  });

  it('no stack running: a one-line error naming PE_DATA_DIR and npm start; a stale file is recognised as such', async () => {
    const empty = fresh();
    const none = () => jobTarget({ PE_DATA_DIR: empty });
    expect(none).toThrow(ConfigError);
    expect(none).toThrow(new RegExp(`^No local stack is running for PE_DATA_DIR=${empty}: start it with \`npm start\``));

    const stale = fresh();
    writeStackFile(stale, info({ pid: await deadPid() }));
    expect(runningStack(stale)).toBeUndefined();
    let message = '';
    try {
      jobTarget({ PE_DATA_DIR: stale });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/is left from a stack that has stopped\): start it with `npm start`/);
    expect(message).not.toContain('\n');

    // A damaged file counts as no stack, not as a crash.
    const garbage = fresh();
    writeFileSync(stackFilePath(garbage), '{"pid": ');
    expect(() => jobTarget({ PE_DATA_DIR: garbage })).toThrow(ConfigError);
  });
});
