import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AGAIN, cancellationCodes, db, optimistic, tableName, transact, type TxItem } from './client';
import { auditPut } from './audit';
import { emailIndexKeys, emailIndexPk, getParticipants, participantPk, participantsByEmail, type Participant } from './participants';
import { linkSetOf, linksUnchanged, stateItems, stateOf } from './employee-state';

/**
 * Undeliverable addresses (issue 16 part 5; keys and rules: README.md in this folder, "Bounces
 * and complaints"):
 *
 * - address mark  `EMAIL#<sha256(address)>` / `UNDELIVERABLE` — the e-mail index's own partition
 *                 key, so the item names nobody: `reason` (`bounce` | `complaint`), `at` (SES's
 *                 timestamp of the event), `feedbackId` (SES's), `detail` (bounce sub-type or
 *                 complaint feedback type), `markedAt`.
 * - profile mark  `emailUndeliverable` `{reason, at, feedbackId, emailKey}` on each profile that
 *                 holds the address (found through gsi2), so the pages that read the profile (the
 *                 dossier, the employer report, the notice job) see it without another read. It
 *                 counts only while `emailKey` is the key of the address on file.
 */
export type UndeliverableReason = 'bounce' | 'complaint';

export interface UndeliverableEvent {
  /** The recipient as SES reports it (never logged, never in a key). */
  address: string;
  reason: UndeliverableReason;
  /** SES's timestamp of the bounce or complaint. */
  at: string;
  feedbackId: string;
  /** Bounce sub-type (`General`, `NoEmail`, `Suppressed`, …) or complaint feedback type (`abuse`, …). */
  detail?: string;
}

export const markKey = (emailKey: string) => ({ pk: emailKey, sk: 'UNDELIVERABLE' });

const SYSTEM = { role: 'system', id: 'ses-events' };

export type MarkOutcome = 'marked' | 'duplicate';

/** Attempts when the index named a profile whose address changed meanwhile. */
const MARK_ATTEMPTS = 3;

/**
 * Marks an address undeliverable, and every profile holding it, with a `participant.email-undeliverable`
 * event each — one transaction, conditioned on the mark not being this feedback already (nor
 * a later one): SNS delivers at least once, and a redelivery writes nothing. A profile is marked
 * only while it still holds the address (`gsi2pk`), as the index is read eventually consistently.
 */
export async function markUndeliverable(e: UndeliverableEvent, now = new Date()): Promise<MarkOutcome> {
  const emailKey = emailIndexPk(e.address);
  const mark = { reason: e.reason, at: e.at, feedbackId: e.feedbackId, emailKey };
  let lost: unknown;
  return optimistic(async () => {
    // Read again consistently: the index's copy may predate a link (the report projection's
    // writers condition on the profile's linksVersion, shared/data/employee-state.ts).
    const found = await participantsByEmail(e.address, 10);
    const fresh = await getParticipants(found.map((p) => p.participantId), true);
    const profiles = found.map((p) => fresh.get(p.participantId) ?? p);
    const items: TxItem[] = [
      {
        Update: {
          TableName: tableName(),
          Key: markKey(emailKey),
          UpdateExpression: 'SET #type = :type, reason = :reason, #at = :at, feedbackId = :fid, markedAt = :now, emailKey = :key' + (e.detail ? ', detail = :detail' : ' REMOVE detail'),
          ConditionExpression: 'attribute_not_exists(pk) OR (feedbackId <> :fid AND #at <= :at)',
          ExpressionAttributeNames: { '#type': 'type', '#at': 'at' },
          ExpressionAttributeValues: {
            ':type': 'email-undeliverable', ':reason': e.reason, ':at': e.at, ':fid': e.feedbackId, ':now': now.toISOString(), ':key': emailKey,
            ...(e.detail ? { ':detail': e.detail } : {}),
          },
        },
      },
      ...profiles.flatMap((p): TxItem[] => [
        {
          Update: {
            TableName: tableName(),
            Key: { pk: participantPk(p.participantId), sk: 'PROFILE' },
            UpdateExpression: 'SET emailUndeliverable = :mark',
            ConditionExpression: `gsi2pk = :key AND ${linksUnchanged(linkSetOf(p).version).expression}`,
            ExpressionAttributeValues: { ':mark': mark, ':key': emailKey, ...linksUnchanged(linkSetOf(p).version).values },
          },
        },
        // Its live links' report rows show the mark (the profile holds the address: the condition above).
        ...stateItems(p.participantId, linkSetOf(p), stateOf({ ...p, emailUndeliverable: { reason: e.reason, at: e.at } })),
        auditPut(participantPk(p.participantId), { actor: SYSTEM, action: 'participant.email-undeliverable', detail: { reason: e.reason, feedbackId: e.feedbackId } }, now),
      ]),
    ];
    try {
      await transact(items);
      return 'marked';
    } catch (err) {
      const codes = cancellationCodes(err);
      if (!codes) throw err;
      // This feedback (or a later one) is recorded already: a redelivery.
      if (codes[0] === 'ConditionalCheckFailed') return 'duplicate';
      // A profile no longer holds the address (or raced another write): read the index again.
      lost = err;
      return AGAIN;
    }
  }, { attempts: MARK_ATTEMPTS, exhausted: () => lost as Error });
}

/** The address's mark, if it has one. */
export async function getAddressMark(address: string): Promise<Record<string, unknown> | undefined> {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: markKey(emailIndexPk(address)), ConsistentRead: true }));
  return res.Item;
}

/**
 * The address change that a confirmation link (shared/services/email-change.ts) makes, for its
 * transaction: the profile's address and index key move to the new address and its bounce mark
 * goes — only while the address on file is still the one the link was asked from (`previous`),
 * so an older link cannot undo a newer change — and the new address's own mark is deleted: the
 * confirmation just proved that mail reaches it.
 */
export function changeAddressItems(participantId: string, previous: string | null, email: string, before: Participant): TxItem[] {
  const keys = emailIndexKeys(participantId, email);
  // The report projection of the live links loses the bounce mark too (shared/data/employee-state.ts).
  const links = linkSetOf(before);
  const guard = linksUnchanged(links.version);
  return [
    {
      Update: {
        TableName: tableName(),
        Key: { pk: participantPk(participantId), sk: 'PROFILE' },
        UpdateExpression: 'SET email = :email, gsi2pk = :g2pk, gsi2sk = :g2sk REMOVE emailUndeliverable',
        // An erasing or erased profile (which has no address once erased) gets none back; a link
        // made since `before` was read cancels it (read again: its row loses the mark too).
        ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(erasure) AND ${previous === null ? 'attribute_not_exists(email)' : 'email = :previous'} AND ${guard.expression}`,
        ExpressionAttributeValues: { ':email': email, ':g2pk': keys.gsi2pk, ':g2sk': keys.gsi2sk, ...(previous === null ? {} : { ':previous': previous }), ...guard.values },
      },
    },
    { Delete: { TableName: tableName(), Key: markKey(keys.gsi2pk) } },
    ...stateItems(participantId, links, stateOf({ ...before, emailUndeliverable: undefined })),
  ];
}

/** The raw bounce mark on a profile (export, erasure): whichever address it was about. */
export async function profileMark(participantId: string): Promise<{ mark?: Record<string, unknown>; email?: string } | undefined> {
  const res = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: participantPk(participantId), sk: 'PROFILE' },
      ProjectionExpression: 'emailUndeliverable, email',
      ConsistentRead: true,
    }),
  );
  if (!res.Item) return undefined;
  return { mark: res.Item.emailUndeliverable as Record<string, unknown> | undefined, email: res.Item.email as string | undefined };
}

/** Erasure: the profile's mark goes, and the address marks it and the address on file point at. */
export async function eraseMarks(participantId: string): Promise<void> {
  const held = await profileMark(participantId);
  if (!held) return;
  const keys = new Set<string>();
  if (typeof held.mark?.emailKey === 'string') keys.add(held.mark.emailKey);
  if (held.email) keys.add(emailIndexPk(held.email));
  for (const key of keys) await db().send(new DeleteCommand({ TableName: tableName(), Key: markKey(key) }));
  if (held.mark) {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: participantPk(participantId), sk: 'PROFILE' },
        UpdateExpression: 'REMOVE emailUndeliverable',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }
}

/** An address's mark by its index key (`EMAIL#<sha256>`), strongly consistent. */
export async function getMarkByKey(emailKey: string): Promise<Record<string, unknown> | undefined> {
  return (await db().send(new GetCommand({ TableName: tableName(), Key: markKey(emailKey), ConsistentRead: true }))).Item;
}
