/**
 * Recognition over HTTP against the real `npm start`: a provider submits, the admin asks for
 * changes, the provider resubmits, the admin approves, and the activity is in the public
 * catalogue; each decision's e-mail is in the SES emulator's store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailsTo, sharedStack, type Stack } from './helpers';


describe('recognition over HTTP (npm start)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = sharedStack();
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
  });

  async function call(method: string, path: string, apiKey?: string, body?: unknown) {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), json: text ? JSON.parse(text) : undefined };
  }

  it('submit → changes requested → resubmit → approve → in the catalogue, with an e-mail per decision', async () => {
    const contactEmail = 'erkenningen@e2e-academie.test';
    const provider = await call('POST', '/v1/providers', stack.adminKey, { name: 'E2E Academie', kvkNumber: '12345678', contactEmail });
    expect(provider.status).toBe(201);
    const key = provider.json.apiKey as string;

    const request = {
      title: 'Waadi in de praktijk',
      description: 'Terbeschikkingstelling en de registratieplicht, met casussen.',
      learningGoals: ['De deelnemer herkent terbeschikkingstelling'],
      activityType: 'webinar',
      nature: 'broadening',
      topics: ['T05'],
      netStudyMinutes: 95,
      completion: { type: 'final-assignment', description: 'Casusuitwerking' },
      sessions: [{ startsOn: '2099-06-01', online: true }],
    };
    const bad = await call('POST', '/v1/recognition-requests', key, { ...request, topics: ['T05', 'T42'], netStudyMinutes: 20 });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toMatch(/^application\/problem\+json/);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['netStudyMinutes', 'topics[1]']);

    const submitted = await call('POST', '/v1/recognition-requests', key, request);
    expect(submitted.status).toBe(201);
    expect(submitted.json.status).toBe('submitted');
    const requestId = submitted.json.requestId as string;

    const queue = await call('GET', '/v1/recognition-requests?status=submitted', stack.adminKey);
    expect(queue.json.items.map((r: { requestId: string }) => r.requestId)).toContain(requestId);

    const changes = await call('POST', `/v1/recognition-requests/${requestId}/decision`, stack.adminKey, {
      decision: 'changes-requested',
      reason: 'Noem de beoordelingscriteria van de casus.',
    });
    expect(changes.status).toBe(200);
    expect(changes.json.status).toBe('changes-requested');

    const resubmitted = await call('PUT', `/v1/recognition-requests/${requestId}`, key, {
      ...request,
      completion: { type: 'final-assignment', description: 'Casusuitwerking, beoordeeld op drie criteria' },
    });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.json.status).toBe('submitted');

    const approved = await call('POST', `/v1/recognition-requests/${requestId}/decision`, stack.adminKey, { decision: 'approved' });
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: 'approved', points: 1.5, activityId: expect.stringMatching(/^act_/) });
    const again = await call('POST', `/v1/recognition-requests/${requestId}/decision`, stack.adminKey, { decision: 'rejected', reason: 'x' });
    expect(again.status).toBe(409);

    const catalogue = await call('GET', '/v1/activities?topic=T05&q=waadi&from=2099-01-01');
    expect(catalogue.status).toBe(200);
    expect(catalogue.json.items).toEqual([
      expect.objectContaining({ activityId: approved.json.activityId, title: 'Waadi in de praktijk', providerName: 'E2E Academie', points: 1.5, topics: ['T05'] }),
    ]);
    const one = await call('GET', `/v1/activities/${approved.json.activityId}`);
    expect(one.json).toMatchObject({ recognized: true, completion: { description: 'Casusuitwerking, beoordeeld op drie criteria' } });

    const history = await call('GET', `/v1/recognition-requests/${requestId}`, key);
    expect(history.json.history.map((h: { transition: string }) => h.transition)).toEqual(['submitted', 'changes-requested', 'resubmitted', 'approved']);

    const mails = await mailsTo(stack, contactEmail);
    expect(mails.map((m) => m.subject)).toEqual(['Aanpassing gevraagd: Waadi in de praktijk', 'Erkenning toegekend: Waadi in de praktijk']);
    expect(mails[0].body.text).toContain('Noem de beoordelingscriteria van de casus.');
    expect(mails[1].body.text).toContain(approved.json.activityId);
  });
});
