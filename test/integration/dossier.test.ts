/**
 * Issue 12, point 11 (part): the dossier gave a linked employer the participant's e-mail address.
 * The employer now gets the dossier without it; the participant itself and the admin still see it.
 */
import { describe, expect, it } from 'vitest';
import * as getParticipant from '../../functions/http/get-participant';
import { adminKey, invoke } from '../setup/helpers';
import { addDays, addYears } from '../../shared/domain/dates';
import { holders, newEmployer, participantKey, register, rowsOf } from './employers.fixtures';

describe('the dossier', () => {
  it('leaves the e-mail address out for a linked employer, and keeps it for the participant and the admin', async () => {
    const employer = await newEmployer('Flex Dossier');
    const people = await holders(10, { emailOnFile: true });
    const res = await register(employer, { employees: rowsOf(people) });
    expect(res.statusCode).toBe(201);
    const { participantId, diplomaNumber } = res.json.participants[0];
    const onFile = `onfile.${people.find((h) => h.diplomaNumber === diplomaNumber)!.email}`;
    const read = (apiKey: string) => invoke(getParticipant, { path: `/v1/participants/${participantId}`, apiKey });

    const asEmployer = await read(employer.apiKey);
    expect(asEmployer.statusCode).toBe(200);
    expect(asEmployer.json).not.toHaveProperty('email');
    expect(asEmployer.body.toLowerCase()).not.toContain(onFile.toLowerCase());
    expect(asEmployer.json).toMatchObject({ participantId, current: expect.objectContaining({ status: 'active' }) });

    for (const key of [await participantKey(participantId), await adminKey()]) {
      const full = await read(key);
      expect(full.statusCode).toBe(200);
      expect(full.json.email).toBe(onFile);
    }
  });

  it('names the last valid day beside the exclusive endsOn, for the current period and every other', async () => {
    const employer = await newEmployer('Flex Geldig');
    const people = await holders(10);
    const res = await register(employer, { employees: rowsOf(people) });
    expect(res.statusCode).toBe(201);
    const { participantId } = res.json.participants[0];
    const dossier = (await invoke(getParticipant, { path: `/v1/participants/${participantId}`, apiKey: await participantKey(participantId) })).json;
    const { startsOn, endsOn, validUntil } = dossier.current;
    expect(endsOn).toBe(addYears(startsOn, 2));
    expect(validUntil).toBe(addDays(endsOn, -1));
    for (const period of dossier.registrations) expect(period.validUntil).toBe(addDays(period.endsOn, -1));
  });
});
