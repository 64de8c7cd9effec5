import { expect } from 'vitest';
import { Webhook } from 'standardwebhooks';
import * as receiveCompletions from '../../functions/http/receive-completions';
import * as createEvaluation from '../../functions/http/create-evaluation';
import { adminKey, invoke } from '../setup/helpers';
import { lookupApiKey, type ApiKeyRecord } from '../../shared/data/api-keys';
import { getParticipant } from '../../shared/data/participants';
import { linkEmployee } from '../../shared/data/employers';
import { creditEmployees } from '../../shared/services/crediting';
import { submitRequest, decide } from '../../shared/services/recognition';
import { holders, newEmployer, participantIdOf, participantKey, register, rowsOf, today, type Employer } from './employers.fixtures';
import { newProvider, uid, type NewProvider } from './webhook.fixtures';

/*
 * Issue 16 part 3: a small world to rate in — an employer whose collective registration links
 * (and registers, from today) `n` participants, a provider with a public activity in two topics
 * (so two catalogue copies), and each participant credited for it today through the signed webhook.
 */

export interface Rater {
  participantId: string;
  registrationNumber: string;
  apiKey: string;
  creditId: string;
}

export interface RatingWorld {
  employer: Employer;
  provider: NewProvider & { caller: ApiKeyRecord };
  activityId: string;
  title: string;
  people: Rater[];
}

/** A recognized activity of `owner`, decided today (so it is in today's catalogue unless internal). */
export async function recognizedActivity(owner: ApiKeyRecord, opts: { topics?: string[]; internal?: boolean } = {}) {
  const title = `Evaluatie ${uid()}`;
  const req = await submitRequest(owner, {
    title,
    description: 'Omgaan met de inlenersbeloning',
    learningGoals: ['De deelnemer past de inlenersbeloning toe'],
    activityType: 'training',
    nature: 'updating',
    topics: opts.topics ?? ['T02', 'T03'],
    netStudyMinutes: 120,
    completion: { type: 'test', description: 'Toets van 10 vragen' },
    ...(opts.internal ? { internal: true } : {}),
  } as never);
  const admin = (await lookupApiKey(await adminKey()))!;
  const decided = (await decide(admin, req.requestId, { decision: 'approved' }, today)) as { activityId: string };
  return { activityId: decided.activityId, title };
}

/** Credits each participant (by registration number) for the activity today, through the provider's signed webhook; the credit ids in order. */
export async function creditThroughWebhook(provider: NewProvider, activityId: string, registrationNumbers: string[]): Promise<string[]> {
  const body = JSON.stringify({ completions: registrationNumbers.map((r) => ({ externalId: `ev-${uid()}`, activityId, participant: { registrationNumber: r }, completedOn: today })) });
  const id = `msg_${uid()}`;
  const at = new Date();
  const res = await invoke(receiveCompletions, {
    method: 'POST',
    path: `/v1/webhooks/providers/${provider.providerId}/completions`,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(provider.webhookSecret).sign(id, at, body) },
    body,
  });
  expect(res.statusCode).toBe(200);
  for (const r of res.json.results) expect(r.status).toBe('credited');
  return res.json.results.map((r: { creditId: string }) => r.creditId);
}

export async function ratingWorld(n = 10): Promise<RatingWorld> {
  const employer = await newEmployer(`Uitzendbureau ${uid()}`);
  const list = await holders(Math.max(n, 10));
  const registered = await register(employer, { employees: rowsOf(list) });
  expect(registered.statusCode).toBe(201);
  const provider = await newProvider();
  const caller = (await lookupApiKey(provider.apiKey))!;
  const { activityId, title } = await recognizedActivity(caller);
  const people = await Promise.all(
    list.slice(0, n).map(async (h) => {
      const participantId = await participantIdOf(h.diplomaNumber);
      const p = (await getParticipant(participantId))!;
      return { participantId, registrationNumber: p.registrationNumber, apiKey: await participantKey(participantId) };
    }),
  );
  const creditIds = await creditThroughWebhook(provider, activityId, people.map((p) => p.registrationNumber));
  return { employer, provider: { ...provider, caller }, activityId, title, people: people.map((p, i) => ({ ...p, creditId: creditIds[i] })) };
}

/** `POST /v1/credits/{creditId}/evaluation` with a key. */
export function rate(creditId: string, apiKey: string | undefined, body: unknown) {
  return invoke(createEvaluation, { method: 'POST', path: `/v1/credits/${creditId}/evaluation`, apiKey, body });
}

/** Links the participant to one more employer (the link as a collective registration writes it). */
export async function linkTo(employer: Employer, participantId: string) {
  await linkEmployee(employer.employerId, participantId, { role: 'admin', id: 'admin' }, today);
}

/** An internal activity of `employer`, with `rater` (its employee) credited for it today through the employer's own crediting. */
export async function internalCredit(employer: Employer, rater: Rater) {
  const caller = (await lookupApiKey(employer.apiKey))!;
  const { activityId, title } = await recognizedActivity(caller, { internal: true });
  const [result] = await creditEmployees(employer.employerId, { activityId, completedOn: today, participants: [rater.registrationNumber] }, today);
  expect(result.status).toBe('credited');
  return { activityId, title, creditId: (result as { creditId: string }).creditId };
}
