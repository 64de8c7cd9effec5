/**
 * Every key prefix of the one table, built in one place (issue 17). Each builder joins its parts
 * with `#` after its prefix: `REG('2026-01-01')` is `REG#2026-01-01`, `CCLAIM(status, at, id)` is
 * `CCLAIM#<status>#<at>#<id>`, and with no parts it is the bare prefix for a `begins_with`
 * (`REG()` is `REG#`); an empty last part ends the prefix in `#` (`CCLAIM(status, '')`).
 *
 * The entity modules (one per entity, next to this file) still own their keys' shape — which
 * builder goes in pk, sk or an index key, what is hashed or upper-cased — and shared/data/README.md
 * lists the items; a test (test/unit/structure.test.ts) fails when a `XYZ#` literal appears outside
 * this file. Names are the prefixes themselves, so a key reads as it is stored.
 * Fixed names without parts (`PROFILE`, `TOPICS`, `STAFF`, the single-item sort keys) stay where
 * their entity is.
 */

/** Builds `<PREFIX>#<part>#<part>…`; no parts: the bare `<PREFIX>#`. */
export type KeyBuilder = (...parts: (string | number)[]) => string;

const prefix =
  (name: string): KeyBuilder =>
  (...parts) =>
    `${name}#${parts.join('#')}`;

// ---------------------------------------------------------------- participants (participants.ts)

/** pk of a participant's partition (profile `PROFILE`, periods, notices, events); gsi1pk of its credits, employer links, enrolments, own invoices; gsi2sk of its e-mail index entry. */
export const PARTICIPANT = prefix('PARTICIPANT');
/** sk of a registration period in the participant's partition: `REG#<startsOn>`. */
export const REG = prefix('REG');
/** pk of a diploma (`DIPLOMA#<number>`, sk `DIPLOMA`), pointing at its holder. */
export const DIPLOMA = prefix('DIPLOMA');
/** pk of an erased diploma's tombstone: `ERASEDDIPLOMA#<hash>`. */
export const ERASEDDIPLOMA = prefix('ERASEDDIPLOMA');
/** pk of a registration number's uniqueness guard: `REGNO#<number>`. */
export const REGNO = prefix('REGNO');
/** gsi2pk of the e-mail index (`EMAIL#<sha256(address)>`): participants, users, sign-in, bounce marks. */
export const EMAIL = prefix('EMAIL');
/** gsi1pk of the surname index: `NAME#<surname key>`. */
export const NAME = prefix('NAME');
/** gsi2pk of everything a participant holds that is not in its partition (API keys, tokens, sign-in links, web sessions, activation claims): `OWNER#<ownerId>`; also an organisation's activities, requests and completion claims. */
export const OWNER = prefix('OWNER');
/** sk of an audit event in its subject's partition: `EVENT#<iso instant>#<rand>`. */
export const EVENT = prefix('EVENT');

// ---------------------------------------------------------------- organisations (organisations.ts, users.ts)

/** pk of an employer's partition (profile, links, collective registrations, plans, markers, events); gsi1sk of a link in the participant's index. */
export const EMPLOYER = prefix('EMPLOYER');
/** pk of a provider's partition (profile, users, webhook deliveries, events). */
export const PROVIDER = prefix('PROVIDER');
/** gsi1pk of the staff's organisation lists: `ORGS#provider`, `ORGS#employer`. */
export const ORGS = prefix('ORGS');
/** pk of a counter: `COUNTER#DEBTOR`, `COUNTER#INVOICE#<year>`. */
export const COUNTER = prefix('COUNTER');
/** sk of an organisation's user: `USER#<userId>`; gsi2sk of its e-mail index entry. */
export const USER = prefix('USER');
/** pk of a user address's uniqueness guard in one organisation: `USEREMAIL#<role>#<ownerId>#<sha256>`. */
export const USEREMAIL = prefix('USEREMAIL');
/** sk of a user's web-session pointer: `USERSESSION#<userId>#<sessionIdHash>`. */
export const USERSESSION = prefix('USERSESSION');
/** pk of the first admin user's once-only marker: `BOOTSTRAP#admin-user#<sha256>`. */
export const BOOTSTRAP = prefix('BOOTSTRAP');

// ---------------------------------------------------------------- credentials (api-keys.ts, tokens.ts, web-sessions.ts, sign-in-links.ts)

/** pk of an API key (`APIKEY#<sha256(key)>`); gsi1pk and gsi2sk `APIKEY#<keyId>`. */
export const APIKEY = prefix('APIKEY');
/** pk of a one-time token (activation, e-mail change): `TOKEN#<sha256(token)>`. */
export const TOKEN = prefix('TOKEN');
/** pk of a web session: `WEBSESSION#<sha256(id)>` (also the IAM leading-key condition of the pages). */
export const WEBSESSION = prefix('WEBSESSION');
/** pk of a sign-in link: `SIGNIN#<sha256(token)>`. */
export const SIGNIN = prefix('SIGNIN');
/** pk of a sign-in link mail of the outbox: `SIGNINMAIL#<requestId>`. */
export const SIGNINMAIL = prefix('SIGNINMAIL');
/** pk of a brute-force counter: `RATE#<group>#<kind>#<sha256(value)>#<windowStart>`. */
export const RATE = prefix('RATE');
/** pk of an idempotency record: `IDEMP#<scope>#<key>`. */
export const IDEMP = prefix('IDEMP');

// ---------------------------------------------------------------- employers (employers.ts)

/** sk of an employee link in the employer's partition, and of an enrolment in a collective registration's: `EMPLOYEE#<participantId>`. */
export const EMPLOYEE = prefix('EMPLOYEE');
/** sk of a collective registration in the employer's partition; pk of its enrolments; gsi1sk of an enrolment in the participant's index: `COLLREG#<id>`. */
export const COLLREG = prefix('COLLREG');
/** sk of an activation mail of the outbox: `ACTIVATIONMAIL#<participantId>`. */
export const ACTIVATIONMAIL = prefix('ACTIVATIONMAIL');
/** gsi pk of the activation-mail outbox's pending shards: `MAILPENDING#<shard>`. */
export const MAILPENDING = prefix('MAILPENDING');
/** sk of a learning plan in the employer's partition: `LEARNINGPLAN#<planId>`. */
export const LEARNINGPLAN = prefix('LEARNINGPLAN');
/** sk of the employer's "an employee rated this activity" marker: `EVALUATED#<activityId>`. */
export const EVALUATED = prefix('EVALUATED');

// ---------------------------------------------------------------- activities and recognition (activities.ts, recognition.ts, topics.ts, evaluations.ts)

/** pk of an activity: `ACTIVITY#<activityId>`; gsi2sk in its owner's index. */
export const ACTIVITY = prefix('ACTIVITY');
/** gsi1pk of the catalogue by topic: `CATALOGUE#<topic>` (the whole catalogue is the bare `CATALOGUE`). */
export const CATALOGUE = prefix('CATALOGUE');
/** sk of a topic (`TOPIC#<code>` under `TOPICS`) and of an activity's per-topic row. */
export const TOPIC = prefix('TOPIC');
/** pk of a recognition request (`REQUEST#<requestId>`); gsi2sk `REQUEST#<submittedAt>#<requestId>` in its owner's index. */
export const REQUEST = prefix('REQUEST');
/** gsi1pk of the recognition requests by status: `REQSTATUS#<status>`. */
export const REQSTATUS = prefix('REQSTATUS');
/** pk of an activity's ratings: `EVALUATIONS#<activityId>`. */
export const EVALUATIONS = prefix('EVALUATIONS');

// ---------------------------------------------------------------- claims (activation-claims.ts, completion-claims.ts, unmatched.ts)

/** pk of an activation claim: `ACTCLAIM#<claimId>`; gsi2sk in its holder's owner index. */
export const ACTCLAIM = prefix('ACTCLAIM');
/** gsi1pk of the activation claims by status: `ACTCLAIMSTATUS#<status>`. */
export const ACTCLAIMSTATUS = prefix('ACTCLAIMSTATUS');
/** pk of the one pending activation claim per diploma and address: `ACTCLAIMPENDING#<diploma>#<hash>`. */
export const ACTCLAIMPENDING = prefix('ACTCLAIMPENDING');
/** pk of a completion claim (`CCLAIM#<claimId>`); gsi2sk `CCLAIM#<status>#<at>#<claimId>` in the deciding owner's index. */
export const CCLAIM = prefix('CCLAIM');
/** pk of the one pending completion claim per participant, activity and date: `CCLAIMPENDING#<participantId>#<activityId>#<completedOn>`. */
export const CCLAIMPENDING = prefix('CCLAIMPENDING');
/** gsi1sk of a completion claim in the participant's index (sorts between its credits and invoices): `CREDITCLAIM#<requestedAt>#<claimId>`. */
export const CREDITCLAIM = prefix('CREDITCLAIM');
/** pk of an unmatched completion (`UNMATCHED#<id>`), gsi pk of a provider's list (`UNMATCHED#<providerId>`), gsi2sk in the reference index. */
export const UNMATCHED = prefix('UNMATCHED');
/** gsi2pk of the unmatched completions by the reference they named: `UNMATCHEDREF#regno#<n>`, `UNMATCHEDREF#diploma#<n>`. */
export const UNMATCHEDREF = prefix('UNMATCHEDREF');
/** sk of a webhook delivery in the provider's partition: `DELIVERY#<receivedAt>#<webhookId>`. */
export const DELIVERY = prefix('DELIVERY');

// ---------------------------------------------------------------- credits and money (credits.ts, fees.ts, invoices.ts, tariffs.ts)

/** pk of a credit (`CREDIT#<creditId>`); gsi1sk `CREDIT#<completedOn>#<creditId>` in the participant's index. */
export const CREDIT = prefix('CREDIT');
/** pk of a registration's fee: `FEE#<registrationId>`. */
export const FEE = prefix('FEE');
/** gsi2pk of the fees billed in a month: `FEES#<yyyy-mm>`. */
export const FEES = prefix('FEES');
/** pk of an invoice (`INVOICE#<invoiceId>`); gsi1sk `INVOICE#<issuedOn>#<invoiceId>` in its payer's index. */
export const INVOICE = prefix('INVOICE');
/** sk of a chunk of an invoice's lines: `LINES#<linesKey>#<chunk>`. */
export const LINES = prefix('LINES');
/** gsi1pk of an employer payer's invoices: `PAYER#<employerId>`. */
export const PAYER = prefix('PAYER');
/** pk of a monthly run's once-only guard per employer: `INVRUN#<month>#<employerId>[#<part>]`. */
export const INVRUN = prefix('INVRUN');
/** pk of an invoice's one credit note guard: `CREDITNOTE#<invoiceId>`. */
export const CREDITNOTE = prefix('CREDITNOTE');
/** sk of a chunk of an invoice's rendered file: `FILE#<filesKey>#<pdf|xml>#<chunk>`. */
export const FILE = prefix('FILE');
/** pk of a tariff schedule: `TARIFF#registration`. */
export const TARIFF = prefix('TARIFF');
/** sk of a tariff from its first day: `FROM#<validFrom>`. */
export const FROM = prefix('FROM');

// ---------------------------------------------------------------- notices (notices.ts)

/** sk of an expiry notice in the participant's partition: `NOTICE#<startsOn>#<kind>`. */
export const NOTICE = prefix('NOTICE');
/** gsi3pk of the notices' due index, sharded: `NOTICEDUE#<shard>`. */
export const NOTICEDUE = prefix('NOTICEDUE');
/** pk of an employer's monthly at-risk digest: `DIGEST#<employerId>#<month>`. */
export const DIGEST = prefix('DIGEST');
/** pk of a month's digest run marker: `DIGESTRUN#<month>`. */
export const DIGESTRUN = prefix('DIGESTRUN');

// ---------------------------------------------------------------- verifiable credentials (credentials.ts, issue 18)

/** sk of a period's issued credential in the participant's partition: `CREDENTIAL#<startsOn>`. */
export const CREDENTIAL = prefix('CREDENTIAL');
/** pk of a status list (`STATUSLIST#<listId>`, sk `STATUSLIST`): its allocation counter and revocation bits. */
export const STATUSLIST = prefix('STATUSLIST');
/** gsi3pk of the credentials whose period still has to be checked for a lapse: `CREDLAPSE#` (gsi3sk `<endsOn>#<participantId>`). */
export const CREDLAPSE = prefix('CREDLAPSE');
