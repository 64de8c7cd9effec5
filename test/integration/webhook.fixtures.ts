import { expect } from 'vitest';
import { Webhook } from 'standardwebhooks';
import * as createProvider from '../../functions/http/create-provider';
import * as receiveCompletions from '../../functions/http/receive-completions';
import { adminKey, invoke } from '../setup/helpers';
import { lookupApiKey, type ApiKeyRecord } from '../../shared/data/api-keys';
import { decide, submitRequest } from '../../shared/services/recognition';
import * as importDiplomas from '../../functions/http/import-diplomas';
import { getDiplomas, getParticipant } from '../../shared/data/participants';
import { addDays } from '../../shared/domain/dates';

let seq = 0;
export const uid = () => `${Date.now().toString(36)}${++seq}`;

export interface NewProvider {
  providerId: string;
  apiKey: string;
  keyId: string;
  webhookSecret: string;
}

/** A provider admitted through the real route (its secret sealed as in production). */
export async function newProvider(): Promise<NewProvider> {
  const res = await invoke(createProvider, { path: '/v1/providers', apiKey: await adminKey(), body: { name: `Opleider ${uid()}`, kvkNumber: '12345678', contactEmail: `o${uid()}@example.nl` } });
  expect(res.statusCode).toBe(201);
  return res.json;
}

/**
 * Whether the webhook accepts a delivery signed with `secret`: an empty batch fails the schema
 * (400) only once the signature has verified; a signature that does not verify is a 401.
 */
export async function verifies(providerId: string, secret: string): Promise<boolean> {
  const body = JSON.stringify({ completions: [] });
  const id = `msg_${uid()}`;
  const at = new Date();
  const res = await invoke(receiveCompletions, {
    method: 'POST',
    path: `/v1/webhooks/providers/${providerId}/completions`,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, body) },
    body,
  });
  expect([400, 401]).toContain(res.statusCode);
  return res.statusCode === 400;
}

/** A completions batch (`body`, JSON) posted to the provider's webhook, signed as the provider's system signs it (under `id`, to send one again). */
export function signedDelivery(provider: Pick<NewProvider, 'providerId' | 'webhookSecret'>, body: string, id = `msg_${uid()}`) {
  const at = new Date();
  return invoke(receiveCompletions, {
    method: 'POST',
    path: `/v1/webhooks/providers/${provider.providerId}/completions`,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(provider.webhookSecret).sign(id, at, body) },
    body,
  });
}

/** `n` diploma holders imported through the real route (issued 300 days before `today`: registered), as their profiles. */
export async function importedParticipants(n: number, today: string) {
  const rows = Array.from({ length: n }, (_, i) => ({
    diplomaNumber: `R${uid()}${i}`.toUpperCase(), type: 'uitzendprofessional', issuedOn: addDays(today, -300),
    holder: { initials: 'R.', lastName: `Lezer${uid()}`, birthDate: '1985-01-01' },
  }));
  const res = await invoke(importDiplomas, { path: '/v1/diplomas', apiKey: await adminKey(), body: { diplomas: rows } });
  expect(res.statusCode).toBeLessThan(300);
  const diplomas = await getDiplomas(rows.map((r) => r.diplomaNumber));
  return Promise.all(rows.map(async (r) => (await getParticipant(diplomas.get(r.diplomaNumber)!.participantId as string))!));
}

/** A training (an employer's own internal one with `internal`) the admin recognised on `decidedOn`, submitted by `owner` through the real recognition service (2 points at 120 minutes). */
export async function recognisedActivity(owner: ApiKeyRecord, decidedOn: string, minutes = 120, internal?: boolean): Promise<{ activityId: string; points: number }> {
  const req = await submitRequest(owner, {
    title: `Arbeidsrecht ${uid()}`,
    description: 'Ketenregeling en ontslag',
    learningGoals: ['De deelnemer kent de ketenregeling'],
    activityType: 'training',
    nature: 'updating',
    topics: ['T02'],
    netStudyMinutes: minutes,
    completion: { type: 'test', description: 'Toets' },
    ...(internal ? { internal } : {}),
  } as never);
  const admin = (await lookupApiKey(await adminKey()))!;
  return (await decide(admin, req.requestId, { decision: 'approved' }, decidedOn)) as { activityId: string; points: number };
}
