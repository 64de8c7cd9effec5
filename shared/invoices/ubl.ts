import { centsToDecimal, rateDecimal } from '../domain/invoice-math';
import { addDays } from '../domain/dates';
import { KVK_SCHEME, type PeppolId } from '../domain/peppol';
import { KIND_NL, deliveryPeriod, linePeriod, type Customer, type DateRange, type DocumentReference, type InvoiceDocument, type InvoiceLine } from './model';

/**
 * The UBL 2.1 e-invoice of an issued document: an `Invoice` (type 380) or, for a credit note, a
 * `CreditNote` (type 381, with its amounts positive and a BillingReference to the invoice it
 * corrects; a supplementary invoice is an `Invoice` whose BillingReference names the month's first
 * invoice). It follows EN 16931 and Peppol BIS Billing 3.0 with the Dutch NLCIUS rules:
 * - supplier identified by KvK number, scheme 0106, as legal entity (NL-R-003) and as electronic
 *   address (EndpointID, PEPPOL-R020); the customer's KvK number as its legal entity (NL-R-005);
 * - the customer's electronic address (PEPPOL-R010) is the one copied at issue (the employer's
 *   `peppolId`, default 0106 + KvK for a Dutch employer): a Belgian buyer is addressed as 0208 or
 *   9925, never by a KvK scheme. A buyer without one gets the plain EN 16931 document (below);
 * - the employer's debtor number as buyer identifier (BT-46, PartyIdentification);
 * - full supplier (and NL customer) address with street, city and postal code (NL-R-002/-004);
 * - BuyerReference always present (PEPPOL-R003): the employer's reference, else its debtor
 *   number; at most one document Note (PEPPOL-R002);
 * - payment means 30 (credit transfer) with the supplier's IBAN (NL-R-007/-008, BR-61);
 * - no empty elements (PEPPOL-R008); amounts with two decimals, all in EUR (PEPPOL-R051).
 * VAT per rate and the totals are copied from the stored document, computed once by
 * domain/invoice-math, so the XML, the PDF and the JSON can never disagree.
 *
 * A participant (a consumer) has no Peppol address, and a postal address only when they gave an
 * invoice address: their individual invoice is a plain EN 16931 invoice (CustomizationID
 * `urn:cen.eu:en16931:2017`), without the Peppol-only endpoint. So is the invoice of a foreign
 * employer that has not told us its Peppol address: Peppol makes one mandatory, and an invented one
 * would route it nowhere.
 */
export const PEPPOL_CUSTOMIZATION = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PEPPOL_PROFILE = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
export const EN16931_CUSTOMIZATION = 'urn:cen.eu:en16931:2017';
export { KVK_SCHEME };

function esc(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');
}

/** An element, or nothing when the value is empty (PEPPOL-R008: no empty elements). */
function el(name: string, value: string | undefined, attrs: Record<string, string> = {}): string {
  if (value === undefined || value.trim() === '') return '';
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  return `<${name}${a}>${esc(value)}</${name}>`;
}

const amount = (name: string, cents: number) => el(name, centsToDecimal(cents), { currencyID: 'EUR' });

/** VAT category: S (standard rated) above 0 %, Z (zero rated) at 0 %. */
const category = (rate: number) => (rate > 0 ? 'S' : 'Z');

function taxCategory(tag: 'cac:TaxCategory' | 'cac:ClassifiedTaxCategory', rate: number): string {
  return `<${tag}>${el('cbc:ID', category(rate))}${el('cbc:Percent', rateDecimal(rate))}<cac:TaxScheme>${el('cbc:ID', 'VAT')}</cac:TaxScheme></${tag}>`;
}

function address(p: { street?: string; addressName?: string; city?: string; postalCode?: string; country: string }): string {
  // A participant's invoice address may carry a name (their company, "t.a.v."): address line 2 (BT-51).
  return `<cac:PostalAddress>${el('cbc:StreetName', p.street)}${el('cbc:AdditionalStreetName', p.addressName)}${el('cbc:CityName', p.city)}${el('cbc:PostalZone', p.postalCode)}<cac:Country>${el('cbc:IdentificationCode', p.country)}</cac:Country></cac:PostalAddress>`;
}

function supplierParty(doc: InvoiceDocument): string {
  const s = doc.supplier;
  return `<cac:AccountingSupplierParty><cac:Party>${el('cbc:EndpointID', s.kvkNumber, { schemeID: KVK_SCHEME })}<cac:PartyName>${el('cbc:Name', s.name)}</cac:PartyName>${address(s)}<cac:PartyTaxScheme>${el('cbc:CompanyID', s.vatNumber)}<cac:TaxScheme>${el('cbc:ID', 'VAT')}</cac:TaxScheme></cac:PartyTaxScheme><cac:PartyLegalEntity>${el('cbc:RegistrationName', s.name)}${el('cbc:CompanyID', s.kvkNumber, { schemeID: KVK_SCHEME })}</cac:PartyLegalEntity><cac:Contact>${el('cbc:ElectronicMail', s.email)}</cac:Contact></cac:Party></cac:AccountingSupplierParty>`;
}

function customerParty(c: Customer, endpointId: PeppolId | undefined): string {
  const endpoint = endpointId ? el('cbc:EndpointID', endpointId.value, { schemeID: endpointId.scheme }) : '';
  const buyerId = c.registrationNumber ?? c.debtorNumber;
  const identification = buyerId ? `<cac:PartyIdentification>${el('cbc:ID', buyerId)}</cac:PartyIdentification>` : '';
  const vat = c.vatNumber ? `<cac:PartyTaxScheme>${el('cbc:CompanyID', c.vatNumber)}<cac:TaxScheme>${el('cbc:ID', 'VAT')}</cac:TaxScheme></cac:PartyTaxScheme>` : '';
  const legal = `<cac:PartyLegalEntity>${el('cbc:RegistrationName', c.name)}${c.kvkNumber ? el('cbc:CompanyID', c.kvkNumber, { schemeID: KVK_SCHEME }) : ''}</cac:PartyLegalEntity>`;
  const contact = c.email ? `<cac:Contact>${el('cbc:ElectronicMail', c.email)}</cac:Contact>` : '';
  return `<cac:AccountingCustomerParty><cac:Party>${endpoint}${identification}<cac:PartyName>${el('cbc:Name', c.name)}</cac:PartyName>${address(c)}${vat}${legal}${contact}</cac:Party></cac:AccountingCustomerParty>`;
}

/** The line's description: who, which registration, which period (both days inclusive). */
export function lineDescription(line: InvoiceLine): string {
  const p = linePeriod(line);
  return `${line.name}, registratienummer ${line.registrationNumber}, periode ${p.from} t/m ${p.to}`;
}

/** BG-14 on the document, BG-26 on a line: start and end date, both inclusive. */
const invoicePeriod = (p: DateRange) => `<cac:InvoicePeriod>${el('cbc:StartDate', p.from)}${el('cbc:EndDate', p.to)}</cac:InvoicePeriod>`;

export function lineItemName(line: InvoiceLine): string {
  return `PE-registratie (${KIND_NL[line.kind]})`;
}

/** The one document note (PEPPOL-R002): what the document is about. */
function documentNote(doc: InvoiceDocument): string {
  if (doc.documentType === 'credit-note') return `Creditnota op factuur ${doc.corrects?.invoiceNumber}: ${doc.reason ?? ''}`;
  const billed = doc.kind === 'collective' ? doc.period : deliveryPeriod(doc);
  const about = `Registratiekosten PE-register ${billed.from} t/m ${billed.to}`;
  return doc.supplements ? `Aanvullende factuur op ${doc.supplements.invoiceNumber}. ${about}` : about;
}

/**
 * BG-3, the preceding invoice: the invoice a credit note corrects, or the month's first invoice a
 * supplementary one adds to (BT-25 its number, BT-26 its date).
 */
function billingReference(ref: DocumentReference | undefined): string {
  if (!ref) return '';
  return `<cac:BillingReference><cac:InvoiceDocumentReference>${el('cbc:ID', ref.invoiceNumber)}${el('cbc:IssueDate', ref.issuedOn)}</cac:InvoiceDocumentReference></cac:BillingReference>`;
}

/** Builds the UBL XML of a stored document. */
export function buildUbl(doc: InvoiceDocument): string {
  const credit = doc.documentType === 'credit-note';
  // A CreditNote carries positive amounts: the document type already says "credit".
  const sign = credit ? -1 : 1;
  // Documents from before the profile was recorded: every employer got Peppol, addressed by KvK.
  const peppol = doc.eInvoice ? doc.eInvoice === 'peppol-bis-3' : doc.customer.type === 'employer';
  const legacyEndpoint = !doc.eInvoice && doc.customer.kvkNumber ? { scheme: KVK_SCHEME, value: doc.customer.kvkNumber } : undefined;
  const endpointId = peppol ? (doc.customer.peppolId ?? legacyEndpoint) : undefined;
  const root = credit ? 'CreditNote' : 'Invoice';
  const ns = credit ? 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2' : 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
  const s = doc.supplier;

  const header = [
    el('cbc:CustomizationID', peppol ? PEPPOL_CUSTOMIZATION : EN16931_CUSTOMIZATION),
    peppol ? el('cbc:ProfileID', PEPPOL_PROFILE) : '',
    el('cbc:ID', doc.invoiceNumber),
    el('cbc:IssueDate', doc.issuedOn),
    credit ? '' : el('cbc:DueDate', doc.dueOn),
    credit ? el('cbc:CreditNoteTypeCode', '381') : el('cbc:InvoiceTypeCode', '380'),
    el('cbc:Note', documentNote(doc)),
    el('cbc:DocumentCurrencyCode', 'EUR'),
    el('cbc:BuyerReference', doc.buyerReference),
    invoicePeriod(deliveryPeriod(doc)),
    billingReference(doc.corrects ?? doc.supplements),
  ].join('');

  const payment = credit
    ? ''
    : `<cac:PaymentMeans>${el('cbc:PaymentMeansCode', '30', { name: 'Credit transfer' })}${el('cbc:PaymentID', doc.invoiceNumber)}<cac:PayeeFinancialAccount>${el('cbc:ID', s.iban.replace(/\s+/g, ''))}${el('cbc:Name', s.name)}${s.bic ? `<cac:FinancialInstitutionBranch>${el('cbc:ID', s.bic)}</cac:FinancialInstitutionBranch>` : ''}</cac:PayeeFinancialAccount></cac:PaymentMeans>`;
  const terms = `<cac:PaymentTerms>${el(
    'cbc:Note',
    credit
      ? `Het bedrag wordt verrekend of binnen ${s.paymentTermDays} dagen terugbetaald.`
      : `Betaling binnen ${s.paymentTermDays} dagen na factuurdatum (uiterlijk ${doc.dueOn ?? addDays(doc.issuedOn, s.paymentTermDays)}) op ${s.iban} o.v.v. ${doc.invoiceNumber}.`,
  )}</cac:PaymentTerms>`;

  const tax = `<cac:TaxTotal>${amount('cbc:TaxAmount', sign * doc.vatCents)}${doc.vatBreakdown
    .map((b) => `<cac:TaxSubtotal>${amount('cbc:TaxableAmount', sign * b.netCents)}${amount('cbc:TaxAmount', sign * b.vatCents)}${taxCategory('cac:TaxCategory', b.vatRatePercent)}</cac:TaxSubtotal>`)
    .join('')}</cac:TaxTotal>`;

  const totals = `<cac:LegalMonetaryTotal>${amount('cbc:LineExtensionAmount', sign * doc.netCents)}${amount('cbc:TaxExclusiveAmount', sign * doc.netCents)}${amount('cbc:TaxInclusiveAmount', sign * doc.totalCents)}${amount('cbc:PayableAmount', sign * doc.totalCents)}</cac:LegalMonetaryTotal>`;

  const lineTag = credit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine';
  const qtyTag = credit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity';
  const lines = doc.lines
    .map(
      (line, i) =>
        `<${lineTag}>${el('cbc:ID', String(i + 1))}${el(qtyTag, '1', { unitCode: 'C62' })}${amount('cbc:LineExtensionAmount', sign * line.netCents)}${invoicePeriod(linePeriod(line))}<cac:Item>${el('cbc:Description', lineDescription(line))}${el('cbc:Name', lineItemName(line))}<cac:SellersItemIdentification>${el('cbc:ID', line.registrationNumber)}</cac:SellersItemIdentification>${taxCategory('cac:ClassifiedTaxCategory', line.vatRatePercent)}</cac:Item><cac:Price>${amount('cbc:PriceAmount', sign * line.netCents)}</cac:Price></${lineTag}>`,
    )
    .join('\n');

  return `<?xml version="1.0" encoding="UTF-8"?>
<${root} xmlns="${ns}" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
${header}
${supplierParty(doc)}
${customerParty(doc.customer, endpointId)}
${payment}${terms}
${tax}
${totals}
${lines}
</${root}>
`;
}
