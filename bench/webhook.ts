/**
 * Webhook benchmark: credits/second and p50/p99 per 500-item batch at 1, 4 and 16 concurrent
 * senders, over real HTTP against the local stack; consumed WCU/RCU per credited completion
 * (measured in-process with ReturnConsumedCapacity); baseline = the same transactions written
 * straight to DynamoDB Local with the same concurrency.
 */
import { NO_LINKS } from '../shared/data/employee-state';
import { Webhook } from 'standardwebhooks';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { capacityTotals, db, enableCapacityMeter, resetCapacity } from '../shared/data/client';
import { lookupApiKey, createApiKey } from '../shared/data/api-keys';
import { importDiplomas } from '../shared/services/diplomas';
import { submitRequest, decide } from '../shared/services/recognition';
import { creditCompletions } from '../shared/services/crediting';
import { creditIdFor, creditItems, type Credit } from '../shared/data/credits';
import { addDays } from '../shared/domain/dates';
import { todayInAmsterdam } from '../shared/dates';
import { median, percentile, round } from './lib';

const BATCH = 500;

interface Fixture {
  providerId: string;
  secret: string;
  activities: { activityId: string; points: number }[];
  registrationNumbers: string[];
}

async function fixture(baseUrl: string, participants: number, activities: number): Promise<Fixture> {
  const today = todayInAmsterdam();
  const adminKey = (await createApiKey('admin', 'admin')).apiKey;
  const admin = (await lookupApiKey(adminKey))!;
  // Admitted through the stack, which seals the webhook secret with its own key (PE_DATA_DIR/keys
  // of the stack, not of this process) and answers it once.
  const res = await fetch(`${baseUrl}/v1/providers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({ name: 'Bench Opleider', kvkNumber: '12345678', contactEmail: 'bench@example.nl' }),
  });
  if (res.status !== 201) throw new Error(`POST /v1/providers answered ${res.status}`);
  const p = (await res.json()) as { providerId: string; apiKey: string; webhookSecret: string };
  const owner = (await lookupApiKey(p.apiKey))!;
  const acts = [];
  for (let i = 0; i < activities; i++) {
    const req = await submitRequest(owner, {
      title: `Bench activiteit ${i}`, description: 'Benchmark', learningGoals: ['Meten'], activityType: 'e-learning', nature: 'updating',
      topics: ['T01'], netStudyMinutes: 60, completion: { type: 'test', description: 'Toets' },
    } as never);
    acts.push((await decide(admin, req.requestId, { decision: 'approved' }, addDays(today, -30))) as { activityId: string; points: number });
  }
  const rows = Array.from({ length: participants }, (_, i) => ({
    diplomaNumber: `BENCH${Date.now().toString(36).toUpperCase()}${i}`,
    type: 'uitzendprofessional' as const,
    issuedOn: addDays(today, -60),
    holder: { initials: 'B.', lastName: `Bench${i}`, birthDate: '1990-01-01' },
  }));
  for (let i = 0; i < rows.length; i += 1000) await importDiplomas(rows.slice(i, i + 1000), { role: 'admin', id: 'admin' }, today);
  const { getDiplomas, getParticipant } = await import('../shared/data/participants');
  const diplomas = await getDiplomas(rows.map((r) => r.diplomaNumber));
  const regNos = await Promise.all(rows.map(async (r) => (await getParticipant(diplomas.get(r.diplomaNumber)!.participantId as string))!.registrationNumber));
  return { providerId: p.providerId, secret: p.webhookSecret, activities: acts, registrationNumbers: regNos };
}

/** Completions for distinct (participant, activity) pairs, never repeating across the run. */
function* pairs(f: Fixture, tag: string) {
  let n = 0;
  for (const a of f.activities) for (const r of f.registrationNumbers) yield { externalId: `${tag}-${n++}`, activityId: a.activityId, participant: { registrationNumber: r }, completedOn: addDays(todayInAmsterdam(), -1) };
}

async function postBatch(baseUrl: string, f: Fixture, completions: unknown[]) {
  const body = JSON.stringify({ completions });
  const id = `msg_${Math.random().toString(36).slice(2)}`;
  const at = new Date();
  const started = performance.now();
  const res = await fetch(`${baseUrl}/v1/webhooks/providers/${f.providerId}/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(f.secret).sign(id, at, body) },
    body,
  });
  const json = (await res.json()) as { results: { status: string }[] };
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(json)}`);
  return { ms: performance.now() - started, credited: json.results.filter((r) => r.status === 'credited').length };
}

export async function benchWebhook(baseUrl: string, sampleRss: () => void) {
  const senders = [1, 4, 16];
  const batchesPerSender = (s: number) => (s === 1 ? 2 : 1);
  const needed = senders.reduce((n, s) => n + s * batchesPerSender(s) * BATCH, 0) + BATCH + 2 * BATCH;
  const participantsN = 400;
  const activitiesN = Math.ceil(needed / participantsN) + 1;
  const f = await fixture(baseUrl, participantsN, activitiesN);
  const gen = pairs(f, `b${Date.now()}`);
  const take = (n: number): Item[] => Array.from({ length: n }, () => gen.next().value!);

  const http: Record<string, unknown>[] = [];
  for (const s of senders) {
    const batches = Array.from({ length: s * batchesPerSender(s) }, () => take(BATCH));
    const latencies: number[] = [];
    let credited = 0;
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: s }, async () => {
        while (next < batches.length) {
          const b = batches[next++];
          const r = await postBatch(baseUrl, f, b);
          latencies.push(r.ms);
          credited += r.credited;
          sampleRss();
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    http.push({ senders: s, batches: batches.length, credited, creditsPerSecond: round(credited / seconds, 1), p50Ms: round(median(latencies), 0), p99Ms: round(percentile(latencies, 99), 0) });
  }

  // Consumed capacity per credited completion: the same service, in this process, metered.
  enableCapacityMeter();
  resetCapacity();
  const metered = await creditCompletions({ id: f.providerId, role: 'provider' }, take(BATCH), todayInAmsterdam());
  const c = capacityTotals();
  const creditedN = metered.filter((r) => r.status === 'credited').length;
  const capacity = { credited: creditedN, wcuPerCredit: round(c.write / creditedN, 2), rcuPerCredit: round(c.read / creditedN, 2), dynamoCallsPerCredit: round(c.calls / creditedN, 2) };

  // Baseline: the identical crediting transactions, issued straight to DynamoDB Local, 16 at a time.
  const baseItems = take(2 * BATCH);
  const resolved = await resolveForBaseline(f, baseItems);
  resetCapacity();
  const tb = performance.now();
  let i = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (i < resolved.length) {
        const credit = resolved[i++];
        await db().send(new TransactWriteCommand({ TransactItems: creditItems(credit, { role: 'provider', id: f.providerId }, new Date(), NO_LINKS) }));
      }
    }),
  );
  const baseSeconds = (performance.now() - tb) / 1000;
  const baseline = { transactions: resolved.length, concurrency: 16, perSecond: round(resolved.length / baseSeconds, 1), wcuPerTransaction: round(capacityTotals().write / resolved.length, 2) };
  return { http, capacity, baseline, fixture: { participants: participantsN, activities: activitiesN } };
}

type Item = { externalId: string; activityId: string; participant: { registrationNumber: string }; completedOn: string };

async function resolveForBaseline(f: Fixture, items: Item[]): Promise<Credit[]> {
  const { participantIdByRegistrationNumber, listRegistrations } = await import('../shared/data/participants');
  const ids = new Map<string, string>();
  const starts = new Map<string, string>();
  for (const r of new Set(items.map((x) => x.participant.registrationNumber))) {
    const pid = (await participantIdByRegistrationNumber(r))!;
    ids.set(r, pid);
    starts.set(pid, (await listRegistrations(pid))[0].startsOn);
  }
  const points = new Map(f.activities.map((a) => [a.activityId, a.points]));
  return items.map((x) => {
    const pid = ids.get(x.participant.registrationNumber)!;
    return {
      creditId: creditIdFor(f.providerId, x.externalId), participantId: pid, registrationStartsOn: starts.get(pid)!, activityId: x.activityId,
      activityTitle: 'Bench', points: points.get(x.activityId)!, completedOn: x.completedOn, senderId: f.providerId, senderRole: 'provider',
      externalId: x.externalId, createdAt: new Date().toISOString(),
    };
  });
}

