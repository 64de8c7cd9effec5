import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, addYears } from '../../shared/domain/dates';
import { periodStartingOn } from '../../shared/domain/periods';
import {
  NOTICE_KINDS,
  dueNotice,
  firstNoticeOn,
  isAtRisk,
  monthOf,
  nextNoticeOn,
  noticeDate,
  noticeRank,
  noticeSchedule,
  type NoticeKind,
} from '../../shared/domain/notices';
import { NOTICE_SHARDS, noticeIndexKeys, noticeShard } from '../../shared/data/notices';
import { Cron } from 'croner';
import { jobs } from '../../shared/routes';
import { jobNames } from '../../shared/jobs/registry';
import { CRONER_OPTIONS, toCronerPattern } from '../../infra/local/cron';

const dateArb = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2080-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const kindArb = fc.constantFrom<NoticeKind | undefined>(undefined, ...NOTICE_KINDS);

const endsOn = '2027-03-01';

describe('notice dates', () => {
  it('falls due 90, 30 and 7 days before endsOn, and the lapse notice on endsOn', () => {
    expect(noticeSchedule(endsOn)).toEqual([
      { kind: '90', on: '2026-12-01' },
      { kind: '30', on: '2027-01-30' },
      { kind: '7', on: '2027-02-22' },
      { kind: 'lapsed', on: '2027-03-01' },
    ]);
  });

  it('counts back across a leap day', () => {
    expect(noticeDate('2028-03-30', '30')).toBe('2028-02-29');
    expect(noticeDate('2028-03-01', '7')).toBe('2028-02-23');
  });
});

describe('dueNotice: the latest due and not yet sent', () => {
  it.each([
    ['2026-11-30', undefined, null],
    ['2026-12-01', undefined, '90'],
    ['2027-01-29', '90', null],
    ['2027-01-30', '90', '30'],
    ['2027-02-21', '30', null],
    ['2027-02-22', '30', '7'],
    ['2027-02-28', '7', null],
    ['2027-03-01', '7', 'lapsed'],
    ['2027-06-01', 'lapsed', null],
  ] as const)('as of %s after %s → %s (every threshold on its day)', (asOf, last, expected) => {
    expect(dueNotice(endsOn, asOf, last)).toBe(expected);
  });

  it('catches missed runs up with the latest notice only', () => {
    expect(dueNotice(endsOn, '2027-02-25')).toBe('7');
    expect(dueNotice(endsOn, '2027-02-25', '90')).toBe('7');
    expect(dueNotice(endsOn, '2028-01-01', '90')).toBe('lapsed');
  });

  it('never sends an earlier notice after a later one', () => {
    expect(dueNotice(endsOn, '2027-01-30', '7')).toBeNull();
    expect(dueNotice(endsOn, '2027-02-22', 'lapsed')).toBeNull();
  });

  it('is null exactly when no notice after lastSent has come (property)', () => {
    fc.assert(
      fc.property(dateArb, dateArb, kindArb, (end, asOf, last) => {
        const pending = noticeSchedule(end).filter((n) => noticeRank(n.kind) > noticeRank(last) && n.on <= asOf);
        const due = dueNotice(end, asOf, last);
        if (!pending.length) expect(due).toBeNull();
        else expect(due).toBe(pending[pending.length - 1].kind);
      }),
    );
  });
});

describe('nextNoticeOn and firstNoticeOn: the due-index key', () => {
  it('walks 90 → 30 → 7 → lapse date → out of the index', () => {
    expect(nextNoticeOn(endsOn)).toBe('2026-12-01');
    expect(nextNoticeOn(endsOn, '90')).toBe('2027-01-30');
    expect(nextNoticeOn(endsOn, '30')).toBe('2027-02-22');
    expect(nextNoticeOn(endsOn, '7')).toBe('2027-03-01');
    expect(nextNoticeOn(endsOn, 'lapsed')).toBeNull();
  });

  it('a period started today (session, renewal, collective registration) is keyed on endsOn − 90', () => {
    const today = '2026-05-10';
    expect(firstNoticeOn(periodStartingOn(today), today)).toBe(addDays(addYears(today, 2), -90));
    // A renewal starts in the future: the same rule.
    const renewal = periodStartingOn('2027-03-01');
    expect(firstNoticeOn(renewal, '2026-12-15')).toBe('2028-12-01');
  });

  it('a period recorded late gets the latest countdown date already passed, so the next run catches it up', () => {
    const p = { startsOn: '2025-03-01', endsOn };
    expect(firstNoticeOn(p, '2026-12-31')).toBe('2026-12-01'); // 60 days left: the 90-day notice
    expect(firstNoticeOn(p, '2027-01-30')).toBe('2027-01-30'); // exactly 30 days left
    expect(firstNoticeOn(p, '2027-02-26')).toBe('2027-02-22'); // 3 days left: the 7-day notice
    expect(dueNotice(endsOn, '2027-02-26')).toBe('7');
  });

  it('a period that had ended before it was recorded gets no notices', () => {
    expect(firstNoticeOn({ startsOn: '2025-03-01', endsOn }, endsOn)).toBeNull();
    expect(firstNoticeOn({ startsOn: '2025-03-01', endsOn }, '2028-01-01')).toBeNull();
  });

  it('daily runs on any days send strictly later notices, at most one a run, and end with the lapse (property)', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.integer({ min: -200, max: 800 }),
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 40 }),
        (end, recordedDaysBefore, gaps) => {
          const period = { startsOn: addYears(end, -2), endsOn: end };
          const recordedOn = addDays(end, -recordedDaysBefore);
          let key = firstNoticeOn(period, recordedOn);
          let last: NoticeKind | undefined;
          const sent: NoticeKind[] = [];
          let asOf = recordedOn;
          for (const gap of gaps) {
            asOf = addDays(asOf, gap);
            // The job reads the index: only keys ≤ asOf.
            if (key === null || key > asOf) continue;
            const kind = dueNotice(end, asOf, last);
            expect(kind).not.toBeNull(); // a key that is due always names a notice
            sent.push(kind!);
            last = kind!;
            key = nextNoticeOn(end, kind!);
            // The new key lies after this run: the same run (or a rerun as of the same day) never picks it up again.
            if (key !== null) expect(key > asOf).toBe(true);
          }
          // Strictly increasing, so never twice and never an earlier one after a later one.
          for (let i = 1; i < sent.length; i++) expect(noticeRank(sent[i])).toBeGreaterThan(noticeRank(sent[i - 1]));
          if (recordedOn >= end) expect(sent).toEqual([]);
          else if (asOf >= end) expect(sent[sent.length - 1]).toBe('lapsed');
        },
      ),
    );
  });
});

describe('isAtRisk (employer digest)', () => {
  it('running, ending within 90 days, points missing', () => {
    const p = { startsOn: '2025-03-01', endsOn, points: 11.75 };
    expect(isAtRisk(p, '2026-12-01')).toBe(true); // exactly 90 days left
    expect(isAtRisk(p, '2026-11-30')).toBe(false); // 91 days
    expect(isAtRisk(p, '2027-02-28')).toBe(true);
    expect(isAtRisk(p, endsOn)).toBe(false); // lapsed
    expect(isAtRisk({ ...p, points: 12 }, '2027-01-15')).toBe(false);
  });

  it('monthOf', () => {
    expect(monthOf('2026-03-01')).toBe('2026-03');
  });
});

describe('due-index shards', () => {
  it('keys a period into NOTICEDUE#<0-3> with the date first', () => {
    const keys = noticeIndexKeys('par_01ABC', '2025-03-01', '2026-12-01');
    expect(keys.gsi3pk).toMatch(/^NOTICEDUE#[0-3]$/);
    expect(keys.gsi3sk).toBe('2026-12-01#par_01ABC#2025-03-01');
    expect(noticeIndexKeys('par_01ABC', '2027-03-01', '2028-12-01').gsi3pk).toBe(keys.gsi3pk);
  });

  it('spreads participants evenly over the shards', () => {
    const counts = new Array(NOTICE_SHARDS).fill(0);
    for (let i = 0; i < 4000; i++) counts[noticeShard(`par_${i.toString(36).padStart(8, '0')}${(i * 7919) % 1000}`)]++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });
});

describe('the job entry', () => {
  it('is registered and scheduled daily at 06:00 Amsterdam time, winter and summer (the local cron as the cloud one)', () => {
    expect(jobNames()).toContain('expiry-notices');
    const job = jobs.find((j) => j.name === 'expiry-notices')!;
    expect(job).toMatchObject({ handler: 'scheduled/expiry-notices', schedule: '0 6 * * ? *', timeZone: 'Europe/Amsterdam' });
    const cron = new Cron(toCronerPattern(job.schedule), { ...CRONER_OPTIONS, timezone: job.timeZone, paused: true });
    // 06:00 CET = 05:00 UTC in winter, 06:00 CEST = 04:00 UTC in summer.
    expect(cron.nextRun(new Date('2027-01-10T12:00:00Z'))!.toISOString()).toBe('2027-01-11T05:00:00.000Z');
    expect(cron.nextRun(new Date('2027-07-10T12:00:00Z'))!.toISOString()).toBe('2027-07-11T04:00:00.000Z');
  });
});
