import { createHash } from 'node:crypto';
import {
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, db, tableName, transact, type TxItem } from './client';
import { batchGet, queryAll } from './batch';
import { auditPut, type Actor } from './audit';
import { newId, randomBase32 } from '../ids';
import { periodStartingOn, type Period, type PeriodKind } from '../domain/periods';
import { feePut, newFee, type Fee } from './fees';
import type { TariffSchedule } from './tariffs';
import { firstNoticeOn } from '../domain/notices';
import { surnameKey } from '../domain/names';
import { noticeIndexKeys } from './notices';
import { todayInAmsterdam } from '../dates';
import type { DiplomaRow } from '../schemas/participants';
import { linkSetOf, linksUnchanged, stateItems, stateOf } from './employee-state';
import { DIPLOMA, EMAIL, ERASEDDIPLOMA, NAME, PARTICIPANT, REG, REGNO } from './keys';

/**
 * Participants (one per diploma holder), their diploma, registration number and registration
 * periods. Keys: see README.md in this folder.
 */

export type DiplomaType = 'uitzendprofessional' | 'backofficeprofessional';

export interface PeriodSummary extends Period {
  registrationId: string;
}

export interface Participant {
  participantId: string;
  registrationNumber: string;
  /** Absent only on an erased profile (shared/services/personal-data: the number is removed). */
  diplomaNumber?: string;
  diplomaType: DiplomaType;
  issuedOn: string;
  initials: string;
  prefix?: string;
  lastName: string;
  birthDate: string;
  email?: string;
  language: 'nl' | 'en';
  /** Where the participant's own invoices go (printed under their name); none: just the name. */
  invoiceAddress?: InvoiceAddress;
  /** Counts the participant's own profile changes: the optimistic lock of `updateProfile`. */
  profileVersion: number;
  /** Summary of all periods, in order (the no-overlap guard is `latestEndsOn`). */
  periods: PeriodSummary[];
  latestEndsOn?: string;
  /**
   * The address on file bounced for good or drew a complaint (issue 16 part 5, shared/data/deliverability.ts):
   * only while the mark is about the address now on file, so any change of address drops it.
   */
  emailUndeliverable?: { reason: 'bounce' | 'complaint'; at: string };
  /** Set when the participant's personal data is being (or has been) erased (shared/services/personal-data). */
  erasure?: ErasureMark;
  /**
   * The employers the participant is live-linked to and the count of links made (absent = 0): the
   * report projection's writers find the link rows to update through them (shared/data/employee-state.ts).
   */
  employerIds?: string[];
  linksVersion?: number;
  /** The raw bounce mark, whichever address it is about: a link's snapshot conditions on its `at`. */
  rawMark?: { at: string; emailKey?: string; reason: 'bounce' | 'complaint' };
}

/**
 * The erasure's marker on the profile: `in-progress` from the first step (with its audit event),
 * `erased` once every holder has run. A profile carrying it starts no period and gets no session.
 */
export interface ErasureMark {
  status: 'in-progress' | 'erased';
  reason: string;
  by: string;
  at: string;
  pseudonym: string;
  erasedAt?: string;
}

/**
 * The retention index (gsi3 on the profile): `RETENTION` / `<latestEndsOn>#<participantId>`, set
 * wherever a period starts (the latest end moves with it), so the retention job reads only the
 * profiles whose last period ended long enough ago. An erasure in progress moves the profile to
 * the front (`0000-00-00#…`), so the job completes one that crashed half-way.
 */
export const RETENTION_PK = 'RETENTION';
export const retentionKeys = (participantId: string, latestEndsOn: string) => ({ gsi3pk: RETENTION_PK, gsi3sk: `${latestEndsOn}#${participantId}` });
export const ERASING_SORT_PREFIX = '0000-00-00';

export interface InvoiceAddress {
  /** A name the address adds under the participant's (their company, "t.a.v. …"). */
  name?: string;
  street: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** What a participant (or the admin) may change on the profile: PATCH /v1/participants/{id}. */
export interface ProfileChanges {
  language?: 'nl' | 'en';
  /** `null` removes it. */
  invoiceAddress?: InvoiceAddress | null;
}

/** Who pays a period's fee. */
export type Payer = { type: 'participant'; id: string } | { type: 'employer'; id: string } | { type: 'none' };

export interface Registration extends PeriodSummary {
  participantId: string;
  kind: PeriodKind;
  payer: Payer;
  points: number;
  creditedActivities: string[];
  createdAt: string;
}

export const participantPk = (id: string) => PARTICIPANT(id);
export const diplomaKey = (n: string) => ({ pk: DIPLOMA(n.toUpperCase()), sk: 'DIPLOMA' });
/**
 * The tombstone of an erased diploma (issue 16 part 6): the erasure deletes `DIPLOMA#<n>` (the
 * number identifies its holder at the exam body) and leaves this, keyed by the SHA-256 of the
 * upper-cased number, holding only `participantId` and `erasedAt`. The diploma import skips a row
 * whose tombstone exists, so the exam body's next export of the register does not bring the
 * erased person back; everything else reads `DIPLOMA#<n>` and keeps answering "not found".
 */
export const erasedDiplomaKey = (n: string) => {
  const h = createHash('sha256').update(n.trim().toUpperCase(), 'utf8').digest('hex');
  return { pk: ERASEDDIPLOMA(h), sk: 'ERASEDDIPLOMA' };
};
export const regNoKey = (n: string) => ({ pk: REGNO(n.toUpperCase()), sk: 'REGNO' });
export const registrationSk = (startsOn: string) => REG(startsOn);

/**
 * The e-mail index (gsi2) on a profile with an address on file: who an address belongs to, for
 * sign-in by e-mail link. The partition is the SHA-256 of the lower-cased, trimmed address, so the
 * key names nobody; several profiles (and, later, organisations' users) may share one partition.
 * Every write that sets a profile's `email` sets these in the same write.
 */
export const emailIndexPk = (email: string) => EMAIL(createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex'));
/**
 * A transaction's check that the participant's profile is still indexed under this e-mail index
 * key and not being erased (a sign-in refuses a link mailed before the address changed).
 */
export const profileStillAtAddress = (participantId: string, emailKey: string): TxItem => ({
  ConditionCheck: {
    TableName: tableName(),
    Key: { pk: participantPk(participantId), sk: 'PROFILE' },
    ConditionExpression: 'gsi2pk = :key AND attribute_not_exists(erasure)',
    ExpressionAttributeValues: { ':key': emailKey },
  },
});
export const emailIndexKeys = (participantId: string, email: string) => ({ gsi2pk: emailIndexPk(email), gsi2sk: PARTICIPANT(participantId) });

/** Case- and accent-insensitive search key for names. */
export function normaliseName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The surname index's partition: the surname without its prefix, folded (shared/domain/names.ts),
 * for the name on file and for the name as someone types it, so each spelling is one Query.
 */
export const nameIndexPk = (lastName: string) => NAME(surnameKey(lastName));

export function displayName(p: Pick<Participant, 'initials' | 'prefix' | 'lastName'>): string {
  return [p.initials, p.prefix, p.lastName].filter(Boolean).join(' ');
}

export function titleFor(type: DiplomaType): string {
  return type === 'uitzendprofessional' ? 'Register-Uitzendprofessional' : 'Register-Backofficeprofessional';
}

/** Short, readable, unique (guarded by the REGNO item): `PE-` + 6 Crockford base32 characters. */
export function newRegistrationNumber(): string {
  return `PE-${randomBase32(6)}`;
}

function fromProfile(item: Record<string, unknown>): Participant {
  return {
    participantId: item.participantId as string,
    registrationNumber: item.registrationNumber as string,
    diplomaNumber: item.diplomaNumber as string | undefined,
    diplomaType: item.diplomaType as DiplomaType,
    issuedOn: item.issuedOn as string,
    initials: item.initials as string,
    prefix: (item.prefix as string | undefined) || undefined,
    lastName: item.lastName as string,
    birthDate: item.birthDate as string,
    email: (item.email as string | undefined) || undefined,
    language: (item.language as 'nl' | 'en' | undefined) ?? 'nl',
    ...(item.invoiceAddress ? { invoiceAddress: item.invoiceAddress as InvoiceAddress } : {}),
    profileVersion: Number(item.profileVersion ?? 0),
    periods: (item.periods as PeriodSummary[] | undefined) ?? [],
    latestEndsOn: item.latestEndsOn as string | undefined,
    ...undeliverableOf(item),
    ...(item.erasure ? { erasure: item.erasure as ErasureMark } : {}),
    ...(item.employerIds ? { employerIds: [...(item.employerIds as Set<string>)] } : {}),
    ...(item.linksVersion !== undefined ? { linksVersion: Number(item.linksVersion) } : {}),
    ...((item.emailUndeliverable as { at?: string } | undefined)?.at ? { rawMark: item.emailUndeliverable as NonNullable<Participant['rawMark']> } : {}),
  };
}

/** The profile's bounce mark, when it is about the address on file (its `emailKey` is that address's index key). */
function undeliverableOf(item: Record<string, unknown>): Pick<Participant, 'emailUndeliverable'> {
  const mark = item.emailUndeliverable as { reason?: 'bounce' | 'complaint'; at?: string; emailKey?: string } | undefined;
  if (!mark?.reason || !mark.at || typeof item.email !== 'string' || !item.email || mark.emailKey !== emailIndexPk(item.email)) return {};
  return { emailUndeliverable: { reason: mark.reason, at: mark.at } };
}

function fromRegistration(item: Record<string, unknown>): Registration {
  const credited = item.creditedActivities as Set<string> | string[] | undefined;
  return {
    participantId: item.participantId as string,
    registrationId: item.registrationId as string,
    startsOn: item.startsOn as string,
    endsOn: item.endsOn as string,
    kind: item.kind as PeriodKind,
    payer: item.payer as Payer,
    points: Number(item.points ?? 0),
    creditedActivities: credited ? [...credited] : [],
    createdAt: item.createdAt as string,
  };
}

export async function getParticipant(participantId: string, consistent = false): Promise<Participant | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: participantPk(participantId), sk: 'PROFILE' }, ConsistentRead: consistent }));
  return res.Item ? fromProfile(res.Item) : undefined;
}

/**
 * Writes profile changes and their `participant.updated` event (before/after of the fields that
 * change) in one transaction, conditioned on the `profileVersion` the profile was read with, so
 * the event's `before` is what was replaced. False when another change landed first (read again
 * and retry). Nothing is written when nothing changes.
 */
export async function updateProfile(p: Participant, changes: ProfileChanges, actor: Actor, now: Date): Promise<boolean> {
  const set = ['profileVersion = :next', 'updatedAt = :now'];
  const remove: string[] = [];
  const values: Record<string, unknown> = { ':next': p.profileVersion + 1, ':now': now.toISOString() };
  const names: Record<string, string> = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (changes.language !== undefined && changes.language !== p.language) {
    set.push('#lang = :lang');
    names['#lang'] = 'language';
    values[':lang'] = changes.language;
    before.language = p.language;
    after.language = changes.language;
  }
  if (changes.invoiceAddress !== undefined && !sameAddress(changes.invoiceAddress, p.invoiceAddress)) {
    if (changes.invoiceAddress) {
      set.push('invoiceAddress = :address');
      values[':address'] = changes.invoiceAddress;
    } else remove.push('invoiceAddress');
    before.invoiceAddress = p.invoiceAddress ?? null;
    after.invoiceAddress = changes.invoiceAddress;
  }
  if (!Object.keys(after).length) return true;
  if (p.profileVersion) values[':seen'] = p.profileVersion;
  try {
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: { pk: participantPk(p.participantId), sk: 'PROFILE' },
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          // Not once an erasure has begun: its audit holder has already run, so the event would keep the address.
          ConditionExpression: `${p.profileVersion ? 'profileVersion = :seen' : 'attribute_exists(pk) AND attribute_not_exists(profileVersion)'} AND attribute_not_exists(erasure)`,
          ExpressionAttributeValues: values,
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        },
      },
      auditPut(participantPk(p.participantId), { actor, action: 'participant.updated', before, after }, now),
    ]);
    return true;
  } catch (err) {
    if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') return false;
    throw err;
  }
}

function sameAddress(a: InvoiceAddress | null | undefined, b: InvoiceAddress | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.name === b.name && a.street === b.street && a.postalCode === b.postalCode && a.city === b.city && a.country === b.country;
}

/** Profiles by id (BatchGetItem, 100 a call), keyed by participantId; missing ids are absent. */
export async function getParticipants(participantIds: string[], consistent = false): Promise<Map<string, Participant>> {
  const items = await batchGet(participantIds.map((id) => ({ pk: participantPk(id), sk: 'PROFILE' })), { consistent });
  return new Map(items.map((i) => [i.participantId as string, fromProfile(i)]));
}

/** The points of these periods (BatchGetItem on `REG#<startsOn>`), keyed `<participantId>#<startsOn>`. */
export async function getPeriodPoints(periods: { participantId: string; startsOn: string }[], consistent = false): Promise<Map<string, number>> {
  const items = await batchGet(
    periods.map((p) => ({ pk: participantPk(p.participantId), sk: registrationSk(p.startsOn) })),
    { attributes: ['participantId', 'startsOn', 'points'], consistent },
  );
  return new Map(items.map((i) => [`${i.participantId}#${i.startsOn}`, Number(i.points ?? 0)]));
}

export async function participantIdByRegistrationNumber(registrationNumber: string): Promise<string | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: regNoKey(registrationNumber) }));
  return res.Item?.participantId as string | undefined;
}

export async function getDiploma(diplomaNumber: string): Promise<Record<string, unknown> | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: diplomaKey(diplomaNumber) }));
  return res.Item;
}

/** The numbers (upper-cased) among `numbers` whose diploma was erased (their tombstone exists). */
export async function erasedDiplomas(numbers: string[]): Promise<Set<string>> {
  const byPk = new Map(numbers.map((n) => [erasedDiplomaKey(n).pk, n.toUpperCase()]));
  const items = await batchGet([...byPk.keys()].map((pk) => ({ pk, sk: 'ERASEDDIPLOMA' })), { consistent: true });
  return new Set(items.map((i) => byPk.get(String(i.pk)) as string));
}

/** Diploma items by number (BatchGetItem), keyed by the upper-cased number. */
export async function getDiplomas(numbers: string[]): Promise<Map<string, Record<string, unknown>>> {
  const items = await batchGet(numbers.map(diplomaKey));
  return new Map(items.map((item) => [String(item.diplomaNumber).toUpperCase(), item]));
}

/**
 * The profile and every period in ONE Query of the participant's partition: `PROFILE` and the
 * `REG#<startsOn>` items sort next to each other (the audit trail's `EVENT#` and the notices'
 * `NOTICE#` sort before them), so `sk BETWEEN PROFILE AND REG$` reads exactly those. The dossier
 * page's budget is three calls (session, this, the participant's index: README, pattern 7a).
 */
export async function getParticipantWithRegistrations(
  participantId: string,
  consistent = false,
): Promise<{ participant: Participant | undefined; registrations: Registration[] }> {
  const items = await queryAll({ pk: participantPk(participantId), skBetween: ['PROFILE', 'REG$'], consistent });
  const profile = items.find((i) => i.sk === 'PROFILE');
  return {
    participant: profile ? fromProfile(profile) : undefined,
    registrations: items.filter((i) => String(i.sk).startsWith(REG())).map(fromRegistration),
  };
}

export async function listRegistrations(participantId: string): Promise<Registration[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :reg)',
      ExpressionAttributeValues: { ':pk': participantPk(participantId), ':reg': REG() },
    }),
  );
  return (res.Items ?? []).map(fromRegistration);
}

/**
 * The items that start a period, for the caller's transaction: the period itself (write-once),
 * the participant's guard — `latestEndsOn` must not reach past the new start, so two
 * concurrent starts (or a start and a renewal) can never both land — and, for every paid start
 * (payer participant or employer), its fee record, priced from `tariffs` (the tariff valid on
 * `startsOn`; `untariffed` when there is none — the period starts all the same).
 *
 * Every period start goes through here, so this is also where a period enters the expiry-notice
 * due index (gsi3, keyed by its first notice date: see domain/notices.ts `firstNoticeOn`).
 */
export function startPeriodItems(args: {
  participantId: string;
  startsOn: string;
  kind: PeriodKind;
  payer: Payer;
  actor: Actor;
  /** The tariff schedule (`loadTariffs()`), read before building the transaction. Unused when payer is none. */
  tariffs: TariffSchedule;
  /** For a renewal: the `endsOn` the current period must still be the latest with. */
  expectLatestEndsOn?: string;
  /**
   * The profile is being created in the same transaction (a transaction may touch an item only
   * once): skip its update and merge the returned `profileFields` into the new profile instead.
   */
  profileIsNew?: boolean;
  /**
   * An address that becomes the one on file in the same write (an employer's collective
   * registration supplies it); the write then also requires that the profile still has none.
   */
  emailIfNone?: string;
  /**
   * The profile as the caller read it (required unless `profileIsNew`): the report projection of
   * its live links gets the new period in the same transaction, conditioned on its `linksVersion`.
   */
  profile?: Participant;
  now?: Date;
}): { items: TxItem[]; registration: Registration; fee?: Fee; profileFields: { latestEndsOn: string; periods: PeriodSummary[]; gsi3pk: string; gsi3sk: string } } {
  const now = args.now ?? new Date();
  if (!args.profileIsNew && !args.profile) throw new Error('startPeriodItems needs the profile it was decided on (its links get the new period)');
  const period = periodStartingOn(args.startsOn);
  const registration: Registration = {
    participantId: args.participantId,
    registrationId: newId('reg', now.getTime()),
    ...period,
    kind: args.kind,
    payer: args.payer,
    points: 0,
    creditedActivities: [],
    createdAt: now.toISOString(),
  };
  const pk = participantPk(args.participantId);
  const summary: PeriodSummary = { registrationId: registration.registrationId, ...period };
  const guard =
    args.expectLatestEndsOn !== undefined
      ? { ConditionExpression: 'latestEndsOn = :expected', values: { ':expected': args.expectLatestEndsOn } }
      : { ConditionExpression: 'attribute_not_exists(latestEndsOn) OR latestEndsOn <= :start', values: { ':start': period.startsOn } };
  const { creditedActivities: _unused, ...stored } = registration;
  const firstNotice = firstNoticeOn(period, todayInAmsterdam(now));
  const noticeKeys = firstNotice ? noticeIndexKeys(args.participantId, period.startsOn, firstNotice) : {};
  const email = args.emailIfNone;
  const links = args.profile ? linkSetOf(args.profile) : undefined;
  const linkGuard = linksUnchanged(links?.version ?? 0);
  const profileUpdate: TxItem = {
      Update: {
        TableName: tableName(),
        Key: { pk, sk: 'PROFILE' },
        UpdateExpression: `SET latestEndsOn = :end, periods = list_append(if_not_exists(periods, :empty), :summary), gsi3pk = :g3pk, gsi3sk = :g3sk${email ? ', email = :email, gsi2pk = :g2pk, gsi2sk = :g2sk' : ''}`,
        // An erased (or erasing) participant starts no period: erasure is final.
        // A link made since the read cancels this (read again: the new link's row gets the period too).
        ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(erasure) AND (${guard.ConditionExpression})${email ? ' AND attribute_not_exists(email)' : ''} AND ${linkGuard.expression}`,
        ExpressionAttributeValues: {
          ':end': period.endsOn, ':empty': [], ':summary': [summary], ...guard.values, ...linkGuard.values,
          ':g3pk': RETENTION_PK, ':g3sk': retentionKeys(args.participantId, period.endsOn).gsi3sk,
          ...(email ? { ':email': email, ':g2pk': emailIndexPk(email), ':g2sk': emailIndexKeys(args.participantId, email).gsi2sk } : {}),
        },
      },
  };
  if (args.payer.type !== 'none' && args.kind === 'initial') throw new Error('The automatic first period of a diploma carries no fee: payer must be none');
  if (args.payer.type === 'none' && args.kind !== 'initial') throw new Error(`A ${args.kind} period is paid: name its payer`);
  const fee =
    args.payer.type === 'none' || args.kind === 'initial'
      ? undefined
      : newFee({
          registrationId: registration.registrationId,
          participantId: args.participantId,
          kind: args.kind,
          ...period,
          payer: args.payer,
          tariffs: args.tariffs,
          now,
        });
  const items: TxItem[] = [
    {
      Put: {
        TableName: tableName(),
        // The period carries the profile's linksVersion: a credit conditions on it (employee-state.ts).
        Item: { pk, sk: registrationSk(period.startsOn), type: 'registration', ...stored, ...noticeKeys, ...(links?.version ? { linksVersion: links.version } : {}) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...(args.profileIsNew ? [] : [profileUpdate]),
    // An address supplied here cannot change the report's bounce mark: a profile without an address carries none that counts.
    ...(args.profile && links ? stateItems(args.participantId, links, stateOf({ ...args.profile, periods: [...args.profile.periods, summary] })) : []),
    auditPut(pk, { actor: args.actor, action: `registration.${args.kind}`, after: { ...summary, kind: args.kind, payer: args.payer } }, now),
    ...(fee ? [feePut(fee)] : []),
  ];
  return { items, registration, fee, profileFields: { latestEndsOn: period.endsOn, periods: [summary], ...retentionKeys(args.participantId, period.endsOn) } };
}

/** A ConditionCheck for a transaction that must not land once the participant's erasure has begun. */
export function notErasingItem(participantId: string): TxItem {
  return {
    ConditionCheck: {
      TableName: tableName(),
      Key: { pk: participantPk(participantId), sk: 'PROFILE' },
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasure)',
    },
  };
}

/**
 * The update that gives a profile without an address this one, for the caller's transaction: it
 * fails (and with it the transaction) when an address is on file by then, so an address on file
 * is never replaced this way. The `emailIfNone` of startPeriodItems does the same inside a period start.
 */
export function profileEmailItem(participantId: string, email: string): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: { pk: participantPk(participantId), sk: 'PROFILE' },
      UpdateExpression: 'SET email = :email, gsi2pk = :g2pk, gsi2sk = :g2sk',
      // An erased profile has no address: it must not get one back (nor an erasing one a new one).
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(email) AND attribute_not_exists(erasure)',
      ExpressionAttributeValues: { ':email': email, ':g2pk': emailIndexPk(email), ':g2sk': emailIndexKeys(participantId, email).gsi2sk },
    },
  };
}

/** Items creating a new participant for a diploma row (profile, diploma, registration number). */
export function newParticipantItems(
  row: DiplomaRow,
  actor: Actor,
  now: Date,
  participantId = newId('par', now.getTime()),
  profileFields: Record<string, unknown> = {},
) {
  const registrationNumber = newRegistrationNumber();
  const pk = participantPk(participantId);
  const holder = row.holder;
  const profile = {
    pk,
    sk: 'PROFILE',
    type: 'participant',
    participantId,
    registrationNumber,
    diplomaNumber: row.diplomaNumber.toUpperCase(),
    diplomaType: row.type,
    issuedOn: row.issuedOn,
    initials: holder.initials,
    prefix: holder.prefix || undefined,
    lastName: holder.lastName,
    birthDate: holder.birthDate,
    email: holder.email,
    language: holder.language ?? 'nl',
    periods: [],
    ...profileFields,
    createdAt: now.toISOString(),
    gsi1pk: nameIndexPk(holder.lastName),
    gsi1sk: `${normaliseName(holder.initials)}#${participantId}`,
    ...(holder.email ? emailIndexKeys(participantId, holder.email) : {}),
  };
  const items: TxItem[] = [
    { Put: { TableName: tableName(), Item: profile, ConditionExpression: 'attribute_not_exists(pk)' } },
    // An erasure that lands between the import's read and this write cancels it (the import then
    // re-reads the row alone and skips it).
    { ConditionCheck: { TableName: tableName(), Key: erasedDiplomaKey(row.diplomaNumber), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: tableName(),
        Item: { ...diplomaKey(row.diplomaNumber), type: 'diploma', diplomaNumber: row.diplomaNumber.toUpperCase(), diplomaType: row.type, issuedOn: row.issuedOn, participantId, createdAt: now.toISOString() },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...regNoKey(registrationNumber), type: 'regno', registrationNumber, participantId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    auditPut(pk, { actor, action: 'diploma.imported', after: { diplomaNumber: profile.diplomaNumber, type: row.type, issuedOn: row.issuedOn } }, now),
  ];
  return { participantId, registrationNumber, items };
}

/** What the register holds for a diploma that is imported again: its diploma item and its holder's profile. */
export interface ImportedState {
  diploma: Record<string, unknown>;
  profile: Participant | undefined;
}

/** The profile fields a diploma row sets, as the row would store them (the e-mail and language only when given). */
function rowProfileFields(row: DiplomaRow): Record<string, string | undefined> {
  const h = row.holder;
  return {
    diplomaType: row.type,
    issuedOn: row.issuedOn,
    initials: h.initials,
    prefix: h.prefix || undefined,
    lastName: h.lastName,
    birthDate: h.birthDate,
    ...(h.email ? { email: h.email } : {}),
    ...(h.language ? { language: h.language } : {}),
  };
}

/**
 * The fields a re-imported row would change, compared with what is stored (the diploma item and
 * the holder's profile). Empty: the row is what the register holds, and importing it writes nothing.
 */
export function diplomaChanges(row: DiplomaRow, state: ImportedState): string[] {
  const changed = new Set<string>();
  if (state.diploma.diplomaType !== row.type) changed.add('diplomaType');
  if (state.diploma.issuedOn !== row.issuedOn) changed.add('issuedOn');
  const stored = (state.profile ?? {}) as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(rowProfileFields(row))) {
    if ((stored[field] ?? undefined) !== value) changed.add(field);
  }
  return [...changed];
}

/**
 * Items updating an existing diploma and its holder from a re-imported row that changes something
 * (`diplomaChanges`), with the `diploma.updated` event naming the changed fields. Each write is
 * conditioned on the values the comparison read, so a concurrent change cancels it (and the row
 * is compared again) instead of being recorded with a stale before.
 */
export function updateParticipantItems(row: DiplomaRow, state: ImportedState, changed: string[], actor: Actor, now: Date): TxItem[] {
  const participantId = state.diploma.participantId as string;
  const pk = participantPk(participantId);
  const h = row.holder;
  const set = [
    'diplomaType = :type', 'issuedOn = :issued', 'initials = :initials', 'lastName = :last', 'birthDate = :birth',
    'gsi1pk = :g1pk', 'gsi1sk = :g1sk', 'updatedAt = :now',
  ];
  const values: Record<string, unknown> = {
    ':type': row.type, ':issued': row.issuedOn, ':initials': h.initials, ':last': h.lastName, ':birth': h.birthDate,
    ':g1pk': nameIndexPk(h.lastName), ':g1sk': `${normaliseName(h.initials)}#${participantId}`, ':now': now.toISOString(),
  };
  const names: Record<string, string> = {};
  const remove: string[] = [];
  if (h.prefix) {
    set.push('prefix = :prefix');
    values[':prefix'] = h.prefix;
  } else remove.push('prefix');
  // An e-mail on file is kept unless the import brings a new one.
  if (h.email) {
    set.push('email = :email', 'gsi2pk = :g2pk', 'gsi2sk = :g2sk');
    values[':email'] = h.email;
    Object.assign(values, { ':g2pk': emailIndexPk(h.email), ':g2sk': emailIndexKeys(participantId, h.email).gsi2sk });
  }
  if (h.language) {
    set.push('#lang = :lang');
    values[':lang'] = h.language;
    names['#lang'] = 'language';
  }
  // Compare-and-set on what was compared: the stored values this decision was made on.
  const seen = ['attribute_exists(pk)'];
  const stored = (state.profile ?? {}) as unknown as Record<string, unknown>;
  Object.keys(rowProfileFields(row)).forEach((field, i) => {
    names[`#s${i}`] = field;
    const value = stored[field];
    if (value === undefined) seen.push(`attribute_not_exists(#s${i})`);
    else {
      seen.push(`#s${i} = :s${i}`);
      values[`:s${i}`] = value;
    }
  });
  // The report projection of the holder's live links follows the name, type and (with the address) the bounce mark.
  const links = state.profile ? linkSetOf(state.profile) : undefined;
  const linkGuard = linksUnchanged(links?.version ?? 0);
  seen.push(linkGuard.expression);
  Object.assign(values, linkGuard.values);
  const email = h.email ?? state.profile?.email;
  const mark = state.profile?.rawMark;
  const after = state.profile && {
    ...state.profile,
    initials: h.initials,
    prefix: h.prefix || undefined,
    lastName: h.lastName,
    diplomaType: row.type,
    emailUndeliverable: mark && email && mark.emailKey === emailIndexPk(email) ? { reason: mark.reason, at: mark.at } : undefined,
  };
  return [
    {
      Update: {
        TableName: tableName(),
        Key: { pk, sk: 'PROFILE' },
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ConditionExpression: seen.join(' AND '),
        ExpressionAttributeValues: values,
        ExpressionAttributeNames: names,
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: diplomaKey(row.diplomaNumber),
        UpdateExpression: 'SET diplomaType = :type, issuedOn = :issued, updatedAt = :now',
        ConditionExpression: 'participantId = :pid AND diplomaType = :seenType AND issuedOn = :seenIssued',
        ExpressionAttributeValues: {
          ':type': row.type, ':issued': row.issuedOn, ':now': now.toISOString(), ':pid': participantId,
          ':seenType': state.diploma.diplomaType, ':seenIssued': state.diploma.issuedOn,
        },
      },
    },
    auditPut(
      pk,
      {
        actor,
        action: 'diploma.updated',
        before: { type: state.diploma.diplomaType, issuedOn: state.diploma.issuedOn },
        after: { diplomaNumber: row.diplomaNumber.toUpperCase(), type: row.type, issuedOn: row.issuedOn },
        // Names only: the values of personal fields stay in the profile (which erasure covers).
        detail: { changed },
      },
      now,
    ),
    ...(after && links ? stateItems(participantId, links, stateOf(after)) : []),
  ];
}

/**
 * The renewal's update of the period being renewed: it must still hold ≥ 12 points (checked in
 * DynamoDB, so a revocation racing the renewal cannot slip by), and it leaves the expiry-notice
 * due index — a renewed period gets no further notices (the new period has its own keys).
 */
export function renewedPeriodItem(participantId: string, startsOn: string, pointsRequired: number): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: { pk: participantPk(participantId), sk: registrationSk(startsOn) },
      UpdateExpression: 'SET noticesEnded = :renewed REMOVE gsi3pk, gsi3sk',
      ConditionExpression: 'points >= :req',
      ExpressionAttributeValues: { ':req': pointsRequired, ':renewed': 'renewed' },
    },
  };
}

/** Participants by surname as typed (with or without its prefix) and, optionally, initials: one Query of the surname index. */
export async function searchByName(lastName: string, initials: string | undefined, max: number): Promise<Participant[]> {
  const out: Participant[] = [];
  // Nothing but a prefix or punctuation (`, de`): no surname to look for.
  if (!surnameKey(lastName)) return out;
  let startKey: Record<string, unknown> | undefined;
  const init = initials ? normaliseName(initials) : '';
  // Bounded: at most 5 pages of 100 candidates for one surname.
  for (let page = 0; page < 5 && out.length < max; page++) {
    const res = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: init ? 'gsi1pk = :pk AND begins_with(gsi1sk, :init)' : 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': nameIndexPk(lastName), ...(init ? { ':init': init } : {}) },
        Limit: 100,
        ExclusiveStartKey: startKey,
      }),
    );
    out.push(...(res.Items ?? []).map(fromProfile));
    startKey = res.LastEvaluatedKey;
    if (!startKey) break;
  }
  return out;
}

/**
 * The profiles with this address on file (case-insensitive): one Query of the e-mail index
 * (gsi2, projects all), at most `max`. The index is eventually consistent and only a lookup: the
 * caller compares the profile's own `email` before trusting a hit.
 */
export async function participantsByEmail(email: string, max: number): Promise<Participant[]> {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :p)',
      ExpressionAttributeValues: { ':pk': emailIndexPk(email), ':p': PARTICIPANT() },
      Limit: max,
    }),
  );
  return (res.Items ?? []).map(fromProfile).filter((p) => p.email?.trim().toLowerCase() === email.trim().toLowerCase());
}
