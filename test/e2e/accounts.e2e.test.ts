/**
 * Issue 12.1 over real HTTP against `npm start`: someone who has seen the diploma certificate of a
 * holder without an e-mail on file asks for an activation with their own address. Nothing is
 * mailed to them; the request waits as a claim until the register's staff have checked who asked;
 * only an approval sends the link, which then works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailsTo, sharedStack, waitForMails, type Stack } from './helpers';

let stack: Stack;
const run = Date.now().toString(36).toUpperCase();

async function call(method: string, path: string, opts: { key?: string; body?: unknown } = {}) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

type Claim = { claimId: string; diplomaNumber: string; email: string; name: string; status: string };

/** The pending claims of a diploma, once the background match has queued `count` of them (bounded poll). */
async function claimsOf(diplomaNumber: string, count = 1): Promise<Claim[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await call('GET', '/v1/activation-claims?limit=200', { key: stack.adminKey });
    expect(res.status).toBe(200);
    const mine = (res.json.items as Claim[]).filter((c) => c.diplomaNumber === diplomaNumber);
    if (mine.length >= count) return mine;
    if (Date.now() > deadline) throw new Error(`no activation claim for ${diplomaNumber} after 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  stack = sharedStack();
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

describe('activation of a holder without an e-mail on file, end to end', () => {
  it('request → claim (nothing mailed) → admin approval → e-mail to the claimed address → the link works', async () => {
    const diplomaNumber = `E2E-ACC-${run}`;
    const claimant = `claimant.${run.toLowerCase()}@example.nl`;
    const imported = await call('POST', '/v1/diplomas', {
      key: stack.adminKey,
      body: { diplomas: [{ diplomaNumber, type: 'backofficeprofessional', issuedOn: '2020-09-01', holder: { initials: 'S.', lastName: 'Zonder', birthDate: '1979-11-11' } }] },
    });
    expect(imported.status).toBe(200);

    // The request: the same 202 as for a wrong birth date.
    const asked = await call('POST', '/v1/activations', { body: { diplomaNumber, birthDate: '1979-11-11', email: claimant } });
    const wrong = await call('POST', '/v1/activations', { body: { diplomaNumber, birthDate: '1980-01-01', email: claimant } });
    expect([asked.status, wrong.status]).toEqual([202, 202]);
    expect(asked.text).toBe(wrong.text);

    // It waits as a claim; the claimant has received nothing.
    const [claim] = await claimsOf(diplomaNumber);
    expect(claim).toMatchObject({ email: claimant, name: 'S. Zonder', status: 'pending' });
    expect(await mailsTo(stack, claimant)).toHaveLength(0);
    // Only the staff see it.
    expect((await call('GET', '/v1/activation-claims')).status).toBe(401);

    // The staff check the identity out of band and approve: the link goes to the claimed address.
    const decided = await call('POST', `/v1/activation-claims/${claim.claimId}/decision`, { key: stack.adminKey, body: { decision: 'approved', reason: 'Called the holder' } });
    expect(decided.status).toBe(200);
    expect(decided.json).toMatchObject({ claimId: claim.claimId, status: 'approved', notified: true });
    expect((await call('POST', `/v1/activation-claims/${claim.claimId}/decision`, { key: stack.adminKey, body: { decision: 'rejected' } })).status).toBe(409);
    const [mail] = await waitForMails(stack, claimant);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.body.text!)![1];

    // The link works: a participant key and a period starting today.
    const session = await call('POST', '/v1/sessions', { body: { token } });
    expect(session.status).toBe(201);
    const dossier = await call('GET', `/v1/participants/${session.json.participantId}`, { key: session.json.apiKey });
    expect(dossier.status).toBe(200);
    expect(dossier.json).toMatchObject({ diploma: { diplomaNumber }, current: { status: 'active' } });

    // No longer pending; and the claimed address is now on file, so a later request (anyone's) goes there.
    expect((await call('GET', '/v1/activation-claims?status=approved&limit=200', { key: stack.adminKey })).json.items.map((c: Claim) => c.claimId)).toContain(claim.claimId);
    const other = `other.${run.toLowerCase()}@example.nl`;
    expect((await call('POST', '/v1/activations', { body: { diplomaNumber, birthDate: '1979-11-11', email: other } })).status).toBe(202);
    await waitForMails(stack, claimant, 2);
    expect(await mailsTo(stack, other)).toHaveLength(0);
  });

  it('a rejected claim sends nothing', async () => {
    const diplomaNumber = `E2E-REJ-${run}`;
    const claimant = `rejected.${run.toLowerCase()}@example.nl`;
    await call('POST', '/v1/diplomas', {
      key: stack.adminKey,
      body: { diplomas: [{ diplomaNumber, type: 'uitzendprofessional', issuedOn: '2020-09-01', holder: { initials: 'R.', lastName: 'Afgewezen', birthDate: '1981-01-01' } }] },
    });
    expect((await call('POST', '/v1/activations', { body: { diplomaNumber, birthDate: '1981-01-01', email: claimant } })).status).toBe(202);
    const [claim] = await claimsOf(diplomaNumber);
    const decided = await call('POST', `/v1/activation-claims/${claim.claimId}/decision`, { key: stack.adminKey, body: { decision: 'rejected', reason: 'Not the holder' } });
    expect(decided.json).toMatchObject({ status: 'rejected', reason: 'Not the holder', notified: false });
    expect(await mailsTo(stack, claimant)).toHaveLength(0);
  });
});
