import { tableName } from './client';
import type { DiplomaType, Participant } from './participants';
import type { TxItem } from './client';
import { EMPLOYEE, EMPLOYER, PARTICIPANT } from './keys';

/**
 * The employer report's projection (issue 17 point 5): each employer link row
 * `EMPLOYER#<e>` / `EMPLOYEE#<p>` carries what the report shows of its employee — registration
 * number, name, diploma type, the period summary and the points per period, the bounce mark — so
 * the report is one Query of the employer's partition instead of a read per employee.
 *
 * It is kept in the same transactions that change that state. To find the rows without a Query,
 * the profile holds the set of live-linked employers (`employerIds`, a string set) and
 * `linksVersion` (absent = 0), which every link moves +1; each period item holds the same
 * `linksVersion` (the link moves them all together, a new period copies the profile's). A writer
 * conditions its own write (the profile's, or the period's for a credit) on the version it read,
 * so a writer that raced a new link is cancelled and runs again with the new set; and the link
 * conditions on the state it copied (the profile's fields, each period's points), so a writer that
 * landed between the link's read and its write cancels the link. Unlinking only takes the employer
 * out of the set: a writer that still updates the ended row does no harm (the report skips it, a
 * re-link writes a fresh snapshot). Keys and the access pattern: README.md here, "The report projection".
 */
export interface EmployeeState {
  registrationNumber: string;
  name: string;
  diplomaType: DiplomaType;
  periods: { startsOn: string; endsOn: string }[];
  emailUndeliverable?: { reason: 'bounce' | 'complaint'; at: string };
}

/** The live links of one participant as its profile holds them. */
export interface LinkSet {
  employerIds: string[];
  version: number;
}

export const NO_LINKS: LinkSet = { employerIds: [], version: 0 };

const rowKey = (employerId: string, participantId: string) => ({ pk: EMPLOYER(employerId), sk: EMPLOYEE(participantId) });

export function linkSetOf(p: Pick<Participant, 'employerIds' | 'linksVersion'>): LinkSet {
  return { employerIds: [...(p.employerIds ?? [])].sort(), version: p.linksVersion ?? 0 };
}

export function displayNameOf(p: Pick<Participant, 'initials' | 'prefix' | 'lastName'>): string {
  return [p.initials, p.prefix, p.lastName].filter(Boolean).join(' ');
}

/** What the report shows of a profile (its derived bounce mark: only the one about the address on file). */
export function stateOf(p: Pick<Participant, 'registrationNumber' | 'initials' | 'prefix' | 'lastName' | 'diplomaType' | 'periods' | 'emailUndeliverable'>): EmployeeState {
  return {
    registrationNumber: p.registrationNumber,
    name: displayNameOf(p),
    diplomaType: p.diplomaType,
    periods: p.periods.map((s) => ({ startsOn: s.startsOn, endsOn: s.endsOn })),
    ...(p.emailUndeliverable ? { emailUndeliverable: { reason: p.emailUndeliverable.reason, at: p.emailUndeliverable.at } } : {}),
  };
}

/**
 * The condition that no employer was linked since the writer read `version` (for the writer's own
 * Update of the profile or of a period). NOTE for the callers' cancellation handling: this is a
 * new reason for that item's condition to fail — re-read and build the transaction again.
 */
export function linksUnchanged(version: number): { expression: string; values: Record<string, unknown> } {
  return version === 0
    ? { expression: 'attribute_not_exists(linksVersion)', values: {} }
    : { expression: 'linksVersion = :linksSeen', values: { ':linksSeen': version } };
}

/** The projection's attributes on a link row (a Put's snapshot; Update sets them through stateItems). */
export function stateAttributes(state: EmployeeState): Record<string, unknown> {
  return {
    registrationNumber: state.registrationNumber,
    name: state.name,
    diplomaType: state.diplomaType,
    periods: state.periods,
    ...(state.emailUndeliverable ? { emailUndeliverable: state.emailUndeliverable } : {}),
  };
}

/**
 * Updates of every live link row of the participant to `state` (the points stay as they are).
 * Unconditioned: the writer's own item carries `linksUnchanged`.
 */
export function stateItems(participantId: string, links: LinkSet, state: EmployeeState): TxItem[] {
  return links.employerIds.map((employerId) => ({
    Update: {
      TableName: tableName(),
      Key: rowKey(employerId, participantId),
      UpdateExpression: `SET registrationNumber = :r, #name = :n, diplomaType = :t, periods = :ps${state.emailUndeliverable ? ', emailUndeliverable = :u' : ' REMOVE emailUndeliverable'}`,
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: {
        ':r': state.registrationNumber,
        ':n': state.name,
        ':t': state.diplomaType,
        ':ps': state.periods,
        ...(state.emailUndeliverable ? { ':u': state.emailUndeliverable } : {}),
      },
    },
  }));
}

/**
 * Moves one period's points on every live link row by `delta` (a credit, a revocation): an
 * increment, so concurrent credits of the same period add up in any order. `points` is a map
 * startsOn → points that the link's snapshot always writes (missing key = 0).
 */
export function pointsItems(participantId: string, links: LinkSet, startsOn: string, delta: number): TxItem[] {
  return links.employerIds.map((employerId) => ({
    Update: {
      TableName: tableName(),
      Key: rowKey(employerId, participantId),
      UpdateExpression: 'SET points.#s = if_not_exists(points.#s, :zero) + :d',
      ExpressionAttributeNames: { '#s': startsOn },
      ExpressionAttributeValues: { ':zero': 0, ':d': delta },
    },
  }));
}

/** A link row's projection as the report reads it (undefined for a row written without one). */
export interface ProjectedEmployee extends EmployeeState {
  participantId: string;
  linkedOn: string;
  learningPlanId?: string;
  /** Points per period, by its `startsOn`. */
  points: Record<string, number>;
}

/** The attributes the report projects from the link rows: nothing else is read. */
export const PROJECTION_ATTRIBUTES = [
  'participantId', 'linkedOn', 'unlinkedAt', 'learningPlanId', 'collectiveRegistrationId', 'employerId', 'linkedAt',
  'registrationNumber', 'name', 'diplomaType', 'periods', 'points', 'emailUndeliverable',
];

export function projectedOf(item: Record<string, unknown>): ProjectedEmployee | undefined {
  if (typeof item.registrationNumber !== 'string' || !item.points) return undefined;
  const points: Record<string, number> = {};
  for (const [k, v] of Object.entries(item.points as Record<string, unknown>)) points[k] = Number(v);
  return {
    participantId: item.participantId as string,
    linkedOn: item.linkedOn as string,
    ...(item.learningPlanId ? { learningPlanId: item.learningPlanId as string } : {}),
    registrationNumber: item.registrationNumber,
    name: item.name as string,
    diplomaType: item.diplomaType as DiplomaType,
    periods: (item.periods as { startsOn: string; endsOn: string }[] | undefined) ?? [],
    points,
    ...(item.emailUndeliverable ? { emailUndeliverable: item.emailUndeliverable as EmployeeState['emailUndeliverable'] } : {}),
  };
}

// ---------------------------------------------------------------- folding a change into the profile's write

/** A change to the profile item, to be folded into whatever write of the profile the transaction already has. */
export interface ProfileChange {
  set?: string[];
  add?: string[];
  del?: string[];
  condition: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

const CLAUSES = ['SET', 'REMOVE', 'ADD', 'DELETE'] as const;

function clausesOf(expression: string | undefined): Record<(typeof CLAUSES)[number], string[]> {
  const out = { SET: [] as string[], REMOVE: [] as string[], ADD: [] as string[], DELETE: [] as string[] };
  if (!expression) return out;
  const parts = expression.split(/\b(SET|REMOVE|ADD|DELETE)\b/);
  for (let i = 1; i < parts.length; i += 2) {
    const body = parts[i + 1].trim();
    if (body) out[parts[i] as (typeof CLAUSES)[number]].push(body);
  }
  return out;
}

/**
 * A transaction may touch an item once: the link's change to the profile joins the profile's
 * Update already in the transaction (a period start, an address supplied), turns its
 * ConditionCheck into an Update with both conditions, or becomes the profile's one write.
 */
export function foldIntoProfile(items: TxItem[], participantId: string, change: ProfileChange): TxItem[] {
  const pk = PARTICIPANT(participantId);
  const isProfile = (key: Record<string, unknown> | undefined) => key?.pk === pk && key?.sk === 'PROFILE';
  const index = items.findIndex((i) => isProfile(i.Update?.Key) || isProfile(i.ConditionCheck?.Key));
  const existing = index === -1 ? undefined : items[index];
  const base = existing?.Update ?? existing?.ConditionCheck;
  const clauses = clausesOf(existing?.Update?.UpdateExpression);
  clauses.SET.push(...(change.set ?? []));
  clauses.ADD.push(...(change.add ?? []));
  clauses.DELETE.push(...(change.del ?? []));
  const expression = CLAUSES.filter((c) => clauses[c].length).map((c) => `${c} ${clauses[c].join(', ')}`).join(' ');
  const names = { ...(base?.ExpressionAttributeNames ?? {}), ...(change.names ?? {}) };
  const values = { ...(base?.ExpressionAttributeValues ?? {}), ...(change.values ?? {}) };
  const merged: TxItem = {
    Update: {
      TableName: tableName(),
      Key: { pk, sk: 'PROFILE' },
      UpdateExpression: expression,
      ConditionExpression: base?.ConditionExpression ? `(${base.ConditionExpression}) AND (${change.condition})` : `attribute_exists(pk) AND (${change.condition})`,
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    },
  };
  if (index === -1) return [...items, merged];
  return items.map((item, i) => (i === index ? merged : item));
}

/**
 * Where the transaction already updates a link row (a period start refreshing the projections)
 * and also checks it (the link that stays as it is), the check's condition joins the update.
 */
export function foldLinkChecks(items: TxItem[]): TxItem[] {
  const keyOf = (k: Record<string, unknown> | undefined) => (k ? `${k.pk as string}|${k.sk as string}` : '');
  const updates = new Map<string, number>();
  items.forEach((item, i) => {
    if (item.Update) updates.set(keyOf(item.Update.Key), i);
  });
  const out = [...items];
  const drop = new Set<number>();
  items.forEach((item, i) => {
    const check = item.ConditionCheck;
    if (!check) return;
    const target = updates.get(keyOf(check.Key));
    if (target === undefined) return;
    const update = out[target].Update!;
    out[target] = {
      Update: {
        ...update,
        ConditionExpression: update.ConditionExpression ? `(${update.ConditionExpression}) AND (${check.ConditionExpression})` : check.ConditionExpression,
        ExpressionAttributeNames: { ...(update.ExpressionAttributeNames ?? {}), ...(check.ExpressionAttributeNames ?? {}) },
        ExpressionAttributeValues: { ...(update.ExpressionAttributeValues ?? {}), ...(check.ExpressionAttributeValues ?? {}) },
      },
    };
    drop.add(i);
  });
  return out.filter((_, i) => !drop.has(i)).map((item) => {
    const u = item.Update;
    if (!u) return item;
    // An empty names/values map is refused by DynamoDB.
    const { ExpressionAttributeNames: n, ExpressionAttributeValues: v, ...rest } = u;
    return { Update: { ...rest, ...(n && Object.keys(n).length ? { ExpressionAttributeNames: n } : {}), ...(v && Object.keys(v).length ? { ExpressionAttributeValues: v } : {}) } };
  });
}
