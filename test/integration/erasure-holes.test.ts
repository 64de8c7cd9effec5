/**
 * Issue 16 part 6, after review: the ways an erased (or erasing) participant could come back —
 * a diploma re-import, a sign-in link or e-mail change racing the erasure, crediting, the
 * retention job racing a renewal.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as importDiplomas from '../../functions/http/import-diplomas';
import * as searchRegister from '../../functions/http/search-register';
import { adminKey, invoke } from '../setup/helpers';
import { newEmployer, register, today } from './employers.fixtures';
import { getItem } from '../../shared/data/personal-data';
import { diplomaKey, erasedDiplomaKey, getDiploma, newParticipantItems } from '../../shared/data/participants';
import { transact } from '../../shared/data/client';
import { queryAll } from '../../shared/data/batch';
import { ErasureNotDue, eraseParticipant, retentionCutoff } from '../../shared/services/personal-data/rights';
import { matchActivation } from '../../shared/services/activation';
import { addDays, addYears } from '../../shared/domain/dates';
import { emailIndexPk, getParticipant } from '../../shared/data/participants';
import { markErasureStarted } from '../../shared/data/personal-data';
import { createSignInLink } from '../../shared/data/sign-in-links';
import { createWebSession, getWebSession } from '../../shared/data/web-sessions';
import { createActivationToken } from '../../shared/data/tokens';
import { signInWithLink, subjectsOf } from '../../shared/services/sign-in';
import { confirmEmailChange, requestEmailChange } from '../../shared/services/email-change';
import { personalDataHolders } from '../../shared/services/personal-data';
import { makeParticipant, startPaid } from './invoicing.fixtures';
import { createActivationClaim } from '../../shared/data/activation-claims';
import { updateParticipant } from '../../shared/services/participants';
import { ownerIndexPk } from '../../shared/data/owner-index';
// Services throw the domain's NotFound (the recipe answers it with a 404).
import { NotFound } from '../../shared/domain/errors';

let admin: string;
beforeAll(async () => {
  admin = await adminKey();
});

const run = Date.now().toString(36).toUpperCase();
let seq = 0;
/** Letters only: the register's name search matches whole names. */
const letters = (n: number) => n.toString(26).split('').map((c) => String.fromCharCode(97 + parseInt(c, 26))).join('');
const ADMIN = { role: 'admin', id: 'admin' } as const;

/** Issued last month: from 2023 on a diploma comes with a current period, so its holder is in the public register. */
function row(lastName: string, issuedOn = addDays(today, -30)) {
  seq++;
  return {
    diplomaNumber: `ERA${run}${seq}`,
    type: 'uitzendprofessional' as const,
    issuedOn,
    holder: { initials: 'E.', lastName: `${lastName}${letters(Date.now() % 1e8)}${letters(seq)}`, birthDate: '1990-02-03', email: `era.${run}.${seq}@example.nl` },
  };
}
const importRows = (rows: unknown[]) => invoke(importDiplomas, { method: 'POST', path: '/v1/diplomas', apiKey: admin, body: { diplomas: rows } });
const search = (lastName: string) => invoke(searchRegister, { path: '/v1/register', query: { lastName } });

describe('a diploma re-import after an erasure', () => {
  it('skips the erased holder\'s row (counted as erased): no new participant, nothing in the register or its search, the diploma stays unknown', async () => {
    const gone = row('Gewist');
    const other = row('Nieuw');
    expect((await importRows([gone])).json).toMatchObject({ created: 1, registrationsCreated: 1 });
    const participantId = (await getDiploma(gone.diplomaNumber))!.participantId as string;
    expect((await search(gone.holder.lastName)).json.items).toHaveLength(1);

    await eraseParticipant(participantId, { reason: 'Verzoek', actor: ADMIN });
    // The diploma item is gone; its tombstone holds nothing but whose it was and when.
    expect(await getItem(diplomaKey(gone.diplomaNumber))).toBeUndefined();
    const tombstone = (await getItem(erasedDiplomaKey(gone.diplomaNumber)))!;
    expect(Object.keys(tombstone).sort()).toEqual(['erasedAt', 'participantId', 'pk', 'sk', 'type']);
    expect(tombstone).toMatchObject({ participantId, type: 'erased-diploma' });
    expect(JSON.stringify(tombstone)).not.toContain(gone.diplomaNumber);

    // The exam body's next export of the register: the same row again, with a new one.
    const again = await importRows([gone, other]);
    expect(again.statusCode).toBe(200);
    expect(again.json).toEqual({ created: 1, updated: 0, unchanged: 0, registrationsCreated: 1, erased: 1 });
    expect(await getItem(diplomaKey(gone.diplomaNumber))).toBeUndefined();
    expect((await search(gone.holder.lastName)).json.items).toEqual([]);
    expect(await queryAll({ index: 'gsi1', pk: `NAME#${gone.holder.lastName.toLowerCase()}` })).toEqual([]);
    // And once more on its own (the path a cancelled chunk takes reads the tombstone too).
    expect((await importRows([gone])).json).toEqual({ created: 0, updated: 0, unchanged: 0, registrationsCreated: 0, erased: 1 });

    // Activation and collective registration keep answering "not found".
    expect(await matchActivation({ diplomaNumber: gone.diplomaNumber, birthDate: gone.holder.birthDate, email: gone.holder.email, language: 'nl' })).toBe('no-match');
    const employer = await newEmployer('Flex Tombstone BV');
    const res = await register(employer, { employees: [{ diplomaNumber: gone.diplomaNumber, birthDate: gone.holder.birthDate, email: gone.holder.email }] });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors).toContainEqual(expect.objectContaining({ path: 'employees[0].diplomaNumber' }));
  });

  it('an import whose read came before the erasure cannot land the new participant (its transaction checks the tombstone)', async () => {
    const gone = row('Race', '2020-01-01');
    await importRows([gone]);
    const participantId = (await getDiploma(gone.diplomaNumber))!.participantId as string;
    await eraseParticipant(participantId, { reason: 'Verzoek', actor: ADMIN });
    // What the import would write had it read "missing, not erased" before the erasure's write.
    await expect(transact(newParticipantItems(gone, ADMIN, new Date()).items)).rejects.toThrow();
    expect(await getItem(diplomaKey(gone.diplomaNumber))).toBeUndefined();
  });
});

const mark = (participantId: string) =>
  markErasureStarted(participantId, { status: 'in-progress', reason: 'Verzoek', by: 'admin:admin', at: new Date().toISOString(), pseudonym: 'Verwijderd TEST' }, ADMIN, new Date());

describe('sign-in and the e-mail address while an erasure runs', () => {
  it('from the erasure mark on, the address finds nobody and a link mailed before signs nobody in', async () => {
    const email = `mid.${run}.${++seq}@example.nl`;
    const p = await makeParticipant('Midden', email);
    const token = await createSignInLink({ subject: { role: 'participant', ownerId: p.participantId }, emailKey: emailIndexPk(email) });
    expect((await subjectsOf(email)).map((s) => s.ownerId)).toContain(p.participantId);
    expect(await mark(p.participantId)).toBe(true);
    // The profile still holds its address and index key: the profile holder has not run yet.
    expect((await getParticipant(p.participantId, true))!.email).toBe(email);
    expect((await subjectsOf(email)).map((s) => s.ownerId)).not.toContain(p.participantId);
    expect(await signInWithLink(token)).toBeUndefined();
  });

  it('a session started while the holders ran (after the sessions holder) is ended by the second pass', async () => {
    const p = await makeParticipant('Laat', `laat.${run}.${++seq}@example.nl`);
    const i = personalDataHolders.findIndex((h) => h.name === 'notices');
    const original = personalDataHolders[i];
    let late: string | undefined;
    personalDataHolders[i] = {
      ...original,
      erase: async (id, ctx) => {
        late = (await createWebSession({ role: 'participant', ownerId: id })).id;
        return original.erase(id, ctx);
      },
    };
    try {
      const done = await eraseParticipant(p.participantId, { reason: 'Verzoek', actor: ADMIN });
      expect(done.summary.webSessions).toMatchObject({ ended: 1 });
    } finally {
      personalDataHolders[i] = original;
    }
    expect(late).toBeDefined();
    expect(await getWebSession(late!)).toBeUndefined();
  });

  it('an erasing profile asks for no new address, and an erased one gets none back through a link asked before', async () => {
    const email = `adres.${run}.${++seq}@example.nl`;
    const p = await makeParticipant('Adres');
    // A link asked before the erasure, while the profile had no address on file.
    const token = await createActivationToken({ participantId: p.participantId, email, language: 'nl', purpose: 'email-change', validMinutes: 60, detail: { previousEmail: null } });
    await mark(p.participantId);
    await expect(requestEmailChange((await getParticipant(p.participantId, true))!, email, 'nl')).rejects.toBeInstanceOf(NotFound);
    await eraseParticipant(p.participantId, { reason: 'Verzoek', actor: ADMIN });
    // The erasure spends the token; one made after it (by a request read before the mark) is refused by the profile's condition.
    const after = await createActivationToken({ participantId: p.participantId, email, language: 'nl', purpose: 'email-change', validMinutes: 60, detail: { previousEmail: null } });
    await expect(confirmEmailChange(token)).rejects.toThrow();
    await expect(confirmEmailChange(after)).rejects.toThrow();
    const erased = (await getParticipant(p.participantId, true))!;
    expect(erased.email).toBeUndefined();
    expect((await subjectsOf(email)).map((s) => s.ownerId)).not.toContain(p.participantId);
  });
});

describe('the retention job racing a renewal', () => {
  it('does not mark a participant whose latest period no longer ended before the cutoff when the mark is written', async () => {
    const p = await makeParticipant('Verlengd', `verlengd.${run}.${++seq}@example.nl`);
    await startPaid(p.participantId, { type: 'participant', id: p.participantId }, addDays(addYears(today, -8), -1), new Date());
    const cutoff = retentionCutoff(today);
    expect((await getParticipant(p.participantId, true))!.latestEndsOn! < cutoff).toBe(true);
    // The job read it lapsed; then the participant renewed, before the job's mark.
    await startPaid(p.participantId, { type: 'participant', id: p.participantId }, today, new Date(), 'renewal');
    await expect(eraseParticipant(p.participantId, { reason: 'retention', actor: { role: 'system', id: 'retention' }, endedBefore: cutoff })).rejects.toBeInstanceOf(ErasureNotDue);
    const kept = (await getParticipant(p.participantId, true))!;
    expect(kept.erasure).toBeUndefined();
    expect(kept.lastName).toBe('Verlengd');
  });
});

describe('the erasure reason', () => {
  it('kept on the profile without the subject\'s own values, like its audit copy', async () => {
    const email = `reden.${run}.${++seq}@example.nl`;
    const p = await makeParticipant('Redenaar', email);
    const done = await eraseParticipant(p.participantId, { reason: `Verzoek van A.B. van Redenaar (${email})`, actor: ADMIN });
    const erased = (await getParticipant(p.participantId, true))!;
    for (const text of [erased.erasure!.reason, done.reason]) {
      expect(text).not.toContain('Redenaar');
      expect(text).not.toContain(email);
      expect(text).toContain('[verwijderd]');
    }
  });
});

describe('writes that must not land on an erasing profile', () => {
  it('a settings change read before the mark, an activation claim, an activation and a collective registration: refused, nothing written', async () => {
    const imported = row('Bezig', '2020-01-01');
    await importRows([{ ...imported, holder: { ...imported.holder, email: undefined } }]);
    const participantId = (await getDiploma(imported.diplomaNumber))!.participantId as string;
    const before = (await getParticipant(participantId, true))!;
    expect(await mark(participantId)).toBe(true);

    const address = { street: 'Oudegracht 1', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' };
    await expect(updateParticipant(before, { invoiceAddress: address }, { role: 'participant', id: participantId })).rejects.toBeInstanceOf(NotFound);
    expect((await getParticipant(participantId, true))!.invoiceAddress).toBeUndefined();

    expect(await createActivationClaim({ participantId, diplomaNumber: imported.diplomaNumber, name: 'E. Bezig', email: imported.holder.email, language: 'nl' })).toBeUndefined();
    expect(await queryAll({ index: 'gsi2', pk: ownerIndexPk(participantId), skPrefix: 'ACTCLAIM#' })).toEqual([]);
    expect(await matchActivation({ diplomaNumber: imported.diplomaNumber, birthDate: imported.holder.birthDate, email: imported.holder.email, language: 'nl' })).toBe('no-match');

    const employer = await newEmployer('Flex Bezig BV');
    const res = await register(employer, { employees: [{ diplomaNumber: imported.diplomaNumber, birthDate: imported.holder.birthDate, email: imported.holder.email }] });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors).toContainEqual(expect.objectContaining({ path: 'employees[0].diplomaNumber' }));
    expect(await queryAll({ index: 'gsi1', pk: `PARTICIPANT#${participantId}`, skPrefix: 'EMPLOYER#' })).toEqual([]);
    expect((await getParticipant(participantId, true))!.email).toBeUndefined();
  });
});
