/**
 * The participant's and the provider's journey over real HTTP against `npm start`:
 * import → activation e-mail (read from the SES emulator) → token → dossier → public register,
 * then recognition → signed completion webhook → points in the dossier → revocation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { sharedStack, waitForMails, type Stack } from './helpers';
import { addDays } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';

let stack: Stack;

async function call(method: string, path: string, opts: { key?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined || opts.raw ? { 'content-type': 'application/json' } : {}),
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...opts.headers,
    },
    body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** A day counted from today as the register counts it (Europe/Amsterdam): a UTC date is yesterday there between midnight and 01:00/02:00. */
function isoDaysAgo(days: number) {
  return addDays(todayInAmsterdam(), -days);
}

beforeAll(async () => {
  stack = sharedStack();
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

describe('a participant and a provider, end to end', () => {
  it('import → activation → dossier → register → recognition → webhook credit → revocation', async () => {
    const admin = stack.adminKey;
    const email = `journey.${Date.now()}@example.nl`;

    // The admin imports a pre-2023 diploma: no registration until its holder activates.
    const imported = await call('POST', '/v1/diplomas', {
      key: admin,
      body: { diplomas: [{ diplomaNumber: 'E2E-0001', type: 'uitzendprofessional', issuedOn: '2021-06-01', holder: { initials: 'M.', prefix: 'van', lastName: 'Dijk', birthDate: '1988-03-03', email } }] },
    });
    expect(imported).toMatchObject({ status: 200, json: { created: 1, updated: 0, registrationsCreated: 0 } });

    // Activation: 202, and (matched after the answer) the e-mail lands in the SES emulator with the token.
    expect((await call('POST', '/v1/activations', { body: { diplomaNumber: 'E2E-0001', birthDate: '1988-03-03', email } })).status).toBe(202);
    const [mail] = await waitForMails(stack, email);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.body.text!)![1];

    const session = await call('POST', '/v1/sessions', { body: { token } });
    expect(session.status).toBe(201);
    const { participantId, apiKey } = session.json;
    expect((await call('POST', '/v1/sessions', { body: { token } })).status).toBe(401);

    const dossier = await call('GET', `/v1/participants/${participantId}`, { key: apiKey });
    expect(dossier.status).toBe(200);
    expect(dossier.json).toMatchObject({ title: 'Register-Uitzendprofessional', current: { status: 'active', pointsEarned: 0, pointsMissing: 12 } });
    const registrationNumber = dossier.json.registrationNumber;

    const entry = await call('GET', `/v1/register/${registrationNumber}`);
    expect(entry.json).toEqual({ registrationNumber, name: 'M. van Dijk', title: 'Register-Uitzendprofessional', status: 'active', validUntil: dossier.json.current.validUntil });
    expect(dossier.json.current.validUntil < dossier.json.current.endsOn).toBe(true);
    const search = await call('GET', '/v1/register?lastName=DIJK&initials=m');
    expect(search.json.items.map((i: { registrationNumber: string }) => i.registrationNumber)).toContain(registrationNumber);

    // A provider gets an activity recognized.
    const provider = await call('POST', '/v1/providers', { key: admin, body: { name: 'E2E Academy', kvkNumber: '55554444', contactEmail: 'academy@example.nl' } });
    const submitted = await call('POST', '/v1/recognition-requests', {
      key: provider.json.apiKey,
      body: {
        title: 'Waadi in de praktijk', description: 'Registratieplicht en terbeschikkingstelling', learningGoals: ['Kent de Waadi'],
        activityType: 'webinar', nature: 'updating', topics: ['T05'], netStudyMinutes: 150, completion: { type: 'test', description: 'Eindtoets' },
      },
    });
    expect(submitted.status).toBe(201);
    const decided = await call('POST', `/v1/recognition-requests/${submitted.json.requestId}/decision`, { key: admin, body: { decision: 'approved' } });
    expect(decided.status).toBe(200);
    const { activityId, points } = decided.json;
    expect(points).toBe(2.5);

    // The provider's learning system posts a signed completion.
    const body = JSON.stringify({ completions: [{ externalId: 'lms-42', activityId, participant: { registrationNumber }, completedOn: isoDaysAgo(0) }] });
    const at = new Date();
    const sign = (id: string) => ({ 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(provider.json.webhookSecret).sign(id, at, body) });
    const credited = await call('POST', `/v1/webhooks/providers/${provider.json.providerId}/completions`, { raw: body, headers: sign('msg_1') });
    expect(credited.status).toBe(200);
    expect(credited.json.results[0]).toMatchObject({ externalId: 'lms-42', status: 'credited', points: 2.5 });
    const replay = await call('POST', `/v1/webhooks/providers/${provider.json.providerId}/completions`, { raw: body, headers: sign('msg_1') });
    expect(replay.json).toEqual(credited.json);
    const forged = await call('POST', `/v1/webhooks/providers/${provider.json.providerId}/completions`, { raw: body, headers: { ...sign('msg_2'), 'webhook-signature': 'v1,Zm9yZ2Vk' } });
    expect(forged.status).toBe(401);

    const after = await call('GET', `/v1/participants/${participantId}`, { key: apiKey });
    expect(after.json.current.pointsEarned).toBe(2.5);
    expect(after.json.credits).toEqual([expect.objectContaining({ activityId, activityTitle: 'Waadi in de praktijk', points: 2.5, status: 'credited' })]);

    const revoked = await call('POST', `/v1/credits/${credited.json.results[0].creditId}/revocations`, { key: provider.json.apiKey, body: { reason: 'Niet aanwezig geweest' } });
    expect(revoked.status).toBe(200);
    const final = await call('GET', `/v1/participants/${participantId}`, { key: apiKey });
    expect(final.json.current.pointsEarned).toBe(0);
    expect(final.json.credits[0].status).toBe('revoked');

    const events = await call('GET', `/v1/participants/${participantId}/events?limit=200`, { key: admin });
    expect(events.json.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['diploma.imported', 'registration.new', 'session.created', 'credit.credited', 'credit.revoked']),
    );
  }, 60_000);
});
