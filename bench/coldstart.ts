/**
 * Cold-start proxies: each Lambda bundle as the CDK builds it (cdk synth → cdk.out assets, SDK
 * bundled), its size, and its module-initialisation time in a fresh Node 24 process (median of
 * 10); plus the biggest contributors to the biggest bundle (an esbuild metafile of the same entry).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync, existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { build, type BuildOptions, type Loader } from 'esbuild';
import { ESBUILD_ARGS, ESM_REQUIRE_BANNER, SHIPPED_APART } from '../infra/constructs/pe-function';
import { median, round } from './lib';

const ROOT = new URL('..', import.meta.url).pathname;

interface Bundle {
  fn: string;
  entry: string;
  sizeKiB: number;
  initMsMedian: number;
}

/**
 * esbuild options equal to the stack's NodejsFunction bundling (infra/constructs/pe-function.ts:
 * minified ESM for Node 24, module-first main fields, the require banner, its aliases and loaders,
 * SHIPPED_APART external, the project's tsconfig for the pages' JSX), for a bundle built outside
 * `cdk synth`: the metafile probe below and the page functions (bench/pages.ts).
 */
export function cdkBuildOptions(): BuildOptions {
  const alias: Record<string, string> = {};
  const loader: Record<string, Loader> = {};
  for (const [arg, value] of Object.entries(ESBUILD_ARGS)) {
    const m = /^--(alias|loader):(.+)$/.exec(arg);
    if (!m) throw new Error(`bench: the stack's esbuild argument ${arg} has no equivalent here; add it to cdkBuildOptions`);
    if (m[1] === 'alias') alias[m[2]] = value;
    else loader[m[2]] = value as Loader;
  }
  return {
    bundle: true, minify: true, platform: 'node', format: 'esm', target: 'node24', mainFields: ['module', 'main'],
    external: SHIPPED_APART, banner: { js: ESM_REQUIRE_BANNER }, alias, loader, tsconfig: join(ROOT, 'tsconfig.json'), logLevel: 'silent',
  };
}

/** Module initialisation of a bundle in a fresh Node process, in ms. */
export function initMs(file: string): number {
  // A fresh process per sample: what a cold Lambda pays for importing the bundle.
  const code = `const t = performance.now(); await import(${JSON.stringify('file://' + file)}); process.stdout.write(String(performance.now() - t));`;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    env: { ...process.env, TABLE_NAME: 'bench', AWS_REGION: 'eu-west-1', LOG_LEVEL: 'ERROR' },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`importing ${file} failed: ${res.stderr}`);
  return Number(res.stdout);
}

export async function benchColdStart(samples = 10) {
  const out = mkdtempSync(join(tmpdir(), 'pe-cdk-out-'));
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const template = JSON.parse(readFileSync(join(out, 'PeRegister.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string>; Properties?: { Description?: string } }>;
  };
  const bundles: Bundle[] = [];
  for (const [logicalId, res] of Object.entries(template.Resources)) {
    if (res.Type !== 'AWS::Lambda::Function' || !res.Metadata?.['aws:asset:path']) continue;
    const dir = join(out, res.Metadata['aws:asset:path']);
    const file = ['index.mjs', 'index.js'].map((f) => join(dir, f)).find(existsSync);
    if (!file) continue;
    const times = Array.from({ length: samples }, () => initMs(file));
    bundles.push({
      fn: /\/(?:Api|Jobs)\/([^/]+)\//.exec(res.Metadata['aws:cdk:path'] ?? '')?.[1] ?? logicalId,
      entry: res.Metadata['aws:cdk:path'] ?? logicalId,
      sizeKiB: round(statSync(file).size / 1024, 0),
      initMsMedian: round(median(times), 0),
    });
  }
  bundles.sort((a, b) => b.sizeKiB - a.sizeKiB);

  // The biggest bundle's contributors, grouped by package.
  const biggest = bundles[0];
  let contributors: { module: string; kib: number }[] = [];
  const entryName = biggest.fn;
  const { routes, jobs } = await import('../shared/routes');
  const entryFile = [...routes.map((r) => ({ id: r.id, handler: r.handler })), ...jobs.map((j) => ({ id: j.name, handler: j.handler }))].find((r) => r.id === entryName)?.handler;
  if (entryFile) {
    const result = await build({
      ...cdkBuildOptions(),
      entryPoints: [join(ROOT, 'functions', `${entryFile}.ts`)],
      write: false, metafile: true,
      outfile: join(out, 'metafile-probe.mjs'),
    });
    const output = Object.values(result.metafile.outputs)[0];
    const byPackage = new Map<string, number>();
    for (const [input, info] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const key = m ? m[1] : input.startsWith('shared/') || input.startsWith('functions/') ? 'pe-register (own code)' : input;
      byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
    }
    contributors = [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([module, bytes]) => ({ module, kib: round(bytes / 1024, 0) }));
  }
  return { samples, bundles, biggest: { ...biggest, handler: entryFile, contributors } };
}
