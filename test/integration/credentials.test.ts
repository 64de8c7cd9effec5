/**
 * Issue 18: the registration period as an Open Badges 3.0 verifiable credential. An issued
 * credential verifies with an independent verifier (did-jwt + did-resolver, the did:web document
 * served by the real did.json handler — none of the register's signing or verifying code), and a
 * tampered, an expired and a revoked one fail for the right reason, with did-jwt and with the
 * register's own verification. The status list is decoded with node:zlib, not the register's code.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { verifyJWT, decodeJWT } from 'did-jwt';
import { Resolver, type DIDResolutionResult } from 'did-resolver';
import * as getCredential from '../../functions/http/get-participant-credential';
import * as revokeRoute from '../../functions/http/create-credential-revocation';
import * as didRoute from '../../functions/http/get-did-document';
import * as statusRoute from '../../functions/http/get-credential-status-list';
import * as verifyRoute from '../../functions/http/create-credential-verification';
import * as runJobRoute from '../../functions/http/run-job';
import * as erasureRoute from '../../functions/http/create-participant-erasure';
import { adminKey, invoke } from '../setup/helpers';
import { holders, newEmployer, participantIdOf, participantKey, recentIssue, today } from './employers.fixtures';
import { currentCredential, currentCredentialForRegistration, verifyCredential } from '../../shared/services/credentials';
import { getCredential as storedCredential, getStatusList, statusListKey } from '../../shared/data/credentials';
import { STATUS_LIST_IN_USE } from '../../shared/domain/credentials';
import { getParticipant, listRegistrations, participantPk } from '../../shared/data/participants';
import { queryAll } from '../../shared/data/batch';
import { tableName, transact } from '../../shared/data/client';
import { addDays } from '../../shared/domain/dates';

/** A did:web resolver that serves the document from the register's own did.json handler (as an HTTPS GET of it would). */
const resolver = new Resolver({
  web: async (did): Promise<DIDResolutionResult> => {
    const res = await invoke(didRoute, { path: '/.well-known/did.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json.id).toBe(did);
    return { didDocument: res.json, didDocumentMetadata: {}, didResolutionMetadata: { contentType: 'application/did+json' } };
  },
});
// did-jwt types its resolver with the did-resolver it bundles; the top-level one is the same API.
const independently = (jwt: string) => verifyJWT(jwt, { resolver: resolver as unknown as NonNullable<Parameters<typeof verifyJWT>[1]>['resolver'], proofPurpose: 'assertionMethod' });

async function registered(opts: { issuedOn?: string } = {}) {
  const [h] = await holders(1, { issuedOn: opts.issuedOn ?? recentIssue() });
  const participantId = await participantIdOf(h.diplomaNumber);
  return { ...h, participantId, apiKey: await participantKey(participantId), participant: (await getParticipant(participantId))! };
}

const download = (participantId: string, apiKey?: string) => invoke(getCredential, { path: `/v1/participants/${participantId}/credential`, apiKey });
const verify = (credential: unknown) => invoke(verifyRoute, { method: 'POST', path: '/v1/credentials/verifications', body: { credential } });
const revoke = (participantId: string, apiKey: string | undefined, body: unknown = { reason: 'Titel ten onrechte gevoerd' }) =>
  invoke(revokeRoute, { method: 'POST', path: `/v1/participants/${participantId}/credential/revocations`, apiKey, body });

/** The status list the credential points at: verified with did-jwt, its bit read with node:zlib. */
async function statusBit(jws: string): Promise<boolean> {
  const { payload } = decodeJWT(jws);
  const entry = payload.credentialStatus as { statusListCredential: string; statusListIndex: string; type: string; statusPurpose: string };
  expect(entry).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
  const path = new URL(entry.statusListCredential).pathname;
  const res = await invoke(statusRoute, { path });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/vc+jwt');
  expect(res.headers['cache-control']).toMatch(/max-age=\d{1,3}\b/);
  const list = await independently(res.body);
  expect(list.payload.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
  const encoded = (list.payload.credentialSubject as { encodedList: string }).encodedList;
  expect(encoded[0]).toBe('u');
  const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  expect(bits.length * 8).toBeGreaterThanOrEqual(131_072);
  const index = Number(entry.statusListIndex);
  return (bits[Math.floor(index / 8)] & (0x80 >> index % 8)) !== 0;
}

function tamper(jws: string): string {
  const [h, p, s] = jws.split('.');
  const payload = Buffer.from(p, 'base64url').toString('utf8');
  // One character of the payload: the holder's initial.
  const changed = payload.replace('"identityHash":"A.', '"identityHash":"B.');
  expect(changed).not.toBe(payload);
  return `${h}.${Buffer.from(changed, 'utf8').toString('base64url')}.${s}`;
}

describe('the credential of the current period', () => {
  it('verifies with did-jwt against the did:web document, has the OB 3.0 shape, and names no birth date, e-mail or diploma number', async () => {
    const p = await registered();
    const res = await download(p.participantId, p.apiKey);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vc+jwt');
    const jws = res.body;

    const { header } = decodeJWT(jws);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
    expect(header.kid).toMatch(/^did:web:pe-register\.nl#[A-Za-z0-9_-]{43}$/);
    const did = await invoke(didRoute, { path: '/.well-known/did.json' });
    expect(did.json.assertionMethod).toEqual([header.kid]);
    expect(did.json.verificationMethod[0]).toMatchObject({ id: header.kid, type: 'JsonWebKey2020', publicKeyJwk: { kty: 'OKP', crv: 'Ed25519' } });
    expect(did.json.verificationMethod[0].publicKeyJwk.d).toBeUndefined();

    const verified = await independently(jws);
    expect(verified.verified).toBe(true);
    expect(verified.issuer).toBe('did:web:pe-register.nl');
    const vc = verified.payload as Record<string, any>;
    expect(vc['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(vc.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(vc.issuer).toMatchObject({ id: 'did:web:pe-register.nl', type: ['Profile'] });
    expect(vc.validFrom).toMatch(new RegExp(`^${p.issuedOn}T00:00:00\\+0[12]:00$`));
    const [period] = await listRegistrations(p.participantId);
    expect(vc.validUntil).toMatch(new RegExp(`^${addDays(period.endsOn, -1)}T23:59:59\\+0[12]:00$`));
    // The JWT claims mirror the credential (OB 3.0 §8.2), so a plain JWT verifier checks the dates.
    expect(vc.iss).toBe(vc.issuer.id);
    expect(vc.jti).toBe(vc.id);
    expect(vc.sub).toBe(vc.credentialSubject.id);
    expect(vc.nbf).toBe(Date.parse(vc.validFrom) / 1000);
    expect(vc.exp).toBe(Date.parse(vc.validUntil) / 1000);
    expect(vc.credentialSubject.type).toEqual(['AchievementSubject']);
    expect(vc.credentialSubject.identifier).toEqual([
      { type: 'IdentityObject', identityType: 'identifier', hashed: false, identityHash: p.participant.registrationNumber },
      { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: `A. ${p.lastName}` },
    ]);
    expect(vc.credentialSubject.achievement).toMatchObject({ type: ['Achievement'], name: 'Register-Uitzendprofessional', criteria: { narrative: expect.stringMatching(/12 PE-punten.*SEU/) } });
    const text = JSON.stringify(vc);
    for (const personal of [p.birthDate, p.email, p.diplomaNumber, `onfile.${p.email}`]) expect(text).not.toContain(personal);

    // The register's own verification agrees, and names whose it is.
    const mine = await verify(`\n  ${jws}  \n`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json).toEqual({
      valid: true,
      current: true,
      revoked: false,
      subject: { name: `A. ${p.lastName}`, title: 'Register-Uitzendprofessional', registrationNumber: p.participant.registrationNumber },
      validFrom: p.issuedOn,
      validUntil: addDays(period.endsOn, -1),
      reasons: [],
    });
    expect(await statusBit(jws)).toBe(false);

    // Issued once: the download, the service and the public register's entry give the same bytes.
    expect((await download(p.participantId, await adminKey())).body).toBe(jws);
    expect((await currentCredentialForRegistration(p.participant.registrationNumber, today)).jws).toBe(jws);
  });

  it('a tampered credential (one payload character) fails with did-jwt and is a bad-signature', async () => {
    const p = await registered();
    const forged = tamper((await download(p.participantId, p.apiKey)).body);
    await expect(independently(forged)).rejects.toThrow(/invalid_signature/);
    expect((await verify(forged)).json).toEqual({ valid: false, current: false, revoked: false, reasons: ['bad-signature'] });
  });

  it('what is not a credential of this register: malformed, unknown issuer, unknown key — 200 with valid false; a body that is not the schema is a 400', async () => {
    const p = await registered();
    const jws = (await download(p.participantId, p.apiKey)).body;
    const [h, body, s] = jws.split('.');
    expect((await verify('geen credential')).json).toMatchObject({ valid: false, reasons: ['malformed'] });
    expect((await verify(`${h}.${body}`)).json).toMatchObject({ valid: false, reasons: ['malformed'] });
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const other = { ...payload, iss: 'did:web:example.org', issuer: { ...payload.issuer, id: 'did:web:example.org' } };
    expect((await verify(`${h}.${Buffer.from(JSON.stringify(other)).toString('base64url')}.${s}`)).json).toMatchObject({ valid: false, reasons: ['unknown-issuer'] });
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const otherKey = Buffer.from(JSON.stringify({ ...header, kid: 'did:web:pe-register.nl#oude-sleutel' })).toString('base64url');
    expect((await verify(`${otherKey}.${body}.${s}`)).json).toMatchObject({ valid: false, reasons: ['unknown-key'] });
    expect((await verify(42)).statusCode).toBe(400);
    expect((await invoke(verifyRoute, { method: 'POST', path: '/v1/credentials/verifications', body: {} })).statusCode).toBe(400);
  });

  it('an expired one (a past period) fails with did-jwt on its exp and is expired', async () => {
    // Issued 2023-03-01: its automatic period ran to 2025-03-01 and lapsed.
    const p = await registered({ issuedOn: '2023-03-01' });
    expect((await download(p.participantId, p.apiKey)).statusCode).toBe(404);
    const past = await currentCredential(p.participantId, '2024-06-01');
    expect(past).toMatchObject({ registrationNumber: p.participant.registrationNumber, validFrom: '2023-03-01', validUntil: '2025-02-28' });
    await expect(independently(past.jws)).rejects.toThrow(/JWT has expired/);
    const mine = await verifyCredential(past.jws, today);
    expect(mine).toMatchObject({ valid: true, current: false, reasons: ['expired'] });
    // As of a day inside the period it was current.
    expect(await verifyCredential(past.jws, '2024-06-01')).toMatchObject({ valid: true, current: true, reasons: [] });
    expect(await verifyCredential(past.jws, '2023-02-28')).toMatchObject({ current: false, reasons: ['not-yet-valid'] });
  });

  it('without a current period: 404; unknown registration number: NotFound', async () => {
    const p = await registered({ issuedOn: '2021-05-01' });
    expect((await download(p.participantId, p.apiKey)).statusCode).toBe(404);
    await expect(currentCredentialForRegistration('PE-ONBEKEND', today)).rejects.toThrow(/Not registered/);
    await expect(currentCredentialForRegistration(p.participant.registrationNumber, today)).rejects.toThrow(/No current registration period/);
  });

  it('concurrent first downloads: one credential, one status index; two participants at once: two indexes', async () => {
    const a = await registered();
    const b = await registered();
    const results = await Promise.all([...[1, 2, 3, 4].map(() => download(a.participantId, a.apiKey)), download(b.participantId, b.apiKey), download(b.participantId, b.apiKey)]);
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    expect(new Set(results.slice(0, 4).map((r) => r.body)).size).toBe(1);
    expect(results[4].body).toBe(results[5].body);
    const items = await queryAll({ pk: participantPk(a.participantId), skPrefix: 'CREDENTIAL#', consistent: true });
    expect(items).toHaveLength(1);
    const [ca, cb] = await Promise.all([a, b].map(async (x) => storedCredential(x.participantId, x.issuedOn, true)));
    expect(ca!.listId).toBe(cb!.listId);
    expect(ca!.statusIndex).not.toBe(cb!.statusIndex);
    const list = await getStatusList(ca!.listId, true);
    expect(list!.next).toBeGreaterThan(Math.max(ca!.statusIndex, cb!.statusIndex));
  });
});

describe('revocation', () => {
  it('the admin withdraws it: the status list (did-jwt, node:zlib) marks it, verification says revoked, an audit event; again: 200, nothing changes', async () => {
    const p = await registered();
    const jws = (await download(p.participantId, p.apiKey)).body;
    const admin = await adminKey();
    const res = await revoke(p.participantId, admin);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json).toMatchObject({ revoked: true, reason: 'Titel ten onrechte gevoerd', alreadyRevoked: false });
    expect(await statusBit(jws)).toBe(true);
    expect((await verify(jws)).json).toMatchObject({ valid: true, current: false, revoked: true, reasons: ['revoked'] });
    // The signature still holds for did-jwt: revocation is the status list's to tell.
    expect((await independently(jws)).verified).toBe(true);
    const again = await revoke(p.participantId, admin, { reason: 'nogmaals' });
    expect(again.statusCode).toBe(200);
    expect(again.json).toMatchObject({ credentialId: res.json.credentialId, revokedAt: res.json.revokedAt, reason: 'Titel ten onrechte gevoerd', alreadyRevoked: true });
    const events = await queryAll({ pk: participantPk(p.participantId), skPrefix: 'EVENT#', consistent: true });
    expect(events.filter((e) => e.action === 'credential.revoked')).toHaveLength(1);
    // A withdrawn credential is not offered for download again.
    expect((await download(p.participantId, p.apiKey)).statusCode).toBe(404);
  });

  it('404 without a current credential; 400 without a reason', async () => {
    const admin = await adminKey();
    const p = await registered();
    expect((await revoke(p.participantId, admin)).statusCode).toBe(404);
    await download(p.participantId, p.apiKey);
    const bad = await revoke(p.participantId, admin, {});
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['reason']);
  });

  it('a lapsed period shows as revoked after one run of the daily expiry-notices job; a renewed one only expires', async () => {
    const lapsed = await registered({ issuedOn: '2023-04-01' });
    const renewed = await registered({ issuedOn: '2023-05-01' });
    const a = await currentCredential(lapsed.participantId, '2024-01-01');
    const b = await currentCredential(renewed.participantId, '2024-01-01');
    // The second one was renewed: a following period starts on its end (the profile's period summary is what the job reads).
    const [period] = await listRegistrations(renewed.participantId);
    await transact([
      {
        Update: {
          TableName: tableName(),
          Key: { pk: participantPk(renewed.participantId), sk: 'PROFILE' },
          UpdateExpression: 'SET periods = list_append(periods, :p)',
          ExpressionAttributeValues: { ':p': [{ registrationId: 'reg_renewal', startsOn: period.endsOn, endsOn: addDays(period.endsOn, 730) }] },
        },
      },
    ]);
    expect(await statusBit(a.jws)).toBe(false);
    const admin = await adminKey();
    const dry = await invoke(runJobRoute, { method: 'POST', path: '/v1/jobs/expiry-notices/runs', apiKey: admin, body: { dryRun: true } });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json.items).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'credential-lapse', participantId: lapsed.participantId, action: 'revoke' })]));
    expect(dry.json.items).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'credential-lapse', participantId: renewed.participantId, action: 'expire' })]));
    expect(await statusBit(a.jws)).toBe(false);
    const run = await invoke(runJobRoute, { method: 'POST', path: '/v1/jobs/expiry-notices/runs', apiKey: admin, body: {} });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json).toMatchObject({ job: 'expiry-notices', credentials: { deferred: 0 } });
    expect(run.json.credentials.revoked).toBeGreaterThanOrEqual(1);
    expect(await statusBit(a.jws)).toBe(true);
    expect(await statusBit(b.jws)).toBe(false);
    expect(await verifyCredential(a.jws, today)).toMatchObject({ revoked: true, reasons: ['expired', 'revoked'] });
    expect(await verifyCredential(b.jws, today)).toMatchObject({ revoked: false, reasons: ['expired'] });
    // Off the lapse index: the next run has nothing of these.
    const next = await invoke(runJobRoute, { method: 'POST', path: '/v1/jobs/expiry-notices/runs', apiKey: admin, body: {} });
    expect(next.statusCode).toBe(200);
    expect(next.json.credentials).toBeUndefined();
  });

  it('erasure revokes the credential and deletes the stored one (it carries the name)', async () => {
    const p = await registered();
    const jws = (await download(p.participantId, p.apiKey)).body;
    const res = await invoke(erasureRoute, { method: 'POST', path: `/v1/participants/${p.participantId}/erasure`, apiKey: await adminKey(), body: { reason: 'Verzoek van de deelnemer' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json.summary.credentials).toMatchObject({ revoked: 1, deleted: 1 });
    expect(await queryAll({ pk: participantPk(p.participantId), skPrefix: 'CREDENTIAL#', consistent: true })).toEqual([]);
    expect(await statusBit(jws)).toBe(true);
    expect((await verify(jws)).json).toMatchObject({ revoked: true, reasons: ['revoked'] });
    expect((await download(p.participantId, await adminKey())).statusCode).toBe(404);
  });
});

describe('who may', () => {
  it("another participant's id: 404; an employer: 403; no key: 401; the revocation is the admin's alone (403)", async () => {
    const p = await registered();
    const other = await registered();
    expect((await download(p.participantId, other.apiKey)).statusCode).toBe(404);
    const employer = await newEmployer('Flex Kijkt Mee');
    expect((await download(p.participantId, employer.apiKey)).statusCode).toBe(403);
    expect((await download(p.participantId)).statusCode).toBe(401);
    expect((await revoke(p.participantId, p.apiKey)).statusCode).toBe(403);
    expect((await revoke(p.participantId, undefined)).statusCode).toBe(401);
    expect((await invoke(statusRoute, { path: '/v1/credentials/status/999999' })).statusCode).toBe(404);
    expect((await invoke(statusRoute, { path: '/v1/credentials/status/abc' })).statusCode).toBe(404);
  });
});

describe('status lists fill up', () => {
  it(`a list hands out its first ${STATUS_LIST_IN_USE} indexes, then the next list begins at 0; both lists are signed and mark revocations`, async () => {
    const a = await registered();
    const jwsA = (await download(a.participantId, a.apiKey)).body;
    const first = (await storedCredential(a.participantId, a.issuedOn, true))!;
    // The list as if every index it hands out were taken.
    await transact([{ Update: { TableName: tableName(), Key: statusListKey(first.listId), UpdateExpression: 'SET #n = :full', ExpressionAttributeNames: { '#n': 'next' }, ExpressionAttributeValues: { ':full': STATUS_LIST_IN_USE } } }]);
    const b = await registered();
    const res = await download(b.participantId, b.apiKey);
    expect(res.statusCode, res.body).toBe(200);
    expect((await storedCredential(b.participantId, b.issuedOn, true))!).toMatchObject({ listId: String(Number(first.listId) + 1), statusIndex: 0 });
    expect((await independently(res.body)).verified).toBe(true);
    const admin = await adminKey();
    for (const p of [a, b]) expect((await revoke(p.participantId, admin)).statusCode).toBe(200);
    expect(await statusBit(jwsA)).toBe(true);
    expect(await statusBit(res.body)).toBe(true);
  });
});
