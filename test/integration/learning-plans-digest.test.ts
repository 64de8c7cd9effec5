import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../shared/data/client';
import { addDays } from '../../shared/domain/dates';
import { runExpiryNotices } from '../../shared/services/notices';
import { employerDigestEmail } from '../../shared/email/templates/notices';
import { formatDate } from '../../shared/i18n';
import * as putPlan from '../../functions/http/put-learning-plan';
import * as assignPlan from '../../functions/http/assign-learning-plan';
import * as getReport from '../../functions/http/get-employer-report';
import { invoke, waitForMessages } from '../setup/helpers';
import { holders, newEmployer, participantIdOf, register, rowsOf, today, type Employer } from './employers.fixtures';

/*
 * The monthly digest names each planned employee's open requirements: period topics still open
 * and deadlines within 90 days (or passed) — Dutch as sent, English as rendered.
 */

const soon = addDays(today, 30);
const far = addDays(today, 200);
let a: Employer;
let hr: string;
let names: Record<string, string>;
let ids: string[];

beforeAll(async () => {
  a = await newEmployer('Digest Uitzend BV');
  hr = `hr.${randomBytes(4).toString('hex')}@example.nl`;
  await db().send(
    new UpdateCommand({ TableName: tableName(), Key: { pk: `EMPLOYER#${a.employerId}`, sk: 'PROFILE' }, UpdateExpression: 'SET contactEmail = :c', ExpressionAttributeValues: { ':c': hr } }),
  );
  const list = await holders(10);
  expect((await register(a, { employees: rowsOf(list) })).statusCode).toBe(201);
  ids = await Promise.all(list.map((h) => participantIdOf(h.diplomaNumber)));
  const put = await invoke(putPlan, {
    method: 'PUT',
    path: `/v1/employers/${a.employerId}/learning-plans/intercedent`,
    apiKey: a.apiKey,
    body: {
      name: 'Intercedenten',
      topicsPerPeriod: ['T11'],
      deadlines: [
        { topic: 'T03', before: soon, reason: 'Nieuwe cao' },
        { topic: 'T04', before: far, reason: 'Later' },
      ],
    },
  });
  expect(put.statusCode).toBe(200);
  for (const id of ids.slice(0, 2)) {
    expect((await invoke(assignPlan, { method: 'PUT', path: `/v1/employers/${a.employerId}/employees/${id}/learning-plan`, apiKey: a.apiKey, body: { planId: 'intercedent' } })).statusCode).toBe(200);
  }
  // The second employee has done both T11 and T03: nothing open within 90 days (T04 is further off).
  await db().send(new PutCommand({ TableName: tableName(), Item: { pk: 'ACTIVITY#act_DGST', sk: 'ACTIVITY', type: 'activity', activityId: 'act_DGST', topics: ['T11', 'T03'] } }));
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: { pk: 'CREDIT#crd_dgst', sk: 'CREDIT', type: 'credit', creditId: 'crd_dgst', participantId: ids[1], activityId: 'act_DGST', activityTitle: 'Cao', points: 2, completedOn: today, registrationStartsOn: today, gsi1pk: `PARTICIPANT#${ids[1]}`, gsi1sk: `CREDIT#${today}#crd_dgst` },
    }),
  );
  const rows = (await invoke(getReport, { path: `/v1/employers/${a.employerId}/report`, apiKey: a.apiKey })).json.employees as { participantId: string; name: string; registrationNumber: string }[];
  names = Object.fromEntries(rows.map((r) => [r.participantId, `${r.name} (${r.registrationNumber})`]));
});

describe('the monthly digest and learning plans', () => {
  it('an employer with no one at risk still gets it for open plan requirements, naming each, in Dutch', async () => {
    const summary = await runExpiryNotices(today);
    expect(summary.employerDigests).toBe(1);
    const [mail] = await waitForMessages({ to: hr });
    expect(mail.subject).toMatch(/^PE-overzicht .+: 1 medewerker met open onderdelen in de leerlijn$/);
    const text = mail.body.text!;
    expect(text).toContain(`${names[ids[0]]}, leerlijn Intercedenten:`);
    expect(text).toContain('T11 Privacy (AVG) in werving en selectie: in deze registratieperiode');
    expect(text).toContain(`T03 Cao voor uitzendkrachten: uiterlijk ${formatDate('nl', addDays(soon, -1))} (Nieuwe cao)`);
    // Beyond 90 days: not yet worth a reminder; the employee with nothing open is not named.
    expect(text).not.toContain('T04');
    expect(text).not.toContain(names[ids[1]]);
    expect(mail.body.html).toContain('<th scope="col">Nog open</th>');
    expect(mail.body.html).toContain('/werkgever/leerlijnen');
    // Once a month: a second run sends nothing more.
    expect((await runExpiryNotices(today)).employerDigests).toBe(0);
  });

  it('rendered in English, and beside the at-risk employees when there are some', () => {
    const plans = [
      {
        name: 'A. Bakker',
        registrationNumber: 'PE-ABC123',
        planName: 'Recruiters',
        open: [
          { topic: 'T11', topicName: 'Privacy', kind: 'period' as const },
          { topic: 'T03', topicName: 'Cao', kind: 'deadline' as const, before: '2027-03-01', reason: 'New cao' },
          { topic: 'T04', topicName: 'Equal pay', kind: 'deadline' as const, before: '2026-11-01', reason: 'Law' },
        ],
      },
    ];
    const en = employerDigestEmail({ to: 'hr@example.nl', language: 'en', employerName: 'Flex', month: '2026-12', asOf: '2026-12-01', employees: [], plans });
    expect(en.subject).toBe('PE overview December 2026: 1 employee with open learning plan requirements');
    expect(en.text).toContain('A. Bakker (PE-ABC123), learning plan Recruiters:');
    expect(en.text).toContain('T11 Privacy: in this registration period');
    expect(en.text).toContain('T03 Cao: by 28 February 2027 (New cao)');
    expect(en.text).toContain('T04 Equal pay: was due by 31 October 2026 (Law)');
    expect(en.html).toContain('<th scope="col">Still open</th>');
    const mixed = employerDigestEmail({
      to: 'hr@example.nl',
      employerName: 'Flex',
      month: '2026-12',
      asOf: '2026-12-01',
      employees: [{ name: 'B. Jansen', registrationNumber: 'PE-XYZ789', endsOn: '2027-01-15', pointsEarned: 4, pointsMissing: 8 }],
      plans,
    });
    expect(mixed.subject).toMatch(/aflopende registratie/);
    expect(mixed.text).toContain('B. Jansen (PE-XYZ789)');
    expect(mixed.text).toContain('Open onderdelen van leerlijnen');
    expect(mixed.text).toContain('T03 Cao: uiterlijk 28 februari 2027 (Nieuwe cao)'.replace('Nieuwe cao', 'New cao'));
  });
});
