import { Annotations, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { allRoutes, jobs as jobTable, type Job, type Route } from '../shared/routes';
import { assetManifest, buildAssetsSync } from '../shared/web/assets';
import { Api } from './constructs/api';
import { DataTable } from './constructs/data-table';
import { Mail } from './constructs/mail';
import { ScheduledJobs } from './constructs/scheduled-jobs';
import { JOB_RUNNER_HANDLERS } from '../shared/jobs/registry';
import { Invoicing } from './constructs/invoicing';
import { ActivationQueue } from './constructs/activation-queue';
import { Alerts } from './constructs/alerts';
import { Secrets } from './constructs/secrets';
import { CursorKey } from './constructs/cursor-key';
import { CredentialKey } from './constructs/credential-key';
import { OriginVerify } from './constructs/origin-verify';
import { Web } from './constructs/web';
import { Deliverability } from './constructs/deliverability';

export const DEFAULT_MAIL_DOMAIN = 'pe-register.nl';

export interface PeRegisterStackProps extends StackProps {
  /** Sender domain of all e-mail (SES identity). Default: context `mailDomain`, else pe-register.nl. */
  mailDomain?: string;
  /**
   * The site's URL, for links in e-mails and the pages' origin check. Default: context
   * `publicBaseUrl`, else https://<domainName>, else the CloudFront distribution's https://….cloudfront.net.
   */
  publicBaseUrl?: string;
  /** The site's own domain on CloudFront, e.g. pe-register.nl. Default: context `domainName`, else none (the *.cloudfront.net name). */
  domainName?: string;
  /** ARN of the ACM certificate (us-east-1) for domainName. Default: context `certificateArn`. */
  certificateArn?: string;
  /** ARN of the CLOUDFRONT-scope WAF web ACL (WafStack) the distribution is associated with. */
  webAclArn?: string;
  /** Active X-Ray tracing on every function. Default: context `tracing` === 'true', else off. */
  tracing?: boolean;
  /** The route table, API and pages. Default: shared/routes.ts `allRoutes`; tests may pass a variant. */
  routes?: readonly Route[];
  /** The job list. Default: shared/routes.ts `jobs`; tests may pass sample jobs. */
  jobs?: readonly Job[];
  /** The mailbox that receives the alarms. Default: context `alertEmail`, else none (subscribe later). */
  alertEmail?: string;
  /**
   * The first admin user's address (WEB.md). Default: context `adminEmail`, else none. The sign-in
   * worker gets it as ADMIN_EMAIL and makes the user, once per address, the first time a sign-in
   * link is asked for it (shared/data/users.ts `ensureAdminUser`): no custom resource, no
   * deploy-time write to the table.
   */
  adminEmail?: string;
  /**
   * The register as supplier on its invoices (name, address, KvK, VAT, IBAN…), as SUPPLIER_*
   * variables. Default: context `supplier` (an object in cdk.json, or JSON with `-c supplier=…`).
   * Without it the invoices carry the placeholders of shared/config.ts, and synth warns.
   */
  supplier?: SupplierSettings;
}

/** The SUPPLIER_* variables of shared/config.ts, by their names there. */
export interface SupplierSettings {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country?: string;
  kvkNumber: string;
  vatNumber: string;
  iban: string;
  bic?: string;
  email: string;
  paymentTermDays?: number;
}

const SUPPLIER_ENV: Record<keyof SupplierSettings, string> = {
  name: 'SUPPLIER_NAME',
  street: 'SUPPLIER_STREET',
  postalCode: 'SUPPLIER_POSTAL_CODE',
  city: 'SUPPLIER_CITY',
  country: 'SUPPLIER_COUNTRY',
  kvkNumber: 'SUPPLIER_KVK',
  vatNumber: 'SUPPLIER_VAT',
  iban: 'SUPPLIER_IBAN',
  bic: 'SUPPLIER_BIC',
  email: 'SUPPLIER_EMAIL',
  paymentTermDays: 'SUPPLIER_PAYMENT_TERM_DAYS',
};

function supplierFromContext(value: unknown): SupplierSettings | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  const required: (keyof SupplierSettings)[] = ['name', 'street', 'postalCode', 'city', 'kvkNumber', 'vatNumber', 'iban', 'email'];
  const missing = required.filter((k) => typeof (parsed as Record<string, unknown>)?.[k] !== 'string' || !(parsed as Record<string, string>)[k]);
  if (missing.length) throw new Error(`context supplier: missing ${missing.join(', ')}`);
  return parsed as SupplierSettings;
}

/**
 * pe-register on AWS: the table, the HTTP API (API and pages), CloudFront with the static assets
 * in S3, the scheduled jobs, the SES sender identity and the key that seals webhook secrets.
 */
/** The routes whose requests are matched after the answer, on the activation queue (shared/services/activation.ts). */
export const ACTIVATION_QUEUE_SENDERS = ['request-activation', 'page-activation-request', 'page-sign-in-request'];

/**
 * The handlers that hand work to the invoicing worker (shared/services/invoicing/fan-out.ts): the
 * job runs (employer-months), what issues a document (a period start, a renewal, a credit note)
 * and what serves its files (which asks the worker to render one it has not). test/infra/stack.test.ts
 * checks this list against the bundles that contain fan-out.ts.
 */
export const INVOICE_QUEUE_SENDERS = [
  'http/create-session',
  'http/create-renewal',
  'web/activation',
  'web/renewal',
  'http/create-credit-note',
  'http/get-invoice',
  'web/invoice-pdf',
  'web/employer-invoice-file',
];
export const INVOICE_QUEUE_SENDER_JOBS = ['monthly-invoices', 'invoice-mails'];

export class PeRegisterStack extends Stack {
  readonly data: DataTable;
  readonly mail: Mail;
  readonly secrets: Secrets;
  readonly api: Api;
  readonly scheduledJobs: ScheduledJobs;
  readonly invoicing: Invoicing;
  readonly activationQueue: ActivationQueue;
  readonly alerts: Alerts;
  readonly cursorKey: CursorKey;
  readonly originVerify: OriginVerify;
  readonly web: Web;
  readonly deliverability: Deliverability;
  readonly credentialKey: CredentialKey;

  constructor(scope: Construct, id: string, props: PeRegisterStackProps = {}) {
    super(scope, id, {
      description: 'pe-register: continuing-education register (CloudFront, HTTP API, DynamoDB, SES, scheduled jobs)',
      ...props,
    });

    const context = (key: string): string | undefined => {
      const value: unknown = this.node.tryGetContext(key);
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const mailDomain = props.mailDomain ?? context('mailDomain') ?? DEFAULT_MAIL_DOMAIN;
    const domainName = props.domainName ?? context('domainName');
    const certificateArn = props.certificateArn ?? context('certificateArn');
    // The distribution comes after the functions that need its URL: they get it when the template is written.
    const publicBaseUrl =
      props.publicBaseUrl ?? context('publicBaseUrl') ?? (domainName ? `https://${domainName}` : Lazy.string({ produce: () => this.web.url }));
    const tracing = props.tracing ?? context('tracing') === 'true';

    this.data = new DataTable(this, 'Data');
    this.mail = new Mail(this, 'Mail', { domain: mailDomain, publicBaseUrl });
    this.secrets = new Secrets(this, 'Secrets');
    const routes = props.routes ?? allRoutes;
    this.api = new Api(this, 'Api', {
      routes,
      table: this.data.table,
      mail: this.mail,
      secrets: this.secrets,
      tracing,
    });
    // The pages learn the stylesheet's hashed name from PE_ASSET_MANIFEST, and check a form's
    // Origin against PUBLIC_BASE_URL; the same build fills the assets bucket.
    const assets = buildAssetsSync();
    const manifest = JSON.stringify(assetManifest(assets));
    for (const route of routes) {
      if (route.kind !== 'page') continue;
      const fn = this.api.functions.get(route.id)!;
      fn.addEnvironment('PE_ASSET_MANIFEST', manifest);
      fn.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    }
    // Rate-limited routes count the viewer CloudFront reports, on requests that carry its secret.
    this.originVerify = new OriginVerify(this, 'OriginVerify');
    for (const route of routes) if (route.rateLimit) this.originVerify.allowChecking(this.api.functions.get(route.id)!);
    this.web = new Web(this, 'Web', {
      httpApi: this.api.httpApi,
      assets,
      originVerify: this.originVerify,
      webAclArn: props.webAclArn,
      domainName,
      certificateArn,
    });

    // The credentials' signing key (issue 18): only the routes that name a use of it.
    this.credentialKey = new CredentialKey(this, 'CredentialKey');
    for (const route of routes) if (route.credentialKey) this.credentialKey.allow(this.api.functions.get(route.id)!, route.credentialKey, publicBaseUrl);

    // Signed list cursors: only the functions of routes that return lists may read the key.
    this.cursorKey = new CursorKey(this, 'CursorKey');
    for (const route of routes) if (route.paged) this.cursorKey.allowSigning(this.api.functions.get(route.id)!);
    this.scheduledJobs = new ScheduledJobs(this, 'Jobs', {
      jobs: props.jobs ?? jobTable,
      table: this.data.table,
      mail: this.mail,
      tracing,
    });
    // The job runners run a job in the job's own function (shared/jobs/remote.ts), not in theirs;
    // only the routes that start a run (POST), not the staff page's GET.
    for (const route of routes.filter((r) => JOB_RUNNER_HANDLERS.includes(r.handler) && r.method === 'POST')) {
      const fn = this.api.functions.get(route.id);
      if (fn) this.scheduledJobs.allowRunning(fn);
    }
    // The monthly invoice run fans out per employer; the job functions that start one may enqueue.
    this.invoicing = new Invoicing(this, 'Invoicing', { table: this.data.table, mail: this.mail, tracing });
    for (const name of INVOICE_QUEUE_SENDER_JOBS) {
      const fn = this.scheduledJobs.jobs.get(name)?.fn;
      if (fn) this.invoicing.allowEnqueue(fn);
    }
    for (const route of routes.filter((r) => INVOICE_QUEUE_SENDERS.includes(r.handler))) {
      const fn = this.api.functions.get(route.id);
      if (fn) this.invoicing.allowEnqueue(fn);
    }
    // Activation requests are matched after the answer (its timing must not tell a match).
    this.activationQueue = new ActivationQueue(this, 'Activations', { table: this.data.table, mail: this.mail, tracing });
    // The API route and the two pages that take the same requests (activation, sign-in link) in the browser.
    for (const id of ACTIVATION_QUEUE_SENDERS) {
      const fn = this.api.functions.get(id);
      if (fn) this.activationQueue.allowEnqueue(fn);
    }

    const adminEmail = props.adminEmail ?? context('adminEmail');
    if (adminEmail) this.activationQueue.worker.addEnvironment('ADMIN_EMAIL', adminEmail);
    else Annotations.of(this).addWarning('No first admin user (context `adminEmail`): nobody can sign in to /beheer until one is set.');

    // Bounces and complaints of every e-mail (the configuration set on each send) mark addresses undeliverable.
    this.deliverability = new Deliverability(this, 'Deliverability', { table: this.data.table, mail: this.mail, tracing });

    // Every alarm notifies the operators' topic.
    this.alerts = new Alerts(this, 'Alerts', { email: props.alertEmail ?? context('alertEmail') });
    this.alerts.watch(...[...this.scheduledJobs.jobs.values()].flatMap((j) => j.alarms), this.invoicing.alarm, this.activationQueue.alarm, this.deliverability.alarm);
    this.alerts.watchApi(this.api.httpApi);

    // The supplier on every invoice: each document copies it at issue, so it must be right before
    // the first invoice goes out.
    const supplier = props.supplier ?? supplierFromContext(this.node.tryGetContext('supplier'));
    if (supplier) {
      const fns = [...this.api.functions.values(), ...[...this.scheduledJobs.jobs.values()].map((j) => j.fn), this.invoicing.worker];
      for (const [key, variable] of Object.entries(SUPPLIER_ENV) as [keyof SupplierSettings, string][]) {
        const value = supplier[key];
        if (value !== undefined) for (const fn of fns) fn.fn.addEnvironment(variable, String(value));
      }
    } else {
      Annotations.of(this).addWarning(
        'No supplier details (context `supplier`): invoices would carry the placeholder KvK, VAT number and IBAN of shared/config.ts. Set them before invoicing.',
      );
    }
  }
}
