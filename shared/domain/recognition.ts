import { addYears } from './dates';
import { pointsForMinutes } from './points';

/**
 * Recognition (PE-erkenning): pure rules, no I/O. A request moves through an explicit state
 * machine; an approval turns it into a recognized activity with a recognition window.
 */
export const ACTIVITY_TYPES = ['e-learning', 'webinar', 'training', 'workshop', 'continuous-learning-app'] as const;
export const NATURES = ['consolidating', 'updating', 'deepening', 'broadening'] as const;
export const COMPLETION_TYPES = ['test', 'final-assignment'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export type Nature = (typeof NATURES)[number];
export type CompletionType = (typeof COMPLETION_TYPES)[number];

export const MIN_NET_STUDY_MINUTES = 30;
/** Default length of a recognition: from the decision date, two years *(decision)*. */
export const RECOGNITION_YEARS = 2;

export const REQUEST_STATUSES = ['submitted', 'approved', 'rejected', 'changes-requested'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const DECISIONS = ['approved', 'rejected', 'changes-requested'] as const;
export type Decision = (typeof DECISIONS)[number];
/** What can happen to a request: the admin's decisions, and the owner's resubmission. */
export type Transition = Decision | 'resubmitted';

/**
 * The whole state machine. Anything not listed is refused:
 *   submitted → approved | rejected | changes-requested
 *   changes-requested → submitted (the owner resubmits the same request)
 *   approved, rejected: final
 */
const MACHINE: Record<RequestStatus, Partial<Record<Transition, RequestStatus>>> = {
  submitted: { approved: 'approved', rejected: 'rejected', 'changes-requested': 'changes-requested' },
  'changes-requested': { resubmitted: 'submitted' },
  approved: {},
  rejected: {},
};

/** The status a transition leads to from `from`, or undefined when the machine does not allow it. */
export function nextStatus(from: RequestStatus, transition: Transition): RequestStatus | undefined {
  return MACHINE[from][transition];
}

export function isFinal(status: RequestStatus): boolean {
  return Object.keys(MACHINE[status]).length === 0;
}

/** Why a transition is refused (for the 409's detail), or null when it is allowed. */
export function transitionRefusal(from: RequestStatus, transition: Transition): string | null {
  if (nextStatus(from, transition)) return null;
  if (transition === 'resubmitted') {
    return from === 'submitted'
      ? 'This request is waiting for a decision; it can be resubmitted only after changes are requested.'
      : `This request was ${from}; only a request with changes requested can be resubmitted.`;
  }
  if (from === 'changes-requested') return 'Changes were requested; the request can be decided again once it is resubmitted.';
  return `This request was already decided (${from}).`;
}

export function reasonRequired(decision: Decision): boolean {
  return decision === 'rejected' || decision === 'changes-requested';
}

export interface RuleError {
  path: string;
  message: string;
}

/**
 * The checks on a decision that the schema cannot make alone: a reason for a rejection or a
 * change request, and a `recognizedUntil` only on an approval, after the decision date.
 */
export function decisionErrors(input: { decision: Decision; reason?: string; recognizedUntil?: string }, decidedOn: string): RuleError[] {
  const errors: RuleError[] = [];
  if (reasonRequired(input.decision) && !input.reason) {
    errors.push({ path: 'reason', message: `A reason is required when the decision is ${input.decision}` });
  }
  if (input.recognizedUntil !== undefined) {
    if (input.decision !== 'approved') errors.push({ path: 'recognizedUntil', message: 'recognizedUntil applies only to an approval' });
    else if (input.recognizedUntil <= decidedOn) errors.push({ path: 'recognizedUntil', message: `recognizedUntil must be after the decision date (${decidedOn})` });
  }
  return errors;
}

/**
 * Who may submit what: a provider submits public activities; an employer only its own internal
 * ones (SPEC: "an employer, for its own internal activities"), so `internal` defaults to true for
 * an employer and may not be false.
 */
export function submissionInternal(role: 'provider' | 'employer', internal: boolean | undefined): { internal: boolean } | RuleError {
  if (role === 'provider') {
    return internal ? { path: 'internal', message: 'Only an employer can submit an internal activity' } : { internal: false };
  }
  return internal === false
    ? { path: 'internal', message: 'An employer submits only its own internal activities (internal must be true or absent)' }
    : { internal: true };
}

export interface RecognitionWindow {
  /** First day of recognition (the decision date), inclusive. */
  recognizedFrom: string;
  /** End of recognition, exclusive (like a registration period's `endsOn`). */
  recognizedUntil: string;
}

/** From the decision date until `recognizedUntil`, by default two years later. */
export function recognitionWindow(decidedOn: string, recognizedUntil?: string): RecognitionWindow {
  return { recognizedFrom: decidedOn, recognizedUntil: recognizedUntil ?? addYears(decidedOn, RECOGNITION_YEARS) };
}

/**
 * Was the activity recognized on this date? What crediting checks on the completion date:
 * `recognizedFrom <= date < recognizedUntil`.
 */
export function isRecognizedOn(activity: RecognitionWindow, date: string): boolean {
  return activity.recognizedFrom <= date && date < activity.recognizedUntil;
}

/** Points of a recognized activity: net study minutes / 60, down to the nearest 0.25. */
export function activityPoints(netStudyMinutes: number): number {
  return pointsForMinutes(netStudyMinutes);
}

/** Case- and accent-insensitive text for the catalogue's `q` filter ("Cursus Één" ~ "een"). */
export function searchFold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The latest start date among the sessions (the catalogue's `from` filter compares against it). */
export function lastSessionOn(sessions: readonly { startsOn: string }[] | undefined): string | undefined {
  if (!sessions?.length) return undefined;
  return sessions.reduce((max, s) => (s.startsOn > max ? s.startsOn : max), sessions[0].startsOn);
}
