/**
 * Every function's bundle size, as the construct builds it (infra/constructs/pe-function.ts:
 * the same esbuild options), without `cdk synth`: `npx tsx scripts/bundle-sizes.ts [filter]`.
 * Prints KiB per handler (largest first) and, with `--top`, the largest inputs of each bundle
 * (esbuild metafile).
 */
import { build } from 'esbuild';
import { allRoutes, jobs } from '../shared/routes';
import { functionBuildOptions } from '../infra/constructs/pe-function';

const args = process.argv.slice(2);
const top = args.includes('--top');
// --whole-table: without the per-function route table (the bundles before it), to compare.
const wholeTable = args.includes('--whole-table');
const filter = args.find((a) => !a.startsWith('--'));
const handlers = [...new Set([...allRoutes.map((r) => r.handler), ...jobs.map((j) => j.handler)])].filter((h) => !filter || h.includes(filter));

const results = await Promise.all(handlers.map(async (handler) => {
  const r = await build({
    ...functionBuildOptions(handler), ...(wholeTable ? { define: {} } : {}),
    sourcemap: false, write: false, metafile: true, outfile: '/tmp/pe-bundle-sizes/index.mjs', logLevel: 'error',
  });
  const out = Object.values(r.metafile.outputs)[0];
  const inputs = Object.entries(out.inputs).map(([file, v]) => [file, v.bytesInOutput] as const).sort((a, b) => b[1] - a[1]);
  return { handler, kib: Math.ceil(out.bytes / 1024), inputs };
}));
for (const { handler, kib, inputs } of results.sort((a, b) => b.kib - a.kib)) {
  console.log(`${String(kib).padStart(5)} KiB  ${handler}`);
  if (top) for (const [file, bytes] of inputs.slice(0, 12)) console.log(`        ${(bytes / 1024).toFixed(1).padStart(6)}  ${file}`);
}
