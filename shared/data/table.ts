/**
 * The one table's definition, shared by the CDK stack and the local stack (which creates it in
 * DynamoDB Local), so the two cannot drift.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item after this (webhook replies, tokens, idempotency records, rate-limit counters). */
  ttlAttribute: 'expiresAt',
} as const;

export interface IndexDefinition {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  /**
   * Attributes copied into the index besides the keys; absent = ALL. An index that projects an
   * attribute is rewritten (and billed) every time that attribute changes.
   */
  include?: string[];
}

/** Overloaded, sparse global secondary indexes: an item is in an index only when it sets its keys. */
export const GLOBAL_INDEXES: IndexDefinition[] = [
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  // The notice index (and the invoice outbox): every running period is in it, so it must not
  // project `points` — else each credit and revocation would rewrite the period's index entry
  // too (+2 WCU per credit). The notice job reads the points of the entries it found instead.
  {
    indexName: 'gsi3',
    partitionKey: 'gsi3pk',
    sortKey: 'gsi3sk',
    include: ['participantId', 'registrationId', 'startsOn', 'endsOn', 'lastNoticeKind', 'invoiceId'],
  },
];

/** The CreateTable input, in the SDK's shape (the CDK stack maps the same fields). */
export function createTableInput(tableName: string) {
  const keyAttrs = [
    TABLE_KEYS.partitionKey,
    TABLE_KEYS.sortKey,
    ...GLOBAL_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: keyAttrs.map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: GLOBAL_INDEXES.map((i) => ({
      IndexName: i.indexName,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: i.include
        ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: i.include }
        : { ProjectionType: 'ALL' as const },
    })),
  };
}
