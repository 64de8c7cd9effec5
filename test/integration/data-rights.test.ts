/**
 * Issue 16 part 6: people's data (AVG/GDPR). The export (`GET /v1/participants/{id}/export`)
 * gives everything held; the erasure (`POST /v1/participants/{id}/erasure`) pseudonymises it
 * everywhere but in the invoices, which stay byte for byte; the retention job does the same for
 * participants lapsed more than 6 years. What remains is read item by item, through every key
 * that finds the participant's items.
 */
import { linkSetOf } from '../../shared/data/employee-state';
import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as exportRoute from '../../functions/http/get-participant-export';
import * as erasureRoute from '../../functions/http/create-participant-erasure';
import * as getRegisterEntry from '../../functions/http/get-register-entry';
import * as searchRegister from '../../functions/http/search-register';
import * as updateParticipant from '../../functions/http/update-participant';
import * as putTariff from '../../functions/http/put-tariff';
import * as runJobRoute from '../../functions/http/run-job';
import * as createSession from '../../functions/http/create-session';
import { adminKey, invoke } from '../setup/helpers';
import { holders, newEmployer, participantIdOf, participantKey, register, rowsOf, today } from './employers.fixtures';
import { makeParticipant, startPaid } from './invoicing.fixtures';
import { queryAll } from '../../shared/data/batch';
import { creditIdFor, creditItems, revocationItems, type Credit } from '../../shared/data/credits';
import { emailIndexPk, getParticipant, participantPk } from '../../shared/data/participants';
import { transact } from '../../shared/data/client';
import { createActivationToken } from '../../shared/data/tokens';
import { createActivationClaim } from '../../shared/data/activation-claims';
import { createSignInLink } from '../../shared/data/sign-in-links';
import { createWebSession, getWebSession } from '../../shared/data/web-sessions';
import { getItem } from '../../shared/data/personal-data';
import { addDays, addYears } from '../../shared/domain/dates';
import { invoiceParticipantFee } from '../../shared/services/invoicing/individual';
import { matchActivation } from '../../shared/services/activation';
import { personalDataHolders } from '../../shared/services/personal-data';
import { eraseParticipant } from '../../shared/services/personal-data/rights';
import { subjectsOf } from '../../shared/services/sign-in';

let admin: string;
const ADDRESS = { name: 'Vermeulen Advies', street: 'Oudegracht 231', postalCode: '3511 NK', city: 'Utrecht', country: 'NL' };

beforeAll(async () => {
  admin = await adminKey();
  const res = await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: admin, body: { amountCents: 4995, vatRatePercent: 21, validFrom: '2000-01-01' } });
  expect(res.statusCode).toBe(200);
});

const exportOf = (participantId: string, apiKey?: string) => invoke(exportRoute, { path: `/v1/participants/${participantId}/export`, apiKey });
const erase = (participantId: string, apiKey: string | undefined, body: unknown = { reason: 'Verzoek van de deelnemer (art. 17 AVG)' }) =>
  invoke(erasureRoute, { method: 'POST', path: `/v1/participants/${participantId}/erasure`, apiKey, body });

interface Person {
  participantId: string;
  registrationNumber: string;
  lastName: string;
  fullName: string;
  birthDate: string;
  email: string;
  diplomaNumber: string;
  claimedEmail: string;
  apiKey: string;
  sessionId: string;
  token: string;
  invoiceId: string;
  employerId: string;
}

/**
 * A participant with something in every holder: an old paid period with its own invoice (to an
 * invoice address), a current period by a collective registration (link, enrolment with the
 * upload's address), a credit revoked with a reason naming them, an activation token, a pending
 * activation claim, a sign-in link, a web session and an API key.
 */
async function richParticipant(): Promise<Person> {
  const [h, ...others] = await holders(10);
  const participantId = await participantIdOf(h.diplomaNumber);
  const apiKey = await participantKey(participantId);
  expect((await invoke(updateParticipant, { method: 'PATCH', path: `/v1/participants/${participantId}`, apiKey, body: { invoiceAddress: ADDRESS } })).statusCode).toBe(200);
  const fee = await startPaid(participantId, { type: 'participant', id: participantId }, addYears(today, -3), new Date(), 'new');
  const invoiced = await invoiceParticipantFee(fee.registrationId);
  expect(invoiced.outcome).not.toBe('not-billable');
  const employer = await newEmployer('Flex Privacy BV');
  expect((await register(employer, { employees: rowsOf([h, ...others]) })).statusCode).toBe(201);
  const p = (await getParticipant(participantId, true))!;
  const current = p.periods.at(-1)!;

  const credit: Credit = {
    creditId: creditIdFor(employer.employerId, `ext-${participantId}`), participantId, registrationStartsOn: current.startsOn, activityId: 'act_test',
    activityTitle: 'AVG in de praktijk', points: 2, completedOn: today, senderId: employer.employerId, senderRole: 'employer', externalId: `ext-${participantId}`, createdAt: new Date().toISOString(),
  };
  await transact(creditItems(credit, { role: 'employer', id: employer.employerId }, new Date(), linkSetOf(p)));
  await transact(revocationItems(credit, `Dubbel gemeld voor ${h.lastName}`, { role: 'employer', id: employer.employerId }, new Date(), linkSetOf(p)));

  const token = await createActivationToken({ participantId, email: h.email, language: 'nl' });
  const claimedEmail = `claim.${participantId.toLowerCase()}@example.org`;
  expect(await createActivationClaim({ participantId, diplomaNumber: h.diplomaNumber, name: `A. ${h.lastName}`, email: claimedEmail, language: 'nl' })).toBeDefined();
  await createSignInLink({ subject: { role: 'participant', ownerId: participantId }, emailKey: emailIndexPk(h.email) });
  const { id: sessionId } = await createWebSession({ role: 'participant', ownerId: participantId });
  const invoiceId = (await queryAll({ index: 'gsi1', pk: participantPk(participantId), skPrefix: 'INVOICE#' }))[0].invoiceId as string;
  return {
    participantId, registrationNumber: p.registrationNumber, lastName: h.lastName, fullName: `A. ${h.lastName}`, birthDate: h.birthDate, email: h.email,
    diplomaNumber: h.diplomaNumber, claimedEmail, apiKey, sessionId, token, invoiceId, employerId: employer.employerId,
  };
}

const claimGuardKey = (diplomaNumber: string, email: string) => ({
  pk: `ACTCLAIMPENDING#${diplomaNumber.toUpperCase()}#${createHash('sha256').update(email.toLowerCase()).digest('hex')}`,
  sk: 'ACTCLAIMPENDING',
});

/** Every item that holds something about the person, through every key that finds one. */
async function everything(p: Person) {
  const [own, gsi1, gsi2, byEmail, invoice] = await Promise.all([
    queryAll({ pk: participantPk(p.participantId), consistent: true }),
    queryAll({ index: 'gsi1', pk: participantPk(p.participantId) }),
    queryAll({ index: 'gsi2', pk: `OWNER#${p.participantId}` }),
    queryAll({ index: 'gsi2', pk: emailIndexPk(p.email) }),
    queryAll({ pk: `INVOICE#${p.invoiceId}`, consistent: true }),
  ]);
  const byName = await queryAll({ index: 'gsi1', pk: `NAME#${p.lastName.toLowerCase()}` });
  const single = await Promise.all([
    getItem({ pk: `DIPLOMA#${p.diplomaNumber.toUpperCase()}`, sk: 'DIPLOMA' }),
    getItem({ pk: `REGNO#${p.registrationNumber}`, sk: 'REGNO' }),
    getItem(claimGuardKey(p.diplomaNumber, p.claimedEmail)),
    // The full items behind the index entries (the tokens', links', sessions', claims', enrolments').
    ...[...gsi1, ...gsi2].map((i) => getItem({ pk: i.pk as string, sk: i.sk as string })),
  ]);
  return { own, gsi1, gsi2, byEmail, byName, invoice, single: single.filter(Boolean) as Record<string, unknown>[] };
}

const personalStrings = (p: Person) => [p.lastName, p.email, p.birthDate, p.diplomaNumber, p.claimedEmail, ADDRESS.street, ADDRESS.postalCode, ADDRESS.name];
const isInvoice = (i: Record<string, unknown>) => String(i.pk).startsWith('INVOICE#');

afterEach(() => {
  // A test that injects a fault puts the holder back (see below); nothing else is shared.
});

describe('GET /v1/participants/{participantId}/export', () => {
  it('gives self and the admin everything held, one section per holder, with what is kept why; others 404, employer 403, no key 401', async () => {
    const p = await richParticipant();
    const mine = await exportOf(p.participantId, p.apiKey);
    expect(mine.statusCode).toBe(200);
    expect(Object.keys(mine.json.sections)).toEqual(personalDataHolders.map((h) => h.name));
    const s = mine.json.sections;
    expect(s.profile).toMatchObject({ lastName: p.lastName, birthDate: p.birthDate, email: p.email, invoiceAddress: ADDRESS, diplomaNumber: p.diplomaNumber.toUpperCase() });
    expect(s.diploma).toMatchObject({ diplomaNumber: p.diplomaNumber.toUpperCase(), participantId: p.participantId });
    expect(s.registrationNumber).toMatchObject({ registrationNumber: p.registrationNumber });
    expect(s.periods).toHaveLength(2);
    expect(s.credits).toEqual([expect.objectContaining({ activityTitle: 'AVG in de praktijk', revocationReason: `Dubbel gemeld voor ${p.lastName}` })]);
    expect(s.employerLinks).toEqual([expect.objectContaining({ employerId: p.employerId })]);
    expect(s.enrolments).toEqual([expect.objectContaining({ email: p.email })]);
    // The collective registration's activation e-mail and the fixture's own token.
    expect(s.activationTokens).toEqual([expect.objectContaining({ email: p.email }), expect.objectContaining({ email: p.email })]);
    expect(s.activationClaims).toEqual([expect.objectContaining({ email: p.claimedEmail, status: 'pending' })]);
    expect(s.signInLinks).toHaveLength(1);
    expect(s.webSessions).toHaveLength(1);
    expect(s.webSessions[0]).not.toHaveProperty('csrf');
    expect(s.apiKeys.length).toBeGreaterThanOrEqual(1);
    expect(s.apiKeys[0]).not.toHaveProperty('pk');
    expect(s.auditEvents.length).toBeGreaterThan(3);
    expect(s.invoices).toEqual([expect.objectContaining({ invoiceId: p.invoiceId })]);
    expect(s.fees).toHaveLength(2);
    expect(mine.json.explanation.nl).toMatch(/7 jaar/);
    expect(mine.json.kept.invoices).toMatch(/7 years/);
    expect(mine.body).not.toMatch(/"(pk|gsi1pk|gsi2pk)"/);

    expect((await exportOf(p.participantId, admin)).json.sections.profile.lastName).toBe(p.lastName);
    const other = await makeParticipant('Ander');
    expect((await exportOf(p.participantId, await participantKey(other.participantId))).statusCode).toBe(404);
    expect((await exportOf(p.participantId, (await newEmployer()).apiKey)).statusCode).toBe(403);
    expect((await exportOf(p.participantId, undefined)).statusCode).toBe(401);
    expect((await exportOf('par_00000000000000000000000000', admin)).statusCode).toBe(404);
  });
});

describe('POST /v1/participants/{participantId}/erasure', () => {
  it('pseudonymises every item but the invoices, which stay byte for byte; the register, search, sign-in, activation and notices no longer know them', async () => {
    const p = await richParticipant();
    const before = await everything(p);
    // The fixture reaches every holder: the personal data is there before.
    const beforeText = JSON.stringify([...before.own, ...before.gsi1, ...before.gsi2, ...before.single].filter((i) => !isInvoice(i)));
    for (const s of personalStrings(p)) expect(beforeText.toLowerCase()).toContain(s.toLowerCase());
    expect((await invoke(getRegisterEntry, { path: `/v1/register/${p.registrationNumber}` })).statusCode).toBe(200);
    expect((await invoke(searchRegister, { path: '/v1/register', query: { lastName: p.lastName } })).json.items).toHaveLength(1);

    const res = await erase(p.participantId, admin);
    expect(res.statusCode).toBe(200);
    expect(res.json).toMatchObject({ participantId: p.participantId, status: 'erased', alreadyErased: false, pseudonym: expect.stringMatching(/^Verwijderd [0-9A-Z]{4}$/) });
    expect(res.json.summary).toMatchObject({
      profile: { pseudonymised: 1 }, diploma: { deleted: 1 }, registrationNumber: { kept: 1 }, enrolments: { pseudonymised: 1 },
      activationTokens: { spent: 2 }, activationClaims: { pseudonymised: 1 }, signInLinks: { spent: 1 }, webSessions: { ended: 1 },
      employerLinks: { unlinked: 1 }, invoices: { kept: 1 }, credits: { pseudonymised: 1 }, periods: { kept: 2, ended: 1 },
    });
    expect(res.json.summary.apiKeys.revoked).toBeGreaterThanOrEqual(1);
    expect(res.json.summary.auditEvents.pseudonymised).toBeGreaterThanOrEqual(2);

    const after = await everything(p);
    // Item by item: nothing but the invoices holds a name, birth date, e-mail, diploma number or address.
    const remaining = [...after.own, ...after.gsi1, ...after.gsi2, ...after.single].filter((i) => !isInvoice(i));
    for (const item of remaining) {
      const text = JSON.stringify(item).toLowerCase();
      for (const s of personalStrings(p)) expect(text, `${item.pk} ${item.sk} still holds ${s}`).not.toContain(s.toLowerCase());
    }
    const profile = after.own.find((i) => i.sk === 'PROFILE')!;
    expect(profile).toMatchObject({ lastName: res.json.pseudonym, initials: '', erasure: { status: 'erased', reason: 'Verzoek van de deelnemer (art. 17 AVG)', by: 'admin:admin' } });
    for (const a of ['email', 'birthDate', 'invoiceAddress', 'prefix', 'diplomaNumber', 'gsi1pk', 'gsi2pk', 'gsi3pk']) expect(profile).not.toHaveProperty(a);
    expect(after.byEmail).toEqual([]);
    expect(after.byName).toEqual([]);
    expect(after.single.find((i) => String(i.pk).startsWith('DIPLOMA#'))).toBeUndefined();
    expect(after.single.find((i) => String(i.pk).startsWith('ACTCLAIMPENDING#'))).toBeUndefined();
    expect(after.single.find((i) => String(i.pk).startsWith('REGNO#'))).toMatchObject({ participantId: p.participantId });
    expect(after.own.filter((i) => String(i.sk).startsWith('REG#')).every((i) => !i.gsi3pk)).toBe(true);
    const claim = after.single.find((i) => String(i.pk).startsWith('ACTCLAIM#'))!;
    expect(claim).toMatchObject({ status: 'rejected', reason: 'erasure', name: res.json.pseudonym });
    expect(after.single.find((i) => String(i.pk).startsWith('EMPLOYER#'))).toMatchObject({ unlinkedAt: expect.any(String) });
    // The invoice (header, lines, events) is identical.
    expect(JSON.stringify(after.invoice)).toBe(JSON.stringify(before.invoice));
    expect(JSON.stringify(after.invoice)).toContain(ADDRESS.street);

    // Gone from the register and its search; the API key, the session, the token and sign-in do nothing.
    expect((await invoke(getRegisterEntry, { path: `/v1/register/${p.registrationNumber}` })).statusCode).toBe(404);
    expect((await invoke(searchRegister, { path: '/v1/register', query: { lastName: p.lastName } })).json.items).toEqual([]);
    expect((await exportOf(p.participantId, p.apiKey)).statusCode).toBe(401);
    expect(await getWebSession(p.sessionId)).toBeUndefined();
    expect((await invoke(createSession, { method: 'POST', path: '/v1/sessions', body: { token: p.token } })).statusCode).toBe(401);
    expect((await subjectsOf(p.email)).filter((s) => s.ownerId === p.participantId)).toEqual([]);
    await matchActivation({ diplomaNumber: p.diplomaNumber, birthDate: p.birthDate, email: p.email, language: 'nl' });
    expect(await queryAll({ index: 'gsi2', pk: `OWNER#${p.participantId}`, skPrefix: 'TOKEN#' })).toHaveLength(2);
    expect(await queryAll({ index: 'gsi2', pk: `OWNER#${p.participantId}`, skPrefix: 'ACTCLAIM#' })).toHaveLength(1);

    // The export after: pseudonymised, the invoice as issued.
    const exported = await exportOf(p.participantId, admin);
    expect(exported.json.erasure).toMatchObject({ status: 'erased' });
    expect(exported.json.sections.profile).toMatchObject({ lastName: res.json.pseudonym });
    expect(exported.json.sections.diploma).toBeNull();
    expect(exported.json.sections.invoices).toEqual([expect.objectContaining({ invoiceId: p.invoiceId })]);
    const { invoices: _kept, ...rest } = exported.json.sections;
    for (const s of personalStrings(p)) expect(JSON.stringify(rest).toLowerCase()).not.toContain(s.toLowerCase());

    // Again: 200, nothing done, nothing changed.
    const again = await erase(p.participantId, admin, { reason: 'nogmaals' });
    expect(again.statusCode).toBe(200);
    expect(again.json).toMatchObject({ alreadyErased: true, pseudonym: res.json.pseudonym, reason: 'Verzoek van de deelnemer (art. 17 AVG)', summary: {} });
    expect(JSON.stringify((await everything(p)).own)).toBe(JSON.stringify(after.own));
  });

  it('concurrent erasures: all 200, one pseudonym, one start and one end in the trail', async () => {
    const p = await richParticipant();
    const results = await Promise.all([1, 2, 3].map(() => erase(p.participantId, admin)));
    for (const r of results) expect(r.statusCode).toBe(200);
    expect(new Set(results.map((r) => r.json.pseudonym)).size).toBe(1);
    const events = await queryAll({ pk: participantPk(p.participantId), skPrefix: 'EVENT#', consistent: true });
    expect(events.filter((e) => e.action === 'participant.erasure-started')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'participant.erased')).toHaveLength(1);
    expect((await getParticipant(p.participantId, true))!.erasure).toMatchObject({ status: 'erased' });
  });

  it('a crash half-way leaves it in progress (already out of the register) and the next call completes it', async () => {
    const p = await richParticipant();
    const i = personalDataHolders.findIndex((h) => h.name === 'auditEvents');
    const original = personalDataHolders[i];
    personalDataHolders[i] = { ...original, erase: async () => { throw Object.assign(new Error('injected'), { name: 'InjectedFault' }); } };
    try {
      await expect(eraseParticipant(p.participantId, { reason: 'Verzoek', actor: { role: 'admin', id: 'admin' } })).rejects.toThrow('injected');
    } finally {
      personalDataHolders[i] = original;
    }
    const half = (await getParticipant(p.participantId, true))!;
    expect(half.erasure).toMatchObject({ status: 'in-progress', reason: 'Verzoek' });
    // The holders before the fault ran; the profile (last) did not.
    expect(half.lastName).toBe(p.lastName);
    expect(await getItem({ pk: `DIPLOMA#${p.diplomaNumber.toUpperCase()}`, sk: 'DIPLOMA' })).toBeUndefined();
    expect((await invoke(getRegisterEntry, { path: `/v1/register/${p.registrationNumber}` })).statusCode).toBe(404);
    // The retention job sees the unfinished erasure.
    const plan = await invoke(runJobRoute, { method: 'POST', path: '/v1/jobs/retention/runs', apiKey: admin, body: { dryRun: true } });
    expect(plan.json.items).toContainEqual({ type: 'erasure-in-progress', participantId: p.participantId, latestEndsOn: '0000-00-00' });

    const done = await erase(p.participantId, admin, { reason: 'ander' });
    expect(done.statusCode).toBe(200);
    expect(done.json).toMatchObject({ alreadyErased: false, reason: 'Verzoek' });
    const after = await everything(p);
    for (const item of [...after.own, ...after.gsi1, ...after.gsi2, ...after.single].filter((x) => !isInvoice(x))) {
      const text = JSON.stringify(item).toLowerCase();
      for (const s of personalStrings(p)) expect(text, `${item.pk} ${item.sk}`).not.toContain(s.toLowerCase());
    }
  });

  it('admin only: participant 403, employer 403, no key 401, unknown 404, no reason 400', async () => {
    const p = await makeParticipant('Toegang');
    expect((await erase(p.participantId, await participantKey(p.participantId))).statusCode).toBe(403);
    expect((await erase(p.participantId, (await newEmployer()).apiKey)).statusCode).toBe(403);
    expect((await erase(p.participantId, undefined)).statusCode).toBe(401);
    expect((await erase('par_00000000000000000000000000', admin)).statusCode).toBe(404);
    const bad = await erase(p.participantId, admin, { reason: '   ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['reason']);
    expect((await getParticipant(p.participantId, true))!.erasure).toBeUndefined();
  });
});

describe('the retention job', () => {
  it('finds through its index (no scan) who lapsed more than 6 years ago; a dry run writes nothing, a run pseudonymises them', async () => {
    const old = await makeParticipant('Verjaard', `verjaard.${Date.now()}@example.nl`);
    // Ended 6 years and a day ago (a 2-year period: started 8 years and a day ago).
    await startPaid(old.participantId, { type: 'participant', id: old.participantId }, addDays(addYears(today, -8), -1), new Date());
    const recent = await makeParticipant('Recent');
    // Ended exactly 6 years ago: not yet.
    await startPaid(recent.participantId, { type: 'participant', id: recent.participantId }, addYears(today, -8), new Date());

    const dry = await invoke(runJobRoute, { method: 'POST', path: '/v1/jobs/retention/runs', apiKey: admin, body: { dryRun: true } });
    expect(dry.statusCode).toBe(200);
    expect(dry.json).toMatchObject({ job: 'retention', asOf: today, dryRun: true, cutoff: addYears(today, -6) });
    const ids = dry.json.items.map((i: { participantId: string }) => i.participantId);
    expect(ids).toContain(old.participantId);
    expect(ids).not.toContain(recent.participantId);
    expect((await getParticipant(old.participantId, true))!.erasure).toBeUndefined();

    const run = await invoke(runJobRoute, { method: 'POST', path: '/v1/jobs/retention/runs', apiKey: admin, body: {} });
    expect(run.statusCode).toBe(200);
    expect(run.json).toMatchObject({ job: 'retention', failed: 0 });
    expect(run.json.erased).toBeGreaterThanOrEqual(1);
    const erased = (await getParticipant(old.participantId, true))!;
    expect(erased.erasure).toMatchObject({ status: 'erased', by: 'system:retention', reason: expect.stringMatching(/^retention: last period ended/) });
    expect(erased.lastName).toMatch(/^Verwijderd /);
    expect(erased.email).toBeUndefined();
    expect((await getParticipant(recent.participantId, true))!.erasure).toBeUndefined();
    // Done: the next run finds nothing of it.
    const next = await invoke(runJobRoute, { method: 'POST', path: '/v1/jobs/retention/runs', apiKey: admin, body: { dryRun: true } });
    expect(next.json.items.map((i: { participantId: string }) => i.participantId)).not.toContain(old.participantId);
  });
});
