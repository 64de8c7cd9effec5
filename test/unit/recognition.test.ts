import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DECISIONS,
  REQUEST_STATUSES,
  activityPoints,
  decisionErrors,
  isFinal,
  isRecognizedOn,
  lastSessionOn,
  nextStatus,
  reasonRequired,
  recognitionWindow,
  searchFold,
  submissionInternal,
  transitionRefusal,
  type RequestStatus,
  type Transition,
} from '../../shared/domain/recognition';
import { parseOrThrow } from '../../shared/http/validation';
import { BadRequest } from '../../shared/domain/errors';
import { DecisionRequestSchema, RecognitionRequestBodySchema, SessionSchema } from '../../shared/schemas/recognition';
import { decisionEmail } from '../../shared/email/templates/decision';

const TRANSITIONS: Transition[] = [...DECISIONS, 'resubmitted'];

describe('the review state machine', () => {
  it('allows exactly: submitted → approved | rejected | changes-requested, changes-requested → submitted', () => {
    const allowed: string[] = [];
    for (const from of REQUEST_STATUSES) for (const t of TRANSITIONS) if (nextStatus(from, t)) allowed.push(`${from} -${t}-> ${nextStatus(from, t)}`);
    expect(allowed.sort()).toEqual(
      [
        'submitted -approved-> approved',
        'submitted -rejected-> rejected',
        'submitted -changes-requested-> changes-requested',
        'changes-requested -resubmitted-> submitted',
      ].sort(),
    );
  });

  it('approved and rejected are final; a decided request cannot be decided again', () => {
    expect(isFinal('approved')).toBe(true);
    expect(isFinal('rejected')).toBe(true);
    expect(isFinal('submitted')).toBe(false);
    expect(isFinal('changes-requested')).toBe(false);
    for (const from of ['approved', 'rejected', 'changes-requested'] as const)
      for (const d of DECISIONS) expect(transitionRefusal(from, d), `${from} ${d}`).toMatch(/decided|resubmitted/);
    expect(transitionRefusal('submitted', 'resubmitted')).toMatch(/only after changes are requested/);
    expect(transitionRefusal('approved', 'resubmitted')).toMatch(/was approved/);
    expect(transitionRefusal('submitted', 'approved')).toBeNull();
  });

  it('any sequence of attempted transitions holds at most one final decision, and only ever after a submission (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TRANSITIONS), { maxLength: 30 }), (attempts) => {
        let status: RequestStatus = 'submitted';
        let finals = 0;
        for (const t of attempts) {
          const to = nextStatus(status, t);
          if ((to === undefined) !== (transitionRefusal(status, t) !== null)) return false;
          if (!to) continue;
          if (t !== 'resubmitted' && status !== 'submitted') return false;
          if (isFinal(to)) finals++;
          status = to;
        }
        return finals <= 1;
      }),
    );
  });

  it('requires a reason for a rejection and a change request, not for an approval', () => {
    expect(reasonRequired('rejected')).toBe(true);
    expect(reasonRequired('changes-requested')).toBe(true);
    expect(reasonRequired('approved')).toBe(false);
    expect(decisionErrors({ decision: 'rejected' }, '2026-05-01')).toEqual([{ path: 'reason', message: expect.stringMatching(/reason is required/) }]);
    expect(decisionErrors({ decision: 'changes-requested' }, '2026-05-01').map((e) => e.path)).toEqual(['reason']);
    expect(decisionErrors({ decision: 'approved' }, '2026-05-01')).toEqual([]);
  });

  it('takes recognizedUntil only on an approval, and only after the decision date', () => {
    expect(decisionErrors({ decision: 'approved', recognizedUntil: '2026-05-01' }, '2026-05-01').map((e) => e.path)).toEqual(['recognizedUntil']);
    expect(decisionErrors({ decision: 'approved', recognizedUntil: '2026-05-02' }, '2026-05-01')).toEqual([]);
    expect(decisionErrors({ decision: 'rejected', reason: 'x', recognizedUntil: '2027-01-01' }, '2026-05-01').map((e) => e.path)).toEqual(['recognizedUntil']);
  });
});

describe('who submits what', () => {
  it('internal only for employers, and an employer submits only internal activities', () => {
    expect(submissionInternal('provider', undefined)).toEqual({ internal: false });
    expect(submissionInternal('provider', false)).toEqual({ internal: false });
    expect(submissionInternal('provider', true)).toMatchObject({ path: 'internal' });
    expect(submissionInternal('employer', undefined)).toEqual({ internal: true });
    expect(submissionInternal('employer', true)).toEqual({ internal: true });
    expect(submissionInternal('employer', false)).toMatchObject({ path: 'internal' });
  });
});

describe('recognition window and points', () => {
  it('runs from the decision date, by default two years, end exclusive', () => {
    const w = recognitionWindow('2026-03-10');
    expect(w).toEqual({ recognizedFrom: '2026-03-10', recognizedUntil: '2028-03-10' });
    expect(isRecognizedOn(w, '2026-03-09')).toBe(false);
    expect(isRecognizedOn(w, '2026-03-10')).toBe(true);
    expect(isRecognizedOn(w, '2028-03-09')).toBe(true);
    expect(isRecognizedOn(w, '2028-03-10')).toBe(false);
    expect(recognitionWindow('2028-02-29').recognizedUntil).toBe('2030-03-01');
    expect(recognitionWindow('2026-03-10', '2026-12-31')).toEqual({ recognizedFrom: '2026-03-10', recognizedUntil: '2026-12-31' });
  });

  it('points are net study minutes / 60 rounded down to a quarter', () => {
    expect(activityPoints(30)).toBe(0.5);
    expect(activityPoints(44)).toBe(0.5);
    expect(activityPoints(45)).toBe(0.75);
    expect(activityPoints(59)).toBe(0.75);
    expect(activityPoints(60)).toBe(1);
    expect(activityPoints(200)).toBe(3.25);
    fc.assert(fc.property(fc.integer({ min: 30, max: 6000 }), (m) => {
      const p = activityPoints(m);
      return p * 4 === Math.floor(p * 4) && p <= m / 60 && m / 60 - p < 0.25;
    }));
  });

  it('folds case and accents for the text filter, and finds the last session start', () => {
    expect(searchFold('  Cursus ÉÉN\tover  Inlenersbeloning ')).toBe('cursus een over inlenersbeloning');
    expect(lastSessionOn([{ startsOn: '2026-05-01' }, { startsOn: '2026-09-01' }, { startsOn: '2026-06-01' }])).toBe('2026-09-01');
    expect(lastSessionOn([])).toBeUndefined();
    expect(lastSessionOn(undefined)).toBeUndefined();
  });
});

function errorsOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequest);
    return (err as BadRequest).errors;
  }
  throw new Error('expected a BadRequest');
}

const valid = {
  title: 'Arbeidsrecht in de praktijk',
  description: 'Een middag over de fasen van de uitzendovereenkomst.',
  learningGoals: ['De deelnemer kent de fasen'],
  activityType: 'training',
  nature: 'updating',
  topics: ['T02'],
  netStudyMinutes: 180,
  completion: { type: 'test', description: 'Toets van 10 vragen' },
  sessions: [{ startsOn: '2026-09-01', endsOn: '2026-09-02', location: 'Utrecht' }],
};

describe('the submission schema', () => {
  it('accepts a complete request', () => {
    expect(parseOrThrow(RecognitionRequestBodySchema, valid).netStudyMinutes).toBe(180);
  });

  it('names each bad field: too little time, no learning goals, no completion element, bad dates, bad topic codes, unknown fields', () => {
    const errors = errorsOf(() =>
      parseOrThrow(RecognitionRequestBodySchema, {
        ...valid,
        netStudyMinutes: 29,
        learningGoals: [],
        completion: undefined,
        topics: ['T01', 't2', 'T01'],
        sessions: [{ startsOn: '2026-02-30', online: true }, { startsOn: '2026-09-03', endsOn: '2026-09-01', online: true }],
        colour: 'blue',
      }),
    );
    const paths = errors.map((e) => e.path).sort();
    expect(paths).toEqual(
      ['colour', 'completion', 'learningGoals', 'netStudyMinutes', 'sessions[0].startsOn', 'sessions[1].endsOn', 'topics', 'topics[1]'].sort(),
    );
    expect(errors.find((e) => e.path === 'netStudyMinutes')?.message).toMatch(/at least 30 minutes/);
    expect(errors.find((e) => e.path === 'learningGoals')?.message).toMatch(/learning goal/);
    expect(errors.find((e) => e.path === 'sessions[1].endsOn')?.message).toMatch(/on or after startsOn/);
    expect(errors.find((e) => e.path === 'topics')?.message).toMatch(/once/);
  });

  it('refuses an empty body naming every required field', () => {
    const paths = errorsOf(() => parseOrThrow(RecognitionRequestBodySchema, {})).map((e) => e.path).sort();
    expect(paths).toEqual(['activityType', 'completion', 'description', 'learningGoals', 'nature', 'netStudyMinutes', 'title', 'topics']);
  });

  it('refuses a completion element of another type, fractional minutes, and a title with a line break', () => {
    const paths = errorsOf(() =>
      parseOrThrow(RecognitionRequestBodySchema, { ...valid, completion: { type: 'attendance', description: 'x' }, netStudyMinutes: 90.5, title: 'a\nb' }),
    ).map((e) => e.path);
    expect(paths.sort()).toEqual(['completion.type', 'netStudyMinutes', 'title']);
  });

  it('a session needs a location or online, and may be a single day', () => {
    expect(errorsOf(() => parseOrThrow(SessionSchema, { startsOn: '2026-09-01' })).map((e) => e.path)).toEqual(['location']);
    expect(parseOrThrow(SessionSchema, { startsOn: '2026-09-01', online: true })).toEqual({ startsOn: '2026-09-01', online: true });
    expect(parseOrThrow(SessionSchema, { startsOn: '2026-09-01', endsOn: '2026-09-01', location: 'Zwolle' }).endsOn).toBe('2026-09-01');
  });

  it('the decision body takes only the three decisions', () => {
    expect(errorsOf(() => parseOrThrow(DecisionRequestSchema, { decision: 'maybe', extra: 1 })).map((e) => e.path).sort()).toEqual(['decision', 'extra']);
  });
});

describe('the decision e-mail', () => {
  it('is Dutch, carries the reason (escaped in HTML), and names the request', () => {
    const mail = decisionEmail({ to: 'info@opleider.nl', name: 'Opleider <BV>', requestId: 'req_X', title: 'Cao & meer', decision: 'rejected', reason: 'Leerdoelen <ontbreken>' });
    expect(mail.language).toBe('nl');
    expect(mail.subject).toBe('Erkenning afgewezen: Cao & meer');
    expect(mail.text).toContain('Leerdoelen <ontbreken>');
    expect(mail.text).toContain('req_X');
    expect(mail.html).toContain('Leerdoelen &lt;ontbreken&gt;');
    expect(mail.html).toContain('Opleider &lt;BV&gt;');
    expect(mail.html).not.toContain('<ontbreken>');
  });

  it('an approval names points, window and activity id; a change request asks to resubmit', () => {
    const ok = decisionEmail({ to: 'a@b.nl', name: 'X', requestId: 'req_1', title: 'T', decision: 'approved', activityId: 'act_1', points: 2.75, recognizedFrom: '2026-03-10', recognizedUntil: '2028-03-10' });
    expect(ok.subject).toMatch(/^Erkenning toegekend/);
    expect(ok.text).toContain('2,75 punten');
    // recognizedUntil is exclusive: the mail names the last day of recognition.
    expect(ok.text).toContain('erkend van 10 maart 2026 tot en met 9 maart 2028');
    expect(ok.text).toContain('act_1');
    const change = decisionEmail({ to: 'a@b.nl', name: 'X', requestId: 'req_1', title: 'T', decision: 'changes-requested', reason: 'Voeg een toets toe' });
    expect(change.subject).toMatch(/^Aanpassing gevraagd/);
    expect(change.text).toMatch(/opnieuw in/);
    expect(change.text).toContain('Voeg een toets toe');
  });
});
