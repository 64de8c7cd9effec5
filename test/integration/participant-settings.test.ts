/**
 * Issue 13 point 8 (part): a participant may add an invoice address (PATCH
 * /v1/participants/{participantId}, with the language), shown in the dossier to self and admin and
 * printed under their name on the invoices issued after it is set; issued invoices never change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as updateParticipant from '../../functions/http/update-participant';
import * as getParticipant from '../../functions/http/get-participant';
import * as getInvoiceRoute from '../../functions/http/get-invoice';
import * as putTariff from '../../functions/http/put-tariff';
import { adminKey, invoke } from '../setup/helpers';
import { pdfTextLines } from '../setup/pdf-text';
import { getInvoice } from '../../shared/data/invoices';
import { listEvents } from '../../shared/data/audit';
import { invoiceParticipantFee } from '../../shared/services/invoicing/individual';
import { holders, newEmployer, participantKey, register, rowsOf } from './employers.fixtures';
import { makeParticipant, startPaid } from './invoicing.fixtures';

let admin: string;
const at = (iso: string) => new Date(`${iso}T10:00:00Z`);

const patch = (participantId: string, apiKey: string | undefined, body: unknown) =>
  invoke(updateParticipant, { method: 'PATCH', path: `/v1/participants/${participantId}`, apiKey, body });
const dossier = (participantId: string, apiKey: string) => invoke(getParticipant, { path: `/v1/participants/${participantId}`, apiKey });
const updates = async (participantId: string) =>
  (await listEvents(`PARTICIPANT#${participantId}`, 100)).items.filter((e) => e.action === 'participant.updated').sort((a, b) => a.at.localeCompare(b.at));

const ADDRESS = { name: 'Wąsowski Advies, t.a.v. Ł. Wąsowski', street: 'Rue de la Loi 16', postalCode: '1000', city: 'Brussel', country: 'BE' };

beforeAll(async () => {
  admin = await adminKey();
  const res = await invoke(putTariff, { method: 'PUT', path: '/v1/tariffs/registration', apiKey: admin, body: { amountCents: 4995, vatRatePercent: 21, validFrom: '2020-01-01' } });
  expect(res.statusCode).toBe(200);
});

describe('PATCH /v1/participants/{participantId}', () => {
  it('sets language and invoice address for self or admin, shown in the dossier to them and not to a linked employer, with before/after events', async () => {
    const employer = await newEmployer('Flex Instellingen');
    const res = await register(employer, { employees: rowsOf(await holders(10)) });
    expect(res.statusCode).toBe(201);
    const [{ participantId }, { participantId: otherId }] = res.json.participants;
    const self = await participantKey(participantId);

    const set = await patch(participantId, self, { language: 'en', invoiceAddress: ADDRESS });
    expect(set.statusCode).toBe(200);
    expect(set.json).toMatchObject({ participantId, language: 'en', invoiceAddress: ADDRESS });
    for (const key of [self, admin]) expect((await dossier(participantId, key)).json).toMatchObject({ language: 'en', invoiceAddress: ADDRESS });
    const asEmployer = await dossier(participantId, employer.apiKey);
    expect(asEmployer.statusCode).toBe(200);
    expect(asEmployer.json).not.toHaveProperty('invoiceAddress');
    expect(asEmployer.body).not.toContain('Rue de la Loi');

    // A linked employer may not change it; another participant does not see this one; nobody without a key.
    expect((await patch(participantId, employer.apiKey, { language: 'nl' })).statusCode).toBe(403);
    const other = await patch(participantId, await participantKey(otherId), { invoiceAddress: null });
    expect(other.statusCode).toBe(404);
    expect((await patch(participantId, undefined, { language: 'nl' })).statusCode).toBe(401);
    expect((await dossier(participantId, self)).json).toMatchObject({ language: 'en', invoiceAddress: ADDRESS });

    // The admin removes it; the same change again writes nothing.
    const removed = await patch(participantId, admin, { invoiceAddress: null });
    expect(removed.statusCode).toBe(200);
    expect(removed.json.invoiceAddress).toBeNull();
    expect((await patch(participantId, admin, { invoiceAddress: null })).statusCode).toBe(200);
    expect((await patch(participantId, self, {})).statusCode).toBe(200);

    const events = await updates(participantId);
    expect(events.map((e) => [e.actor.role, e.before, e.after])).toEqual([
      ['participant', { language: 'nl', invoiceAddress: null }, { language: 'en', invoiceAddress: ADDRESS }],
      ['admin', { invoiceAddress: ADDRESS }, { invoiceAddress: null }],
    ]);
  });

  it('refuses the e-mail address, unknown fields and bad values, naming each field, and changes nothing', async () => {
    const p = await makeParticipant('Weigering');
    const self = await participantKey(p.participantId);

    const email = await patch(p.participantId, self, { email: 'nieuw@example.nl' });
    expect(email.statusCode).toBe(400);
    expect(email.json.errors).toEqual([{ path: 'email', message: 'Unknown field' }]);

    const bad = await patch(p.participantId, self, {
      language: 'de',
      invoiceAddress: { name: 'Bedrijf\u0000BV', street: '   ', postalCode: '1000', country: 'be', floor: 3 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['language', 'invoiceAddress.name', 'invoiceAddress.street', 'invoiceAddress.city', 'invoiceAddress.country', 'invoiceAddress.floor'].sort(),
    );
    // A Dutch address needs a Dutch postal code (the dossier page's form says so beside the field).
    const dutch = await patch(p.participantId, self, { invoiceAddress: { street: 'Kerkstraat 1', postalCode: '1000', city: 'Utrecht', country: 'NL' } });
    expect(dutch.statusCode).toBe(400);
    expect(dutch.json.errors).toEqual([{ path: 'invoiceAddress.postalCode', message: expect.stringMatching(/Dutch postal code such as 1234 AB/) }]);
    expect((await dossier(p.participantId, self)).json).toMatchObject({ language: 'nl', invoiceAddress: null });
    expect(await updates(p.participantId)).toEqual([]);
  });

  it('concurrent changes all land in order: every event replaces what the one before it wrote', async () => {
    const p = await makeParticipant('Gelijktijdig');
    const self = await participantKey(p.participantId);
    const cities = ['Assen', 'Breda', 'Delft', 'Emmen'];
    const results = await Promise.all(cities.map((city) => patch(p.participantId, self, { invoiceAddress: { ...ADDRESS, city, postalCode: '1234 AB', country: 'NL' } })));
    // A change that loses a race is applied again on the new state (a 409 only after repeated losses).
    for (const r of results) expect([200, 409]).toContain(r.statusCode);
    const events = await updates(p.participantId);
    expect(events.length).toBe(results.filter((r) => r.statusCode === 200).length);
    expect(events[0].before).toEqual({ invoiceAddress: null });
    for (let i = 1; i < events.length; i++) expect(events[i].before).toEqual(events[i - 1].after);
    expect((await dossier(p.participantId, self)).json.invoiceAddress).toEqual((events.at(-1)!.after as { invoiceAddress: unknown }).invoiceAddress);
  });
});

describe('the invoice address on invoices', () => {
  it('is printed under the name on invoices issued after it is set (PDF, UBL buyer address); an invoice issued before keeps its customer', async () => {
    const p = await makeParticipant('Adres');
    const self = await participantKey(p.participantId);
    const payer = { type: 'participant' as const, id: p.participantId };
    const before = await startPaid(p.participantId, payer, '2046-04-01', at('2046-04-01'));
    const first = await invoiceParticipantFee(before.registrationId, undefined, { now: () => at('2046-04-01') });
    expect(first.outcome).toBe('issued');

    expect((await patch(p.participantId, self, { invoiceAddress: ADDRESS })).statusCode).toBe(200);
    const after = await startPaid(p.participantId, payer, '2048-04-01', at('2048-04-01'), 'renewal');
    const second = await invoiceParticipantFee(after.registrationId, undefined, { now: () => at('2048-04-01') });
    expect(second.outcome).toBe('issued');

    const render = async (invoiceId: string, accept: string) => invoke(getInvoiceRoute, { path: `/v1/invoices/${invoiceId}`, apiKey: admin, headers: { accept } });
    const lines = pdfTextLines((await render(second.invoiceId!, 'application/pdf')).rawBody);
    const name = lines.indexOf(p.name);
    expect(name).toBeGreaterThan(0);
    expect(lines.slice(name, name + 5)).toEqual([p.name, ADDRESS.name, ADDRESS.street, '1000 Brussel', 'BE']);
    const xml = (await render(second.invoiceId!, 'application/xml')).body;
    const buyer = xml.slice(xml.indexOf('<cac:AccountingCustomerParty>'), xml.indexOf('</cac:AccountingCustomerParty>'));
    expect(buyer).toContain(
      '<cac:PostalAddress><cbc:StreetName>Rue de la Loi 16</cbc:StreetName><cbc:AdditionalStreetName>Wąsowski Advies, t.a.v. Ł. Wąsowski</cbc:AdditionalStreetName><cbc:CityName>Brussel</cbc:CityName><cbc:PostalZone>1000</cbc:PostalZone><cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>',
    );

    // Issued before: the customer it was issued to, still without the address, however it is rendered now.
    expect((await getInvoice(first.invoiceId!))!.customer).not.toHaveProperty('street');
    expect(pdfTextLines((await render(first.invoiceId!, 'application/pdf')).rawBody)).not.toContain(ADDRESS.street);
    expect((await render(first.invoiceId!, 'application/xml')).body).not.toContain('Rue de la Loi');
  });
});
