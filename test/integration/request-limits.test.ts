/**
 * Issue 12: the brute-force limits of the public identifier routes (per client address and per
 * identifier, counted in DynamoDB; 429 + Retry-After and nothing done past them), HEAD answered
 * like GET without the body, and oversized queries and headers refused as problem+json.
 */
import { describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as importDiplomas from '../../functions/http/import-diplomas';
import * as requestActivation from '../../functions/http/request-activation';
import * as createSession from '../../functions/http/create-session';
import * as getHealth from '../../functions/http/get-health';
import * as getRegisterEntry from '../../functions/http/get-register-entry';
import * as listFees from '../../functions/http/list-fees';
import { adminKey, invoke, sesMessages, waitForMessages, type InvokeResponse } from '../setup/helpers';
import { whenActivationsIdle } from '../../shared/services/activation';
import { db, tableName } from '../../shared/data/client';
import { rateLimitKey } from '../../shared/data/rate-limits';
import { listRegistrations, getDiploma } from '../../shared/data/participants';
import { clientAddress } from '../../shared/http/handler';
import { MAX_HEADER_BYTES, MAX_QUERY_BYTES } from '../../shared/http/limits';
import { DEFAULT_RATE_LIMITS } from '../../shared/config';

const CLIENT = DEFAULT_RATE_LIMITS.client;
const IDENTIFIER = DEFAULT_RATE_LIMITS.identifier;
/**
 * Every request of this file arrives 100 s into the next hour (API Gateway's `timeEpoch`): inside
 * one client window and one identifier window whatever the wall clock, so the counts are exact.
 */
const HOUR = 3_600_000;
const AT = new Date((Math.floor(Date.now() / HOUR) + 1) * HOUR + 100_000);
const AT_SECONDS = AT.getTime() / 1000;
const CLIENT_RETRY = String(CLIENT.windowSeconds - 100);
const IDENTIFIER_RETRY = String(IDENTIFIER.windowSeconds - 100);

const run = Date.now().toString(36).toUpperCase();
let seq = 0;
function diploma() {
  const n = ++seq;
  return {
    diplomaNumber: `RL${run}${n}`,
    type: 'uitzendprofessional' as const,
    issuedOn: '2021-05-01',
    holder: { initials: 'A.', lastName: `Limiet${n}`, birthDate: '1985-06-15', email: `holder.${run}.${n}@example.nl` },
  };
}
type Diploma = ReturnType<typeof diploma>;

async function importAll(rows: Diploma[]) {
  const res = await invoke(importDiplomas, { path: '/v1/diplomas', apiKey: await adminKey(), body: { diplomas: rows } });
  expect(res.statusCode).toBe(200);
}

const activation = (d: Diploma, email = d.holder.email) => ({
  diplomaNumber: d.diplomaNumber,
  birthDate: d.holder.birthDate,
  email,
});

/** The stored count of a counter in the window of AT (undefined: never counted). */
async function storedCount(group: string, kind: string, value: string, windowSeconds: number): Promise<number | undefined> {
  const windowStart = AT_SECONDS - (AT_SECONDS % windowSeconds);
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: rateLimitKey({ group, kind, value }, windowStart), ConsistentRead: true }));
  return res.Item?.count as number | undefined;
}

/** Addresses among `addresses` that received a mail; polls until `expected` have one (bounded). */
async function mailed(addresses: string[], expected: number): Promise<Set<string>> {
  const wanted = new Set(addresses.map((a) => a.toLowerCase()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const got = new Set(
      (await sesMessages()).flatMap((m) => m.destination.to.map((t) => (/<([^>]+)>/.exec(t)?.[1] ?? t).toLowerCase())).filter((t) => wanted.has(t)),
    );
    if (got.size >= expected || Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function expectTooMany(res: InvokeResponse, retryAfter: string) {
  expect(res.statusCode).toBe(429);
  expect(res.headers['content-type']).toBe('application/problem+json');
  expect(res.headers['retry-after']).toBe(retryAfter);
  expect(res.json).toMatchObject({ type: 'https://pe-register.nl/problems/too-many-requests', status: 429, title: 'Too Many Requests' });
}

const statuses = (results: InvokeResponse[]) => results.map((r) => r.statusCode);
const count = (results: InvokeResponse[], status: number) => results.filter((r) => r.statusCode === status).length;

describe('brute-force limit on activations', () => {
  it('100 concurrent requests from one client: the limit get 202, the rest 429 and do nothing; another client still gets through', async () => {
    const rows = Array.from({ length: 101 }, () => diploma());
    await importAll(rows);
    const ip = '203.0.113.10';
    const results = await Promise.all(
      rows.slice(0, 100).map((d) => invoke(requestActivation, { path: '/v1/activations', body: activation(d), sourceIp: ip, now: AT })),
    );
    expect(count(results, 202)).toBe(CLIENT.max);
    expect(count(results, 429)).toBe(100 - CLIENT.max);
    for (const res of results.filter((r) => r.statusCode === 429)) expectTooMany(res, CLIENT_RETRY);

    // Only the accepted ones reached the handler: their e-mails went out, nobody else's…
    const accepted = rows.slice(0, 100).filter((_, i) => results[i].statusCode === 202).map((d) => d.holder.email);
    // (Matched after the answer: wait until the local queue has done all it was given.)
    await whenActivationsIdle();
    const got = await mailed(rows.slice(0, 100).map((d) => d.holder.email), accepted.length);
    expect([...got].sort()).toEqual(accepted.map((a) => a.toLowerCase()).sort());
    // …the client's counter stopped at the limit, and the refused ones never got as far as the identifier counts.
    expect(await storedCount('request-activation', 'client', ip, CLIENT.windowSeconds)).toBe(CLIENT.max);
    const idCounts = await Promise.all(rows.slice(0, 100).map((d) => storedCount('request-activation', 'diplomaNumber', d.diplomaNumber.toLowerCase(), IDENTIFIER.windowSeconds)));
    expect(idCounts.map((c, i) => (c === 1) === (results[i].statusCode === 202))).toEqual(Array(100).fill(true));

    const other = await invoke(requestActivation, { path: '/v1/activations', body: activation(rows[100]), sourceIp: '203.0.113.11', now: AT });
    expect(other.statusCode).toBe(202);
    expect((await mailed([rows[100].holder.email], 1)).size).toBe(1);
  });

  it('counts malformed requests too: a flood of 400s uses up the client\'s requests', async () => {
    const ip = '203.0.113.20';
    const bad = await Promise.all(
      Array.from({ length: CLIENT.max }, () => invoke(requestActivation, { path: '/v1/activations', body: '{not json', headers: { 'content-type': 'application/json' }, sourceIp: ip, now: AT })),
    );
    expect(statuses(bad)).toEqual(Array(CLIENT.max).fill(400));
    const d = diploma();
    await importAll([d]);
    expectTooMany(await invoke(requestActivation, { path: '/v1/activations', body: activation(d), sourceIp: ip, now: AT }), CLIENT_RETRY);
    expect((await mailed([d.holder.email], 0)).size).toBe(0);
  });

  it('100 concurrent requests for one diploma number from 100 clients: the identifier limit get through, one e-mail each', async () => {
    const d = diploma();
    await importAll([d]);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        invoke(requestActivation, { path: '/v1/activations', body: activation(d, `asker${i}.${run}@example.nl`), sourceIp: `198.51.100.${i}`, now: AT }),
      ),
    );
    expect(count(results, 202)).toBe(IDENTIFIER.max);
    expect(count(results, 429)).toBe(100 - IDENTIFIER.max);
    for (const res of results.filter((r) => r.statusCode === 429)) expectTooMany(res, IDENTIFIER_RETRY);
    expect(await storedCount('request-activation', 'diplomaNumber', d.diplomaNumber.toLowerCase(), IDENTIFIER.windowSeconds)).toBe(IDENTIFIER.max);
    // The address on file gets one e-mail per accepted request, and not one more.
    await whenActivationsIdle();
    await mailed([d.holder.email], 1);
    const deadline = Date.now() + 15_000;
    while ((await sesMessages({ to: d.holder.email })).length < IDENTIFIER.max && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await sesMessages({ to: d.holder.email })).toHaveLength(IDENTIFIER.max);
  });

  it('the same e-mail address (in any case) from 100 clients: the identifier limit get through', async () => {
    const email = `target.${run}@example.nl`;
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        invoke(requestActivation, {
          path: '/v1/activations',
          body: { diplomaNumber: `NOPE${run}${i}`, birthDate: '1985-06-15', email: i % 2 ? email.toUpperCase() : email },
          sourceIp: `198.51.100.${100 + i}`,
          now: AT,
        }),
      ),
    );
    expect(count(results, 202)).toBe(IDENTIFIER.max);
    for (const res of results.filter((r) => r.statusCode !== 202)) expectTooMany(res, IDENTIFIER_RETRY);
    expect(await storedCount('request-activation', 'email', email.toLowerCase(), IDENTIFIER.windowSeconds)).toBe(IDENTIFIER.max);
  });

  it('opens again when the window is over', async () => {
    const ip = '203.0.113.30';
    const d = diploma();
    await importAll([d]);
    const flood = await Promise.all(
      Array.from({ length: CLIENT.max + 1 }, (_, i) =>
        invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: `NONE${run}${i}`, birthDate: '1985-06-15', email: `w${i}.${run}@example.nl` }, sourceIp: ip, now: AT }),
      ),
    );
    expect(count(flood, 429)).toBe(1);
    const later = new Date(AT.getTime() + Number(CLIENT_RETRY) * 1000);
    expect((await invoke(requestActivation, { path: '/v1/activations', body: activation(d), sourceIp: ip, now: later })).statusCode).toBe(202);
  });
});

describe('brute-force limit on sessions', () => {
  it('100 concurrent guesses from one client: the limit get an answer (401), the rest 429; another client still gets a session', async () => {
    const ip = '203.0.113.40';
    const guesses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => invoke(createSession, { path: '/v1/sessions', body: { token: `guessed-token-${run}-${i}` }, sourceIp: ip, now: AT })),
    );
    expect(count(guesses, 401)).toBe(CLIENT.max);
    expect(count(guesses, 429)).toBe(100 - CLIENT.max);
    for (const res of guesses.filter((r) => r.statusCode === 429)) expectTooMany(res, CLIENT_RETRY);
    expect(await storedCount('create-session', 'client', ip, CLIENT.windowSeconds)).toBe(CLIENT.max);

    const d = diploma();
    await importAll([d]);
    await invoke(requestActivation, { path: '/v1/activations', body: activation(d), now: AT });
    const [mail] = await waitForMessages({ to: d.holder.email });
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.body.text!)![1];
    // The flooding client is still refused, even with a real token; another client gets its session.
    expectTooMany(await invoke(createSession, { path: '/v1/sessions', body: { token }, sourceIp: ip, now: AT }), CLIENT_RETRY);
    const session = await invoke(createSession, { path: '/v1/sessions', body: { token }, sourceIp: '203.0.113.41', now: AT });
    expect(session.statusCode).toBe(201);
  });

  it('one token from 100 clients at once: the identifier limit are answered (one session), the rest 429', async () => {
    const d = diploma();
    await importAll([d]);
    await invoke(requestActivation, { path: '/v1/activations', body: activation(d), now: AT });
    const [mail] = await waitForMessages({ to: d.holder.email });
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.body.text!)![1];
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => invoke(createSession, { path: '/v1/sessions', body: { token }, sourceIp: `192.0.2.${i}`, now: AT })),
    );
    expect(count(results, 201)).toBe(1);
    expect(count(results, 401)).toBe(IDENTIFIER.max - 1);
    for (const res of results.filter((r) => r.statusCode === 429)) expectTooMany(res, IDENTIFIER_RETRY);
    expect(count(results, 429)).toBe(100 - IDENTIFIER.max);
    const participantId = (await getDiploma(d.diplomaNumber))!.participantId as string;
    expect(await listRegistrations(participantId)).toHaveLength(1);
  });
});

describe('the client address', () => {
  it('is the source address, never X-Forwarded-For; an IPv6 /64 is one client', async () => {
    expect(clientAddress('203.0.113.5')).toBe('203.0.113.5');
    expect(clientAddress('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(clientAddress('2001:db8:a:b:1:2:3:4')).toBe('2001:db8:a:b::/64');
    expect(clientAddress('2001:DB8:a:b::9')).toBe('2001:db8:a:b::/64');
    expect(clientAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddress('::1')).toBe('0:0:0:0::/64');

    // A client that writes another X-Forwarded-For on every request is still one client.
    const ip = '203.0.113.50';
    const results = await Promise.all(
      Array.from({ length: CLIENT.max + 5 }, (_, i) =>
        invoke(createSession, { path: '/v1/sessions', body: { token: `xff-token-${run}-${i}` }, headers: { 'x-forwarded-for': `10.0.0.${i}` }, sourceIp: ip, now: AT }),
      ),
    );
    expect(count(results, 429)).toBe(5);
    // Two addresses of one /64 share the count.
    const v6 = await Promise.all(
      Array.from({ length: CLIENT.max + 5 }, (_, i) =>
        invoke(createSession, { path: '/v1/sessions', body: { token: `v6-token-${run}-${i}` }, sourceIp: `2001:db8:1:2::${(i + 1).toString(16)}`, now: AT }),
      ),
    );
    expect(count(v6, 429)).toBe(5);
  });
});

describe('HEAD', () => {
  it('answers like GET, with its status and headers but no body', async () => {
    const get = await invoke(getHealth, { path: '/health' });
    const head = await invoke(getHealth, { method: 'HEAD', path: '/health' });
    expect(head.event.routeKey).toBe('HEAD /health');
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.body).toBe('');

    const missing = await invoke(getRegisterEntry, { method: 'HEAD', path: '/v1/register/PE-ZZZZZZ' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toBe('application/problem+json');
    expect(missing.body).toBe('');
  });
});

describe('oversized query and headers', () => {
  it(`a query string over ${MAX_QUERY_BYTES} bytes → 414 problem+json`, async () => {
    const ok = await invoke(getHealth, { path: '/health', query: { q: 'x'.repeat(MAX_QUERY_BYTES - 2) } });
    expect(ok.statusCode).toBe(200);
    const res = await invoke(getHealth, { path: '/health', query: { q: 'x'.repeat(MAX_QUERY_BYTES) } });
    expect(res.statusCode).toBe(414);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json).toMatchObject({ type: 'https://pe-register.nl/problems/uri-too-long', status: 414 });
  });

  it(`headers over ${MAX_HEADER_BYTES} bytes in total → 431 problem+json, before authentication and before the rate limit counts`, async () => {
    const big = { 'x-padding': 'p'.repeat(MAX_HEADER_BYTES) };
    const fees = await invoke(listFees, { path: '/v1/fees', query: { month: '2025-01' }, headers: big });
    expect(fees.statusCode).toBe(431);
    expect(fees.headers['content-type']).toBe('application/problem+json');
    expect(fees.json).toMatchObject({ type: 'https://pe-register.nl/problems/header-fields-too-large', status: 431 });

    const cookies = await invoke(getHealth, { path: '/health', headers: { cookie: Array.from({ length: 100 }, (_, i) => `c${i}=${'v'.repeat(90)}`).join('; ') } });
    expect(cookies.statusCode).toBe(431);

    const ip = '203.0.113.60';
    const refused = await invoke(createSession, { path: '/v1/sessions', body: { token: `big-header-${run}` }, headers: big, sourceIp: ip, now: AT });
    expect(refused.statusCode).toBe(431);
    expect(await storedCount('create-session', 'client', ip, CLIENT.windowSeconds)).toBeUndefined();
  });
});
