/**
 * Issue 17 point 5: the employer report reads a projection on the link rows. Every writer of what
 * the report shows keeps it in its own transaction; these tests drive each writer (and races of a
 * credit or a renewal with a link, an unlink) and compare the report with the truth read the old
 * way, from the profiles and periods (`reportFromProfiles`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lookupApiKey, type ApiKeyRecord } from '../../shared/data/api-keys';
import { capacityTotals, enableCapacityMeter, resetCapacity } from '../../shared/data/client';
import { getLink, linkEmployee, linkItems, unlink } from '../../shared/data/employers';
import { creditItems } from '../../shared/data/credits';
import { linkSetOf } from '../../shared/data/employee-state';
import { getActivity } from '../../shared/data/activities';
import { getParticipant, getPeriodPoints, listRegistrations } from '../../shared/data/participants';
import { db, transact } from '../../shared/data/client';
import { markUndeliverable } from '../../shared/data/deliverability';
import { creditCompletions, revokeCredit } from '../../shared/services/crediting';
import { renew } from '../../shared/services/registrations';
import { importDiplomas } from '../../shared/services/diplomas';
import { eraseParticipant } from '../../shared/services/personal-data/rights';
import { employerReport, reportFromProfiles } from '../../shared/services/employers/report';
import { adminKey } from '../setup/helpers';
import { holders, newEmployer, participantIdOf, register, rowsOf, setPoints, today, type Employer, type Holder } from './employers.fixtures';
import { recognizedActivity } from './evaluations.fixtures';
import { newProvider, uid, type NewProvider } from './webhook.fixtures';

const admin = { role: 'admin', id: 'admin' };

let a: Employer;
let b: Employer;
let list: Holder[];
let ids: string[];
let provider: NewProvider & { caller: ApiKeyRecord };
let adminCaller: ApiKeyRecord;

/** The report from the projection equals the one read from the profiles and periods. */
async function projectionIsTrue(employerId: string) {
  const [projected, truth] = await Promise.all([employerReport(employerId, today), reportFromProfiles(employerId, undefined, today)]);
  expect(projected).toEqual(truth);
  return projected;
}

async function activity() {
  return (await recognizedActivity(provider.caller)).activityId;
}

async function credit(participantId: string, activityId: string) {
  const p = (await getParticipant(participantId))!;
  const [r] = await creditCompletions({ id: provider.providerId, role: 'provider' }, [{ externalId: `pj-${uid()}`, activityId, participant: { registrationNumber: p.registrationNumber }, completedOn: today }], today);
  expect(r.status).toBe('credited');
  return (r as { creditId: string }).creditId;
}

const rowOf = async (employerId: string, participantId: string) => (await employerReport(employerId, today)).rows.find((r) => r.participantId === participantId);

beforeAll(async () => {
  [a, b] = await Promise.all([newEmployer(`Projectie A ${uid()}`), newEmployer(`Projectie B ${uid()}`)]);
  list = await holders(10);
  expect((await register(a, { employees: rowsOf(list) })).statusCode).toBe(201);
  ids = await Promise.all(list.map((h) => participantIdOf(h.diplomaNumber)));
  const p = await newProvider();
  provider = { ...p, caller: (await lookupApiKey(p.apiKey))! };
  adminCaller = (await lookupApiKey(await adminKey()))!;
});

describe('the report projection', () => {
  it('is one Query of the employer partition: no read per employee', async () => {
    enableCapacityMeter();
    resetCapacity();
    const report = await employerReport(a.employerId, today);
    expect(report.rows).toHaveLength(10);
    expect(capacityTotals().calls).toBe(1);
    await projectionIsTrue(a.employerId);
  });

  it('follows credits and revocations, also on a second employer linked later (its snapshot copies the points)', async () => {
    const [x, y] = [await activity(), await activity()];
    await credit(ids[0], x);
    await linkEmployee(b.employerId, ids[0], admin, today);
    const second = await credit(ids[0], y);
    await credit(ids[1], x);
    await projectionIsTrue(a.employerId);
    expect((await projectionIsTrue(b.employerId)).rows.map((r) => r.participantId)).toEqual([ids[0]]);
    const before = (await rowOf(b.employerId, ids[0]))!.pointsEarned;
    await revokeCredit(second, 'Dubbel', adminCaller);
    expect((await rowOf(b.employerId, ids[0]))!.pointsEarned).toBeLessThan(before);
    await projectionIsTrue(a.employerId);
    await projectionIsTrue(b.employerId);
  });

  it('a credit racing a new link: neither leaves the new link row stale', async () => {
    const acts = await Promise.all([activity(), activity(), activity()]);
    // Three rounds, on three employees, each racing a credit against the link of another employer.
    for (const [i, act] of acts.entries()) {
      const e = await newEmployer(`Race ${i} ${uid()}`);
      await Promise.all([credit(ids[2 + i], act), linkEmployee(e.employerId, ids[2 + i], admin, today)]);
      const report = await projectionIsTrue(e.employerId);
      expect(report.rows[0].pointsEarned).toBeGreaterThan(0);
      await projectionIsTrue(a.employerId);
    }
  });

  it('the losing side of each order is cancelled: a link built before a credit landed, a credit built before a link landed', async () => {
    const [x, y] = [await activity(), await activity()];
    const e = await newEmployer(`Volgorde ${uid()}`);
    const pid = ids[2];
    // A link decided on the state before a credit: the credit lands first, the link's snapshot would miss it.
    const seen = (await getParticipant(pid, true))!;
    const pts = await getPeriodPoints(seen.periods.map((r) => ({ participantId: pid, startsOn: r.startsOn })), true);
    const stale = linkItems({
      employerId: e.employerId, participantId: pid, existing: undefined, linkedOn: today, actor: admin, now: new Date(), profile: seen,
      points: Object.fromEntries(seen.periods.map((r) => [r.startsOn, pts.get(`${pid}#${r.startsOn}`) ?? 0])),
    });
    await credit(pid, x);
    await expect(transact(stale)).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    // A credit decided on the links before a new link: the link lands first, the credit would miss its row.
    const before = (await getParticipant(pid, true))!;
    const period = before.periods.at(-1)!;
    const act = (await getActivity(y))!;
    const c = {
      creditId: `crd_pj${uid()}`, participantId: pid, registrationStartsOn: period.startsOn, activityId: y, activityTitle: act.title, points: act.points,
      completedOn: today, senderId: provider.providerId, senderRole: 'provider', externalId: `pj-${uid()}`, createdAt: new Date().toISOString(),
    };
    const staleCredit = creditItems(c, admin, new Date(), linkSetOf(before));
    await linkEmployee(e.employerId, pid, admin, today);
    await expect(transact(staleCredit)).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    await credit(pid, y);
    await projectionIsTrue(e.employerId);
    await projectionIsTrue(a.employerId);
  });

  it('a link landing between the crediting\'s profile read and its transaction: the credit is built again with the new link, credited once', async () => {
    const act = await activity();
    const points = (await getActivity(act))!.points;
    const pid = ids[4];
    const e = await newEmployer(`Herbouw ${uid()}`);
    const startsOn = (await listRegistrations(pid)).at(-1)!.startsOn;
    const pointsNow = async () => (await getPeriodPoints([{ participantId: pid, startsOn }], true)).get(`${pid}#${startsOn}`) ?? 0;
    const before = await pointsNow();
    // One shot: the first transaction that updates this participant's period (the credit, built
    // on the profile as read) waits until E's link has landed, so the credit meets a moved linksVersion.
    const name = `relink-${uid()}`;
    let linked: string | undefined;
    const isPeriodUpdate = (items: unknown[]) =>
      items.some((i) => {
        const key = JSON.stringify((i as { Update?: { Key?: unknown } }).Update?.Key ?? {});
        return key.includes(pid) && key.includes(startsOn);
      });
    db().middlewareStack.add(
      (next) => async (args) => {
        const items = (args.input as { TransactItems?: unknown[] }).TransactItems;
        if (linked === undefined && items && isPeriodUpdate(items)) {
          linked = 'pending';
          linked = await linkEmployee(e.employerId, pid, admin, today);
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    try {
      await credit(pid, act); // answered `credited`, not already-credited-in-period
    } finally {
      db().middlewareStack.remove(name);
    }
    expect(linked).toBe('linked');
    expect((await pointsNow()) - before).toBe(points);
    expect((await rowOf(e.employerId, pid))!.pointsEarned).toBe(before + points);
    await projectionIsTrue(e.employerId);
    await projectionIsTrue(a.employerId);
  });

  it('a credit racing an unlink, then a re-link: the ended row leaves the report, the re-link snapshots the truth', async () => {
    const act = await activity();
    await Promise.all([credit(ids[5], act), unlink(a.employerId, ids[5], admin)]);
    expect((await projectionIsTrue(a.employerId)).rows.map((r) => r.participantId)).not.toContain(ids[5]);
    expect((await getParticipant(ids[5], true))!.employerIds ?? []).not.toContain(a.employerId);
    await linkEmployee(a.employerId, ids[5], admin, today);
    expect((await getLink(a.employerId, ids[5], true))!.unlinkedAt).toBeUndefined();
    await projectionIsTrue(a.employerId);
  });

  it('a renewal racing a credit, and a renewal racing a new link: the new period reaches every row', async () => {
    const [p1, p2] = [ids[6], ids[7]];
    for (const p of [p1, p2]) await setPoints(p, (await listRegistrations(p))[0].startsOn, 12);
    const act = await activity();
    const e = await newEmployer(`Verlenging ${uid()}`);
    await Promise.all([
      renew((await getParticipant(p1, true))!, adminCaller, today),
      credit(p1, act),
      renew((await getParticipant(p2, true))!, adminCaller, today),
      linkEmployee(e.employerId, p2, admin, today),
    ]);
    expect(await listRegistrations(p1)).toHaveLength(2);
    expect(await listRegistrations(p2)).toHaveLength(2);
    expect((await rowOf(a.employerId, p1))!.status).toBe('renewed');
    await projectionIsTrue(a.employerId);
    expect((await projectionIsTrue(e.employerId)).rows[0].status).toBe('renewed');
  });

  it('follows a re-imported name, the bounce mark and the erasure', async () => {
    const h = list[8];
    const renamed = { ...h, lastName: `Anders${uid()}` };
    await importDiplomas([{ diplomaNumber: h.diplomaNumber, type: 'uitzendprofessional', issuedOn: h.issuedOn, holder: { initials: 'J.', lastName: renamed.lastName, birthDate: h.birthDate } } as never], admin, today);
    expect((await rowOf(a.employerId, ids[8]))!.name).toContain(renamed.lastName);
    const profile = (await getParticipant(ids[8], true))!;
    await markUndeliverable({ address: profile.email!, reason: 'bounce', at: new Date().toISOString(), feedbackId: `fb-${uid()}` });
    expect((await rowOf(a.employerId, ids[8]))!.emailUndeliverable).toBe(true);
    await projectionIsTrue(a.employerId);

    await eraseParticipant(ids[9], { reason: 'Verzoek', actor: admin });
    expect((await projectionIsTrue(a.employerId)).rows.map((r) => r.participantId)).not.toContain(ids[9]);
    const row = (await getLink(a.employerId, ids[9], true)) as unknown as Record<string, unknown>;
    expect(row.unlinkedAt).toBeDefined();
  });
});
