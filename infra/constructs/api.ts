import { CfnOutput, NestedStack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { functionDescription, type Route } from '../../shared/routes';
import type { Mail } from './mail';
import { allowSessionTouch, bindTable, PeFunction } from './pe-function';
import type { Secrets } from './secrets';

export interface ThrottleLimits {
  burstLimit: number;
  rateLimit: number;
}

/** Every route: generous enough for the integrations of providers and employers. */
export const DEFAULT_THROTTLE: ThrottleLimits = { burstLimit: 200, rateLimit: 100 };
/** Unauthenticated routes (throttle: 'public'), which anyone on the internet can hammer. */
export const PUBLIC_THROTTLE: ThrottleLimits = { burstLimit: 20, rateLimit: 10 };

export interface ApiProps {
  /** The route table: API routes and pages (shared/routes.ts `allRoutes`). */
  routes: readonly Route[];
  table: ITableV2;
  mail: Mail;
  /** The webhook-secrets key, for the routes that seal or open secrets. */
  secrets: Secrets;
  tracing?: boolean;
}

/**
 * One JSON line per request, with HTTP API context variables (the L2 default is the REST API's
 * CLF line, whose $context.resourcePath/identity.* HTTP APIs do not fill). No source IP or
 * user agent: personal data stays out of the logs (ARCHITECTURE, convention 10).
 */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTimeEpoch',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    error: '$context.error.message',
  }),
);

/** How each non-public route authenticates inside its function, as the APIG4 acknowledgements say it. */
const AUTHENTICATION: Record<Exclude<Route['auth'], 'public'>, string> = {
  apiKey: 'API key looked up in the table, role checked',
  webhook: 'Standard Webhooks signature with the per-provider secret',
  session: 'session cookie whose hash is looked up in the table, role checked (shared/web/page.tsx); without a session a GET is sent to the sign-in page and a POST refused',
};

/** API Gateway route key, e.g. "GET /v1/providers". */
export const routeKey = (route: { method: Route['method'] | 'HEAD'; path: string }): string => `${route.method} ${route.path}`;

/**
 * The methods API Gateway routes for a route-table entry. HTTP APIs do not answer HEAD on a GET
 * route by themselves, so a GET route gets a HEAD route to the same function, whose recipe
 * answers it as GET without the body.
 */
export const routeMethods = (route: Pick<Route, 'method'>): Array<Route['method'] | 'HEAD'> =>
  route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];

/** Every API Gateway route key of a route-table entry. */
export const routeKeys = (route: Pick<Route, 'method' | 'path'>): string[] => routeMethods(route).map((method) => routeKey({ method, path: route.path }));

/**
 * A Lambda integration that grants API Gateway one invoke permission, not one per route: the
 * permission's source ARN (any stage, any method, the route's path) covers every method, so a GET route's
 * HEAD route needs no second, identical one.
 */
/** The site's areas by first path segment, each pages' nested stack (the rest: public and participants' pages). */
export const PAGE_AREAS: Record<string, { id: string; what: string }> = {
  werkgever: { id: 'EmployerPages', what: 'employers' },
  opleider: { id: 'ProviderPages', what: 'training providers' },
  beheer: { id: 'StaffPages', what: "the register's staff" },
};
const PUBLIC_AREA = { id: 'Pages', what: 'the public and participants' };

export function pageArea(path: string): { id: string; what: string } {
  return PAGE_AREAS[path.split('/')[1] ?? ''] ?? PUBLIC_AREA;
}

class LambdaIntegration extends HttpLambdaIntegration {
  private permitted = false;

  constructor(id: string, handler: lambda.IFunction) {
    super(id, handler);
  }

  protected override completeBind(options: apigw.HttpRouteIntegrationBindOptions): void {
    if (this.permitted) return;
    this.permitted = true;
    super.completeBind(options);
  }
}

/**
 * The HTTP API: one Lambda and one route per entry of the route table (API routes and pages; the
 * page-not-found route's `GET /{proxy+}` catches every other path), a $default stage with access
 * logs and throttling. Authentication happens inside the functions (API keys stored in the table,
 * Standard Webhooks signatures, session cookies), so the routes carry no API Gateway authorizer.
 */
export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  /** The function behind each route, by route id. */
  readonly functions = new Map<string, PeFunction>();
  /** The nested stacks of the pages' functions and routes, one per area (PAGE_AREAS), when the table has pages. */
  readonly pageStacks = new Map<string, NestedStack>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'pe-register public API',
      // Our own $default stage below, because the built-in one cannot take access-log settings.
      createDefaultStage: false,
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
    });

    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });

    const publicRouteSettings: Record<string, { ThrottlingBurstLimit: number; ThrottlingRateLimit: number }> = {};
    const cfnStage = this.stage.node.defaultChild as apigw.CfnStage;

    // CloudFormation takes at most 500 resources per stack, and each route brings 7 to 9 (function,
    // role, policy, log group, integration, route(s), permission). The pages get nested stacks of
    // their own, one per area of the site (public and participants, employers, providers, staff),
    // beside the API's routes here, so no area's growth can push another over the limit.
    const pageStack = (route: Route): NestedStack => {
      const area = pageArea(route.path);
      let stack = this.pageStacks.get(area.id);
      if (!stack) {
        stack = new NestedStack(this, area.id, { description: `pe-register: the web pages of ${area.what} (functions and their routes)` });
        this.pageStacks.set(area.id, stack);
      }
      return stack;
    };

    // API routes that name a nested stack (shared/routes.ts `nestedStack`) go there, like the pages.
    const nested = new Map<string, NestedStack>();
    const nestedStack = (name: string) => {
      if (!nested.has(name)) nested.set(name, new NestedStack(this, name, { description: `pe-register: the API's ${name} routes (functions and their routes)` }));
      return nested.get(name)!;
    };
    for (const route of props.routes) {
      const scope = route.kind === 'page' ? pageStack(route) : route.nestedStack ? nestedStack(route.nestedStack) : this;
      const fn = new PeFunction(scope, route.id, {
        handler: route.handler,
        kind: 'http',
        description: functionDescription(route),
        tracing: props.tracing,
      });
      bindTable(fn, props.table, route.table);
      if (route.auth === 'session' && route.table === 'read') allowSessionTouch(fn, props.table);
      if (route.sendsEmail) props.mail.allowSending(fn);
      if (route.webhookSecrets) props.secrets.allow(fn, route.webhookSecrets);
      this.functions.set(route.id, fn);

      const methods = routeMethods(route);
      const integration = new LambdaIntegration(`${route.id}-integration`, fn.fn);
      // The API's routes where they have always been (their logical ids stay); the pages' in their stack.
      const httpRoutes =
        route.kind === 'page' || route.nestedStack
          ? methods.map(
              (m) => new apigw.HttpRoute(scope, `${m}${route.path}`, { httpApi: this.httpApi, routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[m]), integration }),
            )
          : this.httpApi.addRoutes({ path: route.path, methods: methods.map((m) => apigw.HttpMethod[m]), integration });

      for (const [i, httpRoute] of httpRoutes.entries()) {
        const key = routeKey({ method: methods[i], path: route.path });
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.auth === 'public'
              ? `${key} is public by design (${route.summary}); ${route.throttle === 'public' ? 'it has the lower public throttle' : "the stage's default throttle applies"}.`
              : `${key} authenticates in the function (${AUTHENTICATION[route.auth]}); an API Gateway authorizer would duplicate that lookup.`,
        });

        if (route.throttle === 'public') {
          publicRouteSettings[key] = {
            ThrottlingBurstLimit: PUBLIC_THROTTLE.burstLimit,
            ThrottlingRateLimit: PUBLIC_THROTTLE.rateLimit,
          };
          // Route settings name routes by key; the stage must wait until the route exists.
          cfnStage.addResourceDependency(httpRoute.node.defaultChild as apigw.CfnRoute);
        }
      }
    }

    // The L2 stage only exposes stage-wide (default) throttling; per-route limits go on the L1.
    if (Object.keys(publicRouteSettings).length > 0) {
      cfnStage.routeSettings = publicRouteSettings;
    }

    new CfnOutput(this, 'Url', { description: 'Base URL of the HTTP API', value: this.stage.url });
  }
}
