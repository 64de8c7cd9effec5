/* The employer report and one employee's history. */
import {
  displayName,
  getParticipant,
  getParticipants,
  getPeriodPoints,
  listRegistrations,
  titleFor,
} from '../../data/participants';
import { employerPk, listLinks, toLink, type EmployeeLink } from '../../data/employers';
import { queryAll } from '../../data/batch';
import { PROJECTION_ATTRIBUTES, projectedOf, type ProjectedEmployee } from '../../data/employee-state';
import { covers, currentPeriod, isRegisteredOn } from '../../domain/periods';
import { reportRow, totalsOf, type ReportRow, type ReportTotals } from '../../domain/report';
import { NotFound } from '../../domain/errors';
import { EMPLOYEE } from '../../data/keys';
import { listCredits, periodView } from '../participants';
import { coverageOf } from '../plan-coverage';

import { linkedEmployee } from './access';
// ---------------------------------------------------------------- reports

export interface EmployerReport {
  rows: ReportRow[];
  totals: ReportTotals;
}

/**
 * The report over all of an employer's linked employees, from the report projection on the link
 * rows (shared/data/employee-state.ts; issue 17.5): one Query of the employer's partition
 * (`EMPLOYEE#` rows, only the projection's attributes; ~250 bytes a row, so 1 MB pages hold
 * ~4,000 rows: 1,000 employees are one query, ~0.03 RCU each) and no read per employee. Employees
 * on a learning plan add their credits and the credited activities' topics
 * (services/plan-coverage.ts). Totals are computed over all rows on every call — the paged
 * answer's too: status is derived from dates, so stored counters would go stale overnight. A row
 * written without a projection (none in a deployment) is read the old way.
 */
export async function employerReport(employerId: string, today: string): Promise<EmployerReport> {
  const items = await queryAll({ pk: employerPk(employerId), skPrefix: EMPLOYEE(), attributes: PROJECTION_ATTRIBUTES });
  const live = items.filter((i) => !i.unlinkedAt);
  const links = live.map(toLink);
  const projected = new Map<string, ProjectedEmployee>();
  for (const item of live) {
    const state = projectedOf(item);
    if (state) projected.set(state.participantId, state);
  }
  const unprojected = links.filter((l) => !projected.has(l.participantId));
  const [legacy, plans] = await Promise.all([
    unprojected.length ? reportFromProfiles(employerId, unprojected, today, { plans: false }) : Promise.resolve(undefined),
    // Learning plans (issue 16 part 2): no extra read unless someone is on a plan.
    coverageOf(employerId, links, (id) => {
      const s = projected.get(id);
      return s ? (currentPeriod(s.periods, today)?.startsOn ?? null) : null;
    }),
  ]);
  const legacyRows = new Map((legacy?.rows ?? []).map((r) => [r.participantId, r]));
  const rows: ReportRow[] = [];
  for (const link of links) {
    const s = projected.get(link.participantId);
    const plan = plans.get(link.participantId);
    if (!s) {
      const row = legacyRows.get(link.participantId);
      if (row) rows.push({ ...row, ...(plan ? { plan } : {}) });
      continue;
    }
    const current = currentPeriod(s.periods, today);
    const row = reportRow(
      {
        participantId: s.participantId,
        registrationNumber: s.registrationNumber,
        name: s.name,
        diplomaTitle: titleFor(s.diplomaType),
        periods: s.periods,
        points: current ? (s.points[current.startsOn] ?? 0) : 0,
        linkedOn: link.linkedOn,
      },
      today,
    );
    rows.push({ ...row, ...(s.emailUndeliverable ? { emailUndeliverable: true as const } : {}), ...(plan ? { plan } : {}) });
  }
  return { rows, totals: totalsOf(rows) };
}

/**
 * The report read the way it was before the projection: the profiles (BatchGetItem; their period
 * summary gives the current period) and those current periods' points — about 1 RCU per employee.
 * Kept for rows without a projection and as the truth the projection is tested and benched
 * against (bench/reads.ts). `links`: the live links to report (default: all of the employer's).
 */
export async function reportFromProfiles(
  employerId: string,
  links: EmployeeLink[] | undefined,
  today: string,
  opts: { plans?: boolean } = {},
): Promise<EmployerReport> {
  const live = links ?? (await listLinks(employerId)).filter((l) => !l.unlinkedAt);
  const profiles = await getParticipants(live.map((l) => l.participantId));
  const current = new Map<string, { participantId: string; startsOn: string }>();
  for (const p of profiles.values()) {
    const period = currentPeriod(p.periods, today);
    if (period) current.set(p.participantId, { participantId: p.participantId, startsOn: period.startsOn });
  }
  const [points, plans] = await Promise.all([
    getPeriodPoints([...current.values()]),
    opts.plans === false ? Promise.resolve(new Map()) : coverageOf(employerId, live, (id) => current.get(id)?.startsOn ?? null),
  ]);
  const rows: ReportRow[] = [];
  for (const link of live) {
    const p = profiles.get(link.participantId);
    if (!p) continue;
    const c = current.get(p.participantId);
    const row = reportRow(
      {
        participantId: p.participantId,
        registrationNumber: p.registrationNumber,
        name: displayName(p),
        diplomaTitle: titleFor(p.diplomaType),
        periods: p.periods,
        points: c ? (points.get(`${c.participantId}#${c.startsOn}`) ?? 0) : 0,
        linkedOn: link.linkedOn,
      },
      today,
    );
    const plan = plans.get(p.participantId);
    // The profile read above carries the bounce mark.
    rows.push({ ...row, ...(p.emailUndeliverable ? { emailUndeliverable: true as const } : {}), ...(plan ? { plan } : {}) });
  }
  return { rows, totals: totalsOf(rows) };
}

/** One page of rows (in participantId order) after the cursor's participant. */
export function pageOf(rows: readonly ReportRow[], limit: number, after?: string): { page: ReportRow[]; last?: string } {
  const start = after ? rows.findIndex((r) => r.participantId > after) : 0;
  const from = start === -1 ? rows.length : start;
  const page = rows.slice(from, from + limit);
  return { page, last: from + limit < rows.length ? page[page.length - 1]?.participantId : undefined };
}

/** One employee's periods and credited activities, for an audit (ABU competence requirement); never the employee's own ratings of them. */
export async function employeeHistory(employerId: string, participantId: string, today: string) {
  const link = await linkedEmployee(employerId, participantId);
  const participant = await getParticipant(participantId);
  if (!participant) throw new NotFound('No employee with this id.');
  const [registrations, credits] = await Promise.all([listRegistrations(participantId), listCredits(participantId)]);
  registrations.sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  return {
    employerId,
    asOf: today,
    participantId,
    registrationNumber: participant.registrationNumber,
    name: displayName(participant),
    title: isRegisteredOn(registrations, today) ? titleFor(participant.diplomaType) : null,
    diploma: { diplomaNumber: participant.diplomaNumber, type: participant.diplomaType, issuedOn: participant.issuedOn },
    linkedOn: link.linkedOn,
    registrations: registrations.map((r) => {
      const { renewable: _renewable, ...view } = periodView(r, registrations, today);
      return view;
    }),
    credits: credits
      .sort((a, b) => a.completedOn.localeCompare(b.completedOn) || a.creditId.localeCompare(b.creditId))
      .map((c) => ({ ...c, registrationStartsOn: registrations.find((r) => covers(r, c.completedOn))?.startsOn ?? null })),
  };
}

