/**
 * `shipApart(outputDir, packages)` — called by every function's bundling (infra/constructs/pe-function.ts
 * `FunctionBundle`) with SHIPPED_APART. For each package the bundle imports (`import("<package>")`, left external), it bundles that package on
 * its own into `<outputDir>/node_modules/<package>/`, where Node's resolution finds it from
 * `index.mjs` — as on Lambda, in /var/task. A bundle that does not import the package gets nothing.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync, type BuildOptions } from 'esbuild';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Per package, what its own bundle needs beyond the defaults. pdfkit's Node build reads files of
 * its package folder at run time (its AFM fonts), which a bundle does not have: it is built from
 * its self-contained build (infra/bundling/pdfkit), which also carries the invoice's TrueType
 * fonts as bytes (`.ttf` through the binary loader; decoded when the first PDF is rendered). That
 * build resolves data files against `import.meta.url`, so it stays ESM (with the banner that gives
 * the SDK-style `require` of Node built-ins a home, as in the function bundles).
 */
const OPTIONS: Record<string, { esm?: boolean } & BuildOptions> = {
  pdfkit: {
    esm: true,
    alias: { pdfkit: join(REPO_ROOT, 'infra/bundling/pdfkit') },
    loader: { '.ttf': 'binary' },
    banner: { js: "import { createRequire as __peCreateRequire } from 'module'; const require = __peCreateRequire(import.meta.url);" },
  },
};

export function shipApart(outputDir: string, packages: readonly string[]): void {
  const bundle = readFileSync(join(outputDir, 'index.mjs'), 'utf8');
  for (const pkg of packages) {
    if (!bundle.includes(`import("${pkg}")`)) continue;
    const dir = join(outputDir, 'node_modules', pkg);
    mkdirSync(dir, { recursive: true });
    const { esm, ...options } = OPTIONS[pkg] ?? {};
    const main = esm ? 'index.mjs' : 'index.cjs';
    const name = JSON.stringify(pkg);
    buildSync({
      stdin: esm
        ? { contents: `export * from ${name}; export { default } from ${name};`, resolveDir: REPO_ROOT, loader: 'js', sourcefile: `${pkg}.mjs` }
        : { contents: `module.exports = require(${name});`, resolveDir: REPO_ROOT, loader: 'js', sourcefile: `${pkg}.cjs` },
      bundle: true,
      platform: 'node',
      format: esm ? 'esm' : 'cjs',
      target: 'node24',
      minify: true,
      outfile: join(dir, main),
      logLevel: 'warning',
      ...options,
    });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: pkg, private: true, main })}\n`);
  }
}
