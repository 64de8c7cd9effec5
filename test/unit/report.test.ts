import { describe, expect, it } from 'vitest';
import { isAtRisk, reportRow, totalsOf, type ReportInput } from '../../shared/domain/report';
import { periodStartingOn, renewalOf } from '../../shared/domain/periods';
import { pageOf } from '../../shared/services/employers/report';

const base: Omit<ReportInput, 'periods' | 'points'> = {
  participantId: 'par_1',
  registrationNumber: 'PE-AAAAAA',
  name: 'J. de Vries',
  diplomaTitle: 'Register-Uitzendprofessional',
  linkedOn: '2025-01-01',
};

describe('the employer report rows', () => {
  const today = '2026-06-01';

  it('shows the current period with its points and the title while active', () => {
    const row = reportRow({ ...base, periods: [periodStartingOn('2025-03-01')], points: 7.5 }, today);
    expect(row).toMatchObject({ title: 'Register-Uitzendprofessional', startsOn: '2025-03-01', endsOn: '2027-03-01', status: 'active', pointsEarned: 7.5, pointsMissing: 4.5, atRisk: false });
  });

  it('a lapsed employee has no title; one without any period is not-registered with 12 missing', () => {
    expect(reportRow({ ...base, periods: [periodStartingOn('2023-01-01')], points: 3 }, today)).toMatchObject({ status: 'lapsed', title: null, pointsEarned: 3 });
    expect(reportRow({ ...base, periods: [], points: 0 }, today)).toMatchObject({ status: 'not-registered', startsOn: null, endsOn: null, pointsMissing: 12, atRisk: false });
  });

  it('at risk: < 6 points with < 6 months left, only while active and unrenewed', () => {
    expect(isAtRisk('active', '2026-11-30', 5.75, today)).toBe(true);
    expect(isAtRisk('active', '2026-12-01', 5.75, today)).toBe(false); // exactly 6 months left
    expect(isAtRisk('active', '2026-11-30', 6, today)).toBe(false);
    expect(isAtRisk('renewed', '2026-11-30', 0, today)).toBe(false);
    expect(isAtRisk('lapsed', '2026-05-01', 0, today)).toBe(false);
  });

  it('totals count every row: active includes renewed, active = onTrack + atRisk', () => {
    const p = periodStartingOn('2024-09-01');
    const rows = [
      reportRow({ ...base, participantId: 'a', periods: [p], points: 2 }, today), // active, ends 2026-09-01: at risk
      reportRow({ ...base, participantId: 'b', periods: [p], points: 12 }, today), // active, on track
      reportRow({ ...base, participantId: 'c', periods: [p, renewalOf(p)], points: 12 }, today), // renewed
      reportRow({ ...base, participantId: 'd', periods: [periodStartingOn('2022-01-01')], points: 0 }, today), // lapsed
    ];
    expect(rows.map((r) => r.status)).toEqual(['active', 'active', 'renewed', 'lapsed']);
    expect(totalsOf(rows)).toEqual({ employees: 4, active: 3, lapsed: 1, onTrack: 2, atRisk: 1 });
  });

  it('pages by participantId after the cursor, with a last id only when more follow', () => {
    const rows = ['a', 'b', 'c', 'd', 'e'].map((id) => reportRow({ ...base, participantId: id, periods: [], points: 0 }, today));
    expect(pageOf(rows, 2)).toMatchObject({ page: [{ participantId: 'a' }, { participantId: 'b' }], last: 'b' });
    expect(pageOf(rows, 2, 'b')).toMatchObject({ page: [{ participantId: 'c' }, { participantId: 'd' }], last: 'd' });
    expect(pageOf(rows, 2, 'd')).toEqual({ page: [rows[4]], last: undefined });
    expect(pageOf(rows, 2, 'z')).toEqual({ page: [], last: undefined });
  });
});
