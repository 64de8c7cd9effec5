/* Who may act for an employer, and which of its employees a route's id names. */
import type { ApiKeyRecord } from '../../data/api-keys';
import { getEmployer, type Employer } from '../../data/organisations';
import { getLink, type EmployeeLink } from '../../data/employers';
import { NotFound } from '../../domain/errors';
import { mayActFor } from '../access';

// ---------------------------------------------------------------- access

/**
 * The employer a route's `{employerId}` names, for a caller that may act for it: the employer
 * itself or the admin. Anyone else gets the 404 a missing employer gets (API.md).
 */
export async function employerFor(caller: ApiKeyRecord | undefined, employerId: string): Promise<Employer> {
  const employer = mayActFor(caller, { role: 'employer', id: employerId }) ? await getEmployer(employerId) : undefined;
  if (!employer) throw new NotFound('No employer with this id.');
  return employer;
}

/** The employee's live link to this employer, or a 404 (never linked, unlinked, or not ours). */
export async function linkedEmployee(employerId: string, participantId: string): Promise<EmployeeLink> {
  const link = await getLink(employerId, participantId);
  if (!link || link.unlinkedAt) throw new NotFound('No employee with this id.');
  return link;
}

