import { describe, expect, it } from 'vitest';
import { dueSoon, planCoverage, type PlanCredit } from '../../shared/domain/learning-plans';

const topics: Record<string, string[]> = { act_avg: ['T11'], act_cao: ['T03', 'T11'] };
const of = (id: string) => topics[id] ?? [];
const credit = (over: Partial<PlanCredit>): PlanCredit => ({ creditId: 'crd_x', activityId: 'act_avg', completedOn: '2026-05-01', registrationStartsOn: '2025-01-01', ...over });
const plan = { planId: 'p', topicsPerPeriod: ['T11'], deadlines: [{ topic: 'T03', before: '2026-06-01', reason: 'Nieuwe cao' }] };

describe('learning plan coverage', () => {
  it('a period topic counts only in the current period; none → open', () => {
    expect(planCoverage(plan, [credit({ registrationStartsOn: '2023-01-01' })], of, '2025-01-01').open[0]).toEqual({ topic: 'T11', kind: 'period' });
    expect(planCoverage(plan, [credit({})], of, '2025-01-01').covered[0]).toEqual({ topic: 'T11', kind: 'period', creditId: 'crd_x', completedOn: '2026-05-01' });
    expect(planCoverage(plan, [credit({})], of, null).open.map((r) => r.topic)).toEqual(['T11', 'T03']);
  });

  it('a deadline: completed strictly before it, in any period; revoked credits cover nothing', () => {
    const onTheDay = planCoverage(plan, [credit({ activityId: 'act_cao', completedOn: '2026-06-01' })], of, null);
    expect(onTheDay.open.find((r) => r.kind === 'deadline')).toEqual({ topic: 'T03', kind: 'deadline', before: '2026-06-01', reason: 'Nieuwe cao' });
    const dayBefore = planCoverage(plan, [credit({ activityId: 'act_cao', completedOn: '2026-05-31', registrationStartsOn: '2023-01-01' })], of, '2025-01-01');
    expect(dayBefore.covered.map((r) => r.kind)).toEqual(['deadline']);
    const revoked = planCoverage(plan, [credit({ activityId: 'act_cao', revokedAt: '2026-05-02T00:00:00Z' })], of, '2025-01-01');
    expect(revoked.covered).toEqual([]);
  });

  it('the earliest covering credit is named; reminders: period topics and deadlines within 90 days or passed', () => {
    const c = planCoverage(plan, [credit({ creditId: 'crd_late', completedOn: '2026-05-20' }), credit({ creditId: 'crd_early', completedOn: '2026-02-01' })], of, '2025-01-01');
    expect(c.covered[0].creditId).toBe('crd_early');
    const open = planCoverage({ ...plan, deadlines: [...plan.deadlines, { topic: 'T04', before: '2026-12-01', reason: 'Later' }, { topic: 'T05', before: '2026-01-01', reason: 'Voorbij' }] }, [], of, null);
    expect(dueSoon(open, '2026-04-01').map((r) => r.topic)).toEqual(['T11', 'T05', 'T03']);
  });
});
