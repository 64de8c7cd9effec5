/**
 * Cold-start proxies: each Lambda bundle as the CDK builds it (cdk synth → cdk.out assets of the
 * stack and its nested page stacks, SDK bundled), its size, and its module-initialisation time in
 * a fresh Node 24 process (median of `samples`), beside the targets (≤ 600 KiB, ≤ 100 ms) and
 * beside the baseline measured in the same run: every function's entry of the tree before issue 17
 * (`BASELINE_REF`, unpacked with `git archive`), bundled with that tree's own esbuild settings.
 * Plus the biggest contributors (esbuild metafile) of the bundles still over the size target.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync, existsSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { build, type BuildOptions, type Loader } from 'esbuild';
import { BUNDLE_OPTIONS, FUNCTION_NODE_OPTIONS, functionBuildOptions } from '../infra/constructs/pe-function';
import { median, round } from './lib';

const ROOT = new URL('..', import.meta.url).pathname;

/** The commit issue 17 started from: its bundles are the baseline of every figure here. */
export const BASELINE_REF = '9768208';
export const TARGETS = { sizeKiB: 600, initMs: 100 };

interface Bundle {
  fn: string;
  handler: string;
  sizeKiB: number;
  initMsMedian: number;
  /** Packages shipped apart beside the bundle (loaded on first use), KiB. */
  shippedApartKiB?: number;
  baselineSizeKiB?: number;
  baselineInitMsMedian?: number;
}

/**
 * The stack's esbuild options (infra/constructs/pe-function.ts BUNDLE_OPTIONS), quiet, for a
 * bundle built outside `cdk synth`: the metafile probe below and the page functions (bench/pages.ts).
 */
export function cdkBuildOptions(): BuildOptions {
  return { ...BUNDLE_OPTIONS, logLevel: 'silent' };
}

/** The baseline tree's bundling, from the CLI-style arguments its construct passed to NodejsFunction. */
function buildOptionsOf(args: Record<string, string>, external: string[], banner: string, root: string): BuildOptions {
  const alias: Record<string, string> = {};
  const loader: Record<string, Loader> = {};
  for (const [arg, value] of Object.entries(args)) {
    const m = /^--(alias|loader):(.+)$/.exec(arg);
    if (!m) throw new Error(`bench: the stack's esbuild argument ${arg} has no equivalent here; add it to cdkBuildOptions`);
    if (m[1] === 'alias') alias[m[2]] = value;
    else loader[m[2]] = value as Loader;
  }
  return {
    bundle: true, minify: true, platform: 'node', format: 'esm', target: 'node24', mainFields: ['module', 'main'],
    external, banner: { js: banner }, alias, loader, tsconfig: join(root, 'tsconfig.json'), logLevel: 'silent',
  };
}

/** Module initialisation of a bundle in a fresh Node process, in ms. */
export function initMs(file: string): number {
  // A fresh process per sample: what a cold Lambda pays for importing the bundle.
  const code = `const t = performance.now(); await import(${JSON.stringify('file://' + file)}); process.stdout.write(String(performance.now() - t));`;
  // With the functions' own NODE_OPTIONS (--enable-source-maps: the source map is read at load).
  const res = spawnSync(process.execPath, [...FUNCTION_NODE_OPTIONS.split(' '), '--input-type=module', '-e', code], {
    env: { ...process.env, TABLE_NAME: 'bench', AWS_REGION: 'eu-west-1', LOG_LEVEL: 'ERROR' },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`importing ${file} failed: ${res.stderr}`);
  return Number(res.stdout);
}

const dirSizeKiB = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0) / 1024;

/** Every Lambda of the synthesized app (stack and nested stacks): its bundle file and the handler it was built from. */
function synthesizedBundles(out: string): { fn: string; handler: string; file: string; dir: string }[] {
  const found: { fn: string; handler: string; file: string; dir: string }[] = [];
  for (const name of readdirSync(out).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(out, name), 'utf8')) as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
    for (const [logicalId, res] of Object.entries(template.Resources ?? {})) {
      if (res.Type !== 'AWS::Lambda::Function' || !res.Metadata?.['aws:asset:path']) continue;
      const dir = join(out, res.Metadata['aws:asset:path']);
      const file = ['index.mjs', 'index.js'].map((f) => join(dir, f)).find(existsSync);
      if (!file || !existsSync(`${file}.map`)) continue;
      const sources = (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources;
      const entry = sources.map((s) => /(?:^|\/)functions\/(.+)\.tsx?$/.exec(s)?.[1]).find(Boolean);
      if (!entry) continue;
      const path = (res.Metadata['aws:cdk:path'] ?? logicalId).replace(/\/Function\/Resource$/, '').split('/');
      found.push({ fn: path.at(-1) === 'Worker' || path.at(-1) === 'Handler' ? path.slice(-2).join('/') : path.at(-1)!, handler: entry, file, dir });
    }
  }
  return found;
}

/** The baseline: the tree at BASELINE_REF, each function's entry bundled with that tree's settings. */
async function baselineBundles(samples: number): Promise<Map<string, { sizeKiB: number; initMsMedian: number }>> {
  const tree = mkdtempSync(join(tmpdir(), 'pe-baseline-'));
  execFileSync('sh', ['-c', `git archive ${BASELINE_REF} | tar -x -C ${JSON.stringify(tree)}`], { cwd: ROOT });
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
  // That tree's construct, which passed these to NodejsFunction (as CLI arguments).
  const then = (await import(join(tree, 'infra/constructs/pe-function.ts'))) as { ESBUILD_ARGS: Record<string, string>; SHIPPED_APART: string[]; ESM_REQUIRE_BANNER: string; entryOf(handler: string): string };
  const table = (await import(join(tree, 'shared/routes.ts'))) as typeof import('../shared/routes');
  const workers = readdirSync(join(tree, 'functions/queue')).map((f) => `queue/${f.replace(/\.ts$/, '')}`);
  const handlers = [...new Set([...table.allRoutes.map((r) => r.handler), ...table.jobs.map((j) => j.handler), ...workers])];
  const outdir = join(tree, 'bench-out');
  await build({
    ...buildOptionsOf(then.ESBUILD_ARGS, then.SHIPPED_APART, then.ESM_REQUIRE_BANNER, tree),
    entryPoints: Object.fromEntries(handlers.map((h) => [h, then.entryOf(h)])),
    // As that tree's construct built them (sourceMap: true, sources inside), since init is timed
    // with --enable-source-maps, which reads the map at load.
    sourcemap: true,
    outdir,
    outExtension: { '.js': '.mjs' },
  });
  const out = new Map<string, { sizeKiB: number; initMsMedian: number }>();
  for (const h of handlers) {
    const file = join(outdir, `${h}.mjs`);
    out.set(h, { sizeKiB: round(statSync(file).size / 1024, 0), initMsMedian: round(median(Array.from({ length: samples }, () => initMs(file))), 0) });
  }
  return out;
}

/** The largest inputs of one entry's bundle, grouped by package (own code by folder). */
async function contributors(handler: string, outfile: string) {
  // With the function's own defines (its routes, the job registry, the catalogue sections it keeps), as the stack bundles it.
  const result = await build({ ...functionBuildOptions(handler), sourcemap: false, logLevel: 'silent', write: false, metafile: true, outfile });
  const output = Object.values(result.metafile.outputs)[0];
  const byPackage = new Map<string, number>();
  for (const [input, info] of Object.entries(output.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const key = m ? m[1] : relative(ROOT, join(ROOT, input)).replace(/\/[^/]+$/, '/');
    byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
  }
  return [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([module, bytes]) => ({ module, kib: round(bytes / 1024, 0) }));
}

export async function benchColdStart(samples = 10) {
  const out = mkdtempSync(join(tmpdir(), 'pe-cdk-out-'));
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const baseline = await baselineBundles(samples);
  const bundles: Bundle[] = synthesizedBundles(out).map(({ fn, handler, file, dir }) => {
    const before = baseline.get(handler);
    const apart = existsSync(join(dir, 'node_modules')) ? round(dirSizeKiB(join(dir, 'node_modules')), 0) : undefined;
    return {
      fn,
      handler,
      sizeKiB: round(statSync(file).size / 1024, 0),
      initMsMedian: round(median(Array.from({ length: samples }, () => initMs(file))), 0),
      ...(apart ? { shippedApartKiB: apart } : {}),
      ...(before ? { baselineSizeKiB: before.sizeKiB, baselineInitMsMedian: before.initMsMedian } : {}),
    };
  });
  bundles.sort((a, b) => b.sizeKiB - a.sizeKiB);

  const overSize = bundles.filter((b) => b.sizeKiB > TARGETS.sizeKiB);
  const overInit = bundles.filter((b) => b.initMsMedian > TARGETS.initMs);
  const largest = [];
  for (const b of bundles.slice(0, Math.max(1, Math.min(5, overSize.length)))) {
    largest.push({ fn: b.fn, handler: b.handler, sizeKiB: b.sizeKiB, contributors: await contributors(b.handler, join(out, 'metafile-probe.mjs')) });
  }

  console.log(`coldstart: ${bundles.length} functions; targets ≤ ${TARGETS.sizeKiB} KiB, ≤ ${TARGETS.initMs} ms; baseline ${BASELINE_REF} in the same run`);
  console.log(['function'.padEnd(36), 'KiB', 'base', 'init ms', 'base'].join('\t'));
  for (const b of bundles) {
    const flag = `${b.sizeKiB > TARGETS.sizeKiB ? ' >size' : ''}${b.initMsMedian > TARGETS.initMs ? ' >init' : ''}`;
    console.log([b.fn.padEnd(36), b.sizeKiB, b.baselineSizeKiB ?? '—', b.initMsMedian, b.baselineInitMsMedian ?? '—'].join('\t') + flag + (b.shippedApartKiB ? ` (+${b.shippedApartKiB} KiB shipped apart)` : ''));
  }
  return {
    samples,
    targets: TARGETS,
    baselineRef: BASELINE_REF,
    functions: bundles.length,
    overSizeTarget: overSize.map((b) => b.fn),
    overInitTarget: overInit.map((b) => b.fn),
    baselineOverSizeTarget: [...baseline.values()].filter((b) => b.sizeKiB > TARGETS.sizeKiB).length,
    baselineOverInitTarget: [...baseline.values()].filter((b) => b.initMsMedian > TARGETS.initMs).length,
    bundles,
    largest,
  };
}
