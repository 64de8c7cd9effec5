import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { Asset } from '../../shared/web/assets';
import { CatalogueFeedQuerySchema, SessionsFeedQuerySchema } from '../../shared/schemas/catalogue-feed';
import type { OriginVerify } from './origin-verify';

/** Content-hashed names never change content, so browsers and CloudFront may keep them a year. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Where the assets live in the bucket: the URL path without its leading slash (`/assets/…` → `assets/…`). */
export const ASSET_KEY_PREFIX = 'assets/';
/** CloudFront's access logs hold viewers' addresses and query strings (one-time link tokens): kept just long enough to look into abuse. */
export const ACCESS_LOG_DAYS = 30;
/** The catalogue feeds for learning platforms (public, the same for everyone): the one part of /v1 CloudFront caches. */
export const CATALOGUE_FEEDS_PATH = '/v1/catalogue/*';
/** The query strings the feeds read, from their schemas: the cache key, and all CloudFront passes on (others would be refused anyway). */
export const CATALOGUE_FEED_QUERY = [...new Set([...Object.keys(CatalogueFeedQuerySchema.shape), ...Object.keys(SessionsFeedQuerySchema.shape)])].sort();
/** Longest CloudFront keeps a feed whatever the origin says (it says 5 minutes: shared/services/catalogue-feed.ts). */
export const CATALOGUE_FEED_MAX_TTL = Duration.hours(1);

export interface WebProps {
  /** The HTTP API: pages and /v1 (every path but /assets/*). */
  httpApi: apigw.HttpApi;
  /** The built assets (shared/web/assets.ts), served at their `path`. */
  assets: readonly Asset[];
  /** The secret origin header CloudFront adds to every API request. */
  originVerify: OriginVerify;
  /** ARN of the CLOUDFRONT-scope WAF web ACL (WafStack, us-east-1). */
  webAclArn?: string;
  /** The site's own domain and its ACM certificate (us-east-1); without them, the distribution's *.cloudfront.net name. */
  domainName?: string;
  certificateArn?: string;
}

/**
 * The one domain of the site (WEB.md): CloudFront in front of the HTTP API (pages and /v1,
 * never cached, but for the public catalogue feeds at /v1/catalogue/*) and of an S3 bucket with the content-hashed static assets (/assets/*, cached a
 * year), behind the WAF web ACL, with access logs.
 */
export class Web extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly assetsBucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly deployments: s3deploy.BucketDeployment[] = [];
  /** The folders of asset files the deployments copy (CDK uploads each as a zip). */
  readonly assetFiles: s3assets.Asset[] = [];
  readonly deploymentRole: iam.Role;
  /** The site's URL: https:// + the own domain, or the distribution's. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    if (Boolean(props.domainName) !== Boolean(props.certificateArn)) {
      throw new Error('domainName and certificateArn go together: CloudFront serves an own domain only with its certificate (ACM, us-east-1)');
    }
    const stack = Stack.of(this);

    // CloudFront's standard logs are written with ACLs, so this bucket keeps object ACLs enabled
    // (owner preferred); public access stays blocked.
    this.logBucket = new s3.Bucket(this, 'Logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the bucket the access logs (CloudFront and the assets bucket) go to; logging its own access would log into itself.',
    });

    this.assetsBucket = new s3.Bucket(this, 'Assets', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-assets/',
      // Pages cached in browsers name old hashes: those objects must outlive a stack, like the pages.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deploymentRole = this.deployAssets(props.assets);

    const origin = new origins.HttpOrigin(`${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      customHeaders: { [props.originVerify.headerName]: props.originVerify.headerValue },
    });

    // Keyed on the feeds' query strings only (no header, no cookie: the answer is the same for
    // everyone), kept as long as the origin's Cache-Control says and not at all without one (an
    // error answer), compressed copies apart. CloudFront answers a viewer's If-None-Match from
    // its copy and revalidates a stale one with the origin's ETag.
    const feedCache = new cloudfront.CachePolicy(this, 'CatalogueFeedCache', {
      comment: 'pe-register: the catalogue feeds for learning platforms, as long as their Cache-Control says',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: CATALOGUE_FEED_MAX_TTL,
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList(...CATALOGUE_FEED_QUERY),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'pe-register: pages, /v1 and /assets on one domain',
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        // Every answer is per person or per moment (sessions, CSRF tokens, live data).
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // Every viewer header but Host (API Gateway answers 403 to a foreign Host), plus
        // CloudFront's own headers, CloudFront-Viewer-Address among them (the rate limits' client).
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        compress: true,
      },
      additionalBehaviors: {
        '/assets/*': {
          origin: origins.S3BucketOrigin.withOriginAccessControl(this.assetsBucket),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          // Honours the objects' Cache-Control (a year), compressed copies cached apart.
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
          compress: true,
        },
        // Only the public GET routes below this path (test/infra/stack.test.ts holds the route
        // table to that); the origin gets no viewer header (nothing there reads one), the origin
        // header that verifies CloudFront still goes with every request.
        [CATALOGUE_FEEDS_PATH]: {
          origin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: feedCache,
          compress: true,
        },
      },
      ...(props.domainName
        ? {
            domainNames: [props.domainName],
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn!),
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Europe and North America: the register's users are in the Netherlands.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      webAclId: props.webAclArn,
    });

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction on purpose: the public register and the catalogue are for anyone, and diploma holders sign in from abroad too; the WAF web ACL limits abuse by rate instead.',
    });
    if (!props.domainName) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without an own domain (context domainName + certificateArn) the distribution answers on its *.cloudfront.net name with the default certificate, for which CloudFront ' +
          'fixes the minimum protocol at TLSv1; with an own domain the stack sets TLSv1.2_2021.',
      });
    }

    this.url = `https://${props.domainName ?? this.distribution.distributionDomainName}`;
    new CfnOutput(this, 'Url', { description: 'The site: pages, /v1 and /assets', value: this.url });
    new CfnOutput(this, 'DistributionDomain', {
      description: "The distribution's own name, which an own domain's DNS points at (alias or CNAME)",
      value: this.distribution.distributionDomainName,
    });
  }

  /**
   * Fills the bucket with the assets at deploy. Old files stay (`prune: false`): a page
   * cached before this deploy still names them. One deployment per content type, since the type is
   * set per deployment. The handler gets an own role with exactly what `aws s3 cp` (the zip) and
   * `aws s3 sync` (list, put these files) need, and its own log group, instead of the construct's
   * default (AWSLambdaBasicExecutionRole and wildcard grants, s3:DeleteObject* among them).
   */
  private deployAssets(assets: readonly Asset[]): iam.Role {
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', { retention: logs.RetentionDays.ONE_MONTH });
    const role = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the static assets into their bucket at deploy',
    });
    logGroup.grantWrite(role);
    // `aws s3 sync` lists the destination to compare, then puts what is new.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.assetsBucket.bucketArn] }));
    // Exactly this build's files: their names are known here, so no wildcard.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: assets.map((a) => this.assetsBucket.arnForObjects(a.path.slice(1))) }));

    const byType = new Map<string, Asset[]>();
    for (const asset of assets) byType.set(asset.contentType, [...(byType.get(asset.contentType) ?? []), asset]);
    for (const [contentType, group] of byType) {
      const name = contentType.replace(/[^a-z0-9]+/gi, '-');
      // The zip CDK uploads at deploy; the handler downloads it (`aws s3 cp`).
      const zip = new s3assets.Asset(this, `Files-${name}`, { path: writeAssets(group) });
      this.assetFiles.push(zip);
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [zip.bucket.arnForObjects(zip.s3ObjectKey)] }));
      const deployment = new s3deploy.BucketDeployment(this, `Deploy-${name}`, {
        sources: [s3deploy.Source.bucket(zip.bucket, zip.s3ObjectKey)],
        destinationBucket: this.assetsBucket,
        destinationKeyPrefix: ASSET_KEY_PREFIX,
        prune: false,
        contentType,
        cacheControl: [s3deploy.CacheControl.fromString(ASSET_CACHE_CONTROL)],
        // The immutable role: the construct's own grants (wildcards) are dropped; the ones above are the role's.
        role: role.withoutPolicyUpdates(),
        logGroup,
        outputObjectKeys: false,
      });
      this.deployments.push(deployment);
    }
    // The construct's handler is one function per stack, beside (not below) the deployments.
    for (const child of Stack.of(this).node.children) {
      if (child instanceof lambda.Function && child.node.id.startsWith('Custom::CDKBucketDeployment')) {
        Validations.of(child).acknowledge({
          id: 'AwsSolutions-L1',
          reason:
            "CDK's BucketDeployment handler: CDK pins its Python runtime together with the AWS CLI layer it ships; it runs only while a deploy copies the assets, never on a request.",
        });
      }
    }
    return role;
  }
}

/** Writes a group of assets into a folder of its own, named by their content (the same folder for the same files). */
function writeAssets(assets: readonly Asset[]): string {
  const hash = createHash('sha256');
  for (const a of assets) hash.update(a.path).update(a.body);
  const dir = path.join(tmpdir(), 'pe-register-assets', hash.digest('hex').slice(0, 16));
  mkdirSync(dir, { recursive: true });
  for (const a of assets) writeFileSync(path.join(dir, a.path.slice(`/${ASSET_KEY_PREFIX}`.length)), a.body);
  return dir;
}
