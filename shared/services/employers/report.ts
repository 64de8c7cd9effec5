/* The employer report and one employee's history. */
import {
  displayName,
  getParticipant,
  getParticipants,
  getPeriodPoints,
  listRegistrations,
  titleFor,
} from '../../data/participants';
import { listLinks } from '../../data/employers';
import { covers, currentPeriod, isRegisteredOn } from '../../domain/periods';
import { reportRow, totalsOf, type ReportRow, type ReportTotals } from '../../domain/report';
import { NotFound } from '../../http/errors';
import { listCredits, periodView } from '../participants';
import { coverageOf } from '../plan-coverage';

import { linkedEmployee } from './access';
// ---------------------------------------------------------------- reports

export interface EmployerReport {
  rows: ReportRow[];
  totals: ReportTotals;
}

/**
 * The report over all of an employer's linked employees. Index-backed: one Query of the
 * employer's partition (`EMPLOYEE#` rows), then BatchGetItem of the profiles (their period
 * summary gives the current period) and of those current periods (their points) — so the cost
 * follows the employer's employees, never the table. Employees on a learning plan add their
 * credits and the credited activities' topics (services/plan-coverage.ts). Totals are computed over all rows on every
 * call: status is derived from dates, so stored counters would go stale overnight.
 */
export async function employerReport(employerId: string, today: string): Promise<EmployerReport> {
  const links = (await listLinks(employerId)).filter((l) => !l.unlinkedAt);
  const profiles = await getParticipants(links.map((l) => l.participantId));
  const current = new Map<string, { participantId: string; startsOn: string }>();
  for (const p of profiles.values()) {
    const period = currentPeriod(p.periods, today);
    if (period) current.set(p.participantId, { participantId: p.participantId, startsOn: period.startsOn });
  }
  // Learning plans (issue 16 part 2): no extra read unless someone is on a plan.
  const [points, plans] = await Promise.all([
    getPeriodPoints([...current.values()]),
    coverageOf(employerId, links, (id) => current.get(id)?.startsOn ?? null),
  ]);
  const rows: ReportRow[] = [];
  for (const link of links) {
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
    // The profile read above carries the bounce mark: the overview and the API show it for free.
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

