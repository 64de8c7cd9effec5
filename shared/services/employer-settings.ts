import { AGAIN, optimistic } from '../data/client';
import type { ApiKeyRecord } from '../data/api-keys';
import type { Actor } from '../data/audit';
import { ensureDebtorNumber, updateEmployerSettings, type Employer } from '../data/organisations';
import { buyerPeppolId } from '../domain/peppol';
import { Conflict, NotFound } from '../domain/errors';
import type { EmployerSettings, UpdateEmployerRequest } from '../schemas/organisations';
import { mayActFor } from './access';

/** What an employer's invoices carry because of its settings: the reference and the buyer's Peppol address. */
export function invoicingOf(e: Employer & { debtorNumber: string }): EmployerSettings['invoicing'] {
  const peppolId = buyerPeppolId(e);
  return {
    reference: e.buyerReference ?? e.debtorNumber,
    peppolId: peppolId ?? null,
    eInvoice: peppolId ? 'peppol-bis-3' : 'en16931',
  };
}

export function settingsView(e: Employer & { debtorNumber: string }): EmployerSettings {
  return {
    employerId: e.employerId,
    name: e.name,
    kvkNumber: e.kvkNumber,
    ...(e.vatNumber ? { vatNumber: e.vatNumber } : {}),
    invoiceEmail: e.invoiceEmail,
    ...(e.contactEmail ? { contactEmail: e.contactEmail } : {}),
    ...(e.buyerReference ? { buyerReference: e.buyerReference } : {}),
    debtorNumber: e.debtorNumber,
    ...(e.peppolId ? { peppolId: e.peppolId } : {}),
    address: e.address,
    invoicing: invoicingOf(e),
  };
}

/** Concurrent changes of one employer's settings: re-read and apply again this often before a 409. */
const ATTEMPTS = 3;

/**
 * `PATCH /v1/employers/{employerId}`: the admin, or the employer itself (any other employer gets
 * the 404 of a missing one). An employer from before debtor numbers gets its number first.
 */
export async function changeEmployerSettings(caller: ApiKeyRecord, employerId: string, patch: UpdateEmployerRequest, actor: Actor): Promise<EmployerSettings> {
  const debtorNumber = mayActFor(caller, { role: 'employer', id: employerId }) ? await ensureDebtorNumber(employerId, actor) : undefined;
  if (!debtorNumber) throw new NotFound('No employer with this id.');
  return optimistic(async () => {
    const result = await updateEmployerSettings(employerId, patch, actor);
    if (result.kind === 'not-found') throw new NotFound('No employer with this id.');
    if (result.kind === 'concurrent') return AGAIN;
    return settingsView({ ...result.employer, debtorNumber });
  }, {
    attempts: ATTEMPTS,
    exhausted: () => new Conflict('The settings were changed at the same moment; read them and try again.', { reason: 'concurrent-update' }),
  });
}
