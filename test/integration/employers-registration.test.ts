import { describe, expect, it, vi } from 'vitest';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { db } from '../../shared/data/client';
import { sesClient } from '../../shared/email/send';
import { countPendingMails, getActivationMailHolder, getCollectiveRegistration, getLink, listEnrolments } from '../../shared/data/employers';
import { getIdempotencyRecord } from '../../shared/data/idempotency';
import { getParticipant } from '../../shared/data/participants';
import { addDays, addYears } from '../../shared/domain/dates';
import { registerCollectively } from '../../shared/services/employers/registration';
import { rowsFromJson } from '../../shared/services/employers/rows';
import { runActivationMails } from '../../shared/services/activation-mails';
import * as getParticipantHandler from '../../functions/http/get-participant';
import * as requestActivation from '../../functions/http/request-activation';
import * as createCollectiveHandler from '../../functions/http/create-collective-registration';
import { adminKey, invoke, sesMessages, waitForMessages } from '../setup/helpers';
import { whenActivationsIdle } from '../../shared/services/activation';
import {
  eventsOf,
  holders,
  mailsPer,
  newEmployer,
  participantIdOf,
  periodsOf,
  recentIssue,
  register,
  rowsOf,
  today,
  type Holder,
} from './employers.fixtures';

type Answer = { diplomaNumber: string; participantId: string; registrationNumber: string; outcome: string };

/** Every holder has exactly one period starting today, paid by the employer. */
async function expectRegisteredOnceToday(list: Holder[], employerId: string) {
  for (const periods of await periodsOf(list)) {
    expect(periods).toHaveLength(1);
    expect(periods[0]).toMatchObject({ startsOn: today, endsOn: addYears(today, 2), kind: 'new', payer: { type: 'employer', id: employerId } });
  }
}

/** Fails the `n`th TransactWriteCommand (1-based) the document client sends, like an outage would. */
function failNthTransaction(n: number) {
  const client = db();
  const original = client.send.bind(client);
  let count = 0;
  return vi.spyOn(client, 'send').mockImplementation(((cmd: unknown) => {
    if (cmd instanceof TransactWriteCommand && ++count === n) {
      return Promise.reject(Object.assign(new Error('simulated outage'), { name: 'ServiceUnavailable' }));
    }
    return original(cmd as never);
  }) as never);
}

describe('collective registration: the happy path', () => {
  it('registers those without a period, links those with one, mails each once, and records everything', async () => {
    const employer = await newEmployer();
    const fresh = await holders(9); // pre-2023 diplomas: no period yet
    const active = await holders(3, { issuedOn: recentIssue() }); // automatic period → linked
    const list = [...fresh, ...active];

    const res = await register(employer, { employees: rowsOf(list) });

    expect(res.statusCode).toBe(201);
    expect(res.json.collectiveRegistrationId).toMatch(/^col_[0-9A-Z]{26}$/);
    const answers = res.json.participants as Answer[];
    expect(answers.map((a) => a.diplomaNumber)).toEqual(list.map((h) => h.diplomaNumber));
    expect(answers.map((a) => a.outcome)).toEqual([...Array(9).fill('registered'), ...Array(3).fill('linked')]);
    for (const [i, a] of answers.entries()) {
      expect(a.participantId).toBe(await participantIdOf(list[i].diplomaNumber));
      expect(a.registrationNumber).toBe((await getParticipant(a.participantId))!.registrationNumber);
    }

    await expectRegisteredOnceToday(fresh, employer.employerId);
    for (const periods of await periodsOf(active)) expect(periods.map((p) => p.kind)).toEqual(['initial']);

    for (const a of answers) {
      const link = await getLink(employer.employerId, a.participantId);
      expect(link).toMatchObject({ linkedOn: today, collectiveRegistrationId: res.json.collectiveRegistrationId });
      expect(link!.unlinkedAt).toBeUndefined();
      const actions = (await eventsOf(a.participantId)).map((e) => e.action);
      expect(actions).toContain('employer.linked');
      expect(actions.includes('registration.new')).toBe(a.outcome === 'registered');
    }

    // Up to MAILS_IN_REQUEST employees, the request mails everyone itself: nothing is left for the job.
    expect(await mailsPer(list)).toEqual(Array(12).fill(1));
    expect([...(await listEnrolments(res.json.collectiveRegistrationId)).values()].every((e) => e.mailedAt)).toBe(true);
    expect(await countPendingMails()).toBe(0);
    const [mail] = await sesMessages({ to: list[0].email });
    expect(mail.body.text).toMatch(/token=[A-Za-z0-9_-]{20,}/);

    const record = await getCollectiveRegistration(employer.employerId, res.json.collectiveRegistrationId);
    expect(record).toMatchObject({ status: 'completed', employees: 12, registered: 9, linked: 3, actor: { role: 'employer', id: employer.employerId } });

    // Linked: the employer now sees the dossier.
    const dossier = await invoke(getParticipantHandler, { path: `/v1/participants/${answers[0].participantId}`, apiKey: employer.apiKey });
    expect(dossier.statusCode).toBe(200);
    expect(dossier.json.current).toMatchObject({ startsOn: today, status: 'active' });
  });

  it('re-activates a lapsed employee (kind re-activation), and mails the address on file when there is one', async () => {
    const employer = await newEmployer();
    const lapsed = await holders(1, { issuedOn: addYears(today, -3) });
    const onFile = await holders(1, { emailOnFile: true });
    const others = await holders(8);
    const list = [...lapsed, ...onFile, ...others];

    const res = await register(employer, { employees: rowsOf(list) });

    expect(res.statusCode).toBe(201);
    expect((res.json.participants as Answer[]).every((a) => a.outcome === 'registered')).toBe(true);
    const [lapsedPeriods] = await periodsOf(lapsed);
    expect(lapsedPeriods.map((p) => p.kind).sort()).toEqual(['initial', 're-activation']);
    expect(lapsedPeriods.find((p) => p.kind === 're-activation')).toMatchObject({ startsOn: today, payer: { type: 'employer', id: employer.employerId } });
    expect(await mailsPer(onFile, (h) => `onfile.${h.email}`)).toEqual([1]);
    expect(await mailsPer(onFile)).toEqual([0]);
  });

  it('takes a Dutch Excel CSV: BOM, semicolons, CRLF, quoted fields, dd-mm-yyyy dates', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const [y, m, d] = list[0].birthDate.split('-');
    const lines = list.map((h, i) => (i % 2 ? `"${h.diplomaNumber}";"${d}-${m}-${y}";"${h.email}"` : `${h.diplomaNumber};${h.birthDate};${h.email}`));
    const csv = `\uFEFFdiplomaNumber;birthDate;email\r\n${lines.join('\r\n')}\r\n;;\r\n`;

    const res = await register(employer, csv, { contentType: 'text/csv; charset=utf-8' });

    expect(res.statusCode).toBe(201);
    expect((res.json.participants as Answer[]).map((a) => [a.diplomaNumber, a.outcome])).toEqual(list.map((h) => [h.diplomaNumber, 'registered']));
    await expectRegisteredOnceToday(list, employer.employerId);
    expect(await mailsPer(list)).toEqual(Array(10).fill(1));
  });

  it('takes a plain comma CSV with LF line ends; the admin may register for an employer', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const csv = `diplomaNumber,birthDate,email\n${rowsOf(list).map((r) => `${r.diplomaNumber},${r.birthDate},${r.email}`).join('\n')}`;

    const res = await register(employer, csv, { contentType: 'text/csv', apiKey: await adminKey() });

    expect(res.statusCode).toBe(201);
    await expectRegisteredOnceToday(list, employer.employerId);
    const record = await getCollectiveRegistration(employer.employerId, res.json.collectiveRegistrationId);
    expect(record?.actor).toEqual({ role: 'admin', id: 'admin' });
  });
});

describe('collective registration: validation, all or nothing', () => {
  it('9 employees → 400 naming employees, and nobody is registered', async () => {
    const employer = await newEmployer();
    const list = await holders(9);
    const res = await register(employer, { employees: rowsOf(list) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.errors).toEqual([{ path: 'employees', message: expect.stringMatching(/at least 10/) }]);
    for (const periods of await periodsOf(list)) expect(periods).toHaveLength(0);
  });

  it('every bad row is reported by index and field, and nothing at all is written or sent', async () => {
    const employer = await newEmployer();
    const list = await holders(12);
    const rows = rowsOf(list);
    rows[2] = { ...rows[2], diplomaNumber: 'NOSUCH9999' };
    rows[4] = { ...rows[4], birthDate: '1977-01-01' };
    rows[6] = { ...rows[6], email: 'not-an-e-mail' };
    rows[8] = { ...rows[8], diplomaNumber: rows[1].diplomaNumber };
    rows[10] = { ...rows[10], birthDate: '1990-02-30' };

    const res = await register(employer, { employees: rows }, { key: 'bad-rows-1' });

    expect(res.statusCode).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'employees[10].birthDate',
      'employees[2].diplomaNumber',
      'employees[4].diplomaNumber',
      'employees[6].email',
      'employees[8].diplomaNumber',
    ]);
    expect(res.json.errors.find((e: { path: string }) => e.path === 'employees[8].diplomaNumber').message).toBe('Duplicate of employees[1]');
    // An unknown number and a wrong birth date get the same answer: it says nothing about who holds a diploma.
    const message = (path: string) => res.json.errors.find((e: { path: string }) => e.path === path).message;
    expect(message('employees[2].diplomaNumber')).toBe('No diploma with this number and birth date in the register');
    expect(message('employees[4].diplomaNumber')).toBe(message('employees[2].diplomaNumber'));
    for (const periods of await periodsOf(list)) expect(periods).toHaveLength(0);
    for (const h of list) expect(await getLink(employer.employerId, await participantIdOf(h.diplomaNumber))).toBeUndefined();
    expect(await mailsPer(list)).toEqual(Array(12).fill(0));
    expect(await getIdempotencyRecord(employer.employerId, 'bad-rows-1')).toBeUndefined();
  });

  it('a bad CSV row is reported with the same paths (and its line); a wrong header and a wrong media type are refused', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const lines = rowsOf(list).map((r, i) => `${r.diplomaNumber};${i === 3 ? '1977-01-01' : r.birthDate};${r.email}`);
    const res = await register(employer, `\uFEFFdiplomaNumber;birthDate;email\r\n${lines.join('\r\n')}\r\n`, { contentType: 'text/csv' });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors).toEqual([{ path: 'employees[3].diplomaNumber', message: `No diploma with number ${list[3].diplomaNumber} and birth date 1977-01-01 in the register, line 5` }]);

    const header = await register(employer, `diploma;birthDate;email\r\n${lines.join('\r\n')}`, { contentType: 'text/csv' });
    expect(header.statusCode).toBe(400);
    expect(header.json.errors.map((e: { path: string }) => e.path)).toEqual(['header.diplomaNumber', 'header.diploma']);

    const xml = await register(employer, '<employees/>', { contentType: 'application/xml' });
    expect(xml.statusCode).toBe(415);
    for (const periods of await periodsOf(list)) expect(periods).toHaveLength(0);
  });

  it('malformed JSON and unknown top-level fields → 400; a bad Idempotency-Key → 400', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    expect((await register(employer, '{"employees": [', { contentType: 'application/json' })).statusCode).toBe(400);
    const extra = await register(employer, { employees: rowsOf(list), note: 'x' });
    expect(extra.json.errors).toEqual([{ path: 'note', message: 'Unknown field' }]);
    const key = await register(employer, { employees: rowsOf(list) }, { key: 'x'.repeat(300) });
    expect(key.statusCode).toBe(400);
    expect(key.json.errors[0].path).toBe('headers.Idempotency-Key');
    for (const periods of await periodsOf(list)) expect(periods).toHaveLength(0);
  });
});

describe('a Dutch HR file (issue 13.2)', () => {
  const dutchDate = (iso: string) => iso.split('-').reverse().join('-');

  it('Diplomanummer;Geboortedatum;E-mailadres is read and registered', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const csv = `\uFEFFsep=;\r\nDiplomanummer;Geboortedatum;E-mailadres\r\n${list.map((h) => `${h.diplomaNumber};${dutchDate(h.birthDate)};${h.email}`).join('\r\n')}\r\n`;

    const res = await register(employer, csv, { contentType: 'text/csv; charset=utf-8' });

    expect(res.statusCode).toBe(201);
    expect((res.json.participants as Answer[]).map((a) => a.diplomaNumber)).toEqual(list.map((h) => h.diplomaNumber));
    await expectRegisteredOnceToday(list, employer.employerId);
  });

  it("reads Excel's plain CSV in Windows-1252 from its bytes: an é is an é, in the message that quotes it and in a good file", async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const lines = list.map((h) => `${h.diplomaNumber};${dutchDate(h.birthDate)};${h.email}`);
    const file = (rows: string[]) => Buffer.from(`Diplomanummer;Geboortedatum;E-mailadres\r\n${rows.join('\r\n')}\r\n`, 'latin1');
    const bad = [...lines];
    bad[2] = `${list[2].diplomaNumber};${dutchDate(list[2].birthDate)};josé.bakker@example.nl`;
    expect(file(bad).includes(0xe9)).toBe(true);

    // application/csv is not a text type: the gateway passes the bytes (base64), as they were sent.
    const res = await register(employer, file(bad), { contentType: 'application/csv' });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors).toEqual([{ path: 'employees[2].email', message: 'josé.bakker@example.nl is geen geldig e-mailadres, regel 4' }]);
    for (const periods of await periodsOf(list)) expect(periods).toHaveLength(0);

    const good = await register(employer, file(lines), { contentType: 'application/csv; charset=windows-1252' });
    expect(good.statusCode).toBe(201);
    await expectRegisteredOnceToday(list, employer.employerId);
  });

  it('every bad row is named in Dutch, as the file has it, with its line, in file order; nobody is registered', async () => {
    const employer = await newEmployer();
    const list = await holders(12);
    const lines = list.map((h) => `${h.diplomaNumber};${dutchDate(h.birthDate)};${h.email}`);
    lines[1] = `${list[1].diplomaNumber};01-01-1977;${list[1].email}`;
    lines[4] = `SEU-ONBEKEND;30-06-1988;${list[4].email}`;
    lines[7] = `${list[0].diplomaNumber};30-06-1988;${list[7].email}`;
    lines[9] = `${list[9].diplomaNumber};31-02-1990;${list[9].email}`;
    const csv = `\uFEFFDiplomanummer;Geboortedatum;E-mailadres\r\n${lines.join('\r\n')}\r\n`;

    const res = await register(employer, csv, { contentType: 'text/csv' });

    expect(res.statusCode).toBe(400);
    expect(res.json.detail).toBe('4 fouten op 4 regels; er is niemand geregistreerd.');
    expect(res.json.errors).toEqual([
      { path: 'employees[1].diplomaNumber', message: `Geen diploma met nummer ${list[1].diplomaNumber} en geboortedatum 01-01-1977 in het register, regel 3` },
      { path: 'employees[4].diplomaNumber', message: 'Geen diploma met nummer SEU-ONBEKEND en geboortedatum 30-06-1988 in het register, regel 6' },
      { path: 'employees[7].diplomaNumber', message: `Diplomanummer ${list[0].diplomaNumber} staat ook op regel 2, regel 9` },
      { path: 'employees[9].birthDate', message: '31-02-1990 is geen geldige datum (dd-mm-jjjj), regel 11' },
    ]);
    for (const periods of await periodsOf(list)) expect(periods).toHaveLength(0);

    // Accept-Language names the language of the answer.
    const english = await invoke(createCollectiveHandler, {
      method: 'POST',
      path: `/v1/employers/${employer.employerId}/collective-registrations`,
      apiKey: employer.apiKey,
      body: csv,
      headers: { 'content-type': 'text/csv', 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(english.statusCode).toBe(400);
    expect(english.json.errors.map((e: { message: string }) => e.message)).toContain('31-02-1990 is not a valid date (dd-mm-yyyy), line 11');
  });

  it('an unknown column is a 400 naming it', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const csv = `Diplomanummer;Geboortedatum;Telefoon\r\n${list.map((h) => `${h.diplomaNumber};30-06-1988;0612345678`).join('\r\n')}\r\n`;
    const res = await register(employer, csv, { contentType: 'text/csv' });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors).toEqual([
      { path: 'header.email', message: 'Kolom E-mailadres ontbreekt' },
      { path: 'header.Telefoon', message: 'Onbekende kolom Telefoon' },
    ]);
  });
});

describe('collective registration: retries, duplicates and crashes', () => {
  it('with an Idempotency-Key a retry returns the first answer, registers nobody again and mails nobody again', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const first = await register(employer, { employees: rowsOf(list) }, { key: 'order-2026-001' });
    expect(first.statusCode).toBe(201);

    const again = await register(employer, { employees: rowsOf(list) }, { key: 'order-2026-001' });

    expect(again.statusCode).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await expectRegisteredOnceToday(list, employer.employerId);
    expect(await mailsPer(list)).toEqual(Array(10).fill(1));
    expect(await getIdempotencyRecord(employer.employerId, 'order-2026-001')).toMatchObject({ status: 'completed', resourceId: first.json.collectiveRegistrationId });
  });

  it('the same key with a different body → 422, and nothing changes', async () => {
    const employer = await newEmployer();
    const list = await holders(11);
    expect((await register(employer, { employees: rowsOf(list.slice(0, 10)) }, { key: 'k-422' })).statusCode).toBe(201);
    const other = await register(employer, { employees: rowsOf(list.slice(1)) }, { key: 'k-422' });
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toBe('application/problem+json');
    const [last] = await periodsOf(list.slice(10));
    expect(last).toHaveLength(0);
  });

  it('without a key, sending the same list again registers nobody twice and answers the same', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const first = await register(employer, { employees: rowsOf(list) });
    const again = await register(employer, { employees: rowsOf(list) });
    expect(again.statusCode).toBe(201);
    expect(again.json).toEqual(first.json);
    await expectRegisteredOnceToday(list, employer.employerId);
    expect(await mailsPer(list)).toEqual(Array(10).fill(1));
  });

  it('without a key, a retry after midnight is still a retry: the first registration answers, nobody is mailed twice', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const actor = { role: 'employer', id: employer.employerId } as const;
    const first = await registerCollectively({ employerId: employer.employerId, parsed: rowsFromJson({ employees: rowsOf(list) }), actor, today });
    const nextDay = await registerCollectively({ employerId: employer.employerId, parsed: rowsFromJson({ employees: rowsOf(list) }), actor, today: addDays(today, 1) });
    expect(nextDay.replayed).toBe(true);
    expect(nextDay.response).toEqual(first.response);
    await expectRegisteredOnceToday(list, employer.employerId);
    expect(await mailsPer(list)).toEqual(Array(10).fill(1));
  });

  it('a key is per employer: another employer may use the same key for its own list', async () => {
    const [a, b] = [await newEmployer('A BV'), await newEmployer('B BV')];
    const [listA, listB] = [await holders(10), await holders(10)];
    expect((await register(a, { employees: rowsOf(listA) }, { key: 'shared-key' })).statusCode).toBe(201);
    const res = await register(b, { employees: rowsOf(listB) }, { key: 'shared-key' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    await expectRegisteredOnceToday(listB, b.employerId);
  });

  it('the same registration sent twice in parallel (with and without a key) registers and mails each employee once', async () => {
    const employer = await newEmployer();
    for (const key of ['parallel-1', undefined]) {
      const list = await holders(15);
      const body = { employees: rowsOf(list) };
      const [a, b] = await Promise.all([register(employer, body, { key }), register(employer, body, { key })]);
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      expect(b.json).toEqual(a.json);
      expect((a.json.participants as Answer[]).every((p) => p.outcome === 'registered')).toBe(true);
      await expectRegisteredOnceToday(list, employer.employerId);
      expect(await mailsPer(list)).toEqual(Array(15).fill(1));
      expect(await getCollectiveRegistration(employer.employerId, a.json.collectiveRegistrationId)).toMatchObject({ status: 'completed', registered: 15 });
    }
  });

  it('two employers registering the same people at once: one period each, the other employer links', async () => {
    const [a, b] = [await newEmployer('A BV'), await newEmployer('B BV')];
    const list = await holders(10);
    const [ra, rb] = await Promise.all([register(a, { employees: rowsOf(list) }), register(b, { employees: rowsOf(list) })]);
    expect([ra.statusCode, rb.statusCode]).toEqual([201, 201]);
    const periods = await periodsOf(list);
    for (const [i, p] of periods.entries()) {
      expect(p).toHaveLength(1);
      const outcomes = [ra.json.participants[i].outcome, rb.json.participants[i].outcome].sort();
      expect(outcomes).toEqual(['linked', 'registered']);
      const payer = ra.json.participants[i].outcome === 'registered' ? a.employerId : b.employerId;
      expect(p[0].payer).toEqual({ type: 'employer', id: payer });
    }
    // Both are linked; each employee got one e-mail per collective registration.
    for (const h of list) {
      const pid = await participantIdOf(h.diplomaNumber);
      expect(await getLink(a.employerId, pid)).toBeDefined();
      expect(await getLink(b.employerId, pid)).toBeDefined();
    }
    expect(await mailsPer(list)).toEqual(Array(10).fill(2));
  });

  it('a write failing half-way leaves a state the retry completes: everyone registered once, mailed once', async () => {
    const employer = await newEmployer();
    const list = await holders(24);
    const body = { employees: rowsOf(list) };
    // The 1st transaction claims the key and writes the record; employees follow in transactions
    // of whole employees (≤ 100 items: 16 new employees), so the 3rd holds the last 8 or the first 16.
    const spy = failNthTransaction(3);
    const crashed = await register(employer, body, { key: 'crash-1' });
    spy.mockRestore();
    expect(crashed.statusCode).toBe(500);

    const record = await getIdempotencyRecord(employer.employerId, 'crash-1');
    expect(record).toMatchObject({ status: 'in-progress' });
    const enrolled = await listEnrolments(record!.resourceId);
    expect(enrolled.size).toBeGreaterThan(0);
    expect(enrolled.size).toBeLessThan(24);
    expect((await getCollectiveRegistration(employer.employerId, record!.resourceId))?.status).toBe('in-progress');
    // Whole employees only: each enrolled one has its period and link, the others nothing.
    for (const [i, periods] of (await periodsOf(list)).entries()) {
      const pid = await participantIdOf(list[i].diplomaNumber);
      expect(periods).toHaveLength(enrolled.has(pid) ? 1 : 0);
      expect(Boolean(await getLink(employer.employerId, pid))).toBe(enrolled.has(pid));
    }

    const retry = await register(employer, body, { key: 'crash-1' });

    expect(retry.statusCode).toBe(201);
    expect(retry.json.collectiveRegistrationId).toBe(record!.resourceId);
    // Those enrolled before the crash keep their outcome: they were registered by this request.
    expect((retry.json.participants as Answer[]).every((p) => p.outcome === 'registered')).toBe(true);
    await expectRegisteredOnceToday(list, employer.employerId);
    expect(await mailsPer(list)).toEqual(Array(24).fill(1));
    expect(await getCollectiveRegistration(employer.employerId, record!.resourceId)).toMatchObject({ status: 'completed', registered: 24, linked: 0 });
    expect((await register(employer, body, { key: 'crash-1' })).json).toEqual(retry.json);
  });

  it('a crash without a key is completed by sending the same list again', async () => {
    const employer = await newEmployer();
    const list = await holders(20);
    const spy = failNthTransaction(2);
    expect((await register(employer, { employees: rowsOf(list) })).statusCode).toBe(500);
    spy.mockRestore();
    expect((await periodsOf(list)).filter((p) => p.length === 1).length).toBeGreaterThan(0);
    const retry = await register(employer, { employees: rowsOf(list) });
    expect(retry.statusCode).toBe(201);
    expect((retry.json.participants as Answer[]).every((p) => p.outcome === 'registered')).toBe(true);
    await expectRegisteredOnceToday(list, employer.employerId);
    expect(await mailsPer(list)).toEqual(Array(20).fill(1));
  });

  it('e-mail failing half-way: the request still answers 201, the unsent stay pending, and the job (not the retry) sends them once', async () => {
    // Before the outbox this answered 500 and the retry sent the rest. Now everyone is enrolled and
    // the answer stored before any e-mail goes out, so a failing send only leaves work for the job.
    const employer = await newEmployer();
    const list = await holders(12);
    const ses = sesClient();
    const original = ses.send.bind(ses);
    let sent = 0;
    const spy = vi.spyOn(ses, 'send').mockImplementation(((cmd: unknown) => {
      if (cmd instanceof SendRawEmailCommand && ++sent === 5) return Promise.reject(Object.assign(new Error('SES down'), { name: 'ServiceUnavailable' }));
      return original(cmd as never);
    }) as never);
    const first = await register(employer, { employees: rowsOf(list) }, { key: 'mail-crash' });
    spy.mockRestore();
    expect(first.statusCode).toBe(201);
    await expectRegisteredOnceToday(list, employer.employerId);
    const before = await mailsPer(list);
    expect(before.every((n) => n <= 1)).toBe(true);
    const unsent = before.filter((n) => n === 0).length;
    expect(unsent).toBeGreaterThan(0);
    // The failed one is counted on its enrolment and its lease given back; all unsent ones wait in the outbox.
    const enrolments = [...(await listEnrolments(first.json.collectiveRegistrationId)).values()];
    const pendingRows = enrolments.filter((e) => !e.mailedAt);
    expect(pendingRows).toHaveLength(unsent);
    expect(pendingRows.filter((e) => e.attempts === 1 && e.lastError === 'ServiceUnavailable')).toHaveLength(1);
    expect(pendingRows.every((e) => e.leaseUntil === undefined)).toBe(true);
    expect(await countPendingMails()).toBe(unsent);
    expect(await getCollectiveRegistration(employer.employerId, first.json.collectiveRegistrationId)).toMatchObject({ status: 'completed', registered: 12 });

    const retry = await register(employer, { employees: rowsOf(list) }, { key: 'mail-crash' });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json).toEqual(first.json);
    expect(await mailsPer(list)).toEqual(before);

    const run = await runActivationMails(today);

    expect(run).toEqual({ job: 'activation-mails', asOf: today, sent: unsent, failed: 0, pending: 0 });
    expect(await mailsPer(list)).toEqual(Array(12).fill(1));
    await expectRegisteredOnceToday(list, employer.employerId);
  });
});

describe('the same list is the same registration, and an employee is mailed once per employer (issue 13.1)', () => {
  it('with an Idempotency-Key, then the same file without one: the first registration answers, nobody is mailed again', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const first = await register(employer, { employees: rowsOf(list) }, { key: 'hr-upload-1' });
    expect(first.statusCode).toBe(201);

    const again = await register(employer, { employees: rowsOf(list) });

    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json).toEqual(first.json);
    await expectRegisteredOnceToday(list, employer.employerId);
    expect(await mailsPer(list)).toEqual(Array(10).fill(1));
    // The same rows as CSV (Dutch dates, another key) are the same list too.
    const csv = `diplomaNumber;birthDate;email\r\n${list.map((h) => `${h.diplomaNumber};30-06-1988;${h.email}`).join('\r\n')}\r\n`;
    const asCsv = await register(employer, csv, { contentType: 'text/csv', key: 'hr-upload-2' });
    expect(asCsv.json).toEqual(first.json);
    expect(await mailsPer(list)).toEqual(Array(10).fill(1));
    // The key still belongs to that list: another body under it stays a 422.
    const other = await register(employer, { employees: rowsOf(list.slice(1)).concat(rowsOf(await holders(1))) }, { key: 'hr-upload-1' });
    expect(other.statusCode).toBe(422);
  });

  it('without a key, then the same file with one: the first registration answers, and the key is tied to it from then on', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const first = await register(employer, { employees: rowsOf(list) });
    expect(first.statusCode).toBe(201);

    const withKey = await register(employer, { employees: rowsOf(list) }, { key: 'hr-upload-late' });

    expect(withKey.statusCode).toBe(201);
    expect(withKey.headers['idempotent-replayed']).toBe('true');
    expect(withKey.json).toEqual(first.json);
    await expectRegisteredOnceToday(list, employer.employerId);
    expect(await mailsPer(list)).toEqual(Array(10).fill(1));
    expect(await getIdempotencyRecord(employer.employerId, 'hr-upload-late')).toMatchObject({ status: 'completed', resourceId: first.json.collectiveRegistrationId });
    const extra = await holders(1);
    expect((await register(employer, { employees: rowsOf([...list, ...extra]) }, { key: 'hr-upload-late' })).statusCode).toBe(422);
  });

  it('the same file sent at once with a key, with another key and without one: one registration, one e-mail each', async () => {
    const employer = await newEmployer();
    const list = await holders(12);
    const body = { employees: rowsOf(list) };

    const answers = await Promise.all([register(employer, body, { key: 'at-once-a' }), register(employer, body), register(employer, body, { key: 'at-once-b' })]);

    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.json.collectiveRegistrationId)).size).toBe(1);
    for (const a of answers) expect(a.json).toEqual(answers[0].json);
    await expectRegisteredOnceToday(list, employer.employerId);
    expect(await mailsPer(list)).toEqual(Array(12).fill(1));
    for (const key of ['at-once-a', 'at-once-b']) {
      expect(await getIdempotencyRecord(employer.employerId, key)).toMatchObject({ status: 'completed', resourceId: answers[0].json.collectiveRegistrationId });
    }
  });

  it('a later, different list naming the same employees links them without a second e-mail; asking themselves still mails them', async () => {
    const employer = await newEmployer();
    const list = await holders(10);
    const first = await register(employer, { employees: rowsOf(list) });
    expect(first.statusCode).toBe(201);
    const newcomers = await holders(4);
    const second = await register(employer, { employees: rowsOf([...list.slice(4), ...newcomers]) });

    expect(second.statusCode).toBe(201);
    expect(second.json.collectiveRegistrationId).not.toBe(first.json.collectiveRegistrationId);
    expect(await mailsPer(list)).toEqual(Array(10).fill(1));
    expect(await mailsPer(newcomers)).toEqual(Array(4).fill(1));
    // The repeated employees' enrolments leave the outbox unsent, naming the registration that mailed them.
    const enrolments = await listEnrolments(second.json.collectiveRegistrationId);
    for (const h of list.slice(4)) {
      const e = enrolments.get(await participantIdOf(h.diplomaNumber))!;
      expect(e.mailedAt).toBeUndefined();
      expect(e.mailSupersededBy).toBe(first.json.collectiveRegistrationId);
    }
    expect(await countPendingMails()).toBe(0);
    expect(await runActivationMails(today)).toMatchObject({ sent: 0, failed: 0, pending: 0 });
    expect(await mailsPer(list)).toEqual(Array(10).fill(1));

    // Their own request for a new e-mail is theirs to make.
    const me = list[5];
    expect((await invoke(requestActivation, { path: '/v1/activations', body: { diplomaNumber: me.diplomaNumber, birthDate: me.birthDate, email: me.email } })).statusCode).toBe(202);
    await whenActivationsIdle();
    await waitForMessages({ to: me.email }, 2);
  });

  it('two different lists with the same employees, sent at once, mail each employee once', async () => {
    const employer = await newEmployer();
    const shared = await holders(10);
    const [onlyA, onlyB] = [await holders(2), await holders(2)];

    const [a, b] = await Promise.all([
      register(employer, { employees: rowsOf([...shared, ...onlyA]) }),
      register(employer, { employees: rowsOf([...onlyB, ...shared]) }),
    ]);

    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json.collectiveRegistrationId).not.toBe(b.json.collectiveRegistrationId);
    expect(await mailsPer([...shared, ...onlyA, ...onlyB])).toEqual(Array(14).fill(1));
    // Each shared employee's e-mail belongs to one of the two registrations.
    for (const h of shared) expect([a.json.collectiveRegistrationId, b.json.collectiveRegistrationId]).toContain(await getActivationMailHolder(employer.employerId, await participantIdOf(h.diplomaNumber)));
    expect(await countPendingMails()).toBe(0);
  });
});
