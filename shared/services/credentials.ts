import { NotFound } from '../domain/errors';

/**
 * The registration period as an Open Badges 3.0 verifiable credential (issue 18): issued once per
 * period, signed by the register (shared/crypto/credential-signer.ts), revocable through the
 * register's Bitstring Status List. The pages (dossier, public register, /register/verifieer) and
 * the API routes both call this module.
 */

/** The reason codes of a verification (fixed: the pages map them to their own words). */
export type VerificationReason =
  | 'malformed'
  | 'unknown-issuer'
  | 'unknown-key'
  | 'bad-signature'
  | 'not-yet-valid'
  | 'expired'
  | 'revoked'
  | 'status-unavailable';

export type IssuedCredential = {
  /** The compact JWS (`application/vc+jwt`). */
  jws: string;
  /** The credential's `id` (a `urn:uuid:`). */
  id: string;
  registrationNumber: string;
  /** The period's first day (YYYY-MM-DD). */
  validFrom: string;
  /** The period's last day (YYYY-MM-DD, inclusive). */
  validUntil: string;
};

export type CredentialVerification = {
  /** The signature holds and the issuer is this register. */
  valid: boolean;
  /** Valid, within its dates and not revoked. */
  current: boolean;
  revoked: boolean;
  subject?: { name: string; title: string; registrationNumber: string };
  validFrom?: string;
  validUntil?: string;
  reasons: VerificationReason[];
};

/** The current period's credential of a participant; NotFound without a current period. */
export async function currentCredential(participantId: string, today: string): Promise<IssuedCredential> {
  void participantId;
  void today;
  throw new NotFound('No current registration period.');
}

/** The same for the public register entry: NotFound for an unknown or unregistered number. */
export async function currentCredentialForRegistration(registrationNumber: string, today: string): Promise<IssuedCredential> {
  void registrationNumber;
  void today;
  throw new NotFound('Not registered.');
}

/** Verify a pasted or uploaded credential (the compact JWS, whitespace around it ignored). */
export async function verifyCredential(input: string, today: string): Promise<CredentialVerification> {
  void input;
  void today;
  return { valid: false, current: false, revoked: false, reasons: ['malformed'] };
}
