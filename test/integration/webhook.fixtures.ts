import { expect } from 'vitest';
import { Webhook } from 'standardwebhooks';
import * as createProvider from '../../functions/http/create-provider';
import * as receiveCompletions from '../../functions/http/receive-completions';
import { adminKey, invoke } from '../setup/helpers';

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
