/**
 * The one route table. The CDK stack (one Lambda per route), the local gateway and the
 * OpenAPI document are all generated from this list, so they cannot disagree.
 *
 * Pure data on purpose: every Lambda bundle imports it (for its own roles), so it must not
 * pull schemas or SDKs in.
 */
export type Role = 'admin' | 'provider' | 'employer' | 'participant';

/**
 * How a route authenticates: no auth, an API key (Bearer), a Standard Webhooks signature, or (pages
 * only) the signed-in person's session cookie (shared/web/session.ts).
 */
export type AuthMode = 'public' | 'apiKey' | 'webhook' | 'session';

export interface RateLimit {
  /** Top-level body fields whose values are counted, each on its own counter. */
  identifiers: string[];
  /** Routes with the same group share their counters (default: the route id). */
  group?: string;
}

export interface Route {
  /** Stable id, also the Lambda's logical name: verb-noun in kebab-case (pages: `page-<name>`). */
  id: string;
  /** 'page': an HTML page of the web (WEB.md), rendered by functions/web/; default 'api' (JSON, in the OpenAPI document). */
  kind?: 'api' | 'page';
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway style path, parameters in braces. */
  path: string;
  /** Entry file below functions/, without extension. */
  handler: string;
  auth: AuthMode;
  /** Roles that may call an apiKey route or see a session page (empty for public/webhook routes). */
  roles: Role[];
  summary: string;
  /** Name of the request body schema in shared/schemas (for OpenAPI). */
  body?: string;
  /** Media types the body may come in (default application/json); others are documented as text. */
  bodyContentTypes?: string[];
  /** Takes an `Idempotency-Key` header (shared/data/idempotency.ts): a retry returns the first answer. */
  idempotencyKey?: boolean;
  /** Name of the query schema in shared/schemas (for OpenAPI). */
  query?: string;
  /** Name of the success response schema and its status. */
  response?: { status: number; schema?: string; contentTypes?: string[] };
  /** Public routes that anyone can hammer get the lower throttling limit. */
  throttle?: 'public';
  /**
   * Brute-force limit (shared/data/rate-limits.ts, enforced by the recipe): requests per client
   * address, and per value of each named body field that identifies someone or something
   * (diploma number, e-mail, token). Past a limit: 429 with Retry-After, and nothing happens.
   * Every public route that takes an identifier (activation, session, sign-in) sets this.
   */
  rateLimit?: RateLimit;
  /** Grant: which access the function needs to the table ('none': it never touches it, and gets neither TABLE_NAME nor a grant). */
  table: 'read' | 'readwrite' | 'none';
  /**
   * Use of the key that seals webhook secrets (shared/crypto/secrets.ts): 'seal' issues new
   * secrets (kms:Encrypt), 'open' verifies signatures with them (kms:Decrypt). No other function
   * gets the key, so reading the table never reveals a secret.
   */
  webhookSecrets?: 'seal' | 'open';
  /** The function sends e-mail through SES. */
  sendsEmail?: boolean;
  /** A list with signed cursors (shared/http/cursor.ts): the function may read the cursor key. */
  paged?: boolean;
  /**
   * Error answers the rest of the table cannot imply (it implies: auth → 401/403, path
   * parameters → 404, body → 400/413/415, several response types → 406, idempotencyKey → 422,
   * rateLimit → 429; every route 414/431/500): status → when, with the problem's `reason` codes.
   * `null` drops an implied one the route never gives. The OpenAPI document lists them, and the
   * integration tests fail on any status a route answers that the document does not list.
   */
  errors?: Partial<Record<number, string | null>>;
  /**
   * Use of the credential signing key (issue 18, shared/crypto/credential-signer.ts): 'sign'
   * (kms:Sign and kms:GetPublicKey) issues credentials or signs status lists; 'verify'
   * (kms:GetPublicKey) publishes the public key or checks a credential against it. Only these
   * functions get CREDENTIAL_KEY_ID (and PUBLIC_BASE_URL, which names the issuer's did:web).
   */
  credentialKey?: 'sign' | 'verify';
  /**
   * API routes only: the nested stack (by name) that holds the route's function and route, as the
   * pages have theirs — the app stack is near CloudFormation's 500 resources, and routes already
   * there keep their logical ids. New API routes name one.
   */
  nestedStack?: string;
  /**
   * GET routes whose answer carries a strong `ETag` (a hash of the body) and honours
   * `If-None-Match` with a `304` and no body (shared/http/conditional.ts): the OpenAPI document
   * lists the 304.
   */
  conditional?: boolean;
}

export const routes: Route[] = [
  {
    id: 'get-health', method: 'GET', path: '/health', handler: 'http/get-health',
    auth: 'public', roles: [], summary: 'Liveness check', table: 'none', throttle: 'public',
    response: { status: 200, schema: 'HealthResponse' },
  },
  {
    id: 'get-openapi', method: 'GET', path: '/openapi.json', handler: 'http/get-openapi',
    auth: 'public', roles: [], summary: 'This OpenAPI 3.1 document', table: 'none', throttle: 'public',
    response: { status: 200 },
  },
  {
    id: 'create-provider', method: 'POST', path: '/v1/providers', handler: 'http/create-provider',
    auth: 'apiKey', roles: ['admin'], summary: 'Admit a training provider', table: 'readwrite',
    body: 'CreateProviderRequest', response: { status: 201, schema: 'CreateProviderResponse' },
    // It issues the provider's first webhook secret.
    webhookSecrets: 'seal',
  },
  {
    id: 'create-employer', method: 'POST', path: '/v1/employers', handler: 'http/create-employer',
    auth: 'apiKey', roles: ['admin'], summary: 'Admit an employer (staffing agency)', table: 'readwrite',
    body: 'CreateEmployerRequest', response: { status: 201, schema: 'CreateEmployerResponse' },
  },
  {
    id: 'update-employer', method: 'PATCH', path: '/v1/employers/{employerId}', handler: 'http/update-employer',
    auth: 'apiKey', roles: ['admin', 'employer'], summary: "Change an employer's settings: HR contact (digests), invoice address, buyer reference, Peppol address, address", table: 'readwrite',
    body: 'UpdateEmployerRequest', response: { status: 200, schema: 'EmployerSettings' },
    errors: { 409: 'Changed by someone else at the same moment, three times over (`reason: concurrent-update`); send it again' },
  },
  {
    id: 'revoke-api-key', method: 'DELETE', path: '/v1/api-keys/{keyId}', handler: 'http/revoke-api-key',
    auth: 'apiKey', roles: ['admin'], summary: 'Revoke an API key', table: 'readwrite',
    response: { status: 204 },
  },
  {
    id: 'create-provider-api-key', method: 'POST', path: '/v1/providers/{providerId}/api-keys', handler: 'http/create-provider-api-key',
    auth: 'apiKey', roles: ['admin', 'provider'], summary: 'Issue another API key for a provider (shown once; its other keys stay valid)', table: 'readwrite',
    response: { status: 201, schema: 'ApiKeyResponse' },
  },
  {
    id: 'create-employer-api-key', method: 'POST', path: '/v1/employers/{employerId}/api-keys', handler: 'http/create-employer-api-key',
    auth: 'apiKey', roles: ['admin', 'employer'], summary: 'Issue another API key for an employer (shown once; its other keys stay valid)', table: 'readwrite',
    response: { status: 201, schema: 'ApiKeyResponse' },
  },
  {
    id: 'rotate-webhook-secret', method: 'POST', path: '/v1/providers/{providerId}/webhook-secrets', handler: 'http/rotate-webhook-secret',
    auth: 'apiKey', roles: ['admin', 'provider'], summary: 'Rotate the webhook signing secret: the new one is shown once, the previous one keeps working 24 hours', table: 'readwrite',
    response: { status: 201, schema: 'WebhookSecretResponse' }, webhookSecrets: 'seal',
    errors: { 409: 'Another rotation landed at the same moment (`reason: concurrent-rotation`); rotate again for a secret of your own' },
  },
  {
    id: 'run-job', method: 'POST', path: '/v1/jobs/{job}/runs', handler: 'http/run-job',
    auth: 'apiKey', roles: ['admin'], summary: 'Run a scheduled job now, as of a date', table: 'readwrite',
    body: 'RunJobRequest', response: { status: 200, schema: 'RunJobResponse' }, sendsEmail: true,
    errors: { 502: "The job failed in its own function (`reason: job-failed`, with the `job`); it is idempotent, so run it again" },
  },
  {
    id: 'import-diplomas', method: 'POST', path: '/v1/diplomas', handler: 'http/import-diplomas',
    auth: 'apiKey', roles: ['admin'], summary: 'Import diplomas (1–1000, all-or-nothing validation, idempotent)', table: 'readwrite',
    body: 'ImportDiplomasRequest', response: { status: 200, schema: 'ImportDiplomasResponse' },
  },
  {
    id: 'request-activation', method: 'POST', path: '/v1/activations', handler: 'http/request-activation',
    auth: 'public', roles: [], summary: 'Ask for an activation e-mail (always 202; matched after the answer)', table: 'readwrite', throttle: 'public',
    rateLimit: { identifiers: ['diplomaNumber', 'email'] },
    body: 'ActivationRequest', response: { status: 202, schema: 'ActivationResponse' },
  },
  {
    id: 'list-activation-claims', method: 'GET', path: '/v1/activation-claims', handler: 'http/list-activation-claims',
    auth: 'apiKey', roles: ['admin'], summary: 'Activation requests for diplomas without an address on file, per status (default pending), oldest first', table: 'read',
    query: 'ActivationClaimsQuery', response: { status: 200, schema: 'ActivationClaimList' }, paged: true,
  },
  {
    id: 'decide-activation-claim', method: 'POST', path: '/v1/activation-claims/{claimId}/decision', handler: 'http/decide-activation-claim',
    auth: 'apiKey', roles: ['admin'], summary: 'Approve (the activation e-mail goes to the claimed address) or reject an activation claim, once', table: 'readwrite',
    body: 'ActivationClaimDecisionRequest', response: { status: 200, schema: 'ActivationClaimDecisionResponse' }, sendsEmail: true,
    errors: { 409: 'The claim was decided already (`reason: already-decided`, with its `currentStatus`), its holder left the register (`participant-missing`), or it changed at the same moment' },
  },
  {
    id: 'create-session', method: 'POST', path: '/v1/sessions', handler: 'http/create-session',
    auth: 'public', roles: [], summary: 'Exchange a one-time activation token for a participant API key', table: 'readwrite', throttle: 'public',
    rateLimit: { identifiers: ['token'] },
    body: 'SessionRequest', response: { status: 201, schema: 'SessionResponse' }, sendsEmail: true,
    errors: { 401: 'The token is unknown, used or expired', 409: 'The registration changed while the session was created; try again' },
  },
  {
    id: 'get-participant', method: 'GET', path: '/v1/participants/{participantId}', handler: 'http/get-participant',
    auth: 'apiKey', roles: ['participant', 'employer', 'admin'], summary: 'The dossier', table: 'read',
    response: { status: 200, schema: 'Dossier' },
  },
  {
    id: 'update-participant', method: 'PATCH', path: '/v1/participants/{participantId}', handler: 'http/update-participant',
    auth: 'apiKey', roles: ['participant', 'admin'], summary: "Change the participant's own settings: language, invoice address (not the e-mail address)", table: 'readwrite',
    body: 'UpdateParticipantRequest', response: { status: 200, schema: 'Dossier' },
    errors: { 409: 'Changed by someone else at the same moment, three times over (`reason: concurrent-update`); send it again' },
  },
  {
    id: 'create-renewal', method: 'POST', path: '/v1/participants/{participantId}/renewals', handler: 'http/create-renewal',
    auth: 'apiKey', roles: ['participant', 'employer', 'admin'], summary: 'Renew the current period (≥ 12 points)', table: 'readwrite',
    response: { status: 201, schema: 'RenewalResponse' }, sendsEmail: true,
    errors: { 409: 'Not renewable: `reason` `no-active-period`, `points-missing` (with `pointsMissing`), `already-renewed`, `not-started` or `ended`' },
  },
  {
    id: 'list-participant-events', method: 'GET', path: '/v1/participants/{participantId}/events', handler: 'http/list-participant-events',
    auth: 'apiKey', roles: ['admin'], summary: "A participant's audit trail", table: 'read',
    query: 'EventsQuery', response: { status: 200, schema: 'EventList' }, paged: true,
  },
  {
    id: 'get-register-entry', method: 'GET', path: '/v1/register/{registrationNumber}', handler: 'http/get-register-entry',
    auth: 'public', roles: [], summary: 'Public register: look up a registration number', table: 'read', throttle: 'public',
    response: { status: 200, schema: 'RegisterEntry' },
  },
  {
    id: 'search-register', method: 'GET', path: '/v1/register', handler: 'http/search-register',
    auth: 'public', roles: [], summary: 'Public register: search by surname as people type it, with or without its prefix (de Vries, Vries, "Vries, de"), and initials; up to 20', table: 'read', throttle: 'public',
    query: 'RegisterSearchQuery', response: { status: 200, schema: 'RegisterSearchResponse' },
  },
  {
    id: 'receive-completions', method: 'POST', path: '/v1/webhooks/providers/{providerId}/completions', handler: 'http/receive-completions',
    auth: 'webhook', roles: [], summary: 'Completion webhook (Standard Webhooks signature): credit points exactly once', table: 'readwrite',
    body: 'CompletionsRequest', response: { status: 200, schema: 'CompletionsResponse' }, sendsEmail: true, webhookSecrets: 'open',
    errors: { 404: null, 409: 'The `webhook-id` was delivered before with another body (`reason: webhook-id-reused`; nothing credited), or its first delivery is still being processed (`reason: webhook-in-progress`, with Retry-After)' },
  },
  {
    id: 'revoke-credit', method: 'POST', path: '/v1/credits/{creditId}/revocations', handler: 'http/revoke-credit',
    auth: 'apiKey', roles: ['provider', 'employer', 'admin'], summary: 'Revoke a credit (its sender or the admin)', table: 'readwrite',
    body: 'RevocationRequest', response: { status: 200, schema: 'RevocationResponse' },
    errors: { 409: 'The credit was revoked already (with `revokedAt`)' },
  },
  {
    id: 'create-employer-credits', method: 'POST', path: '/v1/employers/{employerId}/credits', handler: 'http/create-employer-credits',
    auth: 'apiKey', roles: ['employer'], summary: "Credit the employer's own internal activity to its linked employees", table: 'readwrite',
    body: 'EmployerCreditsRequest', response: { status: 200, schema: 'EmployerCreditsResponse' }, sendsEmail: true,
  },
  {
    id: 'list-topics', method: 'GET', path: '/v1/topics', handler: 'http/list-topics',
    auth: 'public', roles: [], summary: 'The topics (eind- en toetstermen), retired ones included', table: 'read', throttle: 'public',
    response: { status: 200, schema: 'TopicList' },
  },
  {
    id: 'put-topic', method: 'PUT', path: '/v1/topics/{code}', handler: 'http/put-topic',
    auth: 'apiKey', roles: ['admin'], summary: 'Add, rename, retire or reinstate a topic', table: 'readwrite',
    body: 'PutTopicRequest', response: { status: 200, schema: 'Topic' },
    errors: { 404: null, 409: 'The topic was changed at the same moment; read it and try again' },
  },
  {
    id: 'submit-recognition-request', method: 'POST', path: '/v1/recognition-requests', handler: 'http/submit-recognition-request',
    auth: 'apiKey', roles: ['provider', 'employer'], summary: 'Request recognition (PE-erkenning) of an activity', table: 'readwrite',
    body: 'RecognitionRequestBody', response: { status: 201, schema: 'SubmitRecognitionResponse' },
  },
  {
    id: 'list-recognition-requests', method: 'GET', path: '/v1/recognition-requests', handler: 'http/list-recognition-requests',
    auth: 'apiKey', roles: ['admin', 'provider', 'employer'], summary: "The admin's queue per status (oldest first), or the caller's own requests", table: 'read',
    query: 'RecognitionRequestsQuery', response: { status: 200, schema: 'RecognitionRequestList' }, paged: true,
  },
  {
    id: 'get-recognition-request', method: 'GET', path: '/v1/recognition-requests/{requestId}', handler: 'http/get-recognition-request',
    auth: 'apiKey', roles: ['admin', 'provider', 'employer'], summary: 'One recognition request with its decision history', table: 'read',
    response: { status: 200, schema: 'RecognitionRequest' },
  },
  {
    id: 'resubmit-recognition-request', method: 'PUT', path: '/v1/recognition-requests/{requestId}', handler: 'http/resubmit-recognition-request',
    auth: 'apiKey', roles: ['provider', 'employer'], summary: 'Resubmit a request after changes were requested (replaces its content)', table: 'readwrite',
    body: 'RecognitionRequestBody', response: { status: 200, schema: 'RecognitionRequest' },
    errors: { 409: 'Only a request with changes requested can be resubmitted (`currentStatus`), or it was resubmitted at the same moment' },
  },
  {
    id: 'decide-recognition-request', method: 'POST', path: '/v1/recognition-requests/{requestId}/decision', handler: 'http/decide-recognition-request',
    auth: 'apiKey', roles: ['admin'], summary: 'Approve, reject or request changes (once per submission); approval creates the activity', table: 'readwrite',
    body: 'DecisionRequest', response: { status: 200, schema: 'DecisionResponse' }, sendsEmail: true,
    errors: { 409: 'The request is not waiting for a decision (`currentStatus`), or another decision landed at the same moment' },
  },
  {
    id: 'list-activities', method: 'GET', path: '/v1/activities', handler: 'http/list-activities',
    auth: 'public', roles: [], summary: 'The catalogue (scholingskalender): public activities recognized today', table: 'read', throttle: 'public',
    query: 'ActivitiesQuery', response: { status: 200, schema: 'Catalogue' }, paged: true,
  },
  {
    id: 'get-activity', method: 'GET', path: '/v1/activities/{activityId}', handler: 'http/get-activity',
    auth: 'public', roles: [], summary: 'One activity (an internal one only with its employer\'s or the admin\'s key)', table: 'read', throttle: 'public',
    response: { status: 200, schema: 'Activity' },
    errors: { 401: 'An API key was presented but is unknown or revoked (no key: the public view)' },
  },
  {
    id: 'put-tariff', method: 'PUT', path: '/v1/tariffs/registration', handler: 'http/put-tariff',
    auth: 'apiKey', roles: ['admin'], summary: 'Set the registration fee from a date (history kept; the same date replaces that version)', table: 'readwrite',
    body: 'PutTariffRequest', response: { status: 200, schema: 'Tariff' },
  },
  {
    id: 'list-tariffs', method: 'GET', path: '/v1/tariffs/registration', handler: 'http/list-tariffs',
    auth: 'apiKey', roles: ['admin'], summary: 'The registration fee history, oldest first, and the tariff valid today', table: 'read',
    response: { status: 200, schema: 'TariffList' },
  },
  {
    id: 'list-fees', method: 'GET', path: '/v1/fees', handler: 'http/list-fees',
    auth: 'apiKey', roles: ['admin'], summary: "A month's fees (open, invoiced, untariffed), sorted by payer", table: 'read',
    query: 'FeesQuery', response: { status: 200, schema: 'FeeList' }, paged: true,
  },
  {
    id: 'list-employer-invoices', method: 'GET', path: '/v1/employers/{employerId}/invoices', handler: 'http/list-employer-invoices',
    auth: 'apiKey', roles: ['employer', 'admin'], summary: "An employer's invoices and credit notes, newest first", table: 'read',
    query: 'InvoiceListQuery', response: { status: 200, schema: 'InvoiceList' }, paged: true,
  },
  {
    id: 'list-participant-invoices', method: 'GET', path: '/v1/participants/{participantId}/invoices', handler: 'http/list-participant-invoices',
    auth: 'apiKey', roles: ['participant', 'admin'], summary: "A participant's own invoices and credit notes (periods it paid itself), newest first", table: 'read',
    query: 'InvoiceListQuery', response: { status: 200, schema: 'InvoiceList' }, paged: true,
  },
  {
    id: 'get-invoice', method: 'GET', path: '/v1/invoices/{invoiceId}', handler: 'http/get-invoice',
    auth: 'apiKey', roles: ['employer', 'participant', 'admin'], summary: 'One invoice or credit note: JSON, or the PDF (Accept: application/pdf) or UBL (Accept: application/xml)', table: 'read',
    response: { status: 200, schema: 'Invoice', contentTypes: ['application/json', 'application/pdf', 'application/xml'] },
  },
  {
    id: 'create-credit-note', method: 'POST', path: '/v1/invoices/{invoiceId}/credit-notes', handler: 'http/create-credit-note',
    auth: 'apiKey', roles: ['admin'], summary: 'Credit an invoice in full (a numbered credit note referencing it), e-mailed like the invoice', table: 'readwrite',
    body: 'CreditNoteRequest', response: { status: 201, schema: 'Invoice' }, sendsEmail: true,
    errors: { 409: 'A credit note cannot be credited (`reason: not-an-invoice`), or the invoice was credited already (`reason: already-credited`, with `creditNoteId`)' },
  },
  {
    id: 'create-collective-registration', method: 'POST', path: '/v1/employers/{employerId}/collective-registrations', handler: 'http/create-collective-registration',
    auth: 'apiKey', roles: ['employer', 'admin'], summary: 'Register 10–1000 employees at once (JSON, or CSV with English or Dutch headers); the same rows within 48 h are the same registration, with or without an Idempotency-Key', table: 'readwrite',
    body: 'CollectiveRegistrationRequest', bodyContentTypes: ['application/json', 'text/csv'], idempotencyKey: true,
    response: { status: 201, schema: 'CollectiveRegistrationResponse' }, sendsEmail: true,
    errors: {
      409: 'The register changed repeatedly during the registration; send it again (with the same Idempotency-Key) to complete it',
      429: 'More than 2,000 rows matching no diploma holder per employer per 24 hours (default limit; inventory and collective registrations together): the request passes only when all its rows may miss. Nothing was answered about the rows and nothing counted; Retry-After says when the window ends',
    },
  },
  {
    id: 'get-employer-report', method: 'GET', path: '/v1/employers/{employerId}/report', handler: 'http/get-employer-report',
    auth: 'apiKey', roles: ['employer', 'admin'], summary: "Report on all linked employees, with totals: JSON pages, or every row as CSV or an Excel workbook (?format= or Accept; column names in ?lang= or Accept-Language, Dutch by default)", table: 'read',
    query: 'EmployerReportQuery', response: { status: 200, schema: 'EmployerReport', contentTypes: ['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] }, paged: true,
  },
  {
    id: 'get-employee-history', method: 'GET', path: '/v1/employers/{employerId}/report/{participantId}', handler: 'http/get-employee-history',
    auth: 'apiKey', roles: ['employer', 'admin'], summary: "One linked employee's periods and credited activities, for an audit (JSON, CSV or an Excel workbook)", table: 'read',
    query: 'EmployeeHistoryQuery', response: { status: 200, schema: 'EmployeeHistory', contentTypes: ['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'] },
  },
  {
    id: 'delete-employee-link', method: 'DELETE', path: '/v1/employers/{employerId}/employees/{participantId}', handler: 'http/delete-employee-link',
    auth: 'apiKey', roles: ['admin'], summary: 'Unlink an employee from an employer (the link is kept with unlinkedAt)', table: 'readwrite',
    response: { status: 204 },
  },
  // ---------------------------------------------------------------- users (API.md "Users")
  {
    id: 'create-employer-user', method: 'POST', path: '/v1/employers/{employerId}/users', handler: 'http/create-employer-user',
    auth: 'apiKey', roles: ['admin', 'employer'], summary: 'Invite a user of the employer (a colleague signing in to the web by e-mail link): an invitation e-mail with a sign-in link', table: 'readwrite',
    body: 'CreateUserRequest', response: { status: 201, schema: 'CreateUserResponse' }, sendsEmail: true, nestedStack: 'Users',
    errors: { 409: 'The employer already has a user with this e-mail address (`reason: user-exists`)' },
  },
  {
    id: 'list-employer-users', method: 'GET', path: '/v1/employers/{employerId}/users', handler: 'http/list-employer-users',
    auth: 'apiKey', roles: ['admin', 'employer'], summary: "The employer's users, oldest first (removed ones left out)", table: 'read',
    query: 'UsersQuery', response: { status: 200, schema: 'UserList' }, paged: true, nestedStack: 'Users',
  },
  {
    id: 'delete-employer-user', method: 'DELETE', path: '/v1/employers/{employerId}/users/{userId}', handler: 'http/delete-employer-user',
    auth: 'apiKey', roles: ['admin', 'employer'], summary: 'Remove a user of the employer: they can no longer sign in, and their web sessions end', table: 'readwrite',
    response: { status: 204 }, nestedStack: 'Users',
  },
  {
    id: 'create-provider-user', method: 'POST', path: '/v1/providers/{providerId}/users', handler: 'http/create-provider-user',
    auth: 'apiKey', roles: ['admin', 'provider'], summary: 'Invite a user of the provider (a colleague signing in to the web by e-mail link): an invitation e-mail with a sign-in link', table: 'readwrite',
    body: 'CreateUserRequest', response: { status: 201, schema: 'CreateUserResponse' }, sendsEmail: true, nestedStack: 'Users',
    errors: { 409: 'The provider already has a user with this e-mail address (`reason: user-exists`)' },
  },
  {
    id: 'list-provider-users', method: 'GET', path: '/v1/providers/{providerId}/users', handler: 'http/list-provider-users',
    auth: 'apiKey', roles: ['admin', 'provider'], summary: "The provider's users, oldest first (removed ones left out)", table: 'read',
    query: 'UsersQuery', response: { status: 200, schema: 'UserList' }, paged: true, nestedStack: 'Users',
  },
  {
    id: 'delete-provider-user', method: 'DELETE', path: '/v1/providers/{providerId}/users/{userId}', handler: 'http/delete-provider-user',
    auth: 'apiKey', roles: ['admin', 'provider'], summary: 'Remove a user of the provider: they can no longer sign in, and their web sessions end', table: 'readwrite',
    response: { status: 204 }, nestedStack: 'Users',
  },

  // ---------------------------------------------------------------- end of users

  // The rest of the employer guide (API.md; issue 16): these routes are in the nested stack 'Guide'.
  // ---------------------------------------------------------------- issue 16 part 1: inventory before registering
  {
    id: 'take-inventory', method: 'POST', path: '/v1/employers/{employerId}/inventory', handler: 'http/take-inventory',
    auth: 'apiKey', roles: ['employer', 'admin'], summary: "Inventory before registering: per employee (1–1000 rows as in a collective registration) the diploma and PE state, only where number and birth date match; registers nobody", table: 'readwrite',
    body: 'InventoryRequest', bodyContentTypes: ['application/json', 'text/csv'],
    response: { status: 200, schema: 'InventoryResponse' }, nestedStack: 'Guide',
    errors: { 429: 'More than 2,000 rows matching no diploma holder per employer per 24 hours (default limit; inventory and collective registrations together): the request passes only when all its rows may miss. Nothing was answered about the rows and nothing counted; Retry-After says when the window ends' },
  },
  // ---------------------------------------------------------------- issue 16 part 2: learning plans
  {
    id: 'put-learning-plan', method: 'PUT', path: '/v1/employers/{employerId}/learning-plans/{planId}', handler: 'http/put-learning-plan',
    auth: 'apiKey', roles: ['employer', 'admin'], summary: "Create or replace one of the employer's learning plans (planId: the client's slug); topics must be known and not retired. Concurrent PUTs: the last one lands, each is in the audit trail", table: 'readwrite',
    body: 'PutLearningPlanRequest', response: { status: 200, schema: 'LearningPlan' }, nestedStack: 'Guide',
    errors: { 409: 'Changed at the same moment eight times over (`reason: concurrent-update`); send it again' },
  },
  {
    id: 'list-learning-plans', method: 'GET', path: '/v1/employers/{employerId}/learning-plans', handler: 'http/list-learning-plans',
    auth: 'apiKey', roles: ['employer', 'admin'], summary: "The employer's learning plans, in planId order", table: 'read',
    query: 'LearningPlansQuery', response: { status: 200, schema: 'LearningPlanList' }, paged: true, nestedStack: 'Guide',
  },
  {
    id: 'assign-learning-plan', method: 'PUT', path: '/v1/employers/{employerId}/employees/{participantId}/learning-plan', handler: 'http/assign-learning-plan',
    auth: 'apiKey', roles: ['employer', 'admin'], summary: 'Put a linked employee on one of the employer\'s learning plans (replacing the previous one), or off any (`planId: null`)', table: 'readwrite',
    body: 'AssignLearningPlanRequest', response: { status: 200, schema: 'AssignLearningPlanResponse' }, nestedStack: 'Guide',
    errors: {
      404: 'No such linked employee of this employer (`reason: employee-not-found`), or the employer has no plan with this planId (`reason: plan-not-found`)',
      409: 'Changed at the same moment six times over (`reason: concurrent-update`); send it again',
    },
  },
  // ---------------------------------------------------------------- issue 16 part 3: evaluations
  {
    id: 'create-evaluation', method: 'POST', path: '/v1/credits/{creditId}/evaluation', handler: 'http/create-evaluation',
    auth: 'apiKey', roles: ['participant'], summary: 'The credited participant rates the activity (1–5, a comment if it likes), once per credit', table: 'readwrite',
    body: 'EvaluationRequest', response: { status: 201, schema: 'Evaluation' }, nestedStack: 'Guide',
    errors: { 409: 'Rated already for this credit (`reason: already-evaluated`, with the `rating` given), the credit was revoked (`reason: credit-revoked`), or others rated the activity at the same moment six times over (`reason: concurrent-update`; nothing was written, send it again)' },
  },
  {
    id: 'list-activity-evaluations', method: 'GET', path: '/v1/activities/{activityId}/evaluations', handler: 'http/list-activity-evaluations',
    auth: 'apiKey', roles: ['provider', 'employer', 'admin'], summary: "An activity's ratings and comments, newest first, without who gave them (its owner, the admin)", table: 'read',
    query: 'EvaluationsQuery', response: { status: 200, schema: 'EvaluationList' }, paged: true, nestedStack: 'Guide',
  },
  // ---------------------------------------------------------------- issue 16 part 4: completions that found no one, corrections, completion claims
  {
    id: 'list-unmatched-completions', method: 'GET', path: '/v1/providers/{providerId}/unmatched-completions', handler: 'http/list-unmatched-completions',
    auth: 'apiKey', roles: ['provider', 'admin'], summary: "The provider's completions that found no participant (`participant-not-found`), still open, newest first; kept 90 days", table: 'read',
    query: 'UnmatchedListQuery', response: { status: 200, schema: 'UnmatchedList' }, paged: true, nestedStack: 'Guide',
  },
  {
    id: 'create-correction', method: 'POST', path: '/v1/unmatched-completions/{unmatchedId}/corrections', handler: 'http/create-correction',
    auth: 'apiKey', roles: ['provider', 'admin'], summary: "Give an unmatched completion the right number: credited through the webhook's crediting under its own externalId (again, or at once: `duplicate`), answered as the webhook answers the item", table: 'readwrite',
    body: 'CorrectionRequest', response: { status: 200, schema: 'CorrectionResponse' }, sendsEmail: true, nestedStack: 'Guide',
  },
  {
    id: 'create-completion-claim', method: 'POST', path: '/v1/participants/{participantId}/completion-claims', handler: 'http/create-completion-claim',
    auth: 'apiKey', roles: ['participant', 'admin'], summary: "A participant reports an activity completed on a date the register has no credit for; the activity's owner confirms it (nothing is credited before)", table: 'readwrite',
    body: 'CompletionClaimRequest', response: { status: 201, schema: 'CompletionClaimCreated' }, nestedStack: 'Guide',
    errors: { 409: 'No recognised activity with this id on that date (`reason: activity-not-recognized`), not registered on that date (`not-registered-on-date`), or the same claim is pending (`claim-pending`)' },
  },
  {
    id: 'decide-completion-claim', method: 'POST', path: '/v1/completion-claims/{claimId}/decision', handler: 'http/decide-completion-claim',
    auth: 'apiKey', roles: ['provider', 'employer', 'admin'], summary: "The activity's owner (or the admin) approves — credited through the webhook's crediting, externalId `claim:<claimId>`, the outcome in `result` — or rejects a claim, once", table: 'readwrite',
    body: 'CompletionClaimDecisionRequest', response: { status: 200, schema: 'CompletionClaimDecisionResponse' }, sendsEmail: true, nestedStack: 'Guide',
    errors: { 409: 'The claim was decided already (`reason: already-decided`, with its `currentStatus`)' },
  },
  {
    id: 'list-provider-completion-claims', method: 'GET', path: '/v1/providers/{providerId}/completion-claims', handler: 'http/list-provider-completion-claims',
    auth: 'apiKey', roles: ['provider', 'admin'], summary: "Participants' claims on the provider's activities, per status (default pending), oldest first", table: 'read',
    query: 'CompletionClaimsQuery', response: { status: 200, schema: 'CompletionClaimList' }, paged: true, nestedStack: 'Guide',
  },
  {
    id: 'list-employer-completion-claims', method: 'GET', path: '/v1/employers/{employerId}/completion-claims', handler: 'http/list-employer-completion-claims',
    auth: 'apiKey', roles: ['employer', 'admin'], summary: "Employees' claims on the employer's internal activities, per status (default pending), oldest first", table: 'read',
    query: 'CompletionClaimsQuery', response: { status: 200, schema: 'CompletionClaimList' }, paged: true, nestedStack: 'Guide',
  },
  // ---------------------------------------------------------------- issue 16 part 5: bounces and complaints
  // ---------------------------------------------------------------- issue 16 part 6: export, erasure
  {
    id: 'get-participant-export', method: 'GET', path: '/v1/participants/{participantId}/export', handler: 'http/get-participant-export',
    auth: 'apiKey', roles: ['participant', 'admin'], summary: 'Everything the register holds about the participant (AVG/GDPR), one section per holder, with what is kept why', table: 'read',
    response: { status: 200, schema: 'PersonalDataExport' }, nestedStack: 'Guide',
  },
  {
    id: 'create-participant-erasure', method: 'POST', path: '/v1/participants/{participantId}/erasure', handler: 'http/create-participant-erasure',
    auth: 'apiKey', roles: ['admin'], summary: "Erase a participant's personal data (pseudonymised everywhere; invoices kept as issued); again on an erased one: 200, nothing done", table: 'readwrite',
    body: 'ErasureRequest', response: { status: 200, schema: 'ErasureResponse' }, nestedStack: 'Guide',
  },
  // ---------------------------------------------------------------- issue 16 part 7: the catalogue for learning platforms
  {
    id: 'get-catalogue-feed', method: 'GET', path: '/v1/catalogue/feed.json', handler: 'http/get-catalogue-feed',
    auth: 'public', roles: [], summary: 'The catalogue for learning platforms: recognized public activities, `?updatedSince=` for what changed; ETag, 304 on If-None-Match; cached at CloudFront',
    table: 'read', throttle: 'public', query: 'CatalogueFeedQuery', response: { status: 200, schema: 'CatalogueFeed' }, paged: true, conditional: true, nestedStack: 'Guide',
  },
  {
    id: 'get-catalogue-sessions', method: 'GET', path: '/v1/catalogue/sessions.ics', handler: 'http/get-catalogue-sessions',
    auth: 'public', roles: [], summary: 'The sessions of the recognized public activities as an iCalendar feed (RFC 5545, all-day events) to subscribe to; ETag, 304 on If-None-Match; cached at CloudFront',
    table: 'read', throttle: 'public', query: 'SessionsFeedQuery', response: { status: 200, contentTypes: ['text/calendar'] }, conditional: true, nestedStack: 'Guide',
  },
  // ---------------------------------------------------------------- issue 18: the registration as a verifiable credential
  {
    id: 'get-participant-credential', method: 'GET', path: '/v1/participants/{participantId}/credential', handler: 'http/get-participant-credential',
    auth: 'apiKey', roles: ['participant', 'admin'], summary: "The current period's Open Badges 3.0 credential, a compact JWS (issued once per period; the same bytes every time)", table: 'readwrite',
    response: { status: 200, contentTypes: ['application/vc+jwt'] }, credentialKey: 'sign', nestedStack: 'Credentials',
    errors: { 409: 'Many credentials were issued at the same moment (`reason: concurrent-update`); ask again' },
  },
  {
    id: 'create-credential-revocation', method: 'POST', path: '/v1/participants/{participantId}/credential/revocations', handler: 'http/create-credential-revocation',
    auth: 'apiKey', roles: ['admin'], summary: "Withdraw the current period's credential: its status list marks it revoked (again: 200, nothing changes)", table: 'readwrite',
    body: 'CredentialRevocationRequest', response: { status: 200, schema: 'CredentialRevocationResponse' }, nestedStack: 'Credentials',
    errors: { 409: 'The status list was changed by others at the same moment (`reason: concurrent-update`); send it again' },
  },
  {
    id: 'get-did-document', method: 'GET', path: '/.well-known/did.json', handler: 'http/get-did-document',
    auth: 'public', roles: [], summary: "The issuer's did:web document: the Ed25519 key (JWK) the credentials and status lists are signed with", table: 'none', throttle: 'public',
    response: { status: 200, schema: 'DidDocument' }, credentialKey: 'verify', nestedStack: 'Credentials',
  },
  {
    id: 'get-credential-status-list', method: 'GET', path: '/v1/credentials/status/{listId}', handler: 'http/get-credential-status-list',
    auth: 'public', roles: [], summary: 'A Bitstring Status List credential (compact JWS) whose bits mark revoked credentials', table: 'readwrite', throttle: 'public',
    response: { status: 200, contentTypes: ['application/vc+jwt'] }, credentialKey: 'sign', nestedStack: 'Credentials',
  },
  {
    id: 'create-credential-verification', method: 'POST', path: '/v1/credentials/verifications', handler: 'http/create-credential-verification',
    auth: 'public', roles: [], summary: 'Check a credential: signature, dates, status; whose it is. Anything that is not a credential of this register: 200 with valid false and the reason', table: 'readwrite', throttle: 'public',
    body: 'CredentialVerificationRequest', response: { status: 200, schema: 'CredentialVerification' }, rateLimit: { identifiers: [] }, credentialKey: 'verify', nestedStack: 'Credentials',
  },
];

/**
 * The web (WEB.md): HTML pages, in the same Lambda-per-route shape as the API, behind the same
 * gateway (CloudFront → HTTP API in the cloud, the local gateway in `npm start`). Not in the
 * OpenAPI document. A GET and a POST on one path may share a handler file (one function each).
 * Page rate limits count the form's (or, for a link's token, the query's) fields, and share their
 * counters with the API route of the same action through `group`, so the web is no way around them.
 */
export const pageRoutes: Route[] = [
  {
    id: 'page-home', kind: 'page', method: 'GET', path: '/', handler: 'web/home',
    auth: 'public', roles: [], summary: 'What PE is; links to the register, the catalogue, activation and sign-in', table: 'read', throttle: 'public',
  },
  {
    id: 'page-register', kind: 'page', method: 'GET', path: '/register', handler: 'web/register',
    auth: 'public', roles: [], summary: 'The public register: search by name or registration number', table: 'read', throttle: 'public',
  },
  {
    id: 'page-register-entry', kind: 'page', method: 'GET', path: '/register/{registrationNumber}', handler: 'web/register-entry',
    auth: 'public', roles: [], summary: 'One entry of the public register', table: 'read', throttle: 'public',
  },
  {
    id: 'page-catalogue', kind: 'page', method: 'GET', path: '/scholingskalender', handler: 'web/catalogue',
    auth: 'public', roles: [], summary: 'The catalogue, filtered by topic, kind, provider, search term and date', table: 'read', throttle: 'public', paged: true,
  },
  {
    id: 'page-activity', kind: 'page', method: 'GET', path: '/scholingskalender/{activityId}', handler: 'web/activity',
    auth: 'public', roles: [], summary: 'One activity of the catalogue with its sessions', table: 'read', throttle: 'public',
  },
  {
    id: 'page-activation', kind: 'page', method: 'GET', path: '/activeren', handler: 'web/activation',
    auth: 'public', roles: [], summary: 'The activation form; with ?token= the link from the e-mail: activates, signs in, shows the dossier', table: 'readwrite', throttle: 'public',
    rateLimit: { identifiers: ['token'], group: 'create-session' }, sendsEmail: true,
  },
  {
    id: 'page-activation-request', kind: 'page', method: 'POST', path: '/activeren', handler: 'web/activation',
    auth: 'public', roles: [], summary: 'Ask for an activation e-mail (the same confirmation whatever the match)', table: 'readwrite', throttle: 'public',
    rateLimit: { identifiers: ['diplomaNumber', 'email'], group: 'request-activation' }, sendsEmail: true,
  },
  {
    id: 'page-sign-in', kind: 'page', method: 'GET', path: '/inloggen', handler: 'web/sign-in',
    auth: 'public', roles: [], summary: 'The sign-in form; with ?token= the one-time link from the e-mail: signs in and goes home', table: 'readwrite', throttle: 'public',
    rateLimit: { identifiers: ['token'], group: 'sign-in-link' },
  },
  {
    id: 'page-sign-in-request', kind: 'page', method: 'POST', path: '/inloggen', handler: 'web/sign-in',
    auth: 'public', roles: [], summary: 'Ask for a sign-in link (the same answer for known and unknown addresses)', table: 'readwrite', throttle: 'public',
    rateLimit: { identifiers: ['email'], group: 'sign-in' }, sendsEmail: true,
  },
  {
    id: 'page-sign-out', kind: 'page', method: 'POST', path: '/uitloggen', handler: 'web/sign-out',
    auth: 'public', roles: [], summary: 'End the session (on the server too)', table: 'readwrite', throttle: 'public',
  },
  {
    id: 'page-dossier', kind: 'page', method: 'GET', path: '/dossier', handler: 'web/dossier',
    auth: 'session', roles: ['participant'], summary: "The participant's PE dossier", table: 'read',
  },
  {
    id: 'page-dossier-settings', kind: 'page', method: 'POST', path: '/dossier', handler: 'web/dossier',
    auth: 'session', roles: ['participant'], summary: "Change the participant's language and invoice address", table: 'readwrite',
  },
  {
    id: 'page-renewal', kind: 'page', method: 'GET', path: '/dossier/verlengen', handler: 'web/renewal',
    auth: 'session', roles: ['participant'], summary: 'Confirm the renewal of the current period', table: 'read',
  },
  {
    id: 'page-renewal-confirm', kind: 'page', method: 'POST', path: '/dossier/verlengen', handler: 'web/renewal',
    auth: 'session', roles: ['participant'], summary: 'Renew the current period', table: 'readwrite', sendsEmail: true,
  },
  {
    id: 'page-invoice-pdf', kind: 'page', method: 'GET', path: '/dossier/facturen/{invoiceId}', handler: 'web/invoice-pdf',
    auth: 'session', roles: ['participant'], summary: "Download one of the participant's own invoices as PDF", table: 'read',
  },
  // ---------------------------------------------------------------- employer pages: overview, history, report, invoices, settings
  {
    id: 'page-employer-overview', kind: 'page', method: 'GET', path: '/werkgever', handler: 'web/employer-overview',
    auth: 'session', roles: ['employer'], summary: "The employer's staff: status, points and end date per employee (filter: at risk, lapsed), totals and a chart", table: 'read', paged: true,
  },
  {
    id: 'page-employee-history', kind: 'page', method: 'GET', path: '/werkgever/medewerkers/{participantId}', handler: 'web/employee-history',
    auth: 'session', roles: ['employer'], summary: "One employee's periods and credited activities", table: 'read',
  },
  {
    id: 'page-employer-report', kind: 'page', method: 'GET', path: '/werkgever/rapportage', handler: 'web/employer-report',
    auth: 'session', roles: ['employer'], summary: 'The report for audits: totals and the downloads', table: 'read',
  },
  {
    id: 'page-employer-report-file', kind: 'page', method: 'GET', path: '/werkgever/rapportage/{format}', handler: 'web/employer-report-file',
    auth: 'session', roles: ['employer'], summary: 'The report as a CSV file or an Excel workbook (column names in the page language)', table: 'read',
  },
  {
    id: 'page-employer-invoices', kind: 'page', method: 'GET', path: '/werkgever/facturen', handler: 'web/employer-invoices',
    auth: 'session', roles: ['employer'], summary: "The employer's invoices and credit notes, newest first", table: 'read', paged: true,
  },
  {
    id: 'page-employer-invoice-file', kind: 'page', method: 'GET', path: '/werkgever/facturen/{invoiceId}/{format}', handler: 'web/employer-invoice-file',
    auth: 'session', roles: ['employer'], summary: "One of the employer's invoices or credit notes as PDF or UBL", table: 'read',
  },
  {
    id: 'page-employer-settings', kind: 'page', method: 'GET', path: '/werkgever/instellingen', handler: 'web/employer-settings',
    auth: 'session', roles: ['employer'], summary: "The organisation's settings: HR contact, invoice e-mail, buyer reference, Peppol id, address", table: 'read',
  },
  {
    id: 'page-employer-settings-save', kind: 'page', method: 'POST', path: '/werkgever/instellingen', handler: 'web/employer-settings',
    auth: 'session', roles: ['employer'], summary: "Change the organisation's settings", table: 'readwrite',
  },

  // ---------------------------------------------------------------- employer pages: registration, internal activities, credits
  // (employer-activities routes here)
  {
    id: 'page-employer-registration', kind: 'page', method: 'GET', path: '/werkgever/registreren', handler: 'web/employer-registration',
    auth: 'session', roles: ['employer'], summary: 'Collective registration from a CSV file: the form; with ?registratie= the outcome per employee', table: 'read',
  },
  {
    id: 'page-employer-registration-upload', kind: 'page', method: 'POST', path: '/werkgever/registreren', handler: 'web/employer-registration',
    auth: 'session', roles: ['employer'], summary: 'Register the employees of an uploaded CSV (every bad row shown, nothing registered; the same rows within 48 h are the same registration)', table: 'readwrite', sendsEmail: true,
  },
  {
    id: 'page-employer-registration-example', kind: 'page', method: 'GET', path: '/werkgever/registreren/voorbeeld.csv', handler: 'web/employer-registration-example',
    auth: 'session', roles: ['employer'], summary: 'An example CSV for the collective registration, as Dutch Excel saves it', table: 'read',
  },
  {
    id: 'page-employer-activities', kind: 'page', method: 'GET', path: '/werkgever/activiteiten', handler: 'web/employer-activities',
    auth: 'session', roles: ['employer'], summary: "The employer's internal activities and its recognition requests with their status", table: 'read', paged: true,
  },
  {
    id: 'page-employer-credit', kind: 'page', method: 'GET', path: '/werkgever/activiteiten/{activityId}/toekennen', handler: 'web/employer-credit',
    auth: 'session', roles: ['employer'], summary: 'Credit an internal activity to chosen employees: the form', table: 'read',
  },
  {
    id: 'page-employer-credit-submit', kind: 'page', method: 'POST', path: '/werkgever/activiteiten/{activityId}/toekennen', handler: 'web/employer-credit',
    auth: 'session', roles: ['employer'], summary: 'Credit an internal activity to chosen employees (the outcome per employee; the same again is a duplicate)', table: 'readwrite', sendsEmail: true,
  },

  // ---------------------------------------------------------------- colleagues (users) pages
  {
    id: 'page-employer-users', kind: 'page', method: 'GET', path: '/werkgever/gebruikers', handler: 'web/employer-users',
    auth: 'session', roles: ['employer'], summary: "The employer's colleagues with access: invite, remove", table: 'read',
  },
  {
    id: 'page-employer-users-invite', kind: 'page', method: 'POST', path: '/werkgever/gebruikers', handler: 'web/employer-users',
    auth: 'session', roles: ['employer'], summary: 'Invite a colleague (an invitation e-mail with a sign-in link)', table: 'readwrite', sendsEmail: true,
  },
  {
    id: 'page-employer-user-remove', kind: 'page', method: 'POST', path: '/werkgever/gebruikers/{userId}/verwijderen', handler: 'web/employer-user-remove',
    auth: 'session', roles: ['employer'], summary: 'Remove a colleague: first the confirmation, then (confirmed) the removal, which ends their sessions', table: 'readwrite',
  },
  {
    id: 'page-provider-users', kind: 'page', method: 'GET', path: '/opleider/gebruikers', handler: 'web/provider-users',
    auth: 'session', roles: ['provider'], summary: "The provider's colleagues with access: invite, remove", table: 'read',
  },
  {
    id: 'page-provider-users-invite', kind: 'page', method: 'POST', path: '/opleider/gebruikers', handler: 'web/provider-users',
    auth: 'session', roles: ['provider'], summary: 'Invite a colleague (an invitation e-mail with a sign-in link)', table: 'readwrite', sendsEmail: true,
  },
  {
    id: 'page-provider-user-remove', kind: 'page', method: 'POST', path: '/opleider/gebruikers/{userId}/verwijderen', handler: 'web/provider-user-remove',
    auth: 'session', roles: ['provider'], summary: 'Remove a colleague: first the confirmation, then (confirmed) the removal, which ends their sessions', table: 'readwrite',
  },

  // ---------------------------------------------------------------- provider pages (and recognition requests of both)
  // (provider routes here)
  {
    id: 'page-provider-home', kind: 'page', method: 'GET', path: '/opleider', handler: 'web/provider-home',
    auth: 'session', roles: ['provider'], summary: "The provider's home: its recognition requests by status, its activities, the way to the other pages", table: 'read',
  },
  {
    id: 'page-provider-request-new', kind: 'page', method: 'GET', path: '/opleider/aanvragen/nieuw', handler: 'web/provider-request-new',
    auth: 'session', roles: ['provider'], summary: 'The form of a recognition request (every field of the request)', table: 'read',
  },
  {
    id: 'page-provider-request-submit', kind: 'page', method: 'POST', path: '/opleider/aanvragen/nieuw', handler: 'web/provider-request-new',
    auth: 'session', roles: ['provider'], summary: 'Submit a recognition request (as POST /v1/recognition-requests)', table: 'readwrite',
  },
  {
    id: 'page-provider-request', kind: 'page', method: 'GET', path: '/opleider/aanvragen/{requestId}', handler: 'web/provider-request',
    auth: 'session', roles: ['provider'], summary: "One of the provider's requests with its history; after changes were requested the reason and the form to resubmit", table: 'read',
  },
  {
    id: 'page-provider-request-resubmit', kind: 'page', method: 'POST', path: '/opleider/aanvragen/{requestId}', handler: 'web/provider-request',
    auth: 'session', roles: ['provider'], summary: 'Resubmit a request after changes were requested (as PUT /v1/recognition-requests/{requestId})', table: 'readwrite',
  },
  {
    id: 'page-employer-request-new', kind: 'page', method: 'GET', path: '/werkgever/aanvragen/nieuw', handler: 'web/employer-request-new',
    auth: 'session', roles: ['employer'], summary: 'The form of a recognition request of an employer (internal by default)', table: 'read',
  },
  {
    id: 'page-employer-request-submit', kind: 'page', method: 'POST', path: '/werkgever/aanvragen/nieuw', handler: 'web/employer-request-new',
    auth: 'session', roles: ['employer'], summary: "Submit an employer's recognition request", table: 'readwrite',
  },
  {
    id: 'page-employer-request', kind: 'page', method: 'GET', path: '/werkgever/aanvragen/{requestId}', handler: 'web/employer-request',
    auth: 'session', roles: ['employer'], summary: "One of the employer's requests with its history, and the form to resubmit", table: 'read',
  },
  {
    id: 'page-employer-request-resubmit', kind: 'page', method: 'POST', path: '/werkgever/aanvragen/{requestId}', handler: 'web/employer-request',
    auth: 'session', roles: ['employer'], summary: "Resubmit an employer's request after changes were requested", table: 'readwrite',
  },
  {
    id: 'page-provider-activity', kind: 'page', method: 'GET', path: '/opleider/activiteiten/{activityId}', handler: 'web/provider-activity',
    auth: 'session', roles: ['provider'], summary: 'One of the provider\'s activities with its sessions, and the forms to add, change and cancel one', table: 'read',
  },
  {
    id: 'page-provider-activity-sessions', kind: 'page', method: 'POST', path: '/opleider/activiteiten/{activityId}', handler: 'web/provider-activity',
    auth: 'session', roles: ['provider'], summary: 'Add, change or cancel a session of an approved activity (the catalogue shows it)', table: 'readwrite',
  },
  {
    id: 'page-provider-attendance', kind: 'page', method: 'GET', path: '/opleider/presentie', handler: 'web/provider-attendance',
    auth: 'session', roles: ['provider'], summary: 'Report completions without an integration: activity, date, registration numbers or a CSV', table: 'read',
  },
  {
    id: 'page-provider-attendance-report', kind: 'page', method: 'POST', path: '/opleider/presentie', handler: 'web/provider-attendance',
    auth: 'session', roles: ['provider'], summary: "Credit the reported completions through the webhook's crediting (exactly once per row), outcome per row", table: 'readwrite', sendsEmail: true,
  },
  {
    id: 'page-provider-integration', kind: 'page', method: 'GET', path: '/opleider/koppeling', handler: 'web/provider-integration',
    auth: 'session', roles: ['provider'], summary: 'The webhook: its URL, the last 50 deliveries with their outcomes, an example of a signed request', table: 'read',
  },
  {
    id: 'page-provider-integration-rotate', kind: 'page', method: 'POST', path: '/opleider/koppeling', handler: 'web/provider-integration',
    auth: 'session', roles: ['provider'], summary: 'Rotate the webhook signing secret (shown once; the old one keeps working 24 hours)', table: 'readwrite', webhookSecrets: 'seal',
  },

  // ---------------------------------------------------------------- staff pages (/beheer)
  // (staff routes here)
  {
    id: 'page-staff-home', kind: 'page', method: 'GET', path: '/beheer', handler: 'web/staff-home',
    auth: 'session', roles: ['admin'], summary: "The staff's dashboard: the register's numbers (index queries and counts, no scan) and the review queue, oldest first, with counts per status", table: 'read', paged: true,
  },
  {
    id: 'page-staff-request', kind: 'page', method: 'GET', path: '/beheer/aanvragen/{requestId}', handler: 'web/staff-request',
    auth: 'session', roles: ['admin'], summary: 'One recognition request, its history and the decision form', table: 'read',
  },
  {
    id: 'page-staff-request-decision', kind: 'page', method: 'POST', path: '/beheer/aanvragen/{requestId}', handler: 'web/staff-request',
    auth: 'session', roles: ['admin'], summary: 'Decide a recognition request (Toelichting required for Afwijzen and Wijzigingen vragen)', table: 'readwrite', sendsEmail: true,
  },
  {
    id: 'page-staff-claims', kind: 'page', method: 'GET', path: '/beheer/activeringen', handler: 'web/staff-claims',
    auth: 'session', roles: ['admin'], summary: 'Activation claims waiting for an identity check (pending first), and the decided ones', table: 'read', paged: true,
  },
  {
    id: 'page-staff-claim-decision', kind: 'page', method: 'POST', path: '/beheer/activeringen', handler: 'web/staff-claims',
    auth: 'session', roles: ['admin'], summary: 'Approve or reject (with a reason) an activation claim', table: 'readwrite', sendsEmail: true, paged: true,
  },
  {
    id: 'page-staff-diplomas', kind: 'page', method: 'GET', path: '/beheer/diplomas', handler: 'web/staff-diplomas',
    auth: 'session', roles: ['admin'], summary: 'Import the diploma register from a CSV or JSON file', table: 'read',
  },
  {
    id: 'page-staff-diplomas-import', kind: 'page', method: 'POST', path: '/beheer/diplomas', handler: 'web/staff-diplomas',
    auth: 'session', roles: ['admin'], summary: 'Import an uploaded diploma file: every bad row shown and nothing written, or the outcome', table: 'readwrite',
  },
  {
    id: 'page-staff-diplomas-example', kind: 'page', method: 'GET', path: '/beheer/diplomas/voorbeeld.csv', handler: 'web/staff-diplomas',
    auth: 'session', roles: ['admin'], summary: 'An example diploma file (CSV, as Dutch Excel saves it)', table: 'read',
  },
  {
    id: 'page-staff-organisations', kind: 'page', method: 'GET', path: '/beheer/organisaties', handler: 'web/staff-organisations',
    auth: 'session', roles: ['admin'], summary: 'Providers and employers with their API keys; forms to admit one', table: 'read',
  },
  {
    id: 'page-staff-organisations-action', kind: 'page', method: 'POST', path: '/beheer/organisaties', handler: 'web/staff-organisations',
    auth: 'session', roles: ['admin'], summary: 'Admit a provider or employer, invite its first user, issue or revoke an API key (a new key shown once)', table: 'readwrite', webhookSecrets: 'seal', sendsEmail: true,
  },
  {
    id: 'page-staff-participants', kind: 'page', method: 'GET', path: '/beheer/deelnemers', handler: 'web/staff-participants',
    auth: 'session', roles: ['admin'], summary: 'Find a participant by registration number, diploma number or name', table: 'read',
  },
  {
    id: 'page-staff-participant', kind: 'page', method: 'GET', path: '/beheer/deelnemers/{participantId}', handler: 'web/staff-participants',
    auth: 'session', roles: ['admin'], summary: "A participant's dossier and audit trail (paged)", table: 'read', paged: true,
  },
  {
    id: 'page-staff-tariffs', kind: 'page', method: 'GET', path: '/beheer/tarieven', handler: 'web/staff-tariffs',
    auth: 'session', roles: ['admin'], summary: 'The registration fee history and the form for a new tariff', table: 'read',
  },
  {
    id: 'page-staff-tariff-set', kind: 'page', method: 'POST', path: '/beheer/tarieven', handler: 'web/staff-tariffs',
    auth: 'session', roles: ['admin'], summary: 'Set the registration fee from a date', table: 'readwrite',
  },
  {
    id: 'page-staff-jobs', kind: 'page', method: 'GET', path: '/beheer/taken', handler: 'web/staff-jobs',
    auth: 'session', roles: ['admin'], summary: 'The scheduled jobs, to run one now (dry run by default)', table: 'read',
  },
  {
    id: 'page-staff-job-run', kind: 'page', method: 'POST', path: '/beheer/taken', handler: 'web/staff-jobs',
    auth: 'session', roles: ['admin'], summary: 'Run a scheduled job as of a date (dry run: writes and sends nothing)', table: 'readwrite', sendsEmail: true,
  },

  // ---------------------------------------------------------------- issue 16 part 1: inventory before registering
  {
    id: 'page-employer-inventory', kind: 'page', method: 'GET', path: '/werkgever/inventarisatie', handler: 'web/employer-inventory',
    auth: 'session', roles: ['employer'], summary: 'Inventory before registering: the form (a CSV file or pasted rows)', table: 'read',
  },
  {
    id: 'page-employer-inventory-check', kind: 'page', method: 'POST', path: '/werkgever/inventarisatie', handler: 'web/employer-inventory',
    auth: 'session', roles: ['employer'], summary: "Take the inventory of uploaded or pasted rows (bad rows shown): the outcome per employee, counts per PE status, the rows to register. Writes only the employer's count of unmatched rows (past its limit: the 429 page)", table: 'readwrite',
  },
  {
    id: 'page-employer-registration-carry-over', kind: 'page', method: 'POST', path: '/werkgever/registreren/inventarisatie', handler: 'web/employer-registration',
    auth: 'session', roles: ['employer'], summary: "Register the employees an inventory carried over (its rows in a hidden field) as an uploaded file's: the registration's outcome", table: 'readwrite', sendsEmail: true,
  },
  // ---------------------------------------------------------------- issue 16 part 2: learning plans
  {
    id: 'page-learning-plans', kind: 'page', method: 'GET', path: '/werkgever/leerlijnen', handler: 'web/learning-plans',
    auth: 'session', roles: ['employer'], summary: "The employer's learning plans, the form to put an employee on one, and per employee on a plan what is covered and what is open", table: 'read',
  },
  {
    id: 'page-learning-plan-assign', kind: 'page', method: 'POST', path: '/werkgever/leerlijnen/toewijzen', handler: 'web/learning-plans',
    auth: 'session', roles: ['employer'], summary: 'Put an employee on a learning plan (replacing the previous one), or off any', table: 'readwrite',
  },
  {
    id: 'page-learning-plan-form', kind: 'page', method: 'GET', path: '/werkgever/leerlijnen/plan', handler: 'web/learning-plan',
    auth: 'session', roles: ['employer'], summary: 'A new learning plan, or (?id=) one to change: name, topics per period, topics with a date', table: 'read',
  },
  {
    id: 'page-learning-plan-save', kind: 'page', method: 'POST', path: '/werkgever/leerlijnen/plan', handler: 'web/learning-plan',
    auth: 'session', roles: ['employer'], summary: 'Save a learning plan (a change carries the version it was shown with: a colleague\'s change in between is shown, not overwritten)', table: 'readwrite',
  },
  // ---------------------------------------------------------------- issue 16 part 3: evaluations
  {
    id: 'page-dossier-evaluation', kind: 'page', method: 'GET', path: '/dossier/beoordelen/{creditId}', handler: 'web/dossier-evaluation',
    auth: 'session', roles: ['participant'], summary: 'Rate a credited activity (1–5 and a comment), or the rating already given', table: 'read',
  },
  {
    id: 'page-dossier-evaluation-submit', kind: 'page', method: 'POST', path: '/dossier/beoordelen/{creditId}', handler: 'web/dossier-evaluation',
    auth: 'session', roles: ['participant'], summary: 'Give the rating (once), then back to the dossier with a confirmation', table: 'readwrite',
  },
  {
    id: 'page-provider-evaluations', kind: 'page', method: 'GET', path: '/opleider/evaluaties', handler: 'web/provider-evaluations',
    auth: 'session', roles: ['provider'], summary: "Per activity of the provider: the average, the number of ratings and the newest comments (anonymous)", table: 'read',
  },
  {
    id: 'page-provider-activity-evaluations', kind: 'page', method: 'GET', path: '/opleider/evaluaties/{activityId}', handler: 'web/provider-activity-evaluations',
    auth: 'session', roles: ['provider'], summary: "All ratings and comments of one of the provider's activities, newest first, paged (anonymous)", table: 'read', paged: true,
  },
  {
    id: 'page-employer-evaluations', kind: 'page', method: 'GET', path: '/werkgever/evaluaties', handler: 'web/employer-evaluations',
    auth: 'session', roles: ['employer'], summary: "The averages of the activities the employer's employees rated (from 5 ratings on; its own internal ones always)", table: 'read',
  },
  // ---------------------------------------------------------------- issue 16 part 4: completions that found no one, corrections, completion claims
  {
    id: 'page-provider-unmatched', kind: 'page', method: 'GET', path: '/opleider/onbekend/{unmatchedId}', handler: 'web/provider-unmatched',
    auth: 'session', roles: ['provider'], summary: 'A completion that found no participant, with the form to give the right registration or diploma number', table: 'read',
  },
  {
    id: 'page-provider-unmatched-correct', kind: 'page', method: 'POST', path: '/opleider/onbekend/{unmatchedId}', handler: 'web/provider-unmatched',
    auth: 'session', roles: ['provider'], summary: "Correct the number: credited through the webhook's crediting, exactly once", table: 'readwrite', sendsEmail: true,
  },
  {
    id: 'page-provider-claim', kind: 'page', method: 'GET', path: '/opleider/meldingen/{claimId}', handler: 'web/provider-claim',
    auth: 'session', roles: ['provider'], summary: "A participant's claim on one of the provider's activities, with Goedkeuren / Afwijzen", table: 'read',
  },
  {
    id: 'page-provider-claim-decide', kind: 'page', method: 'POST', path: '/opleider/meldingen/{claimId}', handler: 'web/provider-claim',
    auth: 'session', roles: ['provider'], summary: 'Approve (credited once) or reject a claim', table: 'readwrite', sendsEmail: true,
  },
  {
    id: 'page-dossier-claim', kind: 'page', method: 'GET', path: '/dossier/melden', handler: 'web/dossier-claim',
    auth: 'session', roles: ['participant'], summary: 'Report a missing activity: the activity (its code or its catalogue address) and the date', table: 'read',
  },
  {
    id: 'page-dossier-claim-create', kind: 'page', method: 'POST', path: '/dossier/melden', handler: 'web/dossier-claim',
    auth: 'session', roles: ['participant'], summary: "File the claim; the activity's provider confirms it", table: 'readwrite',
  },
  // ---------------------------------------------------------------- issue 16 part 5: bounces and complaints
  {
    id: 'page-email-change-request', kind: 'page', method: 'POST', path: '/dossier/e-mailadres', handler: 'web/email-change',
    auth: 'session', roles: ['participant'], summary: 'Ask for a confirmation link for a new e-mail address (mailed to that address)', table: 'readwrite',
    rateLimit: { identifiers: ['email'], group: 'email-change' }, sendsEmail: true,
  },
  {
    id: 'page-email-change-confirm', kind: 'page', method: 'GET', path: '/dossier/e-mailadres', handler: 'web/email-change',
    auth: 'public', roles: [], summary: "The confirmation link from the mail: sets the participant's new e-mail address", table: 'readwrite', throttle: 'public',
    rateLimit: { identifiers: ['token'], group: 'email-change-confirm' }, sendsEmail: true,
  },
  // ---------------------------------------------------------------- issue 16 part 6: export, erasure
  {
    id: 'page-dossier-data', kind: 'page', method: 'GET', path: '/dossier/gegevens', handler: 'web/dossier-data',
    auth: 'session', roles: ['participant'], summary: 'Mijn gegevens downloaden: everything the register holds about the participant, as a JSON file', table: 'read',
  },
  {
    id: 'page-staff-participant-erasure', kind: 'page', method: 'POST', path: '/beheer/deelnemers/{participantId}/verwijderen', handler: 'web/staff-participants',
    auth: 'session', roles: ['admin'], summary: "Erase a participant's personal data: reason, then a confirmation step", table: 'readwrite', paged: true,
  },
  // ---------------------------------------------------------------- issue 16 part 7: the catalogue for learning platforms
  {
    id: 'page-catalogue-feeds', kind: 'page', method: 'GET', path: '/scholingskalender/koppelen', handler: 'web/catalogue-feeds',
    auth: 'public', roles: [], summary: 'For learning platforms: the catalogue feeds (JSON, iCalendar), their URLs, updatedSince and ETag', table: 'read', throttle: 'public',
  },

  // ---------------------------------------------------------------- issue 18: the registration as a credential
  {
    id: 'page-credential-download', kind: 'page', method: 'GET', path: '/dossier/bewijs', handler: 'web/credential-download',
    auth: 'session', roles: ['participant'], summary: "Bewijs downloaden: the participant's current period as an Open Badges 3.0 credential (compact JWS, application/vc+jwt)", table: 'readwrite', credentialKey: 'sign',
  },
  {
    id: 'page-credential-qr', kind: 'page', method: 'GET', path: '/dossier/bewijs/qr', handler: 'web/credential-qr',
    auth: 'session', roles: ['participant'], summary: "The credential's public address as a QR code (inline SVG, with the address written out)", table: 'read',
  },
  {
    id: 'page-register-credential', kind: 'page', method: 'GET', path: '/register/{registrationNumber}/bewijs', handler: 'web/credential-public',
    auth: 'public', roles: [], summary: "Digitaal bewijs downloaden: a registered person's current credential, as the register entry links it (404 like the entry)", table: 'readwrite', throttle: 'public', credentialKey: 'sign',
  },
  {
    // Static beats variable: `/register/verifieer` wins over `/register/{registrationNumber}` (API Gateway, and infra/local's specificity).
    id: 'page-credential-verify', kind: 'page', method: 'GET', path: '/register/verifieer', handler: 'web/register-verify',
    auth: 'public', roles: [], summary: 'Bewijs controleren: paste or upload a credential', table: 'read', throttle: 'public',
  },
  {
    id: 'page-credential-verify-submit', kind: 'page', method: 'POST', path: '/register/verifieer', handler: 'web/register-verify',
    auth: 'public', roles: [], summary: 'Check a pasted or uploaded credential: signature, validity today, withdrawal, whose it is, in plain words', table: 'readwrite', throttle: 'public', credentialKey: 'verify',
    // Per client only: the credential itself is what is checked, not an identifier someone guesses.
    rateLimit: { identifiers: [], group: 'credential-verification' },
  },

  // ---------------------------------------------------------------- the catch-all, last
  {
    id: 'page-not-found', kind: 'page', method: 'GET', path: '/{proxy+}', handler: 'web/not-found',
    auth: 'public', roles: [], summary: 'Any other path: the 404 page (problem+json below /v1)', table: 'none', throttle: 'public',
  },
];

/** Everything the gateway routes: the API and the pages. */
// Pure (annotated) so a bundle that uses only its own routes (`findRoute`) drops the table: esbuild
// keeps a spread at module level, as iterating could have side effects.
export const allRoutes: Route[] = /* @__PURE__ */ routes.concat(pageRoutes);

export interface Job {
  /** Job name as used in /v1/jobs/{job}/runs and `npm run job -- <job>`. */
  name: string;
  /** Entry file below functions/, without extension. */
  handler: string;
  /** EventBridge Scheduler cron expression (6 fields: min hour dom month dow year). */
  schedule: string;
  timeZone: 'Europe/Amsterdam';
  summary: string;
}

/** Scheduled jobs. The cloud stack creates one schedule per entry; the local stack runs the same crons. */
export const jobs: Job[] = [
  {
    name: 'expiry-notices', handler: 'scheduled/expiry-notices', schedule: '0 6 * * ? *', timeZone: 'Europe/Amsterdam',
    summary: 'Expiry notices (90, 30, 7 days before the end; lapse), the lapsed periods\' credentials revoked in the status list, and, from the 1st of each month, the employer digest',
  },
  {
    name: 'activation-mails', handler: 'scheduled/activation-mails', schedule: '0/5 * * * ? *', timeZone: 'Europe/Amsterdam',
    summary: 'Activation e-mails of collective registrations that the request left pending (outbox index, claim per e-mail)',
  },
  {
    name: 'monthly-invoices',
    handler: 'scheduled/monthly-invoices',
    // 06:00 Amsterdam time on the 1st: invoices the month that just ended.
    schedule: '0 6 1 * ? *',
    timeZone: 'Europe/Amsterdam',
    summary: "Invoice every employer for the previous month's fees; deliver what earlier runs left unsent",
  },
  {
    name: 'invoice-mails', handler: 'scheduled/invoice-mails', schedule: '2/5 * * * ? *', timeZone: 'Europe/Amsterdam',
    summary: 'Invoice and credit-note e-mails that have not gone out yet (outbox index, claim per document)',
  },
  {
    name: 'retention', handler: 'scheduled/retention', schedule: '30 3 * * ? *', timeZone: 'Europe/Amsterdam',
    summary: 'Pseudonymise participants whose last period ended more than 6 years ago without activity since, and finish erasures left half-way (retention index, no scan)',
  },
];

/**
 * The Lambda description of a route's function (the console's and CloudFormation's), which
 * CloudFormation caps at 256 characters.
 */
export const functionDescription = (route: Pick<Route, 'method' | 'path' | 'summary'>): string => `${route.method} ${route.path}: ${route.summary}`;

/**
 * In a Lambda bundle, esbuild defines this as the routes that name that function
 * (infra/constructs/pe-function.ts `definesOf`), so the rest of the table drops out of the bundle;
 * undefined everywhere else (tests, `npm start`, scripts), where the whole table is used.
 */
declare const PE_FUNCTION_ROUTES: Route[];
/** Defined (true) with it: esbuild folds `typeof` of a constant, not of an array, so this drops the table. */
declare const PE_OWN_ROUTES: boolean | undefined;

export function findRoute(id: string): Route {
  const table = typeof PE_OWN_ROUTES === 'undefined' ? allRoutes : PE_FUNCTION_ROUTES;
  const route = table.find((r) => r.id === id);
  if (!route) throw new Error(`No route with id ${id} in shared/routes.ts`);
  return route;
}
