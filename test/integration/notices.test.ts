/**
 * The expiry-notices job against DynamoDB Local and the SES emulator: every threshold, the
 * catch-up rule, renewed and lapsed periods, no e-mail, concurrent reruns, a crash after the claim,
 * SES throttling (aws-sdk-client-mock on the SES client: the one place a mock is right), both
 * languages, the index-only reads, and the employer digest.
 *
 * Each test gets a table of its own (the job reads the whole due index as of a date, so fixtures
 * of one test would otherwise be due in the next).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import * as runJobHandler from '../../functions/http/run-job';
import * as updateEmployer from '../../functions/http/update-employer';
import * as scheduled from '../../functions/scheduled/expiry-notices';
import { invoke, sesMessages } from '../setup/helpers';
import { ensureTable, localDynamoClient } from '../../infra/local/dynamo';
import { db, resetDb, tableName } from '../../shared/data/client';
import { createApiKey } from '../../shared/data/api-keys';
import { createEmployer } from '../../shared/data/organisations';
import { getDiploma, getParticipant, listRegistrations, participantPk, startPeriodItems } from '../../shared/data/participants';
import { transact } from '../../shared/data/client';
import { claimNotice, completeNotice, getDigest, listNotices, queryDueNotices } from '../../shared/data/notices';
import { importDiplomas } from '../../shared/services/diplomas';
import { renew } from '../../shared/services/registrations';
import { planExpiryNotices, runExpiryNotices, type NoticeRunOptions } from '../../shared/services/notices';
import { sesClient } from '../../shared/email/send';
import { sesAnswers } from './ses-faults';
import { addDays, addYears, dutchDate } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import type { ApiKeyRecord } from '../../shared/data/api-keys';

const today = todayInAmsterdam();
const admin = { role: 'admin', id: 'admin' };
const adminCaller: ApiKeyRecord = { keyId: 'key_test', role: 'admin', ownerId: 'admin', createdAt: new Date().toISOString() };

// ---------------------------------------------------------------- a table per test

let testTable: string | undefined;
beforeEach(async () => {
  testTable = `pe-notices-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  await ensureTable(process.env.DYNAMODB_ENDPOINT!, testTable);
  process.env.TABLE_NAME = testTable;
  resetDb();
});
afterEach(async () => {
  vi.restoreAllMocks();
  resetDb();
  const client = localDynamoClient(process.env.DYNAMODB_ENDPOINT!);
  await client.send(new DeleteTableCommand({ TableName: testTable })).catch(() => undefined);
  client.destroy();
});

// ---------------------------------------------------------------- fixtures

let seq = 0;
interface Fixture {
  participantId: string;
  email?: string;
  startsOn: string;
  endsOn: string;
}

/**
 * A participant imported the way the admin does it (so the period goes through startPeriodItems),
 * with points set on the period. Default: a period that ends ~630 days from now.
 */
async function participant(over: { issuedOn?: string; email?: string | null; language?: 'nl' | 'en'; points?: number } = {}): Promise<Fixture> {
  seq++;
  const diplomaNumber = `N${Date.now().toString(36).toUpperCase()}${seq}`;
  const email = over.email === null ? undefined : (over.email ?? `notice${seq}.${Date.now()}.${randomBytes(2).toString('hex')}@example.nl`);
  const issuedOn = over.issuedOn ?? addDays(today, -100);
  await importDiplomas(
    [
      {
        diplomaNumber,
        type: 'uitzendprofessional',
        issuedOn,
        holder: { initials: 'A.B.', lastName: `Notice${seq}`, birthDate: '1985-06-01', ...(email ? { email } : {}), ...(over.language ? { language: over.language } : {}) },
      },
    ],
    admin,
    today,
  );
  const participantId = (await getDiploma(diplomaNumber))!.participantId as string;
  const [reg] = await listRegistrations(participantId);
  if (over.points) await setPoints(participantId, reg.startsOn, over.points);
  return { participantId, email, startsOn: reg.startsOn, endsOn: reg.endsOn };
}

async function setPoints(participantId: string, startsOn: string, points: number) {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: participantPk(participantId), sk: `REG#${startsOn}` },
      UpdateExpression: 'SET points = :p',
      ExpressionAttributeValues: { ':p': points },
    }),
  );
}

async function registrationItem(participantId: string, startsOn: string) {
  const res = await db().send(new GetCommand({ TableName: tableName(), Key: { pk: participantPk(participantId), sk: `REG#${startsOn}` }, ConsistentRead: true }));
  return res.Item!;
}

const run = (asOf: string, opts: NoticeRunOptions = {}) => runExpiryNotices(asOf, opts);
const mailsTo = (f: Fixture) => sesMessages({ to: f.email! });

// ---------------------------------------------------------------- the due index

describe('the due index is kept by every period change', () => {
  it('a period starting now is keyed on endsOn − 90 in one of 4 shards', async () => {
    const f = await participant();
    const item = await registrationItem(f.participantId, f.startsOn);
    expect(item.gsi3pk).toMatch(/^NOTICEDUE#[0-3]$/);
    expect(item.gsi3sk).toBe(`${addDays(f.endsOn, -90)}#${f.participantId}#${f.startsOn}`);
  });

  it('a period recorded late is keyed on the latest countdown date passed; one that had ended, not at all', async () => {
    const late = await participant({ issuedOn: addDays(addYears(today, -2), 20) }); // ends in ~20 days
    const lateItem = await registrationItem(late.participantId, late.startsOn);
    expect(lateItem.gsi3sk).toBe(`${addDays(late.endsOn, -30)}#${late.participantId}#${late.startsOn}`);
    const ended = await participant({ issuedOn: addDays(addYears(today, -2), -5) });
    expect((await registrationItem(ended.participantId, ended.startsOn)).gsi3pk).toBeUndefined();
  });

  it('a renewal takes the renewed period out of the index and keys the new one', async () => {
    const f = await participant({ points: 12 });
    const renewal = await renew((await getParticipant(f.participantId))!, adminCaller, addDays(f.endsOn, -40));
    const old = await registrationItem(f.participantId, f.startsOn);
    expect(old.gsi3pk).toBeUndefined();
    expect(old.gsi3sk).toBeUndefined();
    const next = await registrationItem(f.participantId, renewal.startsOn);
    expect(next.gsi3sk).toBe(`${addDays(renewal.endsOn, -90)}#${f.participantId}#${renewal.startsOn}`);
  });

  it('the job queries only the due entries, never scans', async () => {
    const due = await Promise.all([participant(), participant()]);
    await Promise.all(Array.from({ length: 20 }, () => participant({ issuedOn: addDays(today, -20) }))); // end ~80 days later: not due
    const client = db();
    const original = client.send.bind(client);
    const commands: string[] = [];
    let indexItemsRead = 0;
    vi.spyOn(client, 'send').mockImplementation((async (cmd: { input: Record<string, unknown> }) => {
      commands.push(cmd.constructor.name);
      const out = await original(cmd as never);
      // The notices' read (the digest's monthly at-risk read carries a filter and is counted apart).
      if (cmd instanceof QueryCommand && cmd.input.IndexName === 'gsi3' && !cmd.input.FilterExpression) indexItemsRead += (out as { ScannedCount?: number }).ScannedCount ?? 0;
      return out;
    }) as never);
    // Both "due" fixtures share an endsOn to the day (imported the same day with the same issuedOn).
    const asOf = addDays(due[0].endsOn, -90);
    const summary = await run(asOf);
    expect(summary.due).toBe(2);
    expect(summary.sent).toBe(2);
    expect(indexItemsRead).toBe(2);
    expect(commands).not.toContain(ScanCommand.name);
  });
});

// ---------------------------------------------------------------- what is sent

describe('notices', () => {
  it('sends each threshold on its day — 90, 30, 7, lapse — and nothing in between; then the period leaves the index', async () => {
    const f = await participant({ points: 4.5 });
    const E = f.endsOn;
    const steps: [string, string | null][] = [
      [addDays(E, -91), null],
      [addDays(E, -90), '90'],
      [addDays(E, -89), null],
      [addDays(E, -31), null],
      [addDays(E, -30), '30'],
      [addDays(E, -8), null],
      [addDays(E, -7), '7'],
      [addDays(E, -1), null],
      [E, 'lapsed'],
      [addDays(E, 1), null],
      [addDays(E, 400), null],
    ];
    for (const [asOf, kind] of steps) {
      const s = await run(asOf);
      expect({ asOf, sent: s.sent, due: s.due }).toEqual({ asOf, sent: kind ? 1 : 0, due: kind ? 1 : 0 });
      if (kind) expect(s.byKind[kind as '90']).toBe(1);
    }
    const mails = await mailsTo(f);
    expect(mails.map((m) => m.subject)).toEqual([
      `Je PE-registratie is geldig tot en met ${dutchDate(addDays(E, -1))}: nog 7,5 punten nodig`,
      expect.stringMatching(/^Je PE-registratie is geldig tot en met /),
      expect.stringMatching(/^Je PE-registratie is geldig tot en met /),
      'Je PE-registratie is verlopen',
    ]);
    expect(mails[0].body.text).toContain('nog 90 dagen');
    expect(mails[0].body.text).toContain(`scholingskalender?from=${addDays(E, -90)}`);
    expect(mails[2].body.text).toContain('nog 7 dagen');
    expect(mails[3].body.text).toContain('Je diploma blijft geldig');
    const item = await registrationItem(f.participantId, f.startsOn);
    expect(item).toMatchObject({ lastNoticeKind: 'lapsed', lastNoticeOn: E });
    expect(item.gsi3pk).toBeUndefined();
    const outbox = await listNotices(f.participantId, f.startsOn);
    expect(outbox.map((o) => [o.kind, o.outboxStatus])).toEqual([
      ['30', 'sent'],
      ['7', 'sent'],
      ['90', 'sent'],
      ['lapsed', 'sent'],
    ]);
    expect(outbox.every((o) => typeof o.messageId === 'string' && o.attempts === 1)).toBe(true);
  });

  it('catches missed runs up with the latest notice only, and never an earlier one after it', async () => {
    const a = await participant();
    const b = await participant();
    const E = a.endsOn;
    // Nothing ran for 90 days: one e-mail, the 7-day notice.
    const first = await run(addDays(E, -5));
    expect(first).toMatchObject({ due: 2, sent: 2, byKind: { '90': 0, '30': 0, '7': 2, lapsed: 0 } });
    expect((await mailsTo(a)).map((m) => m.body.text)).toEqual([expect.stringContaining('nog 5 dagen')]);
    // A rerun as of an earlier day (the 30-day notice's) sends nothing: 30 never follows 7.
    expect((await run(addDays(E, -30))).sent).toBe(0);
    expect((await run(addDays(E, -4))).sent).toBe(0);
    // Months later: only the lapse notice.
    const later = await run(addDays(E, 60));
    expect(later).toMatchObject({ sent: 2, byKind: { lapsed: 2 } });
    expect(await mailsTo(a)).toHaveLength(2);
    expect(await mailsTo(b)).toHaveLength(2);
  });

  it('a participant first seen after the end gets one lapse notice, not four', async () => {
    const f = await participant();
    const s = await run(addDays(f.endsOn, 3));
    expect(s).toMatchObject({ due: 1, sent: 1, byKind: { lapsed: 1, '90': 0, '30': 0, '7': 0 } });
    expect((await mailsTo(f)).map((m) => m.subject)).toEqual(['Je PE-registratie is verlopen']);
  });

  it('tells a participant with 12 points to renew, and a renewed period gets nothing more', async () => {
    const f = await participant({ points: 12 });
    expect((await run(addDays(f.endsOn, -90))).sent).toBe(1);
    expect((await mailsTo(f))[0].subject).toMatch(/^Verleng je PE-registratie uiterlijk /);
    expect((await mailsTo(f))[0].body.text).toContain('Verleng nu je registratie');

    await renew((await getParticipant(f.participantId))!, adminCaller, addDays(f.endsOn, -60));
    for (const asOf of [addDays(f.endsOn, -30), addDays(f.endsOn, -7), f.endsOn, addDays(f.endsOn, 10)]) {
      expect(await run(asOf)).toMatchObject({ due: 0, sent: 0 });
    }
    expect(await mailsTo(f)).toHaveLength(1);
  });

  it('skips (and unindexes) a period followed by a later one the index still shows: re-activated before its lapse notice went out', async () => {
    const f = await participant();
    // Lapsed on E; the job did not run; the participant re-activated 10 days later.
    const reactivation = startPeriodItems({
      participantId: f.participantId,
      startsOn: addDays(f.endsOn, 10),
      kind: 're-activation',
      payer: { type: 'participant', id: f.participantId },
      actor: { role: 'participant', id: f.participantId },
      tariffs: [],
      profile: (await getParticipant(f.participantId, true))!,
    });
    await transact(reactivation.items);
    const s = await run(addDays(f.endsOn, 20));
    expect(s).toMatchObject({ due: 1, sent: 0, skippedRenewed: 1 });
    expect(await mailsTo(f)).toHaveLength(0);
    const old = await registrationItem(f.participantId, f.startsOn);
    expect(old.gsi3pk).toBeUndefined();
    expect(old.noticesEnded).toBe('superseded');
  });

  it('a renewal racing a claimed notice: the notice is recorded, the renewed period stays out of the index', async () => {
    const f = await participant({ points: 12 });
    const asOf = addDays(f.endsOn, -30);
    const [entry] = await queryDueNotices(asOf);
    const token = await claimNotice({ entry, kind: '30', runId: 'run_A', asOf, now: new Date(), leaseMs: 60_000 });
    expect(token).toBeTypeOf('string');
    await renew((await getParticipant(f.participantId))!, adminCaller, asOf);
    expect(await completeNotice({ entry, kind: '30', token: token!, asOf, messageId: 'm-1', now: new Date() })).toBe(true);
    const item = await registrationItem(f.participantId, f.startsOn);
    expect(item.lastNoticeKind).toBe('30');
    expect(item.gsi3pk).toBeUndefined();
    expect((await listNotices(f.participantId, f.startsOn))[0]).toMatchObject({ outboxStatus: 'sent', messageId: 'm-1' });
  });

  it('counts participants without an e-mail address once per notice, and moves them on', async () => {
    const f = await participant({ email: null });
    const withMail = await participant();
    const asOf = addDays(f.endsOn, -90);
    expect(await run(asOf)).toMatchObject({ due: 2, sent: 1, noEmail: 1 });
    expect(await run(asOf)).toMatchObject({ due: 0, sent: 0, noEmail: 0 });
    expect((await listNotices(f.participantId, f.startsOn))[0]).toMatchObject({ kind: '90', outboxStatus: 'no-email' });
    expect((await registrationItem(f.participantId, f.startsOn)).gsi3sk).toMatch(new RegExp(`^${addDays(f.endsOn, -30)}#`));
    expect(await run(addDays(f.endsOn, -30))).toMatchObject({ noEmail: 1, sent: 1 });
    expect(await mailsTo(withMail)).toHaveLength(2);
  });

  it('writes English to a participant who chose English', async () => {
    const f = await participant({ language: 'en', points: 3 });
    await run(addDays(f.endsOn, -30));
    await run(addDays(f.endsOn, 1));
    const mails = await mailsTo(f);
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/^Your PE registration is valid until and including .*: 9 points still needed$/), 'Your PE registration has lapsed']);
    expect(mails[0].body.html).toContain('<html lang="en">');
    expect(mails[1].body.text).toContain('Your diploma stays valid');
  });

  it('records each sent notice in the audit trail', async () => {
    const f = await participant();
    await run(addDays(f.endsOn, -90));
    const events = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': participantPk(f.participantId), ':e': 'EVENT#' },
      }),
    );
    const notices = (events.Items ?? []).filter((e) => e.action === 'notice.sent');
    expect(notices).toHaveLength(1);
    expect(notices[0].detail).toMatchObject({ kind: '90', asOf: addDays(f.endsOn, -90) });
  });
});

// ---------------------------------------------------------------- exactly once

describe('exactly once', () => {
  it('6 runs in parallel send each notice once', async () => {
    const fixtures = await Promise.all(Array.from({ length: 8 }, () => participant()));
    const asOf = addDays(fixtures[0].endsOn, -30);
    const summaries = await Promise.all(Array.from({ length: 6 }, () => run(asOf)));
    expect(summaries.reduce((n, s) => n + s.sent, 0)).toBe(8);
    for (const f of fixtures) expect(await mailsTo(f)).toHaveLength(1);
    // Whoever lost a race saw the notice taken, not failed.
    expect(summaries.reduce((n, s) => n + s.failed, 0)).toBe(0);
    expect((await run(asOf)).sent).toBe(0);
  });

  it('parallel runs as of different days never send an earlier notice after a later one', async () => {
    const fixtures = await Promise.all(Array.from({ length: 5 }, () => participant()));
    const E = fixtures[0].endsOn;
    await Promise.all([addDays(E, -30), addDays(E, -7), addDays(E, -30), addDays(E, -7), addDays(E, -30)].map((d) => run(d)));
    await run(addDays(E, -7));
    for (const f of fixtures) {
      const sent = (await listNotices(f.participantId, f.startsOn))
        .filter((o) => o.outboxStatus === 'sent')
        .sort((x, y) => String(x.sentAt).localeCompare(String(y.sentAt)))
        .map((o) => o.kind);
      // "30 then 7", or "7" alone when a 7-day run got there first; never 7 then 30, never twice.
      expect([['30', '7'], ['7']]).toContainEqual(sent);
      expect(await mailsTo(f)).toHaveLength(sent.length);
    }
  });

  it('a crash after the claim: nothing is lost — the next run after the lease sends it, once', async () => {
    const f = await participant();
    const asOf = addDays(f.endsOn, -90);
    const [entry] = await queryDueNotices(asOf);
    // A run claimed the notice and died before SES was called.
    const t0 = new Date();
    expect(await claimNotice({ entry, kind: '90', runId: 'run_crashed', asOf, now: t0, leaseMs: 15 * 60_000 })).toBeTypeOf('string');

    // While the lease holds, other runs leave it alone (the claimant might still be sending).
    expect(await run(asOf)).toMatchObject({ due: 1, sent: 0, inFlight: 1 });
    expect(await mailsTo(f)).toHaveLength(0);

    // After the lease: the next run sends it, and only once.
    const later = () => new Date(t0.getTime() + 16 * 60_000);
    const results = await Promise.all([run(asOf, { now: later }), run(asOf, { now: later }), run(asOf, { now: later })]);
    expect(results.reduce((n, s) => n + s.sent, 0)).toBe(1);
    expect(await mailsTo(f)).toHaveLength(1);
    const [outbox] = await listNotices(f.participantId, f.startsOn);
    expect(outbox).toMatchObject({ kind: '90', outboxStatus: 'sent', attempts: 2 });
    expect(outbox.runId).not.toBe('run_crashed');
    expect((await run(asOf, { now: later })).sent).toBe(0);
  });

  it('a crash between SES and the mark: the notice goes out again after the lease (the documented at-least-once boundary), and is then recorded', async () => {
    const f = await participant();
    const asOf = addDays(f.endsOn, -90);
    const client = db();
    const original = client.send.bind(client);
    // The completion transaction (outbox → sent) is lost, as in a crash right after SES answered.
    const spy = vi.spyOn(client, 'send').mockImplementation(((cmd: { input: { TransactItems?: { Update?: { UpdateExpression?: string } }[] } }) => {
      if (cmd instanceof TransactWriteCommand && cmd.input.TransactItems?.[0]?.Update?.UpdateExpression?.startsWith('SET #os = :ostatus')) {
        return Promise.reject(Object.assign(new Error('crash'), { name: 'NetworkingError' }));
      }
      return original(cmd as never);
    }) as never);
    expect((await run(asOf)).sent).toBe(1);
    spy.mockRestore();
    expect((await run(asOf)).sent).toBe(0); // lease still held
    const later = () => new Date(Date.now() + 16 * 60_000);
    expect((await run(asOf, { now: later })).sent).toBe(1);
    expect(await mailsTo(f)).toHaveLength(2);
    expect((await listNotices(f.participantId, f.startsOn))[0]).toMatchObject({ outboxStatus: 'sent', attempts: 2 });
    expect((await run(asOf, { now: later })).sent).toBe(0);
  });
});

// ---------------------------------------------------------------- SES realities

describe('SES throttling', () => {
  it('a throttled send is retried by the SES client (the one retry layer) and sent once', async () => {
    const f = await participant();
    const ses = sesAnswers(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    try {
      expect(await run(addDays(f.endsOn, -90))).toMatchObject({ sent: 1, failed: 0 });
      expect(ses.calls()).toBe(2);
    } finally {
      ses.restore();
    }
    expect(await mailsTo(f)).toHaveLength(1);
    expect((await listNotices(f.participantId, f.startsOn))[0]).toMatchObject({ outboxStatus: 'sent', attempts: 1 });
  });

  it('a send still throttled after the client gave up is tried once (no retry loop on top), counted failed, stays due, and the next run sends it once', async () => {
    const f = await participant();
    const other = await participant({ issuedOn: addDays(today, -99) }); // due a day later
    const asOf = addDays(f.endsOn, -90);
    // aws-sdk-client-mock answers above the client's retries: as the client does once it gave up.
    const ses = mockClient(sesClient());
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }));
    try {
      const s = await run(asOf);
      expect(s).toMatchObject({ due: 1, sent: 0, failed: 1 });
      expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(1);
    } finally {
      ses.restore();
    }
    expect((await listNotices(f.participantId, f.startsOn))[0]).toMatchObject({ outboxStatus: 'failed', lastError: 'Throttling' });
    expect((await registrationItem(f.participantId, f.startsOn)).gsi3sk).toMatch(new RegExp(`^${asOf}#`));
    // The next day's run: the failed notice (still the latest due) goes out, plus the other one.
    const next = await run(addDays(asOf, 1));
    expect(next).toMatchObject({ sent: 2, failed: 0 });
    expect(await mailsTo(f)).toHaveLength(1);
    expect(await mailsTo(other)).toHaveLength(1);
    expect((await listNotices(f.participantId, f.startsOn))[0]).toMatchObject({ outboxStatus: 'sent', attempts: 2 });
  });

  it('a rejected message (not retryable) is not retried', async () => {
    const f = await participant();
    const ses = sesAnswers(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } }));
    try {
      expect(await run(addDays(f.endsOn, -90))).toMatchObject({ failed: 1 });
      expect(ses.calls()).toBe(1);
    } finally {
      ses.restore();
    }
    expect((await listNotices(f.participantId, f.startsOn))[0]).toMatchObject({ outboxStatus: 'failed', lastError: 'MessageRejected' });
  });
});

// ---------------------------------------------------------------- entry points

describe('entry points', () => {
  it('POST /v1/jobs/expiry-notices/runs {asOf} runs it as of that date (admin only)', async () => {
    // Ends in 7 days: its notice is due today (a run may not be dated ahead of today).
    const f = await participant({ issuedOn: addDays(addYears(today, -2), 7) });
    const { apiKey } = await createApiKey('admin', 'admin');
    const body = { asOf: addDays(f.endsOn, -7) };
    expect(body.asOf).toBe(today);
    const res = await invoke(runJobHandler, { path: '/v1/jobs/expiry-notices/runs', apiKey, body });
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({
      job: 'expiry-notices',
      asOf: body.asOf,
      due: 1,
      sent: 1,
      byKind: { '90': 0, '30': 0, '7': 1, lapsed: 0 },
      noEmail: 0,
      undeliverable: 0,
      failed: 0,
      skippedRenewed: 0,
      inFlight: 0,
      deferred: 0,
      employerDigests: 0,
      employerDigestsFailed: 0,
      employerDigestsNoContact: 0,
    });
    const again = await invoke(runJobHandler, { path: '/v1/jobs/expiry-notices/runs', apiKey, body });
    expect(again.json).toMatchObject({ due: 0, sent: 0 });
    const { apiKey: employerKey } = await createApiKey('employer', 'emp_x');
    expect((await invoke(runJobHandler, { path: '/v1/jobs/expiry-notices/runs', apiKey: employerKey, body })).statusCode).toBe(403);
  });

  it('the scheduled handler runs as of the scheduled instant’s date in Amsterdam', async () => {
    const f = await participant();
    const due = addDays(f.endsOn, -90);
    // 23:30 UTC the day before is 00:30 or 01:30 the next day in Amsterdam.
    const summary = await scheduled.handler({ job: 'expiry-notices', scheduledTime: `${addDays(due, -1)}T23:30:00Z` });
    expect(summary).toMatchObject({ asOf: due, sent: 1 });
  });

  it('the scheduled handler fails the invocation when notices stay due, so Lambda retries and the DLQ alarm fires', async () => {
    const f = await participant();
    const ses = mockClient(sesClient());
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }));
    try {
      await expect(scheduled.handler({ job: 'expiry-notices', scheduledTime: `${addDays(f.endsOn, -90)}T05:00:00Z` })).rejects.toThrow(/1 notice\(s\)\/digest\(s\) still due/);
    } finally {
      ses.restore();
    }
  }, 60_000);
});

// ---------------------------------------------------------------- employer digest

describe('employer digest', () => {
  /** An employer with an HR address (`contactEmail`, where digests go) and a separate invoice mailbox. */
  async function employer(name: string, opts: { contact?: boolean } = {}) {
    const tag = `${name.toLowerCase().replace(/\W/g, '')}.${Date.now()}.${randomBytes(2).toString('hex')}`;
    const invoiceEmail = `facturen.${tag}@example.nl`;
    const contactEmail = `hr.${tag}@example.nl`;
    const { employerId } = await createEmployer(
      {
        name,
        kvkNumber: '12345678',
        invoiceEmail,
        ...(opts.contact === false ? {} : { contactEmail }),
        address: { street: 'Straat 1', postalCode: '1234 AB', city: 'Utrecht', country: 'NL' },
      },
      admin,
    );
    return { employerId, invoiceEmail, contactEmail };
  }

  /** A link in the shape the employers branch writes it. */
  async function link(employerId: string, participantId: string, unlinked = false) {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          pk: `EMPLOYER#${employerId}`,
          sk: `EMPLOYEE#${participantId}`,
          type: 'employerLink',
          employerId,
          participantId,
          linkedOn: today,
          ...(unlinked ? { unlinkedAt: new Date().toISOString() } : {}),
          gsi1pk: `PARTICIPANT#${participantId}`,
          gsi1sk: `EMPLOYER#${employerId}`,
        },
      }),
    );
  }

  /** The 1st of a month about a year ahead, and an issue date giving a period that ends `days` after it. */
  const D = `${addDays(today, 365).slice(0, 7)}-01`;
  const endingIn = (days: number) => addYears(addDays(D, days), -2);

  it('one e-mail per employer with its at-risk employees, once a month, also with parallel runs', async () => {
    const e1 = await employer('Flex Eén');
    const e2 = await employer('Flex Twee');
    const a = await participant({ issuedOn: endingIn(60), points: 4 });
    const b = await participant({ issuedOn: endingIn(30), points: 0 });
    const fullPoints = await participant({ issuedOn: endingIn(60), points: 12 });
    const unlinked = await participant({ issuedOn: endingIn(45), points: 2 });
    const farOff = await participant({ issuedOn: endingIn(200), points: 1 });
    const lapsedAlready = await participant({ issuedOn: endingIn(-3), points: 1 });
    for (const p of [a, b, fullPoints, farOff, lapsedAlready]) await link(e1.employerId, p.participantId);
    await link(e1.employerId, unlinked.participantId, true);
    await link(e2.employerId, b.participantId);

    const summaries = await Promise.all(Array.from({ length: 5 }, () => run(D)));
    expect(summaries.reduce((n, s) => n + s.employerDigests, 0)).toBe(2);

    const [m1] = await sesMessages({ to: e1.contactEmail });
    expect(await sesMessages({ to: e1.contactEmail })).toHaveLength(1);
    // The digest names employees: HR's address, never the invoice mailbox.
    expect(await sesMessages({ to: e1.invoiceEmail })).toHaveLength(0);
    expect(m1.subject).toMatch(/^PE-overzicht .* 2\d{3}: 2 medewerkers met een aflopende registratie$/);
    const lines = m1.body.text!.split('\n').filter((l) => l.startsWith('- '));
    const names = async (p: Fixture) => (await getParticipant(p.participantId))!.registrationNumber;
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(await names(b)); // soonest end first
    expect(lines[0]).toContain('0 punten behaald, nog 12 punten nodig');
    expect(lines[1]).toContain(await names(a));
    expect(lines[1]).toContain('4 punten behaald, nog 8 punten nodig');
    const [m2] = await sesMessages({ to: e2.contactEmail });
    expect(await sesMessages({ to: e2.contactEmail })).toHaveLength(1);
    expect(m2.body.text).toContain(await names(b));
    expect(m2.body.text).not.toContain(await names(a));
    expect(await getDigest(e1.employerId, D.slice(0, 7))).toMatchObject({ outboxStatus: 'sent', employees: 2 });

    // The rest of the month: nothing more, whatever the day.
    expect((await run(D)).employerDigests).toBe(0);
    expect((await run(addDays(D, 9))).employerDigests).toBe(0);
    expect(await sesMessages({ to: e1.contactEmail })).toHaveLength(1);
  });

  it('a missed 1st is caught up the next day; a failed digest stays due; next month brings a new one', async () => {
    const e1 = await employer('Flex Drie');
    const a = await participant({ issuedOn: endingIn(80), points: 4 });
    await link(e1.employerId, a.participantId);

    const ses = mockClient(sesClient());
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }));
    let first;
    try {
      first = await run(addDays(D, 1));
    } finally {
      ses.restore();
    }
    expect(first).toMatchObject({ employerDigests: 0, employerDigestsFailed: 1 });
    expect(await getDigest(e1.employerId, D.slice(0, 7))).toMatchObject({ outboxStatus: 'failed' });

    expect(await run(addDays(D, 2))).toMatchObject({ employerDigests: 1, employerDigestsFailed: 0 });
    expect(await run(addDays(D, 3))).toMatchObject({ employerDigests: 0 });
    // Next month, still at risk (ends ~50 days later): a new digest.
    const nextMonth = `${addDays(D, 40).slice(0, 7)}-01`;
    expect(await run(nextMonth)).toMatchObject({ employerDigests: 1 });
    expect(await sesMessages({ to: e1.contactEmail })).toHaveLength(2);
  });

  it('an employer without an HR address gets no digest (counted), not one in its invoice mailbox; setting contactEmail brings it', async () => {
    const silent = await employer('Flex Zonder HR', { contact: false });
    const other = await employer('Flex Met HR');
    const a = await participant({ issuedOn: endingIn(60), points: 3 });
    await link(silent.employerId, a.participantId);
    await link(other.employerId, a.participantId);

    // D lies ahead (the API refuses a future asOf): the dry run's own function, as the route calls it.
    const dry = await planExpiryNotices(D);
    expect(dry).toMatchObject({ employerDigests: 1, employerDigestsNoContact: 1 });
    expect(dry.items.filter((i) => i.type === 'employer-digest').map((i) => (i as { employerId: string }).employerId)).toEqual([other.employerId]);

    const first = await run(D);
    expect(first).toMatchObject({ employerDigests: 1, employerDigestsNoContact: 1, employerDigestsFailed: 0 });
    expect(await sesMessages({ to: silent.invoiceEmail })).toHaveLength(0);
    expect(await getDigest(silent.employerId, D.slice(0, 7))).toBeUndefined();
    expect(await sesMessages({ to: other.contactEmail })).toHaveLength(1);

    // The month is done (it does not wait for an address that may never come).
    expect(await run(addDays(D, 1))).toMatchObject({ employerDigests: 0, employerDigestsNoContact: 0 });

    // HR's address set through the API: next month's digest goes there.
    const hr = `hr.later.${Date.now()}@example.nl`;
    const { apiKey } = await createApiKey('admin', 'admin');
    const patched = await invoke(updateEmployer, { method: 'PATCH', path: `/v1/employers/${silent.employerId}`, apiKey, body: { contactEmail: hr } });
    expect(patched.statusCode).toBe(200);
    const nextMonth = `${addDays(D, 40).slice(0, 7)}-01`;
    expect(await run(nextMonth)).toMatchObject({ employerDigests: 2, employerDigestsNoContact: 0 });
    expect(await sesMessages({ to: hr })).toHaveLength(1);
    expect(await sesMessages({ to: silent.invoiceEmail })).toHaveLength(0);
  });
});
