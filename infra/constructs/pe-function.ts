import { existsSync } from 'node:fs';
import { buildSync, type BuildOptions } from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, Stack, Validations, type ILocalBundling } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { GLOBAL_INDEXES } from '../../shared/data/table';
import { allRoutes, type Route } from '../../shared/routes';
import { JOB_RUNNER_HANDLERS } from '../../shared/jobs/registry';
import { nl } from '../../shared/i18n/nl';
import { WEBSESSION } from '../../shared/data/keys';
import { shipApart } from '../bundling/ship-apart';

/** Repository root, resolved from this file so synth works from any working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FUNCTIONS_DIR = path.join(REPO_ROOT, 'functions');

/**
 * The ESM bundle contains the AWS SDK, which still calls `require('node:https')` & co. esbuild's
 * ESM output has no `require`, so without this banner the function dies at init with
 * "Dynamic require of node:https is not supported" (see ARCHITECTURE "Measured").
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __peCreateRequire } from 'module'; const require = __peCreateRequire(import.meta.url);";

/**
 * esbuild aliases of every bundle: small stand-ins for two dependencies' dependencies that are
 * mostly dead weight on Lambda (each file says why): mime-db's 133 KB of JSON, and the SDK's
 * credential chain beyond the environment (~80 KB). (The banner's `createRequire` is imported under
 * its own name because ESM dependencies such as fflate import `createRequire` too.) Figures:
 * bench/OPTIMISATIONS.md, "Issue 17 — invoicing and bundles".
 */
export const BUNDLE_ALIASES: Record<string, string> = {
  'mime-types': path.join(REPO_ROOT, 'infra/bundling/shims/mime-types.mjs'),
  '@aws-sdk/credential-provider-node': path.join(REPO_ROOT, 'infra/bundling/shims/credential-provider-node.mjs'),
};

/**
 * Packages a function loads only on first use (`await import(...)`) and that would slow every
 * cold start if they sat in the bundle: exceljs is ~1.1 MiB minified, which the employer report's
 * JSON answer would parse at each start for the rare Excel download; pdfkit with its fonts is
 * ~3 MB, which the invoicing worker (the only function that renders) needs once per document, not
 * per start. They stay out of the bundle (external), and the function's bundling puts each beside a
 * bundle that imports it, as its own bundle in `node_modules/<package>/`
 * (infra/bundling/ship-apart.ts; pdfkit built from infra/bundling/pdfkit, with the fonts).
 */
export const SHIPPED_APART = ['exceljs', 'pdfkit'];

/**
 * esbuild's `define`s of a function's bundle: `PE_FUNCTION_ROUTES` (read by `findRoute` in
 * shared/routes.ts) is the entries of the route table that name this function, so the bundle
 * carries its own route(s) instead of all ~150 (the table alone was ~50 KiB of every bundle).
 * The recipes look up only the routes the function is built for, and test/unit/route-table.test.ts
 * fails when a function is built for a route that names another function. A function no route
 * names (jobs, workers) keeps the whole table, should it ever look one up.
 *
 * `PE_REMOTE_JOBS` (read by shared/jobs/registry.ts), the same way for the job registry: the job
 * runners (`JOB_RUNNER_HANDLERS`) carry no job and invoke the job's own function
 * (shared/jobs/remote.ts; the stack names it in their environment).
 */
export function definesOf(handler: string): Record<string, string> {
  const code = codeDefinesOf(handler);
  return { ...code, ...catalogueDefinesOf(handler, code) };
}

function codeDefinesOf(handler: string): Record<string, string> {
  const own: Route[] = allRoutes.filter((r) => r.handler === handler);
  return {
    ...(own.length ? { PE_OWN_ROUTES: 'true', PE_FUNCTION_ROUTES: JSON.stringify(own) } : {}),
    ...(JOB_RUNNER_HANDLERS.includes(handler) ? { PE_REMOTE_JOBS: 'true' } : {}),
  };
}

/**
 * Every function's NODE_OPTIONS: stack traces in the logs point at the sources. Node then reads
 * the bundle's source map when it loads the module, so bench/coldstart.ts times init with it too.
 */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps';

/** The sections of the message catalogues (shared/i18n/nl.ts and en.ts, the same keys). */
export const CATALOGUE_SECTIONS = Object.keys(nl);
const CATALOGUES = ['shared/i18n/nl.ts', 'shared/i18n/en.ts'].map((f) => path.join(REPO_ROOT, f));
const ownCode = new Map<string, string>();

/**
 * A function's own code: the repository's files in its bundle, without the catalogues and
 * packages (their imports stay as they are written), bundled once with its defines, unminified.
 */
function ownCodeOf(handler: string, define: Record<string, string>): string {
  const key = `${handler}\0${JSON.stringify(define)}`;
  let code = ownCode.get(key);
  if (code === undefined) {
    code = buildSync({
      entryPoints: [entryOf(handler)], bundle: true, write: false, packages: 'external', platform: 'node', format: 'esm', target: 'node24',
      external: CATALOGUES, define, tsconfig: path.join(REPO_ROOT, 'tsconfig.json'), logLevel: 'silent', legalComments: 'none',
    }).outputFiles[0].text;
    ownCode.set(key, code);
  }
  return code;
}

/**
 * The catalogue sections a function names: its own code searched for each section as a property
 * (`t.staff`, `messages(lang).email`), a key or a destructured name. Every other section is
 * defined away (`process.env.PE_I18N_<section>` = "drop"), which folds that section's gate in
 * nl.ts and en.ts to `false`, so its texts leave the bundle (each page carried all of both
 * catalogues, ~136 KiB). Over-keeping is harmless (a section named as some other property stays);
 * no code reaches a section by a computed name (test/infra/stack.test.ts checks the scan).
 */
export function catalogueDefinesOf(handler: string, define: Record<string, string> = {}): Record<string, string> {
  const code = ownCodeOf(handler, define);
  const named = (section: string) => new RegExp(`\\.${section}\\b|\\b${section}\\s*:|[{,]\\s*${section}\\s*[,}=]|\\[\\s*["'\`]${section}["'\`]\\s*\\]`).test(code);
  return Object.fromEntries(CATALOGUE_SECTIONS.filter((s) => !named(s)).map((s) => [`process.env.PE_I18N_${s}`, '"drop"']));
}

/**
 * The esbuild options every function's bundle shares: one minified ESM file for Node 24 with the
 * SDK inside (faster cold starts than the runtime's SDK), packages' ESM builds first (they
 * tree-shake better than their CommonJS ones), the require banner, the aliases, SHIPPED_APART left
 * out, and the project's tsconfig for the pages' JSX (the automatic runtime from preact, as tsc
 * and tsx compile them). Source maps carry mappings only: stack traces (--enable-source-maps) need
 * no copy of every source file, which made each map ~4.6 MB instead of ~1.5 and a third of each
 * bundling's time. The bench (bench/coldstart.ts, bench/pages.ts) and scripts/bundle-sizes.ts
 * build with these too.
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
  external: SHIPPED_APART,
  banner: { js: ESM_REQUIRE_BANNER },
  alias: BUNDLE_ALIASES,
  logLevel: 'warning',
} satisfies BuildOptions;

/** One function's build: its entry file and its defines (definesOf) on BUNDLE_OPTIONS. */
export function functionBuildOptions(handler: string): BuildOptions {
  return { ...BUNDLE_OPTIONS, entryPoints: [entryOf(handler)], define: definesOf(handler) };
}

/**
 * A function's bundling at synth: esbuild's own API in this process (`buildSync`), then beside it
 * the SHIPPED_APART packages the bundle imports on first use (shipApart looks in the bundle).
 * Instead of NodejsFunction's bundling, which starts `npx --no-install esbuild` for each
 * function: a Node process of ~0.4 s CPU before esbuild's own ~0.4 s, 139 times per synth
 * (bench/OPTIMISATIONS.md, "the infra file").
 *
 * Its one field is CDK's asset cache key (AssetStaging hashes the bundling options as JSON, and a
 * function drops out of that): two functions with the same build share one bundle, any
 * difference in entry or defines builds apart.
 */
class FunctionBundle implements ILocalBundling {
  constructor(readonly build: BuildOptions) {}

  tryBundle(outputDir: string): boolean {
    buildSync({ ...this.build, outfile: path.join(outputDir, 'index.mjs') });
    shipApart(outputDir, SHIPPED_APART);
    return true;
  }
}

/** http: behind API Gateway, whose integration timeout is 30 s. job: invoked by EventBridge Scheduler. */
export type FunctionKind = 'http' | 'job';

const TIMEOUTS: Record<FunctionKind, Duration> = {
  http: Duration.seconds(29),
  job: Duration.minutes(5),
};

/**
 * The entry file of a handler: API handlers are `.ts`, pages `.tsx` (their JSX). Fails at synth
 * when neither exists, naming the handler, instead of a function without code.
 */
export function entryOf(handler: string): string {
  for (const ext of ['.ts', '.tsx']) {
    const file = path.join(FUNCTIONS_DIR, `${handler}${ext}`);
    if (existsSync(file)) return file;
  }
  throw new Error(`No entry file functions/${handler}.ts or functions/${handler}.tsx`);
}

export interface PeFunctionProps {
  /** Entry file below functions/, without extension (the route table's / job list's `handler`): `.ts`, or `.tsx` for pages. */
  handler: string;
  kind: FunctionKind;
  /** Instead of the kind's timeout (a queue worker whose unit of work takes seconds). */
  timeout?: Duration;
  description?: string;
  environment?: Record<string, string>;
  /** Active X-Ray tracing. Off by default: it costs money and needs a wildcard IAM grant. */
  tracing?: boolean;
  logRetention?: logs.RetentionDays;
}

/**
 * A Lambda function with the project's defaults fixed: Node 24 on arm64, one ESM bundle per
 * handler (BUNDLE_OPTIONS), JSON logs into its own log group with a retention, and a role that
 * may write only to that log group.
 */
export class PeFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PeFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });

    // An own role instead of the default one: the default attaches the AWS-managed
    // AWSLambdaBasicExecutionRole (logs:* on every log group); this one writes to its group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.handler}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new lambda.Function(this, 'Function', {
      // Bundled (FunctionBundle), so the asset is the bundle's folder, hashed by its content; the
      // repository is only where the build runs. The image is never pulled: bundling is local.
      code: lambda.Code.fromAsset(REPO_ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: { image: DockerImage.fromRegistry('local-bundling-only'), local: new FunctionBundle(functionBuildOptions(props.handler)) },
      }),
      handler: 'index.handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 1024,
      timeout: props.timeout ?? TIMEOUTS[props.kind],
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      environment: {
        NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
        ...props.environment,
      },
    });

    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level permissions; ' +
          'CDK adds them with Resource "*" when active tracing is on.',
      });
    }
  }

  /** Adds an environment variable to the function (used by the bind helpers). */
  addEnvironment(name: string, value: string): void {
    this.fn.addEnvironment(name, value);
  }
}

export type TableAccess = 'read' | 'readwrite' | 'none';

/**
 * The DynamoDB actions the code uses (shared/data): reads are GetItem, BatchGetItem and Query
 * (indexes are only queried); writes are PutItem, UpdateItem, BatchWriteItem, the ConditionCheck
 * and the Delete inside transactions (TransactWriteItems is authorised per item action; deciding an
 * activation claim deletes its pending guard). No code scans the table, so no role may: CDK's
 * grantReadData would add Scan (a whole-table read) and more.
 */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'];

/**
 * Gives a function the table: sets TABLE_NAME and the matching grant in one call, so a function
 * can never get the name without the permission or a read-write grant where it only reads.
 * 'none' gives neither: a function that never touches the table cannot read it either.
 */
export function bindTable(fn: PeFunction, table: ITableV2, access: TableAccess): void {
  if (access === 'none') return;
  fn.addEnvironment('TABLE_NAME', table.tableName);
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
      resources: [table.tableArn],
    }),
  );
  // The indexes by name, not `<table>/index/*`: no wildcard to explain, and a new index of
  // shared/data/table.ts is granted with it.
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: GLOBAL_INDEXES.map((i) => `${table.tableArn}/index/${i.indexName}`) }),
  );
}

/** The partition-key prefix of web sessions (shared/data/web-sessions.ts `webSessionKey`). */
export const WEB_SESSION_KEY_PREFIX = WEBSESSION();

/**
 * A session page that only reads still moves its session's idle expiry on (`getWebSession`: an
 * UpdateItem of the `WEBSESSION#…` item, at most every sixth of the idle time). A read grant alone
 * would refuse that write in the cloud, where DynamoDB Local never does; this grant allows the
 * UpdateItem on session items only (`dynamodb:LeadingKeys`), so the page still cannot change
 * anything else.
 */
export function allowSessionTouch(fn: PeFunction, table: ITableV2): void {
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['dynamodb:UpdateItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${WEB_SESSION_KEY_PREFIX}*`] } },
    }),
  );
}

/**
 * The logical id behind an ARN token (`{ "Fn::GetAtt": [id, "Arn"] }`), as cdk-nag spells it in
 * finding ids such as `AwsSolutions-IAM5[Resource::<id.Arn>:*]`; undefined for imports.
 */
export function logicalIdOfArn(scope: Construct, arn: string): string | undefined {
  const resolved = Stack.of(scope).resolve(arn) as { 'Fn::GetAtt'?: [string, string] } | string;
  return typeof resolved === 'object' ? resolved['Fn::GetAtt']?.[0] : undefined;
}

