import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { auditPut, type Actor } from './audit';
import { queryAll } from './batch';
import { TOPIC } from './keys';

/**
 * Topics (eind- en toetstermen) as data: pk `TOPICS`, sk `TOPIC#<code>`. The default list (codes
 * fixed) is seeded idempotently on first use by a write path; the admin adds, renames and retires
 * topics later without a deploy. Topics are never deleted: a retired topic stays readable
 * (activities keep it) but new requests may not use it. Audit events of topic changes live in
 * the same partition (sk `EVENT#…`).
 */
export interface Topic {
  code: string;
  name: string;
  retired: boolean;
  retiredAt?: string;
}

export const TOPICS_PK = 'TOPICS';
const SEED_MARKER = { pk: TOPICS_PK, sk: 'SEEDED' };
const topicKey = (code: string) => ({ pk: TOPICS_PK, sk: TOPIC(code) });

/** SPEC.md "Topics": the default list. The codes are fixed; the names are the admin's to change. */
export const DEFAULT_TOPICS: ReadonlyArray<{ code: string; name: string }> = [
  { code: 'T01', name: 'Uitzendbranche en arbeidsmarkt' },
  { code: 'T02', name: 'Arbeidsrecht en de uitzendovereenkomst' },
  { code: 'T03', name: 'Cao voor uitzendkrachten' },
  { code: 'T04', name: 'Inlenersbeloning en gelijke behandeling' },
  { code: 'T05', name: 'Waadi: terbeschikkingstelling, arbeidsbemiddeling, registratieplicht' },
  { code: 'T06', name: 'Payrolling' },
  { code: 'T07', name: 'Sociale zekerheid (ZW, WW, WIA) en verzuim' },
  { code: 'T08', name: 'Loonheffingen, loonadministratie en ketenaansprakelijkheid' },
  { code: 'T09', name: 'Arbeidsmigratie (Wav, tewerkstellingsvergunning, huisvesting)' },
  { code: 'T10', name: 'Arbeidsomstandigheden en veiligheid' },
  { code: 'T11', name: 'Privacy (AVG) in werving en selectie' },
  { code: 'T12', name: 'Discriminatie en gelijke kansen in werving en selectie' },
  { code: 'T13', name: 'Werving, selectie, matching en begeleiding van flexkrachten en inleners' },
];

function fromItem(item: Record<string, unknown>): Topic {
  return {
    code: item.code as string,
    name: item.name as string,
    retired: Boolean(item.retiredAt),
    ...(item.retiredAt ? { retiredAt: item.retiredAt as string } : {}),
  };
}

// Per table (tests switch tables within one process): once seen seeded, no further GetItem.
const seededTables = new Set<string>();

function isConditionFailure(err: unknown): boolean {
  return (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/**
 * Seeds the default topics once: one conditional put per topic (a topic the admin already wrote
 * is left alone), then the marker. Concurrent first uses are harmless: the puts are
 * `attribute_not_exists`, so whoever comes second changes nothing.
 */
export async function ensureTopicsSeeded(): Promise<void> {
  const table = tableName();
  if (seededTables.has(table)) return;
  const marker = await db().send(new GetCommand({ TableName: table, Key: SEED_MARKER, ProjectionExpression: 'pk' }));
  if (!marker.Item) {
    const now = new Date().toISOString();
    await Promise.all(
      DEFAULT_TOPICS.map(async (t) => {
        try {
          await db().send(
            new PutCommand({
              TableName: table,
              Item: { ...topicKey(t.code), type: 'topic', code: t.code, name: t.name, createdAt: now, seeded: true },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        } catch (err) {
          if (!isConditionFailure(err)) throw err;
        }
      }),
    );
    await db().send(new PutCommand({ TableName: table, Item: { ...SEED_MARKER, type: 'seed', seededAt: now } }));
  }
  seededTables.add(table);
}

async function storedTopics(): Promise<Topic[]> {
  return (await queryAll({ pk: TOPICS_PK, skPrefix: TOPIC() })).map(fromItem);
}

/**
 * All topics, retired ones included, by code. Read-only (the public list needs no write grant):
 * before the first seeding the defaults are filled in from code, which is exactly what seeding
 * would store.
 */
export async function listTopics(): Promise<Topic[]> {
  const byCode = new Map<string, Topic>(DEFAULT_TOPICS.map((t) => [t.code, { ...t, retired: false }]));
  for (const t of await storedTopics()) byCode.set(t.code, t);
  return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * Adds a topic or renames / retires / reinstates one, with its audit event, in one transaction.
 * Returns the topic as stored and whether it was new.
 */
export async function putTopic(code: string, input: { name: string; retired?: boolean }, actor: Actor): Promise<{ topic: Topic; created: boolean }> {
  await ensureTopicsSeeded();
  const before = (await db().send(new GetCommand({ TableName: tableName(), Key: topicKey(code) }))).Item;
  const now = new Date().toISOString();
  const wasRetired = Boolean(before?.retiredAt);
  const retire = input.retired ?? wasRetired;
  const retiredAt = retire ? ((before?.retiredAt as string | undefined) ?? now) : undefined;
  const item = {
    ...topicKey(code),
    type: 'topic',
    code,
    name: input.name,
    createdAt: (before?.createdAt as string | undefined) ?? now,
    updatedAt: now,
    ...(retiredAt ? { retiredAt } : {}),
  };
  const action = !before ? 'topic.added' : retire && !wasRetired ? 'topic.retired' : !retire && wasRetired ? 'topic.reinstated' : 'topic.updated';
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: item,
            // Last writer wins on the name, but a concurrent create is not silently merged into.
            ...(before ? { ConditionExpression: 'attribute_exists(pk)' } : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
        auditPut(TOPICS_PK, { actor, action, before: before ? fromItem(before) : undefined, after: fromItem(item) }),
      ],
    }),
  );
  return { topic: fromItem(item), created: !before };
}
