/**
 * `npm start`: the whole API on this machine, no AWS account. DynamoDB Local (data in
 * PE_DATA_DIR), the SES emulator with its mail viewer, every route of shared/routes.ts behind a
 * local API Gateway, and the scheduled jobs on their crons. Ctrl-C (or SIGTERM) stops all of it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkJava, ensureTable, startDynamo } from './dynamo';
import { startSes } from './ses';
import { createGateway } from './gateway';
import { scheduleJobs } from './cron';
import { adminKeyFromEnv, setLocalAwsEnv, DEFAULT_TABLE_NAME } from './env';
import { ConfigError, isPortFree, portFromEnv } from './ports';
import { launcherChain, watchPids } from './process';
import { removeStackFile, runningStack, stackFilePath, writeStackFile } from './stack-file';
import { config, type RateLimits } from '../../shared/config';

const t0 = performance.now();
const cleanups: Array<{ name: string; run: () => Promise<void> | void }> = [];
let stopping: Promise<never> | undefined;

function log(line: string) {
  process.stdout.write(`${line}\n`);
}

/** Stop everything that was started, newest first; then exit. Idempotent. */
function shutdown(code: number, reason?: string): Promise<never> {
  if (stopping) return stopping;
  if (reason) log(`\n${reason}: stopping the local stack…`);
  stopping = (async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c.run();
      } catch (err) {
        process.stderr.write(`stopping ${c.name} failed: ${(err as Error).message}\n`);
      }
    }
    process.exit(code);
  })();
  return stopping;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    // A second Ctrl-C while stopping: no more waiting (the exit hook still kills java).
    if (stopping) process.exit(130);
    void shutdown(0, sig);
  });
}
process.on('uncaughtException', (err) => {
  process.stderr.write(`Uncaught exception: ${err.stack ?? err}\n`);
  void shutdown(1);
});
process.on('unhandledRejection', (err) => {
  process.stderr.write(`Unhandled rejection: ${(err as Error)?.stack ?? err}\n`);
  void shutdown(1);
});

function loadOrCreateAdminKey(dataDir: string): { key: string; origin: 'env' | 'generated' | 'saved' } {
  const fromEnv = adminKeyFromEnv();
  if (fromEnv) return { key: fromEnv, origin: 'env' };
  // Reuse the key generated for this data folder, so a restart does not invalidate it.
  const file = join(dataDir, 'admin-api-key');
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved.length >= 16) return { key: saved, origin: 'saved' };
  }
  const key = `pe_admin_${randomBytes(32).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, origin: 'generated' };
}

/** The handlers read RATE_LIMIT_* from this process's environment, as on Lambda: a bad value should stop the start, not the first request. */
function rateLimitsFromEnv(): RateLimits {
  try {
    return config.rateLimits;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

async function main() {
  // Everything the user can get wrong is checked before the slow part starts.
  const port = portFromEnv('PORT', 3000);
  const dynamoPort = portFromEnv('DYNAMODB_PORT', 8000);
  const sesPort = portFromEnv('SES_PORT', 8005);
  const dataDir = resolve(process.env.PE_DATA_DIR || '.data');
  const tableName = process.env.TABLE_NAME || DEFAULT_TABLE_NAME;
  adminKeyFromEnv();
  const limits = rateLimitsFromEnv();
  if (new Set([port, dynamoPort, sesPort]).size !== 3) throw new ConfigError('PORT, DYNAMODB_PORT and SES_PORT must differ.');
  for (const [name, p, what] of [['PORT', port, 'the API'], ['DYNAMODB_PORT', dynamoPort, 'DynamoDB Local'], ['SES_PORT', sesPort, 'the SES emulator']] as const) {
    if (!(await isPortFree(p))) throw new ConfigError(`Port ${p} for ${what} is in use (another stack still running?): set ${name} to a free port.`);
  }
  const other = runningStack(dataDir);
  if (other && other.pid !== process.pid) {
    throw new ConfigError(`Another local stack (pid ${other.pid}, ${other.apiUrl}) runs on PE_DATA_DIR=${dataDir}: stop it first, or set PE_DATA_DIR to another folder.`);
  }
  checkJava();
  const launchers = launcherChain();

  const [dynamoResult, sesResult] = await Promise.allSettled([
    startDynamo({ port: dynamoPort, dataDir }),
    startSes({ port: sesPort }),
  ]);
  if (dynamoResult.status === 'fulfilled') cleanups.push({ name: 'DynamoDB Local', run: dynamoResult.value.stop });
  if (sesResult.status === 'fulfilled') cleanups.push({ name: 'SES emulator', run: sesResult.value.stop });
  if (dynamoResult.status === 'rejected') throw dynamoResult.reason;
  if (sesResult.status === 'rejected') throw sesResult.reason;
  const dynamo = dynamoResult.value;
  const ses = sesResult.value;
  const sesUrl = `http://localhost:${ses.port}`;

  setLocalAwsEnv({ dynamoEndpoint: dynamo.endpoint, sesEndpoint: ses.url, tableName });
  // The links in the e-mails this stack sends point at its own pages (WEB.md), unless told otherwise.
  process.env.PUBLIC_BASE_URL ||= `http://localhost:${port}`;
  const created = await ensureTable(dynamo.endpoint, tableName);
  const admin = loadOrCreateAdminKey(dataDir);
  // Imported only now: shared modules read their configuration from the environment set above.
  const { ensureAdminKey } = await import('../../shared/data/api-keys');
  await ensureAdminKey(admin.key);
  // The first admin user (WEB.md): signs in at /inloggen; the sign-in lookup knows the address too.
  const adminEmail = (process.env.ADMIN_EMAIL ||= 'beheer@localhost');
  const { ensureAdminUser } = await import('../../shared/data/users');
  const adminUser = await ensureAdminUser(adminEmail);

  const { allRoutes, jobs } = await import('../../shared/routes');
  // The pages' stylesheet, content-hashed as in the cloud; the page functions learn its name here.
  const { buildAssets, assetManifest } = await import('../../shared/web/assets');
  const assets = await buildAssets();
  process.env.PE_ASSET_MANIFEST = JSON.stringify(assetManifest(assets));
  const gateway = createGateway({
    routes: allRoutes,
    assets,
    // API Gateway cuts a request at 29–30 s. The bench raises it: DynamoDB Local runs transactions
    // one at a time, so 16 concurrent 500-item batches queue far longer than they would on AWS.
    timeoutMs: Number(process.env.PE_LOCAL_TIMEOUT_MS) || undefined,
    onRequest: ({ method, path, status, ms }) => log(`${method} ${path} → ${status} (${ms} ms)`),
    onError: (err, route) =>
      process.stderr.write(`[${route?.id ?? 'gateway'}] ${(err as Error)?.stack ?? String(err)}\n`),
  });
  await gateway.listen(port);
  cleanups.push({ name: 'API gateway', run: () => gateway.close() });
  const api = `http://localhost:${port}`;

  const { runJob } = await import('../../shared/jobs/registry');
  const { todayInAmsterdam } = await import('../../shared/dates');
  const scheduled = scheduleJobs(
    jobs,
    async (name) => {
      const asOf = todayInAmsterdam();
      log(`[job ${name}] running as of ${asOf}`);
      const summary = await runJob(name, asOf);
      log(`[job ${name}] ${JSON.stringify(summary)}`);
    },
    (name, err) => process.stderr.write(`[job ${name}] failed: ${(err as Error)?.stack ?? err}\n`),
  );
  cleanups.push({ name: 'schedules', run: () => scheduled.forEach((s) => s.stop()) });

  // For `npm run job` and other local tools: where this stack answers (removed again on a clean stop).
  writeStackFile(dataDir, {
    pid: process.pid,
    apiUrl: api,
    dynamoEndpoint: dynamo.endpoint,
    sesEndpoint: ses.url,
    tableName,
    startedAt: new Date().toISOString(),
  });
  cleanups.push({ name: 'stack file', run: () => removeStackFile(dataDir, process.pid) });

  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  log('');
  log(`pe-register local stack is up (${secs} s)`);
  log(`  Web          ${api}/   (the pages; e-mail links point at ${process.env.PUBLIC_BASE_URL})`);
  log(`  API          ${api}/v1`);
  log(`  OpenAPI      ${api}/openapi.json`);
  log(`  Mail viewer  ${sesUrl}   (SES endpoint; GET ${sesUrl}/store for the raw store)`);
  log(`  DynamoDB     http://localhost:${dynamo.port}   table ${tableName}${created === 'created' ? ' (created)' : ''}, data in ${dataDir}`);
  log(`  Endpoints    ${stackFilePath(dataDir)}   (\`npm run job\` finds this stack there)`);
  if (admin.origin === 'env') log('  Admin key    from ADMIN_API_KEY');
  else log(`  Admin key    ${admin.key}   (${admin.origin === 'generated' ? 'generated' : 'generated earlier'}, saved in ${join(dataDir, 'admin-api-key')}; set ADMIN_API_KEY to choose your own)`);
  log(`  Admin user   ${adminEmail}   (${adminUser === 'created' ? 'created' : 'made earlier'}; sign in at ${api}/inloggen, the link arrives in the mail viewer; set ADMIN_EMAIL to choose another)`);
  log(
    `  Rate limits  ${limits.client.max} per ${limits.client.windowSeconds} s per client, ${limits.identifier.max} per ${limits.identifier.windowSeconds} s per identifier, ${limits.misses.max} unmatched rows per ${limits.misses.windowSeconds} s per employer (RATE_LIMIT_* change them)`,
  );
  for (const s of scheduled) log(`  Job          ${s.name}: ${s.pattern} Europe/Amsterdam, next ${s.next()?.toISOString() ?? 'never'}`);
  if (!scheduled.length) log('  Jobs         none scheduled (shared/routes.ts `jobs` is empty)');
  log('Ctrl-C stops everything.');
  log('');

  // Import every handler in the background, so import errors show now and the first call is fast.
  void gateway.preload();
  // `kill <npm pid>` leaves tsx and us orphaned (npm's `sh` does not pass the signal on).
  watchPids(launchers, () => void shutdown(0, 'launcher exited'));
}

main().catch((err) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`The local stack failed to start: ${(err as Error)?.stack ?? err}\n`);
  void shutdown(1);
});
