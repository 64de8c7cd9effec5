/**
 * The UBL e-invoices against the official EN 16931 rules (CEN's schematron in
 * test/fixtures/en16931-ubl (vendored from ../shared/validation), run by node-schematron, ~5 s per document), on the three
 * shapes we issue: a one-line individual invoice, a many-line collective invoice with two VAT
 * rates, and a credit note; and the buyer's reference and address: a reference the employer set,
 * the debtor-number default, a Belgian buyer with its own Peppol scheme, and a foreign buyer
 * without a Peppol address. Plus the Peppol BIS 3 / NLCIUS requirements (PEPPOL-EN16931-R*,
 * PEPPOL-COMMON-R043, CL008, NL-R-*) restated as our own schematron, with the official rules'
 * conditions (NL-R-004/-005 only for a Dutch customer): the official Peppol file needs an XSLT 2 engine.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Schema } from 'node-schematron';
import { buildUbl } from '../../shared/invoices/ubl';
import { centsToDecimal } from '../../shared/domain/invoice-math';
import { config } from '../../shared/config';
import { invoiceDocument, invoiceLine } from '../setup/invoice-fixtures';
import type { Customer, InvoiceDocument, InvoiceLine } from '../../shared/invoices/model';

const RULES = fileURLToPath(new URL('../fixtures/en16931-ubl/EN16931-UBL-validation-preprocessed.sch', import.meta.url));

const line = (i: number, cents: number, rate: number): InvoiceLine =>
  invoiceLine(i, { netCents: cents, vatRatePercent: rate, kind: i % 3 === 0 ? 'renewal' : 'new' });
const doc = invoiceDocument;

const single = doc([line(1, 4995, 21)], {
  kind: 'individual',
  customer: { type: 'participant', id: 'par_1', name: 'J. de Vries', email: 'j@example.nl', country: 'NL', registrationNumber: 'PE-TST001' },
  buyerReference: 'PE-TST001',
  eInvoice: 'en16931',
  period: { from: '2027-01-15', to: '2027-01-15' },
});
// 10 lines (the official rules take seconds per line here), two rates, amounts chosen so per-line VAT rounding would differ from per-rate rounding.
const manyLines = Array.from({ length: 10 }, (_, i) => line(i + 1, 1003 + i * 7, i % 4 === 0 ? 9 : 21));
const many = doc(manyLines);
const creditLines = manyLines.slice(0, 4).map((l) => ({ ...l, netCents: -l.netCents }));
const credit = doc(creditLines, {
  invoiceNumber: 'PE-2027-000043',
  documentType: 'credit-note',
  dueOn: undefined,
  corrects: { invoiceId: 'inv_TEST', invoiceNumber: 'PE-2027-000042', issuedOn: '2027-02-01' },
  reason: 'Verkeerd aantal registraties',
});
const twoLines = [line(1, 4995, 21), line(2, 4995, 21)];
/** The employer set its own reference (a purchase order number). */
const withReference = doc(twoLines, { buyerReference: 'PO-2027/0815' });
const belgianAddress: Partial<Customer> = {
  name: 'Interim & Co NV',
  street: 'Rue Neuve 12',
  postalCode: '1000',
  city: 'Brussel',
  country: 'BE',
  vatNumber: 'BE0403104581',
};
/** A Belgian buyer addressed by its enterprise number (0208), as it set in its peppolId. */
const belgian = doc(twoLines, { customer: { ...doc([]).customer, ...belgianAddress, peppolId: { scheme: '0208', value: '0403104581' } } });
/** A Belgian buyer that has not told us its Peppol address: no KvK default for it. */
const { peppolId: _none, ...withoutPeppolId } = doc([]).customer;
const belgianNoPeppol = doc(twoLines, { eInvoice: 'en16931', customer: { ...withoutPeppolId, ...belgianAddress } });

// A participant's renewal, bought two months before its new period starts.
const renewal = doc([{ ...line(1, 4995, 21), kind: 'renewal', startsOn: '2027-03-09', endsOn: '2029-03-09' }], {
  kind: 'individual',
  customer: { type: 'participant', id: 'par_1', name: 'J. de Vries', email: 'j@example.nl', country: 'NL', registrationNumber: 'PE-TST001' },
  buyerReference: 'PE-TST001',
  period: { from: '2027-01-15', to: '2027-01-15' },
});
// A collective invoice whose lines cover different periods: new registrations and a renewal ahead.
const mixedLines = [
  { ...line(1, 4995, 21), startsOn: '2027-01-03', endsOn: '2029-01-03' },
  { ...line(2, 4995, 21), kind: 'renewal' as const, startsOn: '2027-06-20', endsOn: '2029-06-20' },
  { ...line(3, 4995, 21), startsOn: '2027-01-31', endsOn: '2029-01-31' },
];
const mixed = doc(mixedLines);

// A supplementary invoice: fees of an already-invoiced month, referencing the month's first invoice.
const supplementary = doc(manyLines.slice(0, 2), {
  invoiceNumber: 'PE-2027-000044',
  issuedOn: '2027-02-02',
  dueOn: '2027-03-04',
  supplements: { invoiceId: 'inv_TEST', invoiceNumber: 'PE-2027-000042', issuedOn: '2027-02-01' },
});


/** The Peppol "Electronic Address Identifier Scheme" codes, as PEPPOL-EN16931-UBL.sch (3.0.15) lists them for CL008. */
const EAS = (
  '0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0151 0183 0184 0188 0190 0191 0192 0193 0195 0196 0198 0199 0200 ' +
  '0201 0202 0204 0208 0209 0210 0211 0212 0213 0215 0216 0218 0221 0230 9901 9910 9913 9914 9915 9918 9919 9920 9922 9923 9924 ' +
  '9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948 9949 ' +
  '9950 9951 9952 9953 9957 9959'
).split(' ');

/**
 * Peppol BIS 3 + NLCIUS requirements we rely on, in our own words (ids name the rule they
 * restate). One rule per pattern: in Schematron only the first rule of a pattern that matches a
 * node applies to it.
 */
const PEPPOL_NL = `<schema xmlns="http://purl.oclc.org/dsdl/schematron">
  <ns prefix="cbc" uri="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"/>
  <ns prefix="cac" uri="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"/>
  <ns prefix="inv" uri="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>
  <ns prefix="cn" uri="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/>
  <pattern>
    <rule context="/inv:Invoice | /cn:CreditNote">
      <assert id="PEPPOL-R004" test="normalize-space(cbc:CustomizationID) = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0'">Peppol BIS 3 customization</assert>
      <assert id="PEPPOL-R007" test="normalize-space(cbc:ProfileID) = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0'">billing process 01</assert>
      <assert id="PEPPOL-R002" test="count(cbc:Note) &lt;= 1">at most one document note</assert>
      <assert id="PEPPOL-R003" test="normalize-space(cbc:BuyerReference) != ''">buyer reference present</assert>
      <assert id="PEPPOL-R053" test="count(cac:TaxTotal[cac:TaxSubtotal]) = 1">one tax total with subtotals</assert>
      <assert id="PEPPOL-R008" test="every $e in .//* satisfies ($e/* or normalize-space($e) != '')">no empty elements</assert>
      <assert id="PEPPOL-R051" test="every $a in .//@currencyID satisfies $a = cbc:DocumentCurrencyCode">one currency</assert>
      <assert id="PEPPOL-R010" test="cac:AccountingCustomerParty/cac:Party/cbc:EndpointID">buyer electronic address</assert>
      <assert id="PEPPOL-R020" test="cac:AccountingSupplierParty/cac:Party/cbc:EndpointID">seller electronic address</assert>
      <assert id="NL-SUPPLIER" test="upper-case(normalize-space(cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode)) = 'NL'">the register is a Dutch supplier (the NL-R rules below apply)</assert>
      <assert id="NL-R-002" test="cac:AccountingSupplierParty/cac:Party/cac:PostalAddress[cbc:StreetName and cbc:CityName and cbc:PostalZone]">supplier street, city, postal code</assert>
      <assert id="NL-R-003" test="every $c in cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID satisfies ($c/@schemeID = ('0106', '0190') and normalize-space($c) != '')">supplier KvK or OIN as legal entity id</assert>
      <assert id="F001" test="every $d in (.//cbc:IssueDate | .//cbc:DueDate | .//cbc:StartDate | .//cbc:EndDate) satisfies matches($d, '^\\d{4}-\\d{2}-\\d{2}$')">dates YYYY-MM-DD</assert>
    </rule>
  </pattern>
  <pattern>
    <rule context="cac:AccountingCustomerParty/cac:Party[upper-case(normalize-space(cac:PostalAddress/cac:Country/cbc:IdentificationCode)) = 'NL']">
      <assert id="NL-R-004" test="cac:PostalAddress[cbc:StreetName and cbc:CityName and cbc:PostalZone]">NL customer street, city, postal code</assert>
      <assert id="NL-R-005" test="every $c in cac:PartyLegalEntity/cbc:CompanyID satisfies ($c/@schemeID = ('0106', '0190') and normalize-space($c) != '')">NL customer KvK or OIN as legal entity id</assert>
    </rule>
  </pattern>
  <pattern>
    <rule context="cbc:EndpointID">
      <assert id="PEPPOL-EN16931-CL008" test="@schemeID = (${EAS.map((c) => `'${c}'`).join(', ')})">electronic address scheme from the Peppol EAS list</assert>
    </rule>
  </pattern>
  <pattern>
    <rule context="cbc:EndpointID[@schemeID = '0208'] | cac:PartyIdentification/cbc:ID[@schemeID = '0208'] | cbc:CompanyID[@schemeID = '0208']">
      <assert id="PEPPOL-COMMON-R043" test="matches(normalize-space(), '^[0-9]{10}$') and xs:integer(substring(normalize-space(), 9, 2)) = 97 - (xs:integer(substring(normalize-space(), 1, 8)) mod 97)">Belgian enterprise number format and check digits</assert>
    </rule>
  </pattern>
  <pattern>
    <rule context="/inv:Invoice">
      <assert id="P0100" test="cbc:InvoiceTypeCode = '380'">commercial invoice</assert>
      <assert id="NL-R-007" test="cac:PaymentMeans">payment means present</assert>
      <assert id="NL-R-008" test="every $c in cac:PaymentMeans/cbc:PaymentMeansCode satisfies $c = ('30', '58')">credit transfer</assert>
      <assert id="BR-61" test="every $p in cac:PaymentMeans satisfies matches(normalize-space($p/cac:PayeeFinancialAccount/cbc:ID), '^[A-Z]{2}\\d{2}[A-Z0-9]{10,30}$')">IBAN</assert>
    </rule>
  </pattern>
  <pattern>
    <rule context="/cn:CreditNote">
      <assert id="P0101" test="cbc:CreditNoteTypeCode = '381'">credit note type</assert>
      <assert id="NL-R-001" test="normalize-space(cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID) != ''">credit note references its invoice</assert>
    </rule>
  </pattern>
  <pattern>
    <rule context="cac:InvoiceLine/cac:InvoicePeriod | cac:CreditNoteLine/cac:InvoicePeriod">
      <assert id="PEPPOL-EN16931-R110" test="not(../../cac:InvoicePeriod/cbc:StartDate) or xs:date(cbc:StartDate) &gt;= xs:date(../../cac:InvoicePeriod/cbc:StartDate)">line period starts within the invoice period</assert>
      <assert id="PEPPOL-EN16931-R111" test="not(../../cac:InvoicePeriod/cbc:EndDate) or xs:date(cbc:EndDate) &lt;= xs:date(../../cac:InvoicePeriod/cbc:EndDate)">line period ends within the invoice period</assert>
    </rule>
  </pattern>
  <pattern>
    <rule context="cac:InvoiceLine | cac:CreditNoteLine">
      <assert id="PEPPOL-R120" test="xs:decimal(cbc:LineExtensionAmount) = xs:decimal((cbc:InvoicedQuantity, cbc:CreditedQuantity)[1]) * xs:decimal(cac:Price/cbc:PriceAmount)">line amount = quantity × price</assert>
    </rule>
  </pattern>
</schema>`;

function failed(results: { isReport?: boolean; assertId?: string | null; message?: string | null }[]) {
  return results.filter((r) => !r.isReport).map((r) => `${r.assertId}: ${String(r.message).trim().slice(0, 200)}`);
}

describe('UBL e-invoices', () => {
  let en16931: Schema;
  let peppol: Schema;
  beforeAll(() => {
    en16931 = Schema.fromString(readFileSync(RULES, 'utf8'));
    peppol = Schema.fromString(PEPPOL_NL);
  });

  it('a one-line individual invoice passes every EN 16931 rule', () => {
    const xml = buildUbl(single);
    expect(failed(en16931.validateString(xml))).toEqual([]);
    // A consumer has no Peppol address: the plain EN 16931 core, no endpoint.
    expect(xml).toContain('<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>');
    expect(xml).not.toContain('<cbc:EndpointID schemeID="0106">87654321');
  }, 90_000);

  it('a 10-line, two-rate collective invoice passes EN 16931 and the Peppol/NL rules, VAT per rate on the sums', () => {
    const xml = buildUbl(many);
    expect(failed(en16931.validateString(xml))).toEqual([]);
    expect(failed(peppol.validateString(xml))).toEqual([]);
    const subtotals = [...xml.matchAll(/<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">([^<]+)<\/cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">([^<]+)<\/cbc:TaxAmount>/g)];
    expect(subtotals.map((m) => [m[1], m[2]])).toEqual(many.vatBreakdown.map((b) => [centsToDecimal(b.netCents), centsToDecimal(b.vatCents)]));
    expect(xml).toContain(`<cbc:PayableAmount currencyID="EUR">${centsToDecimal(many.totalCents)}</cbc:PayableAmount>`);
    expect(xml.match(/<cac:InvoiceLine>/g)).toHaveLength(10);
    // Names are escaped, never markup.
    expect(xml).toContain('J. de Vries-1 &amp; Zn &lt;&quot;test&quot;&gt;');
  }, 90_000);

  it('a credit note passes EN 16931 and the Peppol/NL rules, with positive amounts and a reference to its invoice', () => {
    const xml = buildUbl(credit);
    expect(failed(en16931.validateString(xml))).toEqual([]);
    expect(failed(peppol.validateString(xml))).toEqual([]);
    expect(xml).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
    expect(xml).toContain(`<cbc:PayableAmount currencyID="EUR">${centsToDecimal(-credit.totalCents)}</cbc:PayableAmount>`);
    expect(xml).toContain('<cac:InvoiceDocumentReference><cbc:ID>PE-2027-000042</cbc:ID>');
  }, 90_000);

  it('the buyer reference is the one the employer set (a PO number), with its debtor number as buyer id: every rule passes', () => {
    const xml = buildUbl(withReference);
    expect(failed(en16931.validateString(xml))).toEqual([]);
    expect(failed(peppol.validateString(xml))).toEqual([]);
    expect(xml).toContain('<cbc:BuyerReference>PO-2027/0815</cbc:BuyerReference>');
    expect(xml).toContain('<cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0106">87654321</cbc:EndpointID><cac:PartyIdentification><cbc:ID>D-000123</cbc:ID></cac:PartyIdentification>');
  }, 90_000);

  it('without a reference of its own the buyer reference is the debtor number, never the internal employer id', () => {
    const xml = buildUbl(many);
    expect(xml).toContain('<cbc:BuyerReference>D-000123</cbc:BuyerReference>');
    expect(xml).not.toMatch(/emp_/);
  });

  it('a Belgian buyer is addressed by its own scheme (0208 + enterprise number), not KvK: EN 16931 and Peppol/NL pass', () => {
    const xml = buildUbl(belgian);
    expect(failed(en16931.validateString(xml))).toEqual([]);
    expect(failed(peppol.validateString(xml))).toEqual([]);
    expect(xml).toContain('<cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0208">0403104581</cbc:EndpointID>');
    expect(xml).toContain('<cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country>');
    // Only the supplier is addressed under the KvK scheme.
    expect(xml.match(/<cbc:EndpointID schemeID="0106">/g)).toHaveLength(1);
  }, 90_000);

  it('a foreign buyer without a Peppol address gets a plain EN 16931 e-invoice: no endpoint made up from its KvK number', () => {
    const xml = buildUbl(belgianNoPeppol);
    expect(failed(en16931.validateString(xml))).toEqual([]);
    expect(xml).toContain(`<cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>`);
    expect(xml).not.toContain('<cbc:ProfileID>');
    expect(xml).not.toMatch(/<cac:AccountingCustomerParty><cac:Party><cbc:EndpointID/);
    // Why it cannot claim Peppol BIS: the buyer's electronic address is mandatory there.
    const asPeppol = buildUbl({ ...belgianNoPeppol, eInvoice: 'peppol-bis-3' });
    expect(failed(peppol.validateString(asPeppol)).map((f) => f.split(':')[0])).toEqual(['PEPPOL-R010']);
  }, 90_000);

  it('documents issued before the buyer address was recorded render as they were issued (Peppol, addressed by KvK)', () => {
    const { eInvoice: _e, ...legacy } = doc(twoLines, { buyerReference: 'emp_OLD' });
    const { peppolId: _p, debtorNumber: _d, ...oldCustomer } = legacy.customer;
    const xml = buildUbl({ ...legacy, customer: oldCustomer });
    expect(xml).toContain('<cac:AccountingCustomerParty><cac:Party><cbc:EndpointID schemeID="0106">87654321</cbc:EndpointID>');
    expect(failed(peppol.validateString(xml))).toEqual([]);
  });

  it('an individual invoice with the invoice address the participant gave passes every EN 16931 rule, the address as the buyer\'s', () => {
    const xml = buildUbl({
      ...renewal,
      customer: { ...renewal.customer, addressName: 'De Vries Advies', street: 'Rue de la Loi 16', postalCode: '1000', city: 'Brussel', country: 'BE' },
    });
    expect(failed(en16931.validateString(xml))).toEqual([]);
    expect(xml).toContain('<cac:PostalAddress><cbc:StreetName>Rue de la Loi 16</cbc:StreetName><cbc:AdditionalStreetName>De Vries Advies</cbc:AdditionalStreetName><cbc:CityName>Brussel</cbc:CityName><cbc:PostalZone>1000</cbc:PostalZone><cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>');
  }, 90_000);

  it("a renewal's invoice has the period its line covers as its delivery period: startsOn through the last valid day", () => {
    const xml = buildUbl(renewal);
    expect(failed(en16931.validateString(xml))).toEqual([]);
    expect(failed(peppol.validateString(xml)).filter((f) => f.startsWith('PEPPOL-EN16931-R11'))).toEqual([]);
    const periods = [...xml.matchAll(/<cac:InvoicePeriod><cbc:StartDate>([^<]+)<\/cbc:StartDate><cbc:EndDate>([^<]+)<\/cbc:EndDate><\/cac:InvoicePeriod>/g)].map((m) => [m[1], m[2]]);
    // The document's (BG-14) and the line's (BG-26), not the day it was bought.
    expect(periods).toEqual([
      ['2027-03-09', '2029-03-08'],
      ['2027-03-09', '2029-03-08'],
    ]);
    expect(xml).toContain('periode 2027-03-09 t/m 2029-03-08');
  }, 90_000);

  it('a collective invoice gives each line its own period, all within the delivery period (PEPPOL-EN16931-R110/R111)', () => {
    const xml = buildUbl(mixed);
    expect(failed(en16931.validateString(xml))).toEqual([]);
    expect(failed(peppol.validateString(xml))).toEqual([]);
    const periods = [...xml.matchAll(/<cac:InvoicePeriod><cbc:StartDate>([^<]+)<\/cbc:StartDate><cbc:EndDate>([^<]+)<\/cbc:EndDate><\/cac:InvoicePeriod>/g)].map((m) => [m[1], m[2]]);
    expect(periods).toEqual([
      ['2027-01-03', '2029-06-19'],
      ['2027-01-03', '2029-01-02'],
      ['2027-06-20', '2029-06-19'],
      ['2027-01-31', '2029-01-30'],
    ]);
    // The month billed stays in the note.
    expect(xml).toContain('<cbc:Note>Registratiekosten PE-register 2027-01-01 t/m 2027-01-31</cbc:Note>');
    // And the restated rules do catch a line outside the document's period.
    const outside = xml.replace('<cbc:EndDate>2029-06-19</cbc:EndDate>', '<cbc:EndDate>2029-01-31</cbc:EndDate>');
    expect(failed(peppol.validateString(outside)).map((f) => f.split(':')[0])).toEqual(['PEPPOL-EN16931-R111']);
  }, 90_000);

  it('a supplementary invoice passes EN 16931 and the Peppol/NL rules, naming the first invoice as its preceding invoice (BG-3)', () => {
    const xml = buildUbl(supplementary);
    expect(failed(en16931.validateString(xml))).toEqual([]);
    expect(failed(peppol.validateString(xml))).toEqual([]);
    expect(xml).toContain('<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>');
    expect(xml).toContain('<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>PE-2027-000042</cbc:ID><cbc:IssueDate>2027-02-01</cbc:IssueDate></cac:InvoiceDocumentReference></cac:BillingReference>');
    expect(xml).toMatch(/<cbc:Note>Aanvullende factuur op PE-2027-000042\./);
  }, 90_000);

  it('our Peppol/NL schematron does catch what it checks (so a green run means something)', () => {
    const broken = buildUbl(many).replace(/<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/, '').replace('schemeID="0106">' + config.supplier.kvkNumber + '</cbc:CompanyID>', 'schemeID="0088">x</cbc:CompanyID>');
    const ids = failed(peppol.validateString(broken)).map((f) => f.split(':')[0]);
    expect(ids).toEqual(expect.arrayContaining(['PEPPOL-R003', 'NL-R-003']));

    const ids2 = (d: InvoiceDocument, edit: (xml: string) => string = (x) => x) => failed(peppol.validateString(edit(buildUbl(d)))).map((f) => f.split(':')[0]).sort();
    // A Belgian enterprise number with a wrong check number; a scheme outside the EAS list.
    expect(ids2({ ...belgian, customer: { ...belgian.customer, peppolId: { scheme: '0208', value: '0403104582' } } })).toEqual(['PEPPOL-COMMON-R043']);
    expect(ids2({ ...belgian, customer: { ...belgian.customer, peppolId: { scheme: '0999', value: 'x' } } })).toEqual(['PEPPOL-EN16931-CL008']);
    // A Dutch customer whose legal entity is not a KvK/OIN number (NL-R-005), one without a
    // street (NL-R-004); the same for a Belgian customer is no NL-R matter.
    const nlWrongLegal = (x: string) => x.replace('<cbc:CompanyID schemeID="0106">87654321</cbc:CompanyID>', '<cbc:CompanyID schemeID="0208">0403104581</cbc:CompanyID>');
    expect(ids2(many, nlWrongLegal)).toEqual(['NL-R-005']);
    expect(ids2({ ...many, customer: { ...many.customer, street: undefined } })).toEqual(['NL-R-004']);
    expect(ids2({ ...belgian, customer: { ...belgian.customer, street: undefined } }, nlWrongLegal)).toEqual([]);
    // The rules after the first pattern run too.
    expect(ids2(many, (x) => x.replace('<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>', '<cbc:InvoiceTypeCode>326</cbc:InvoiceTypeCode>'))).toEqual(['P0100']);
  });
});
