import { describe, expect, it } from 'vitest';
import * as importDiplomas from '../../functions/http/import-diplomas';
import * as createCollective from '../../functions/http/create-collective-registration';
import * as submitRequest from '../../functions/http/submit-recognition-request';
import * as listActivities from '../../functions/http/list-activities';
import * as searchRegister from '../../functions/http/search-register';
import { getDiploma } from '../../shared/data/participants';
import { queryAll } from '../../shared/data/batch';
import { adminKey, invoke } from '../setup/helpers';
import { holders, newEmployer } from './employers.fixtures';

/**
 * Issue 12, point 7: a surname with a NUL was accepted and made the holder's invoices invalid XML
 * (UBL) for good. Every text field now refuses control characters, bidi controls, lone
 * surrogates and blank values with a 400 naming the field, before anything is written.
 */
const run = Date.now().toString(36).toUpperCase();

function diploma(n: number, lastName: string) {
  return {
    diplomaNumber: `TXT${run}${n}`,
    type: 'uitzendprofessional',
    issuedOn: '2024-03-01',
    holder: { initials: 'J.', lastName, birthDate: '1990-01-01', email: `txt.${run}.${n}@example.nl` },
  };
}

describe('text fields refuse what breaks documents', () => {
  it('a diploma import with a NUL in a surname is a 400 naming it, and imports nothing', async () => {
    const res = await invoke(importDiplomas, {
      path: '/v1/diplomas',
      apiKey: await adminKey(),
      body: { diplomas: [diploma(1, 'Jansen'), diploma(2, 'de\u0000Vries'), diploma(3, '\u200B \u2060')] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors).toEqual([
      { path: 'diplomas[1].holder.lastName', message: 'Must not contain control characters (U+0000 at character 3)' },
      { path: 'diplomas[2].holder.lastName', message: 'Must not be empty or only whitespace' },
    ]);
    for (const n of [1, 2, 3]) expect(await getDiploma(`TXT${run}${n}`)).toBeUndefined();
  });

  it('a CSV upload with a control character in a row is a 400 naming the row, and registers nobody', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const csv = ['diplomaNumber;birthDate;email', ...list.map((h, i) => `${i === 4 ? `${h.diplomaNumber}\u0007` : h.diplomaNumber};${h.birthDate};${h.email}`)].join('\r\n');
    const res = await invoke(createCollective, {
      path: `/v1/employers/${employer.employerId}/collective-registrations`,
      apiKey: employer.apiKey,
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors).toEqual([{ path: 'employees[4].diplomaNumber', message: `Diploma number contains a character that is not allowed (U+0007 at character ${list[4].diplomaNumber.length + 1}), line 6` }]);
    expect(await queryAll({ pk: `EMPLOYER#${employer.employerId}`, skPrefix: 'EMPLOYEE#' })).toEqual([]);
  });

  it('a recognition request with a bidi override in its title or a NUL in a session location is a 400 naming both', async () => {
    const employer = await newEmployer();
    const res = await invoke(submitRequest, {
      path: '/v1/recognition-requests',
      apiKey: employer.apiKey,
      body: {
        title: 'Arbeidsrecht \u202Egnilpmaxe',
        description: 'Two lines\nare fine here.',
        learningGoals: ['Knows the rules'],
        activityType: 'training',
        nature: 'updating',
        topics: ['T01'],
        netStudyMinutes: 120,
        completion: { type: 'test', description: 'A short test' },
        sessions: [{ startsOn: '2030-01-10', location: 'Utrecht\u0000' }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(['title', 'sessions[0].location']);
  });

  it('search texts in a query string are checked the same way (no 500, no search)', async () => {
    const q = await invoke(listActivities, { path: '/v1/activities', query: { q: 'recht\u0000' } });
    expect(q.statusCode).toBe(400);
    expect(q.json.errors[0].path).toBe('query.q');
    const name = await invoke(searchRegister, { path: '/v1/register', query: { lastName: 'Vries', initials: '\u202E' } });
    expect(name.statusCode).toBe(400);
    expect(name.json.errors[0].path).toBe('query.initials');
  });
});
