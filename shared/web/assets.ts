import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The static assets (WEB.md): the stylesheet, bundled and minified by esbuild from
 * shared/web/styles/app.css, named by its content hash so it can be cached for a year. Built at
 * synth time for S3 (infra) and at `npm start` for the local gateway; the pages learn the names
 * from PE_ASSET_MANIFEST (`{"app.css":"/assets/app.3f2a1b0c.css"}`), set on every page function.
 */

export interface Asset {
  /** The logical name pages ask for: `app.css`. */
  name: string;
  /** The URL path it is served at: `/assets/app.<hash>.css`. */
  path: string;
  contentType: string;
  body: Buffer;
}

const STYLESHEET = fileURLToPath(new URL('./styles/app.css', import.meta.url));

/** One definition of the build, for both variants below. */
const BUILD_OPTIONS = {
  entryPoints: [STYLESHEET],
  bundle: true,
  minify: true,
  write: false as const,
  outfile: 'app.css',
  logLevel: 'silent' as const,
};

function toAssets(outputFiles: readonly { path: string; contents: Uint8Array }[]): Asset[] {
  const css = Buffer.from(outputFiles.find((f) => f.path.endsWith('.css'))!.contents);
  const hash = createHash('sha256').update(css).digest('hex').slice(0, 12);
  return [{ name: 'app.css', path: `/assets/app.${hash}.css`, contentType: 'text/css; charset=utf-8', body: css }];
}

/** Builds every asset (esbuild is a dev dependency: only synth and the local stack call this). */
export async function buildAssets(): Promise<Asset[]> {
  const { build } = await import('esbuild');
  return toAssets((await build(BUILD_OPTIONS)).outputFiles);
}

/** The same build, synchronously: CDK constructs are built synchronously, so synth calls this one. */
export function buildAssetsSync(): Asset[] {
  // A static import would put esbuild into every page bundle that imports assetUrl.
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  return toAssets(buildSync(BUILD_OPTIONS).outputFiles);
}

/** The manifest the page functions get in PE_ASSET_MANIFEST. */
export function assetManifest(assets: Asset[]): Record<string, string> {
  return Object.fromEntries(assets.map((a) => [a.name, a.path]));
}

let manifest: Record<string, string> | undefined;

/** The URL of an asset; without a manifest (a test that renders a page alone) its unhashed name. */
export function assetUrl(name: string): string {
  manifest ??= JSON.parse(process.env.PE_ASSET_MANIFEST || '{}') as Record<string, string>;
  return manifest[name] ?? `/assets/${name}`;
}
