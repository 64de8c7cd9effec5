import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { allRoutes, type Route } from '../shared/routes';

/**
 * WAF rate limits per viewer address, counted over WAF_WINDOW_SECONDS. They sit above the
 * application's own limits (shared/config.ts: 20 attempts per client per 10 minutes on each
 * sign-in route, 5 per identifier per hour), which answer a person with a 429 page and
 * Retry-After; WAF stops what keeps hammering before it costs a Lambda call and a DynamoDB write.
 * - signIn: the routes with a brute-force limit (activation, sign-in, sessions: every route of the
 *   table with `rateLimit`), GETs included (link landings): 100 per 5 minutes leaves an office
 *   behind one address room for many colleagues, and no script a useful rate.
 * - lookups: the public register (/register, /v1/register), which names people: 300 per
 *   5 minutes is a search a second, more than a person reads, too slow to copy the register.
 */
export const WAF_WINDOW_SECONDS = 300;
export const WAF_LIMITS = { signIn: 100, lookups: 300, feeds: 300 } as const;
/**
 * The catalogue feeds for learning platforms (`/v1/catalogue/feed.json`, `…/sessions.ics`): cached
 * at CloudFront, but their query strings are the cache key, so a caller varying `updatedSince`
 * misses the cache on every request and each miss reads up to a few thousand items. Per address,
 * so one script cannot spend the routes' shared throttle for every platform.
 */
export const FEED_PREFIX = '/v1/catalogue/';
/** The register's paths, page and API, and everything below them. */
export const LOOKUP_PREFIXES = ['/register', '/v1/register'];

/** The paths of the routes with a brute-force limit: exact, or (with parameters) the part before the first one. */
export function signInPaths(routes: readonly Route[]): { path: string; exact: boolean }[] {
  const seen = new Map<string, boolean>();
  for (const route of routes.filter((r) => r.rateLimit)) {
    const brace = route.path.indexOf('{');
    if (brace === -1) seen.set(route.path, true);
    else seen.set(route.path.slice(0, brace), false);
  }
  return [...seen].map(([path, exact]) => ({ path, exact }));
}

export interface WafStackProps extends StackProps {
  /** The route table the sign-in rule covers. Default: shared/routes.ts `allRoutes`. */
  routes?: readonly Route[];
}

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

/** The URI path, URL-decoded and lower-cased, so `/%41ctiveren` is `/activeren`. */
function pathMatch(path: string, exact: boolean): wafv2.CfnWebACL.StatementProperty {
  return {
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint: exact ? 'EXACTLY' : 'STARTS_WITH',
      searchString: path.toLowerCase(),
      textTransformations: [
        { priority: 0, type: 'URL_DECODE' },
        { priority: 1, type: 'LOWERCASE' },
      ],
    },
  };
}

const anyOf = (statements: wafv2.CfnWebACL.StatementProperty[]): wafv2.CfnWebACL.StatementProperty =>
  statements.length === 1 ? statements[0] : { orStatement: { statements } };

function rateRule(name: string, priority: number, limit: number, scopeDown: wafv2.CfnWebACL.StatementProperty): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit, evaluationWindowSec: WAF_WINDOW_SECONDS, scopeDownStatement: scopeDown } },
    // 429 with Retry-After, like the application's own limits.
    action: {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: 'too-many-requests',
          responseHeaders: [{ name: 'retry-after', value: String(WAF_WINDOW_SECONDS) }],
        },
      },
    },
    visibilityConfig: visibility(name),
  };
}

function managedRules(name: string, priority: number, countOnly: string[] = []): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ...(countOnly.length ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) } : {}),
      },
    },
    overrideAction: { none: {} },
    visibilityConfig: visibility(name),
  };
}

/**
 * The WAF web ACL in front of the CloudFront distribution. A CLOUDFRONT-scope ACL (like the
 * distribution's certificate) must live in us-east-1, whatever the region of the app stack, hence
 * a stack of its own; the app stack takes its ARN through CDK's cross-region references.
 */
export class WafStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: WafStackProps = {}) {
    super(scope, id, { description: 'pe-register: the WAF web ACL of the CloudFront distribution (us-east-1)', ...props });
    if (this.region !== 'us-east-1') throw new Error(`WafStack must be in us-east-1 (a CLOUDFRONT-scope web ACL), not ${this.region}`);

    const routes = props.routes ?? allRoutes;
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: 'pe-register',
      description: 'pe-register: rate limits on the public sign-in, register and catalogue-feed routes, AWS managed rule groups',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('pe-register'),
      customResponseBodies: {
        'too-many-requests': {
          contentType: 'TEXT_PLAIN',
          content: 'Te veel verzoeken. Probeer het over enkele minuten opnieuw.\nToo many requests. Please try again in a few minutes.\n',
        },
      },
      rules: [
        rateRule('sign-in-rate', 0, WAF_LIMITS.signIn, anyOf(signInPaths(routes).map((p) => pathMatch(p.path, p.exact)))),
        rateRule('register-rate', 1, WAF_LIMITS.lookups, anyOf(LOOKUP_PREFIXES.map((p) => pathMatch(p, false)))),
        rateRule('feed-rate', 4, WAF_LIMITS.feeds, pathMatch(FEED_PREFIX, false)),
        // Two size rules only count: the API's own limits answer those (API.md: 413 over 1 MiB of
        // body — diploma imports, CSV, webhooks are larger than the group's 8 KB — and 414 over
        // 4 KiB of query, the group's limit being 2 KiB).
        managedRules('AWSManagedRulesCommonRuleSet', 2, ['SizeRestrictions_BODY', 'SizeRestrictions_QUERYSTRING']),
        managedRules('AWSManagedRulesKnownBadInputsRuleSet', 3),
      ],
    });

    new CfnOutput(this, 'WebAclArn', { description: 'The web ACL of the CloudFront distribution', value: this.webAcl.attrArn });
  }

  /** What the distribution's `webAclId` takes for WAFv2: the ACL's ARN. */
  get webAclArn(): string {
    return this.webAcl.attrArn;
  }
}
