import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, db, tableName, transact, transactOrAgain, type TxItem } from './client';
import { queryAll } from './batch';
import { auditPut, type Actor } from './audit';
import { notErasingItem, participantPk } from './participants';
import { COUNTER, CREDENTIAL, CREDLAPSE, STATUSLIST } from './keys';
import { STATUS_LIST_BITS, bitAt, withBits } from '../domain/credentials';

/**
 * Issue 18's items (keys: README.md in this folder):
 * - the credential of a period, `PARTICIPANT#<id>` / `CREDENTIAL#<startsOn>`: the signed JWS as
 *   first issued (every later download returns the same bytes), its status list and index, and the
 *   revocation once there is one; on the lapse index (gsi3 `CREDLAPSE#` / `<endsOn>#<participantId>`)
 *   until the lapse job has looked at it after its period ended;
 * - a status list, `STATUSLIST#<listId>` / `STATUSLIST`: `next` (indexes handed out), `bits` (the
 *   revocation bitstring, absent = all clear), `version` (the optimistic lock of `bits`), and the
 *   last signed list credential with the version it shows;
 * - the list being filled, `COUNTER#STATUSLIST` / `COUNTER`: `current` (absent = list 1).
 */

export interface StoredCredential {
  participantId: string;
  credentialId: string;
  registrationNumber: string;
  startsOn: string;
  endsOn: string;
  listId: string;
  statusIndex: number;
  jws: string;
  issuedAt: string;
  revokedAt?: string;
  revocationReason?: string;
}

export interface StatusList {
  listId: string;
  next: number;
  bits: Uint8Array;
  version: number;
  signedJws?: string;
  signedVersion?: number;
}

export const credentialKey = (participantId: string, startsOn: string) => ({ pk: participantPk(participantId), sk: CREDENTIAL(startsOn) });
export const statusListKey = (listId: string) => ({ pk: STATUSLIST(listId), sk: 'STATUSLIST' });
const CURRENT_LIST_KEY = { pk: COUNTER('STATUSLIST'), sk: 'COUNTER' };
export const lapseIndexKeys = (participantId: string, endsOn: string) => ({ gsi3pk: CREDLAPSE(), gsi3sk: `${endsOn}#${participantId}` });

function fromItem(item: Record<string, unknown>): StoredCredential {
  return {
    participantId: item.participantId as string,
    credentialId: item.credentialId as string,
    registrationNumber: item.registrationNumber as string,
    startsOn: item.startsOn as string,
    endsOn: item.endsOn as string,
    listId: item.listId as string,
    statusIndex: Number(item.statusIndex),
    jws: item.jws as string,
    issuedAt: item.issuedAt as string,
    ...(item.revokedAt ? { revokedAt: item.revokedAt as string, revocationReason: item.revocationReason as string } : {}),
  };
}

export async function getCredential(participantId: string, startsOn: string, consistent = false): Promise<StoredCredential | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: credentialKey(participantId, startsOn), ConsistentRead: consistent }));
  return res.Item ? fromItem(res.Item) : undefined;
}

export async function listCredentials(participantId: string): Promise<StoredCredential[]> {
  return (await queryAll({ pk: participantPk(participantId), skPrefix: CREDENTIAL(), consistent: true })).map(fromItem);
}

export async function deleteCredential(participantId: string, startsOn: string): Promise<void> {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: credentialKey(participantId, startsOn) }));
}

/** The list being filled (its id) and how many of its indexes are handed out. */
export async function currentList(): Promise<{ listId: string; next: number }> {
  const pointer = await db().send(new GetCommand({ TableName: tableName(), Key: CURRENT_LIST_KEY, ConsistentRead: true }));
  const listId = String(pointer.Item?.current ?? 1);
  const list = await db().send(new GetCommand({ TableName: tableName(), Key: statusListKey(listId), ConsistentRead: true, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'next' } }));
  return { listId, next: Number(list.Item?.next ?? 0) };
}

/** Move on to the next list once this one is full; whoever loses the race reads the winner's. */
export async function advanceList(fullListId: string): Promise<void> {
  const n = Number(fullListId);
  // Lost to another: nothing to do.
  await transactOrAgain([
    {
      Update: {
        TableName: tableName(),
        Key: CURRENT_LIST_KEY,
        UpdateExpression: 'SET #c = :next',
        ConditionExpression: n === 1 ? 'attribute_not_exists(#c) OR #c = :cur' : '#c = :cur',
        ExpressionAttributeNames: { '#c': 'current' },
        ExpressionAttributeValues: { ':next': n + 1, ':cur': n },
      },
    },
  ], undefined);
}

/**
 * Writes a period's first credential and takes its status index in one transaction: the list's
 * `next` moves from the index the credential carries (so no two credentials share an index, and
 * none is lost to a race), and the credential item is created only if the period has none. False:
 * the race was lost (the caller reads what won, or tries again with a fresh index).
 */
export async function putFirstCredential(c: StoredCredential): Promise<boolean> {
  const items: TxItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: statusListKey(c.listId),
        UpdateExpression: 'SET #n = :after, listId = :list',
        ConditionExpression: c.statusIndex === 0 ? 'attribute_not_exists(#n)' : '#n = :index',
        ExpressionAttributeNames: { '#n': 'next' },
        ExpressionAttributeValues: { ':after': c.statusIndex + 1, ':list': c.listId, ...(c.statusIndex === 0 ? {} : { ':index': c.statusIndex }) },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...credentialKey(c.participantId, c.startsOn), type: 'credential', ...c, ...lapseIndexKeys(c.participantId, c.endsOn) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    // No credential (it carries the name) for a profile being erased.
    notErasingItem(c.participantId),
  ];
  return (await transactOrAgain(items, true)) === true;
}

export async function getStatusList(listId: string, consistent = false): Promise<StatusList | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: statusListKey(listId), ConsistentRead: consistent }));
  if (!res.Item) return undefined;
  const raw = res.Item.bits as Uint8Array | undefined;
  return {
    listId,
    next: Number(res.Item.next ?? 0),
    bits: raw && raw.byteLength === STATUS_LIST_BITS / 8 ? new Uint8Array(raw) : new Uint8Array(STATUS_LIST_BITS / 8),
    version: Number(res.Item.version ?? 0),
    ...(res.Item.signedJws ? { signedJws: res.Item.signedJws as string, signedVersion: Number(res.Item.signedVersion) } : {}),
  };
}

export interface Revocation {
  credential: StoredCredential;
  reason: string;
  at: Date;
  /** With an audit event in the participant's partition (the admin's withdrawal). */
  audit?: { actor: Actor; action: string };
}

/**
 * Sets the credential's bit in its list and marks the credential revoked, in one transaction
 * conditioned on the list's `version` as read (bits are read, changed and written whole).
 * 'again': the list changed meanwhile; 'already': the credential was revoked before.
 */
export async function revokeInList(list: StatusList, r: Revocation): Promise<'revoked' | 'already' | 'again'> {
  const c = r.credential;
  const bits = bitAt(list.bits, c.statusIndex) ? list.bits : withBits(list.bits, [c.statusIndex]);
  const items: TxItem[] = [
    {
      Update: {
        TableName: tableName(),
        Key: statusListKey(list.listId),
        UpdateExpression: 'SET bits = :bits, version = :after',
        ConditionExpression: list.version === 0 ? 'attribute_exists(pk) AND attribute_not_exists(version)' : 'version = :v',
        ExpressionAttributeValues: { ':bits': bits, ':after': list.version + 1, ...(list.version === 0 ? {} : { ':v': list.version }) },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: credentialKey(c.participantId, c.startsOn),
        UpdateExpression: 'SET revokedAt = :at, revocationReason = :reason REMOVE gsi3pk, gsi3sk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':at': r.at.toISOString(), ':reason': r.reason },
      },
    },
    ...(r.audit
      ? [auditPut(participantPk(c.participantId), { actor: r.audit.actor, action: r.audit.action, detail: { credentialId: c.credentialId, startsOn: c.startsOn, reason: r.reason } }, r.at)]
      : []),
  ];
  try {
    await transact(items);
    return 'revoked';
  } catch (err) {
    const codes = cancellationCodes(err);
    if (!codes) throw err;
    if (codes[1] === 'ConditionalCheckFailed') return 'already';
    return 'again';
  }
}

/** The lapse index: credentials whose period ended on or before `asOf` and that the job has not looked at. */
export async function credentialsEndedBy(asOf: string): Promise<{ participantId: string; startsOn: string; endsOn: string }[]> {
  const items = await queryAll({ index: 'gsi3', pk: CREDLAPSE(), skBetween: ['0', `${asOf}#\uffff`] });
  return items.map((i) => ({ participantId: i.participantId as string, startsOn: i.startsOn as string, endsOn: i.endsOn as string }));
}

/** Off the lapse index (the period was renewed: its credential just expires). */
export async function leaveLapseIndex(participantId: string, startsOn: string): Promise<void> {
  // Gone meanwhile (erased): nothing to take off.
  await transactOrAgain([
    { Update: { TableName: tableName(), Key: credentialKey(participantId, startsOn), UpdateExpression: 'REMOVE gsi3pk, gsi3sk', ConditionExpression: 'attribute_exists(pk)' } },
  ], undefined);
}

/** Keeps the signed list credential beside the bits it shows, unless they changed meanwhile. */
export async function storeSignedList(listId: string, version: number, jws: string): Promise<void> {
  // The bits moved meanwhile: the next fetch signs them.
  await transactOrAgain([
    {
      Update: {
        TableName: tableName(),
        Key: statusListKey(listId),
        UpdateExpression: 'SET signedJws = :jws, signedVersion = :v',
        ConditionExpression: version === 0 ? 'attribute_exists(pk) AND attribute_not_exists(version)' : 'version = :v',
        ExpressionAttributeValues: { ':jws': jws, ':v': version },
      },
    },
  ], undefined);
}
