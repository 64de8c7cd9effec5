/**
 * Fixtures for the invoicing tests: employers, participants and paid period starts written
 * through the real data modules (startPeriodItems creates the fee, as every period start does),
 * with a chosen clock so each test bills its own month and numbers in its own year.
 */
import { createEmployer } from '../../shared/data/organisations';
import { getParticipant, newParticipantItems, startPeriodItems, type Payer } from '../../shared/data/participants';
import { transact } from '../../shared/data/client';
import { loadTariffs } from '../../shared/data/tariffs';
import type { Fee } from '../../shared/data/fees';
import type { CreateEmployerRequest } from '../../shared/schemas/organisations';
import * as putTariff from '../../functions/http/put-tariff';
import { invoke } from '../setup/helpers';

const admin = { role: 'admin', id: 'test' };
let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(++seq).toString(36)}`.toUpperCase();

export async function makeEmployer(tag: string, over: { vatNumber?: string | null; settings?: Partial<CreateEmployerRequest> } = {}) {
  const email = `invoices-${tag}-${uniq().toLowerCase()}@employer.example.nl`;
  const kvkNumber = String(10_000_000 + Math.floor(Math.random() * 89_999_999));
  const { employerId, apiKey, debtorNumber } = await createEmployer(
    {
      name: `Uitzendbureau ${tag} B.V.`,
      kvkNumber,
      ...(over.vatNumber === null ? {} : { vatNumber: over.vatNumber ?? 'NL123456789B01' }),
      invoiceEmail: email,
      address: { street: 'Stationsplein 1', postalCode: '3511 ED', city: 'Utrecht', country: 'NL' },
      ...over.settings,
    },
    admin,
  );
  return { employerId, apiKey, email, kvkNumber, debtorNumber };
}

/** A diploma holder without a period (an old diploma), ready for a paid start. */
export async function makeParticipant(lastName = 'Jansen', email?: string) {
  const row = {
    diplomaNumber: `D${uniq()}`,
    type: 'uitzendprofessional' as const,
    issuedOn: '2020-05-01',
    holder: { initials: 'A.B.', prefix: 'van', lastName, birthDate: '1985-01-01', ...(email ? { email } : {}) },
  };
  const p = newParticipantItems(row, admin, new Date());
  await transact(p.items);
  return { participantId: p.participantId, registrationNumber: p.registrationNumber, name: `A.B. van ${lastName}` };
}

/** Starts a paid period the way the services do (fee in the same transaction), at clock `now`. */
export async function startPaid(participantId: string, payer: Exclude<Payer, { type: 'none' }>, startsOn: string, now: Date, kind: Fee['kind'] = 'new'): Promise<Fee> {
  const period = startPeriodItems({ participantId, startsOn, kind, payer, actor: admin, tariffs: await loadTariffs(), profile: (await getParticipant(participantId, true))!, now });
  await transact(period.items);
  return period.fee!;
}

/** `n` employees of an employer with a paid period each, billed in the month of `now`. */
export async function employerWithFees(tag: string, n: number, startsOn: string, now: Date) {
  const employer = await makeEmployer(tag);
  const fees: Fee[] = [];
  const people = [];
  for (let i = 0; i < n; i++) {
    const p = await makeParticipant(`${tag}${String.fromCharCode(97 + (i % 26))}`);
    people.push(p);
    fees.push(await startPaid(p.participantId, { type: 'employer', id: employer.employerId }, startsOn, now));
  }
  return { ...employer, fees, people };
}

/** The registration tariff the invoicing tests bill at (€ 49,95 + 21 % VAT from 2020), set through the API as an admin. */
export async function setRegistrationTariff(adminKey: string): Promise<void> {
  const res = await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: adminKey, body: { amountCents: 4995, vatRatePercent: 21, validFrom: '2020-01-01' } });
  if (res.statusCode !== 200) throw new Error(`tariff not set: ${res.statusCode}`);
}
