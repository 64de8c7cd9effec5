/**
 * Sign-in link mails on the one outbox (issue 17, point 1): the requests queue delivers at least
 * once, so each sign-in request carries a random request id and its e-mail is the outbox item
 * `SIGNINMAIL#<requestId>` — a redelivery after the send mails nothing, a failed send stays due
 * and its redelivery mails fresh links, concurrent deliveries mail once. Through the real queue
 * worker, DynamoDB Local and the SES emulator; SES faults injected below the SES client.
 */
import { describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import * as requestsWorker from '../../functions/queue/activation-requests';
import { db, tableName } from '../../shared/data/client';
import { newSignInRequestId, signInMailKey } from '../../shared/data/sign-in-links';
import { signInRequestMessage, signInWithLink } from '../../shared/services/sign-in';
import { sesMessages } from '../setup/helpers';
import { holders } from './employers.fixtures';
import { sesAnswers } from './ses-faults';

const run = Date.now().toString(36);
let seq = 0;

/** A participant with an address on file (unique per test). */
async function addressOnFile(): Promise<string> {
  const [h] = await holders(1, { emailOnFile: true });
  return `onfile.${h.email}`;
}

/** The queued message as `enqueueSignIn` writes it. */
function message(email: string, requestId: string | undefined = newSignInRequestId()) {
  return { requestId, body: JSON.stringify({ kind: 'sign-in', ...(requestId ? { requestId } : {}), email, language: 'nl', next: '/dossier' }) };
}

const deliver = (body: string, messageId = `m-${++seq}`) =>
  requestsWorker.handler({ Records: [{ messageId, body }] } as unknown as SQSEvent);

const item = async (requestId: string) =>
  (await db().send(new GetCommand({ TableName: tableName(), Key: signInMailKey(requestId), ConsistentRead: true }))).Item;

const tokensIn = (text: string | undefined) => [...(text ?? '').matchAll(/token=([A-Za-z0-9_-]+)/g)].map((m) => m[1]);

describe('sign-in link mails on the outbox', () => {
  it('a redelivered message after a successful send sends no second e-mail; the item holds no personal data', async () => {
    const to = await addressOnFile();
    const { requestId, body } = message(to);
    expect((await deliver(body)).batchItemFailures).toEqual([]);
    expect(await sesMessages({ to })).toHaveLength(1);
    // SQS delivers again (the acknowledgement was lost): skipped, nothing sent.
    expect((await deliver(body)).batchItemFailures).toEqual([]);
    expect(await signInRequestMessage(body)).toBe('skipped');
    expect(await sesMessages({ to })).toHaveLength(1);

    const stored = await item(requestId!);
    expect(stored).toMatchObject({ type: 'sign-in-mail', outboxStatus: 'sent', attempts: 1 });
    expect(stored!.expiresAt).toBeGreaterThan(Date.now() / 1000 + 86_000);
    expect(stored!.claimToken).toBeUndefined();
    const text = JSON.stringify(stored);
    expect(text).not.toContain(to);
    expect(text).not.toContain('/dossier');
    const [mail] = await sesMessages({ to });
    for (const token of tokensIn(mail.body.text)) expect(text).not.toContain(token);
  });

  it('a failed send releases the item (still due) and throws for redelivery; the redelivery sends one e-mail with working links', async () => {
    const to = await addressOnFile();
    const { requestId, body } = message(to);
    const ses = sesAnswers(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } }));
    try {
      expect((await deliver(body, 'm-failing')).batchItemFailures).toEqual([{ itemIdentifier: 'm-failing' }]);
      expect(ses.calls()).toBe(1);
    } finally {
      ses.restore();
    }
    expect(await sesMessages({ to })).toHaveLength(0);
    const failed = await item(requestId!);
    expect(failed).toMatchObject({ outboxStatus: 'failed', lastError: 'MessageRejected', attempts: 1 });
    expect(failed!.claimToken).toBeUndefined();

    expect((await deliver(body)).batchItemFailures).toEqual([]);
    const mails = await sesMessages({ to });
    expect(mails).toHaveLength(1);
    expect(await item(requestId!)).toMatchObject({ outboxStatus: 'sent', attempts: 2 });
    const [token] = tokensIn(mails[0].body.text);
    const signedIn = await signInWithLink(token);
    expect(signedIn?.session.role).toBe('participant');
    expect(signedIn?.next).toBe('/dossier');
  });

  it('concurrent deliveries of one message send one e-mail', async () => {
    const to = await addressOnFile();
    const { body } = message(to);
    const outcomes = await Promise.all([1, 2, 3].map(() => signInRequestMessage(body)));
    expect(outcomes.sort()).toEqual(['sent', 'skipped', 'skipped']);
    expect(await sesMessages({ to })).toHaveLength(1);
  });

  it('an unknown address sends nothing and is recorded, so a redelivery is skipped', async () => {
    const to = `nobody.${run}.${++seq}@example.nl`;
    const { requestId, body } = message(to);
    expect(await signInRequestMessage(body)).toBe('noAddress');
    expect(await item(requestId!)).toMatchObject({ outboxStatus: 'no-email', attempts: 1 });
    expect(await signInRequestMessage(body)).toBe('skipped');
    expect(await sesMessages({ to })).toHaveLength(0);
  });

  it('a message queued before the outbox (no request id) is still mailed', async () => {
    const to = await addressOnFile();
    expect(await signInRequestMessage(message(to, undefined).body)).toBe('sent');
    expect(await sesMessages({ to })).toHaveLength(1);
  });
});
