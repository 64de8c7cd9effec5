/**
 * Peppol electronic addresses (EndpointID, BT-49 for the buyer): a scheme from the Peppol
 * "Electronic Address Identifier Scheme" (EAS) code list and a value in that scheme's format.
 * Pure rules, no I/O.
 *
 * The scheme list is the one Peppol BIS Billing 3.0 checks (PEPPOL-EN16931-CL008), and the
 * value checks are its fatal format rules (PEPPOL-COMMON-R040…R050): an e-invoice addressed
 * with anything else is refused by the buyer's access point, so we refuse it at the door.
 */
export interface PeppolId {
  /** 4-digit EAS code, e.g. 0106 (NL KvK), 0208 (BE enterprise number). */
  scheme: string;
  value: string;
}

/** ISO 6523 ICD / EAS code of the Dutch Chamber of Commerce number: the default for Dutch employers. */
export const KVK_SCHEME = '0106';

/** The EAS codes Peppol BIS Billing 3.0 accepts for an EndpointID (its code list, rule CL008). */
export const PEPPOL_EAS = [
  '0002', '0007', '0009', '0037', '0060', '0088', '0096', '0097', '0106', '0130', '0135', '0142', '0151', '0183', '0184',
  '0188', '0190', '0191', '0192', '0193', '0195', '0196', '0198', '0199', '0200', '0201', '0202', '0204', '0208', '0209',
  '0210', '0211', '0212', '0213', '0215', '0216', '0218', '0221', '0230', '9901', '9910', '9913', '9914', '9915', '9918',
  '9919', '9920', '9922', '9923', '9924', '9925', '9926', '9927', '9928', '9929', '9930', '9931', '9932', '9933', '9934',
  '9935', '9936', '9937', '9938', '9939', '9940', '9941', '9942', '9943', '9944', '9945', '9946', '9947', '9948', '9949',
  '9950', '9951', '9952', '9953', '9957', '9959',
] as const;

/** The ones a Dutch register meets most, named (documentation, error messages). */
export const COMMON_SCHEMES: Record<string, string> = {
  '0106': 'NL KvK number (8 digits)',
  '0190': 'NL OIN (20 digits)',
  '9944': 'NL VAT number',
  '0208': 'BE enterprise number (10 digits)',
  '9925': 'BE VAT number',
  '9930': 'DE VAT number',
  '0204': 'DE Leitweg-ID',
  '0088': 'GLN (GS1)',
  '0184': 'DK CVR (DK + 8 digits)',
  '0192': 'NO organisation number (9 digits)',
  '0007': 'SE organisation number (10 digits)',
};

function digits(value: string): number[] {
  return [...value].map((c) => c.charCodeAt(0) - 48);
}

/** GS1 check digit (GLN, PEPPOL-COMMON-R040). */
function gln(value: string): boolean {
  if (!/^\d{2,}$/.test(value)) return false;
  const body = digits(value.slice(0, -1)).reverse();
  const sum = body.reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === Number(value.at(-1));
}

/** Weighted mod 11 (Norwegian organisation number, PEPPOL-COMMON-R041). */
function mod11(value: string): boolean {
  const body = digits(value.slice(0, -1)).reverse();
  const sum = body.reduce((s, d, i) => s + d * ((i % 6) + 2), 0);
  return Number(value) > 0 && (11 - (sum % 11)) % 11 === Number(value.at(-1));
}

/** Luhn (Swedish organisation number, PEPPOL-COMMON-R049). */
function luhn(value: string): boolean {
  const main = digits(value.slice(0, 9)).reverse();
  const sum = main.reduce((s, d, i) => s + (i % 2 === 0 ? ((d * 2) % 10) + Math.floor((d * 2) / 10) : d), 0);
  return (10 - (sum % 10)) % 10 === Number(value.at(9));
}

/** Australian Business Number (PEPPOL-COMMON-R050). */
function abn(value: string): boolean {
  const weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  const d = digits(value);
  d[0] -= 1;
  return d.reduce((s, x, i) => s + x * weights[i], 0) % 89 === 0;
}

/** Why a value is not a valid identifier of its scheme, or undefined when it is. */
export function peppolValueProblem(scheme: string, value: string): string | undefined {
  switch (scheme) {
    case '0106':
      return /^\d{8}$/.test(value) ? undefined : 'A KvK number (0106) is 8 digits';
    case '0190':
      return /^\d{20}$/.test(value) ? undefined : 'An OIN (0190) is 20 digits';
    case '0208':
      // PEPPOL-COMMON-R043: 10 digits, the last two 97 minus the first eight mod 97.
      return /^\d{10}$/.test(value) && 97 - (Number(value.slice(0, 8)) % 97) === Number(value.slice(8))
        ? undefined
        : 'A Belgian enterprise number (0208) is 10 digits with a valid check number, e.g. 0403104581';
    case '9925':
      return /^BE[01]\d{9}$/.test(value) ? undefined : 'A Belgian VAT number (9925) is BE followed by 10 digits';
    case '0088':
      return /^\d+$/.test(value) && gln(value) ? undefined : 'A GLN (0088) is digits with a valid GS1 check digit';
    case '0192':
      return /^\d{9}$/.test(value) && mod11(value) ? undefined : 'A Norwegian organisation number (0192) is 9 digits with a valid check digit';
    case '0184':
      return /^DK\d{8}$/.test(value) ? undefined : 'A Danish CVR (0184) is DK followed by 8 digits';
    case '0007':
      return /^\d{10}$/.test(value) && luhn(value) ? undefined : 'A Swedish organisation number (0007) is 10 digits with a valid check digit';
    case '0151':
      return /^\d{11}$/.test(value) && abn(value) ? undefined : 'An ABN (0151) is 11 digits with a valid check number';
    default:
      return undefined;
  }
}

export function isPeppolScheme(scheme: string): boolean {
  return (PEPPOL_EAS as readonly string[]).includes(scheme);
}

/**
 * The buyer's Peppol address for an employer: the one it set, else — for a Dutch employer only —
 * its KvK number under 0106. A foreign employer without one has none: its KvK number (of a Dutch
 * branch, if any) does not say where its access point receives, and a made-up address would
 * send the e-invoice nowhere.
 */
export function buyerPeppolId(e: { peppolId?: PeppolId; kvkNumber: string; address: { country: string } }): PeppolId | undefined {
  if (e.peppolId) return e.peppolId;
  return e.address.country === 'NL' ? { scheme: KVK_SCHEME, value: e.kvkNumber } : undefined;
}
