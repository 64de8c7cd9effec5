/**
 * What a batch reads (issue 17 point 3, finish): a first delivery reads no credit — the credit's
 * own condition finds a completion seen before, and its cancellation carries the original — and
 * the answers stay those of SPEC: a completion seen before is a duplicate with the original's
 * points whatever else holds now, refused or not.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importedParticipants, newProvider, recognisedActivity, uid } from './webhook.fixtures';
import { lookupApiKey } from '../../shared/data/api-keys';
import { listRegistrations } from '../../shared/data/participants';
import { db } from '../../shared/data/client';
import { creditCompletions } from '../../shared/services/crediting';
import { creditKey } from '../../shared/data/credits';
import { addDays } from '../../shared/domain/dates';
import { todayInAmsterdam } from '../../shared/dates';

const today = todayInAmsterdam();
let providerId: string;
let activity: { activityId: string; points: number };

/** Keys of credit items (`CREDIT#…`) read by GetItem or BatchGetItem while watching. */
let creditReads: string[] | undefined;
afterEach(() => {
  creditReads = undefined;
});

beforeAll(async () => {
  const provider = await newProvider();
  providerId = provider.providerId;
  activity = await recognisedActivity((await lookupApiKey(provider.apiKey))!, addDays(today, -400));
  db().middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: { pk?: string }; RequestItems?: Record<string, { Keys: { pk?: string }[] }> };
      if (creditReads && /^(Get|BatchGet)/.test(String(context.commandName))) {
        const keys = input.Key ? [input.Key] : Object.values(input.RequestItems ?? {}).flatMap((r) => r.Keys);
        creditReads.push(...keys.map((k) => String(k.pk)).filter((pk) => pk.startsWith('CREDIT#')));
      }
      return next(args);
    },
    { step: 'initialize', name: 'crediting-reads-watch' },
  );
});

const participants = (n: number) => importedParticipants(n, today);

const sender = () => ({ id: providerId, role: 'provider' as const });
const completion = (registrationNumber: string, completedOn = addDays(today, -1), externalId = `r-${uid()}`) => ({
  externalId, activityId: activity.activityId, participant: { registrationNumber }, completedOn,
});

describe('the reads of a batch', () => {
  it('a first delivery reads no credit; the same completions again are duplicates with the original points, still without reading a credit', async () => {
    const people = await participants(3);
    const items = people.map((p) => completion(p.registrationNumber));
    creditReads = [];
    const first = await creditCompletions(sender(), items, today);
    expect(first.map((r) => r.status)).toEqual(['credited', 'credited', 'credited']);
    expect(creditReads).toEqual([]);

    const again = await creditCompletions(sender(), items, today);
    expect(again).toEqual(first.map((r) => ({ ...r, status: 'duplicate' })));
    expect(again.every((r) => r.points === activity.points)).toBe(true);
    expect(creditReads).toEqual([]);
    for (const p of people) expect((await listRegistrations(p.participantId))[0].points).toBe(activity.points);
  });

  it('a completion seen before that a check now refuses is still its duplicate, and only the refused one is looked up', async () => {
    const [p, q] = await participants(2);
    const seen = completion(p.registrationNumber);
    const [original] = await creditCompletions(sender(), [seen], today);
    expect(original.status).toBe('credited');

    // The same externalId, now dated in the future (a refused check), beside a new completion.
    creditReads = [];
    const results = await creditCompletions(sender(), [{ ...seen, completedOn: addDays(today, 1) }, completion(q.registrationNumber)], today);
    expect(results[0]).toEqual({ externalId: seen.externalId, status: 'duplicate', creditId: original.creditId, points: activity.points });
    expect(results[1].status).toBe('credited');
    expect(creditReads).toEqual([creditKey(original.creditId!).pk]);
    expect((await listRegistrations(p.participantId))[0].points).toBe(activity.points);
  });
});
