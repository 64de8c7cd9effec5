import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startDynamo, type DynamoLocal } from '../../infra/local/dynamo';
import { freePort } from '../../infra/local/ports';
import { startSes } from '../../infra/local/ses';
import { workersOf } from './shared-stack';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * The run's DynamoDB Locals (in memory), one per worker: a file uses its worker's
     * (`stackOfWorker`). DynamoDB Local does one request's work at a time, so with one JVM for
     * both workers each waited on the other's requests (the integration files ran at ~25 % idle).
     */
    dynamoEndpoints: string[];
    /** The SES emulator for this test run (`GET /store` lists what was sent). */
    sesEndpoint: string;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); '?' elsewhere. */
function cpuSeconds(pid: number): string {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / 100).toFixed(1);
  } catch {
    return '?';
  }
}

async function startDynamoOnFreePort(): Promise<DynamoLocal> {
  // freePort() is a probe; another process may take the port before java binds it: retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDynamo({ port: await freePort() });
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/**
 * Once per `vitest run`: DynamoDB Local in memory, one per worker, and the SES emulator, all on
 * free ports so runs never clash with `npm start` or each other. The JVMs are killed at teardown,
 * on a crash of this process (exit hook) and on a SIGKILL of it (watchdog) — see
 * infra/local/process.ts.
 */
export default async function setup(project: TestProject) {
  const started = performance.now();
  const workers = workersOf(project);
  const [dynamos, ses] = await Promise.all([Promise.all(Array.from({ length: workers }, startDynamoOnFreePort)), startSes({ port: 0 })]);
  project.provide('dynamoEndpoints', dynamos.map((d) => d.endpoint));
  project.provide('sesEndpoint', ses.url);
  if (process.env.PE_TEST_TIMINGS) {
    console.log(`[global setup] ${dynamos.length} DynamoDB Local + SES emulator ready in ${Math.round(performance.now() - started)} ms`);
  }
  return async () => {
    if (process.env.PE_TEST_TIMINGS) {
      console.log(`[global teardown] DynamoDB Local used ${dynamos.map((d) => cpuSeconds(d.pid)).join(' + ')} s of CPU, this process (vitest + SES emulator) ${(process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6).toFixed(1)} s`);
    }
    await Promise.allSettled([...dynamos.map((d) => d.stop()), ses.stop()]);
  };
}
