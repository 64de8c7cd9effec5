import type { ApiKeyRecord } from '../data/api-keys';
import { auditPut } from '../data/audit';
import { AGAIN, cancellationCodes, optimistic, transact, type TxItem } from '../data/client';
import { getEmployer, getProvider } from '../data/organisations';
import { ensureTopicsSeeded, listTopics, putTopic } from '../data/topics';
import {
  getRequest,
  listRequestsByOwner,
  listRequestsByStatus,
  putRequestItem,
  requestPk,
  type HistoryEntry,
  type RecognitionRequest,
  type RequestContent,
} from '../data/recognition';
import { activityItems, type Activity } from '../data/activities';
import {
  activityPoints,
  decisionErrors,
  nextStatus,
  recognitionWindow,
  submissionInternal,
  transitionRefusal,
  type Decision,
  type RequestStatus,
  type RuleError,
} from '../domain/recognition';
import { BadRequest, Conflict, NotFound } from '../domain/errors';
import { actFor, actorOf, ownedBy, ownerFields } from './access';
import type { PageRequest } from '../data/paging';
import { newId } from '../ids';
import { logger } from '../log';
import { sendEmail } from '../email/send';
import { decisionEmail } from '../email/templates/decision';
import { TopicCodeSchema, type RecognitionRequestBody } from '../schemas/recognition';

/**
 * Recognition: submission, resubmission, the admin's decision (which creates the recognized
 * activity), the queues, the catalogue and the topic list. The rules are in
 * shared/domain/recognition.ts; this module reads, asks the rules, and writes in one transaction.
 */
type Caller = ApiKeyRecord;
type OwnerRole = 'provider' | 'employer';


function invalid(errors: RuleError[]): never {
  throw new BadRequest(`The request body is invalid: ${errors.length} error(s).`, errors);
}

// ---------------------------------------------------------------- topics

export { listTopics };

export async function saveTopic(code: string, input: { name: string; retired?: boolean }, caller: Caller) {
  try {
    return await putTopic(code, input, actorOf(caller));
  } catch (err) {
    if (cancellationCodes(err)) throw new Conflict('The topic was changed at the same moment; read it and try again.');
    throw err;
  }
}

/**
 * Every topic code that does not exist or is retired, named by its place in the list. Entries
 * that are no topic code at all are the schema's to name.
 */
async function topicErrors(codes: readonly unknown[]): Promise<RuleError[]> {
  const wellFormed = codes.flatMap((code, i) => (TopicCodeSchema.safeParse(code).success ? [{ code: code as string, i }] : []));
  if (!wellFormed.length) return [];
  await ensureTopicsSeeded();
  const topics = new Map((await listTopics()).map((t) => [t.code, t]));
  const errors: RuleError[] = [];
  for (const { code, i } of wellFormed) {
    const topic = topics.get(code);
    if (!topic) errors.push({ path: `topics[${i}]`, message: `Unknown topic code ${code}` });
    else if (topic.retired) errors.push({ path: `topics[${i}]`, message: `Topic ${code} is retired and cannot be used in new requests` });
  }
  return errors;
}

/**
 * The checks beyond the schema (who may submit internal activities, topic codes as data), on
 * whatever of the input is well-formed: a valid body here, and in the route's recipe a body the
 * schema refused, so that one 400 names the schema's problems and these together.
 */
export async function recognitionRuleErrors(role: OwnerRole, input: unknown): Promise<RuleError[]> {
  const body = (input !== null && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const errors: RuleError[] = [];
  if (body.internal === undefined || typeof body.internal === 'boolean') {
    const internal = submissionInternal(role, body.internal);
    if ('path' in internal) errors.push(internal);
  }
  errors.push(...(await topicErrors(Array.isArray(body.topics) ? body.topics : [])));
  return errors;
}

/** The rules of a recognition request body for this caller (the HTTP recipe's `bodyRules`). */
export const recognitionBodyRules = (input: unknown, caller: Caller | undefined) => recognitionRuleErrors(ownerRoleOf(caller!), input);

async function contentFor(role: OwnerRole, body: RecognitionRequestBody): Promise<RequestContent> {
  const errors = await recognitionRuleErrors(role, body);
  if (errors.length) invalid(errors);
  const internal = submissionInternal(role, body.internal) as { internal: boolean };
  return {
    title: body.title,
    description: body.description,
    learningGoals: body.learningGoals,
    activityType: body.activityType,
    nature: body.nature,
    topics: body.topics,
    netStudyMinutes: body.netStudyMinutes,
    completion: body.completion,
    internal: internal.internal,
    sessions: [...(body.sessions ?? [])].sort((a, b) => a.startsOn.localeCompare(b.startsOn)),
  };
}

function ownerRoleOf(caller: Caller): OwnerRole {
  if (caller.role !== 'provider' && caller.role !== 'employer') throw new Error(`role ${caller.role} cannot own a recognition request`);
  return caller.role;
}

/** What the audit trail keeps of a request's state: status and version, never its free text. */
const stateOf = (r: RecognitionRequest) => ({ status: r.status, version: r.version });

// ---------------------------------------------------------------- submission and resubmission

export async function submitRequest(caller: Caller, body: RecognitionRequestBody) {
  const role = ownerRoleOf(caller);
  const content = await contentFor(role, body);
  const now = new Date();
  const at = now.toISOString();
  const actor = actorOf(caller);
  const request: RecognitionRequest = {
    requestId: newId('req', now.getTime()),
    ownerId: caller.ownerId,
    ownerRole: role,
    status: 'submitted',
    version: 1,
    submittedAt: at,
    statusAt: at,
    updatedAt: at,
    ...content,
    history: [{ at, actor, transition: 'submitted', to: 'submitted' }],
  };
  await transact([
    putRequestItem(request),
    auditPut(requestPk(request.requestId), { actor, action: 'request.submitted', after: { ...stateOf(request), title: request.title, internal: request.internal } }, now),
  ]);
  logger.info('recognition request submitted', { requestId: request.requestId });
  return request;
}

/** The request, for its owner or the admin; anyone else gets the 404 a missing one gets. */
export async function requestFor(caller: Caller, requestId: string): Promise<RecognitionRequest> {
  return ownedBy(caller, await getRequest(requestId), ownerFields, 'No recognition request with this id.');
}

/** The owner resubmits after `changes-requested`: the content is replaced and the request waits for a decision again. */
export async function resubmitRequest(caller: Caller, requestId: string, body: RecognitionRequestBody) {
  const current = await requestFor(caller, requestId);
  // Only the owner resubmits; the admin decides.
  actFor(caller, ownerFields(current), 'No recognition request with this id.', { admin: false });
  const refusal = transitionRefusal(current.status, 'resubmitted');
  if (refusal) throw new Conflict(refusal, { currentStatus: current.status });
  const content = await contentFor(current.ownerRole, body);
  const now = new Date();
  const at = now.toISOString();
  const actor = actorOf(caller);
  const to = nextStatus(current.status, 'resubmitted')!;
  const next: RecognitionRequest = {
    ...current,
    ...content,
    status: to,
    version: current.version + 1,
    statusAt: at,
    updatedAt: at,
    history: [...current.history, { at, actor, transition: 'resubmitted', from: current.status, to }],
  };
  try {
    await transact([
      putRequestItem(next, { status: current.status, version: current.version }),
      auditPut(requestPk(requestId), { actor, action: 'request.resubmitted', before: stateOf(current), after: stateOf(next) }, now),
    ]);
  } catch (err) {
    if (!cancellationCodes(err)) throw err;
    const fresh = await getRequest(requestId, true);
    throw new Conflict('The request changed at the same moment (it was resubmitted already); read it and try again.', { currentStatus: fresh?.status });
  }
  return next;
}

// ---------------------------------------------------------------- the decision

interface OwnerContact {
  name: string;
  email?: string;
}

async function ownerContact(request: RecognitionRequest): Promise<OwnerContact> {
  if (request.ownerRole === 'provider') {
    const p = await getProvider(request.ownerId);
    return { name: p?.name ?? request.ownerId, email: p?.contactEmail };
  }
  const e = await getEmployer(request.ownerId);
  return { name: e?.name ?? request.ownerId, email: e?.invoiceEmail };
}

/** The activity id follows from the request id, so one request can only ever yield one activity. */
export const activityIdFor = (requestId: string) => `act_${requestId.slice('req_'.length)}`;

const MAX_ATTEMPTS = 5;

/**
 * The admin decides. The request is written with a condition on the status and version it was
 * read with, in one transaction with the activity (on approval) and the audit events: of any
 * number of concurrent decisions exactly one lands, the others get 409. A transaction cancelled
 * by a conflict (not a failed condition) is read again and retried.
 */
export async function decide(caller: Caller, requestId: string, input: { decision: Decision; reason?: string; recognizedUntil?: string }, today: string) {
  const errors = decisionErrors(input, today);
  if (errors.length) invalid(errors);
  const actor = actorOf(caller);
  let contact: OwnerContact | undefined;
  let busyStatus: string | undefined;

  return optimistic(async () => {
    const current = await getRequest(requestId, true);
    if (!current) throw new NotFound('No recognition request with this id.');
    busyStatus = current.status;
    const refusal = transitionRefusal(current.status, input.decision);
    if (refusal) throw new Conflict(refusal, { currentStatus: current.status });
    contact ??= await ownerContact(current);

    const now = new Date();
    const at = now.toISOString();
    const to = nextStatus(current.status, input.decision)!;
    const entry: HistoryEntry = { at, actor, transition: input.decision, from: current.status, to, ...(input.reason ? { reason: input.reason } : {}) };
    let activity: Activity | undefined;
    if (input.decision === 'approved') {
      activity = {
        activityId: activityIdFor(requestId),
        requestId,
        ownerId: current.ownerId,
        ownerRole: current.ownerRole,
        providerName: contact.name,
        title: current.title,
        description: current.description,
        learningGoals: current.learningGoals,
        activityType: current.activityType,
        nature: current.nature,
        topics: current.topics,
        netStudyMinutes: current.netStudyMinutes,
        points: activityPoints(current.netStudyMinutes),
        completion: current.completion,
        internal: current.internal,
        sessions: current.sessions,
        ...recognitionWindow(today, input.recognizedUntil),
        createdAt: at,
      };
    }
    const next: RecognitionRequest = {
      ...current,
      status: to,
      version: current.version + 1,
      statusAt: at,
      updatedAt: at,
      decidedAt: at,
      ...(activity ? { activityId: activity.activityId, points: activity.points } : {}),
      history: [...current.history, entry],
    };
    const pk = requestPk(requestId);
    const items: TxItem[] = [
      putRequestItem(next, { status: current.status, version: current.version }),
      auditPut(pk, { actor, action: `request.${input.decision}`, before: stateOf(current), after: stateOf(next), detail: input.reason ? { reason: input.reason } : undefined }, now),
    ];
    if (activity) {
      items.push(
        ...activityItems(activity),
        auditPut(pk, {
          actor,
          action: 'activity.recognized',
          after: { activityId: activity.activityId, points: activity.points, internal: activity.internal, recognizedFrom: activity.recognizedFrom, recognizedUntil: activity.recognizedUntil },
        }, now),
      );
    }
    try {
      await transact(items);
    } catch (err) {
      const codes = cancellationCodes(err);
      if (!codes) throw err;
      if (codes[0] === 'ConditionalCheckFailed') {
        // Someone else changed the request between our read and our write: their change stands.
        const fresh = await getRequest(requestId, true);
        throw new Conflict(`The request was changed at the same moment${fresh ? ` (it is now ${fresh.status})` : ''}; it cannot be decided again.`, { currentStatus: fresh?.status });
      }
      // Cancelled by a conflicting transaction (not by our condition): back off, read again, retry.
      if (!codes.includes('TransactionConflict')) throw err;
      return AGAIN;
    }
    logger.info('recognition request decided', { requestId, decision: input.decision, activityId: activity?.activityId });
    const notified = await notify(contact, next, input.decision, input.reason, activity);
    return {
      requestId,
      status: next.status,
      decision: input.decision,
      decidedAt: at,
      ...(input.reason ? { reason: input.reason } : {}),
      ...(activity
        ? { activityId: activity.activityId, points: activity.points, recognizedFrom: activity.recognizedFrom, recognizedUntil: activity.recognizedUntil }
        : {}),
      notified,
    };
  }, {
    attempts: MAX_ATTEMPTS,
    backoffMs: (attempt) => 20 * attempt + Math.random() * 30,
    exhausted: () => new Conflict('The request is busy; try the decision again.', { currentStatus: busyStatus }),
  });
}

/**
 * The e-mail to the submitter. The decision is already stored: a mail failure is logged (ids
 * only) and reported as `notified: false`, never turned into an error that invites a retry.
 */
async function notify(contact: OwnerContact, request: RecognitionRequest, decision: Decision, reason: string | undefined, activity?: Activity): Promise<boolean> {
  if (!contact.email) {
    logger.warn('decision e-mail not sent: the owner has no address', { requestId: request.requestId });
    return false;
  }
  try {
    await sendEmail(
      decisionEmail({
        to: contact.email,
        name: contact.name,
        requestId: request.requestId,
        title: request.title,
        decision,
        reason,
        activityId: activity?.activityId,
        points: activity?.points,
        recognizedFrom: activity?.recognizedFrom,
        recognizedUntil: activity?.recognizedUntil,
      }),
    );
    return true;
  } catch (err) {
    logger.error('decision e-mail failed', { requestId: request.requestId, error: (err as Error).name });
    return false;
  }
}

// ---------------------------------------------------------------- views and lists

export function requestView(r: RecognitionRequest) {
  return {
    requestId: r.requestId,
    status: r.status,
    version: r.version,
    ownerId: r.ownerId,
    ownerRole: r.ownerRole,
    title: r.title,
    description: r.description,
    learningGoals: r.learningGoals,
    activityType: r.activityType,
    nature: r.nature,
    topics: r.topics,
    netStudyMinutes: r.netStudyMinutes,
    completion: r.completion,
    internal: r.internal,
    sessions: r.sessions,
    submittedAt: r.submittedAt,
    updatedAt: r.updatedAt,
    ...(r.decidedAt ? { decidedAt: r.decidedAt } : {}),
    ...(r.activityId ? { activityId: r.activityId, points: r.points } : {}),
    history: r.history,
  };
}

function summaryView(r: RecognitionRequest) {
  return {
    requestId: r.requestId,
    status: r.status,
    title: r.title,
    ownerId: r.ownerId,
    ownerRole: r.ownerRole,
    activityType: r.activityType,
    internal: r.internal,
    submittedAt: r.submittedAt,
    statusAt: r.statusAt,
  };
}


/**
 * The admin: one status's queue (default `submitted`), oldest first. A provider or employer:
 * its own requests (optionally in one status), oldest submission first.
 */
export async function listRequests(caller: Caller, query: { status?: RequestStatus }, paging: PageRequest) {
  const page = { limit: paging.limit, cursor: paging.start };
  const found =
    caller.role === 'admin'
      ? await listRequestsByStatus(query.status ?? 'submitted', page)
      : await listRequestsByOwner(caller.ownerId, query.status, page);
  return { items: found.items.map(summaryView), nextCursor: paging.next(found.lastKey) };
}
