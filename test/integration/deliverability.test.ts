/**
 * Issue 16 part 5, bounces and complaints, against DynamoDB Local and the SES emulator: SES's
 * event notifications (test/setup/ses-events.ts: the JSON SES publishes, inside the SNS envelope)
 * handed to functions/events/ses-events.ts as SNS invokes it; the marks it writes; the expiry
 * notices and the collective activation mails that stop for a marked address; every send with
 * the configuration set; and the personal-data holder.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as sesEvents from '../../functions/events/ses-events';
import { bounceNotification, complaintNotification, feedbackId, snsEnvelope } from '../setup/ses-events';
import { sesMessages, waitForMessages } from '../setup/helpers';
import { db, tableName } from '../../shared/data/client';
import { emailIndexPk, getParticipant, participantPk } from '../../shared/data/participants';
import { getAddressMark } from '../../shared/data/deliverability';
import { listNotices } from '../../shared/data/notices';
import { parseSesNotification } from '../../shared/services/ses-events';
import { runExpiryNotices } from '../../shared/services/notices';
import { sendEmail, sesClient } from '../../shared/email/send';
import { deliverabilityHolder } from '../../shared/services/personal-data/deliverability';
import { logger } from '../../shared/log';
import { addDays, addYears } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';
import { makeParticipant, startPaid } from './invoicing.fixtures';
import { holders, newEmployer, participantIdOf, register, rowsOf } from './employers.fixtures';

const today = todayInAmsterdam();
let seq = 0;
const address = (tag: string) => `${tag}.${Date.now().toString(36)}${++seq}@bounce.example.nl`;

const deliver = (...notifications: unknown[]) => sesEvents.handler(snsEnvelope(...notifications));

async function events(participantId: string) {
  const res = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': participantPk(participantId), ':e': 'EVENT#' },
      ConsistentRead: true,
    }),
  );
  return (res.Items ?? []).filter((e) => e.action === 'participant.email-undeliverable');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parsing SES notifications', () => {
  it('a hard bounce: each bounced recipient, reason bounce, with SES timestamp and feedback id', () => {
    const n = bounceNotification(['a@example.nl', 'B. Jansen <b@example.nl>'], { at: '2026-11-30T08:00:00.000Z', feedbackId: 'fb-1' });
    expect(parseSesNotification(n)).toEqual({
      kind: 'undeliverable',
      events: [
        { address: 'a@example.nl', reason: 'bounce', at: '2026-11-30T08:00:00.000Z', feedbackId: 'fb-1', detail: 'General' },
        { address: 'b@example.nl', reason: 'bounce', at: '2026-11-30T08:00:00.000Z', feedbackId: 'fb-1', detail: 'General' },
      ],
    });
  });

  it('ignores soft (transient) and undetermined bounces, deliveries and other events', () => {
    expect(parseSesNotification(bounceNotification(['a@example.nl'], { bounceType: 'Transient' }))).toMatchObject({ kind: 'ignored' });
    expect(parseSesNotification(bounceNotification(['a@example.nl'], { bounceType: 'Undetermined' }))).toMatchObject({ kind: 'ignored' });
    expect(parseSesNotification({ eventType: 'Delivery', mail: {}, delivery: { recipients: ['a@example.nl'] } } as never)).toMatchObject({ kind: 'ignored' });
    expect(parseSesNotification({} as never)).toMatchObject({ kind: 'ignored' });
  });

  it('a complaint, and the identity notifications that say notificationType', () => {
    const c = complaintNotification(['c@example.nl'], { feedbackId: 'fb-2', at: '2026-11-30T09:00:00.000Z' });
    expect(parseSesNotification(c)).toEqual({
      kind: 'undeliverable',
      events: [{ address: 'c@example.nl', reason: 'complaint', at: '2026-11-30T09:00:00.000Z', feedbackId: 'fb-2', detail: 'abuse' }],
    });
    const { eventType: _e, ...rest } = bounceNotification(['d@example.nl']);
    expect(parseSesNotification({ ...rest, notificationType: 'Bounce' })).toMatchObject({ kind: 'undeliverable', events: [{ address: 'd@example.nl', reason: 'bounce' }] });
  });
});

describe('the SES events function (SNS-invoked)', () => {
  it('marks the address (by its hash, never the address in a key) and every profile holding it, with an event each', async () => {
    const email = address('hard');
    const a = await makeParticipant('Bounce', email);
    const b = await makeParticipant('Bounce', email.toUpperCase()); // the same mailbox, another case
    const fid = feedbackId();
    const info = vi.spyOn(logger, 'info');
    expect(await deliver(bounceNotification([email], { feedbackId: fid }))).toEqual({ records: 1, marked: 1, duplicates: 0, ignored: 0 });

    const mark = await getAddressMark(email);
    expect(mark).toMatchObject({ pk: emailIndexPk(email), sk: 'UNDELIVERABLE', reason: 'bounce', feedbackId: fid, detail: 'General' });
    expect(JSON.stringify(mark)).not.toContain(email);
    for (const p of [a, b]) {
      expect((await getParticipant(p.participantId, true))!.emailUndeliverable).toMatchObject({ reason: 'bounce' });
      expect(await events(p.participantId)).toHaveLength(1);
    }
    // No address in the logs.
    expect(JSON.stringify(info.mock.calls)).not.toContain(email.split('@')[0]);
  });

  it('writes a redelivered event once (SNS delivers at least once), and a soft bounce not at all', async () => {
    const email = address('redelivered');
    const p = await makeParticipant('Herhaal', email);
    const n = bounceNotification([email]);
    expect(await deliver(n)).toMatchObject({ marked: 1 });
    expect(await deliver(n, n)).toMatchObject({ marked: 0, duplicates: 2 });
    expect(await events(p.participantId)).toHaveLength(1);

    const soft = address('soft');
    const q = await makeParticipant('Zacht', soft);
    expect(await deliver(bounceNotification([soft], { bounceType: 'Transient' }))).toEqual({ records: 1, marked: 0, duplicates: 0, ignored: 1 });
    expect(await getAddressMark(soft)).toBeUndefined();
    expect((await getParticipant(q.participantId, true))!.emailUndeliverable).toBeUndefined();
  });

  it('marks on a complaint; several recipients of one event each; a message that is not JSON is dropped', async () => {
    const [x, y] = [address('complaint'), address('second')];
    const px = await makeParticipant('Klacht', x);
    const py = await makeParticipant('Tweede', y);
    expect(await deliver(complaintNotification([x, y]), 'not json')).toEqual({ records: 2, marked: 2, duplicates: 0, ignored: 1 });
    expect((await getParticipant(px.participantId, true))!.emailUndeliverable).toMatchObject({ reason: 'complaint' });
    expect((await getParticipant(py.participantId, true))!.emailUndeliverable).toMatchObject({ reason: 'complaint' });
  });

  it('marks an address no profile holds (an old one) without touching anyone', async () => {
    const email = address('nobody');
    expect(await deliver(bounceNotification([email]))).toMatchObject({ marked: 1 });
    expect(await getAddressMark(email)).toMatchObject({ reason: 'bounce' });
  });
});

describe('what a mark stops', () => {
  it('expiry notices: recorded `undeliverable` (not `failed`), counted, not sent, and not tried again the next day', async () => {
    const email = address('notice');
    const p = await makeParticipant('Herinnering', email);
    // Ends in 7 days: the 7-day notice is due today.
    const startsOn = addDays(addYears(today, -2), 7);
    await startPaid(p.participantId, { type: 'participant', id: p.participantId }, startsOn, new Date());

    // First SES refuses it for good: the notice is `failed` and stays due (the job's alarm would fire).
    const ses = mockClient(sesClient());
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('Address blacklisted.'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } }));
    try {
      expect(await runExpiryNotices(today)).toMatchObject({ sent: 0, failed: 1, undeliverable: 0 });
    } finally {
      ses.restore();
    }
    expect((await listNotices(p.participantId, startsOn))[0]).toMatchObject({ kind: '7', outboxStatus: 'failed' });

    await deliver(bounceNotification([email]));
    const run = await runExpiryNotices(today);
    expect(run).toMatchObject({ sent: 0, failed: 0, undeliverable: 1 });
    expect((await listNotices(p.participantId, startsOn))[0]).toMatchObject({ kind: '7', outboxStatus: 'undeliverable' });
    expect(await sesMessages({ to: email })).toHaveLength(0);
    // Final: the period moved on to its next notice (the lapse notice), nothing is due again today.
    expect(await runExpiryNotices(today)).toMatchObject({ due: 0, failed: 0, undeliverable: 0 });
  });

  it('collective activation mails: the marked employee gets none, leaves the outbox, the others get theirs', async () => {
    const employer = await newEmployer('Bounce Uitzend BV');
    const list = await holders(10, { emailOnFile: true });
    const marked = list[0];
    await deliver(bounceNotification([`onfile.${marked.email}`]));
    const res = await register(employer, { employees: rowsOf(list) });
    expect(res.statusCode).toBe(201);
    await waitForMessages({ to: `onfile.${list[9].email}` });
    expect(await sesMessages({ to: `onfile.${marked.email}` })).toHaveLength(0);
    const enrolment = (
      await db().send(
        new GetCommand({ TableName: tableName(), Key: { pk: `COLLREG#${res.json.collectiveRegistrationId}`, sk: `EMPLOYEE#${await participantIdOf(marked.diplomaNumber)}` }, ConsistentRead: true }),
      )
    ).Item!;
    expect(enrolment).toMatchObject({ outboxStatus: 'undeliverable' });
    expect(enrolment.gsi2pk).toBeUndefined();
    expect(enrolment.mailedAt).toBeUndefined();
  });
});

describe('the configuration set', () => {
  it('goes with every send when configured (SES_CONFIGURATION_SET), and the SES emulator accepts it', async () => {
    const before = process.env.SES_CONFIGURATION_SET;
    process.env.SES_CONFIGURATION_SET = 'pe-register-mail';
    try {
      const to = address('configset');
      await sendEmail({ to, subject: 'Test', text: 'x', html: '<p>x</p>' });
      expect(await sesMessages({ to })).toHaveLength(1);
      const ses = mockClient(sesClient());
      ses.on(SendRawEmailCommand).resolves({ MessageId: 'm-1' });
      try {
        await sendEmail({ to, subject: 'Test', text: 'x', html: '<p>x</p>' });
        expect(ses.commandCalls(SendRawEmailCommand)[0].args[0].input.ConfigurationSetName).toBe('pe-register-mail');
      } finally {
        ses.restore();
      }
    } finally {
      if (before === undefined) delete process.env.SES_CONFIGURATION_SET;
      else process.env.SES_CONFIGURATION_SET = before;
    }
  });
});

describe("people's data: the deliverability holder", () => {
  it('exports the marks and erases them (idempotently)', async () => {
    const email = address('gdpr');
    const p = await makeParticipant('Privacy', email);
    const fid = feedbackId();
    await deliver(bounceNotification([email], { feedbackId: fid }));
    const exported = (await deliverabilityHolder.export(p.participantId)) as { profileMark: { feedbackId: string }; addressMarks: unknown[] };
    expect(exported.profileMark).toMatchObject({ reason: 'bounce', feedbackId: fid });
    expect(exported.addressMarks).toEqual([expect.objectContaining({ reason: 'bounce', feedbackId: fid })]);
    const ctx = { pseudonym: 'Verwijderd 1', erasedAt: new Date().toISOString(), reason: 'test', by: 'admin' };
    await deliverabilityHolder.erase(p.participantId, ctx);
    await deliverabilityHolder.erase(p.participantId, ctx);
    expect(await getAddressMark(email)).toBeUndefined();
    const raw = (await db().send(new GetCommand({ TableName: tableName(), Key: { pk: participantPk(p.participantId), sk: 'PROFILE' }, ConsistentRead: true }))).Item!;
    expect(raw.emailUndeliverable).toBeUndefined();
    expect(await deliverabilityHolder.export(p.participantId)).toEqual({ profileMark: null, addressMarks: [] });
  });
});
