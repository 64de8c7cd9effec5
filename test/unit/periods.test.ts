import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, addYears, daysBetween } from '../../shared/domain/dates';
import {
  canStartNewPeriod,
  covers,
  currentPeriod,
  overlaps,
  periodStartingOn,
  pointsMissing,
  renewalOf,
  renewalRefusal,
  statusOf,
  type Period,
} from '../../shared/domain/periods';
import { pointsForMinutes } from '../../shared/domain/points';

const dateArb = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** A participant's history as the system builds it: a start, then renewals or later re-activations. */
const historyArb = fc
  .tuple(dateArb, fc.array(fc.oneof(fc.constant<'renew'>('renew'), fc.integer({ min: 0, max: 2000 })), { maxLength: 6 }))
  .map(([first, steps]) => {
    const periods: Period[] = [periodStartingOn(first)];
    for (const step of steps) {
      const last = periods[periods.length - 1];
      const wanted = step === 'renew' ? last.endsOn : addDays(last.endsOn, step);
      if (step === 'renew') periods.push(renewalOf(last));
      else if (canStartNewPeriod(periods, wanted)) periods.push(periodStartingOn(wanted));
    }
    return periods;
  });

describe('period arithmetic', () => {
  it('runs two years, endsOn exclusive', () => {
    expect(periodStartingOn('2024-03-15')).toEqual({ startsOn: '2024-03-15', endsOn: '2026-03-15' });
    const p = periodStartingOn('2024-03-15');
    expect(covers(p, '2026-03-14')).toBe(true);
    expect(covers(p, '2026-03-15')).toBe(false);
    expect(covers(p, '2024-03-14')).toBe(false);
  });

  it('moves 29 February to 1 March in a non-leap year, and keeps it in a leap year', () => {
    expect(addYears('2024-02-29', 2)).toBe('2026-03-01');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(periodStartingOn('2023-02-28').endsOn).toBe('2025-02-28');
  });

  it('a period always lasts 730 or 731 days (property)', () => {
    fc.assert(fc.property(dateArb, (d) => [730, 731].includes(daysBetween(d, periodStartingOn(d).endsOn))));
  });

  it('periods never overlap and every day belongs to at most one period (property)', () => {
    fc.assert(
      fc.property(historyArb, dateArb, (periods, day) => {
        for (let i = 0; i < periods.length; i++)
          for (let j = i + 1; j < periods.length; j++) if (overlaps(periods[i], periods[j])) return false;
        return periods.filter((p) => covers(p, day)).length <= 1;
      }),
    );
  });

  it('a renewal starts on the old endsOn (property)', () => {
    fc.assert(
      fc.property(dateArb, (d) => {
        const p = periodStartingOn(d);
        return renewalOf(p).startsOn === p.endsOn;
      }),
    );
  });

  it('a new period may not start inside or before an existing one (property)', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 1, max: 3000 }), (periods, back) => {
        const last = periods[periods.length - 1];
        return !canStartNewPeriod(periods, addDays(last.endsOn, -back)) && canStartNewPeriod(periods, last.endsOn);
      }),
    );
  });
});

describe('status, derived from dates', () => {
  const p1 = periodStartingOn('2024-01-10');
  const p2 = renewalOf(p1);

  it('upcoming before the start, active within, lapsed after an unrenewed end', () => {
    expect(statusOf(p1, [p1], '2024-01-09')).toBe('upcoming');
    expect(statusOf(p1, [p1], '2024-01-10')).toBe('active');
    expect(statusOf(p1, [p1], '2026-01-09')).toBe('active');
    expect(statusOf(p1, [p1], '2026-01-10')).toBe('lapsed');
  });

  it('renewed once a following period exists; the renewal is upcoming until it starts', () => {
    expect(statusOf(p1, [p1, p2], '2025-06-01')).toBe('renewed');
    expect(statusOf(p2, [p1, p2], '2025-06-01')).toBe('upcoming');
    expect(statusOf(p2, [p1, p2], '2026-01-10')).toBe('active');
  });

  it('current is the covering period, else the last started, else the upcoming one', () => {
    expect(currentPeriod([p1, p2], '2026-02-01')).toEqual(p2);
    expect(currentPeriod([p1], '2027-01-01')).toEqual(p1);
    expect(currentPeriod([p1], '2023-01-01')).toEqual(p1);
    expect(currentPeriod([], '2023-01-01')).toBeNull();
  });
});

describe('renewal and points', () => {
  const p = periodStartingOn('2025-01-01');
  it('refuses below 12 points with the points missing, allows at 12', () => {
    expect(renewalRefusal(p, 11.75, [p], '2025-06-01')).toEqual({ reason: 'points-missing', pointsMissing: 0.25 });
    expect(renewalRefusal(p, 12, [p], '2025-06-01')).toBeNull();
  });
  it('refuses a second renewal and a renewal after the end', () => {
    expect(renewalRefusal(p, 12, [p, renewalOf(p)], '2025-06-01')).toEqual({ reason: 'already-renewed' });
    expect(renewalRefusal(p, 12, [p], '2027-01-01')).toEqual({ reason: 'ended' });
  });
  it('points missing never goes below zero', () => {
    expect(pointsMissing(14)).toBe(0);
    expect(pointsMissing(3.5)).toBe(8.5);
  });
  it('points are net minutes / 60 rounded down to a quarter', () => {
    expect(pointsForMinutes(30)).toBe(0.5);
    expect(pointsForMinutes(44)).toBe(0.5);
    expect(pointsForMinutes(45)).toBe(0.75);
    expect(pointsForMinutes(179)).toBe(2.75);
    expect(pointsForMinutes(180)).toBe(3);
    fc.assert(fc.property(fc.integer({ min: 30, max: 100000 }), (m) => {
      const pts = pointsForMinutes(m);
      return pts * 4 === Math.floor(pts * 4) && pts <= m / 60 && m / 60 - pts < 0.25;
    }));
  });
});
