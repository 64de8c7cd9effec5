/**
 * `node ship-apart.mjs <outputDir> <package>…` — run by every function's afterBundling hook
 * (infra/constructs/pe-function.ts). For each package the bundle imports on first use
 * (`import("<package>")`, left external), it bundles that package on its own as CommonJS into
 * `<outputDir>/node_modules/<package>/`, where Node's resolution finds it from `index.mjs` — as on
 * Lambda, in /var/task. A bundle that does not import the package gets nothing.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const [outputDir, ...packages] = process.argv.slice(2);
const bundle = readFileSync(join(outputDir, 'index.mjs'), 'utf8');

for (const pkg of packages) {
  if (!bundle.includes(`import("${pkg}")`)) continue;
  const dir = join(outputDir, 'node_modules', pkg);
  mkdirSync(dir, { recursive: true });
  await build({
    stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: REPO_ROOT, loader: 'js', sourcefile: `${pkg}.cjs` },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: true,
    outfile: join(dir, 'index.cjs'),
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: pkg, private: true, main: 'index.cjs' })}\n`);
}
